"""sockcore.getifaddrs() against `ip -j addr` / `ip -j link`, in namespaces of our own and here."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import shutil
import socket as stdlib
import struct
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sockcore_netlink import NLM_F_DUMP_INTR, NLMSG_DONE, NLMSG_ERROR
from sockcore_netlink.ifaddrs import (
    IFA_ADDRESS,
    IFA_BROADCAST,
    IFA_LABEL,
    IFA_LOCAL,
    RTM_NEWADDR,
    Interface,
    InterfaceAddress,
    InterfaceFlag,
    _dump,
    parse_addresses,
)
from sockcore_netlink.message import Message, pack_attribute

import sockcore

needs_ip = pytest.mark.skipif(shutil.which("ip") is None, reason="needs iproute2's ip")
FAMILY_WORDS = {stdlib.AF_INET: "inet", stdlib.AF_INET6: "inet6"}


# -- what `ip -j` shows, and the same view of ours ------------------------------------------


def ip_flags(flags: int) -> set[str]:
    """The flag words `ip link` prints for ifi_flags: RUNNING hidden, NO-CARRIER when up without it."""
    words = {f.name for f in InterfaceFlag(flags) if f.name} - {"RUNNING"}
    if flags & InterfaceFlag.UP and not flags & InterfaceFlag.RUNNING:
        words.add("NO-CARRIER")
    return words


def view_of_ip(addr: list[dict[str, Any]], link: list[dict[str, Any]]) -> list[dict[str, Any]]:
    links = {entry["ifindex"]: entry for entry in link}
    view = []
    for entry in addr:
        linked = links[entry["ifindex"]]
        view.append({
            "index": entry["ifindex"],
            "name": linked["ifname"],
            "flags": set(linked["flags"]) - {"M-DOWN"},  # M-DOWN: the veth peer is down, not a flag
            "mtu": linked["mtu"],
            "link": (linked.get("address"), linked.get("broadcast")),
            "addresses": [
                (a["family"], a["local"], a["prefixlen"], a.get("broadcast"), a.get("address"), a.get("label"))
                for a in entry["addr_info"]
            ],
        })
    return view


def view_of_ours(interfaces: list[Interface]) -> list[dict[str, Any]]:
    view = []
    for interface in interfaces:
        packet = [a for a in interface.addresses if a.family == stdlib.AF_PACKET]
        view.append({
            "index": interface.ifindex,
            "name": interface.name,
            "flags": ip_flags(interface.flags),
            "mtu": interface.mtu,
            "link": (packet[0].address, packet[0].broadcast) if packet else (None, None),
            "addresses": [
                (FAMILY_WORDS[a.family], a.address, a.prefixlen, a.broadcast, a.peer, a.label)
                for a in interface.addresses
                if a.family != stdlib.AF_PACKET
            ],
        })
    return view


def check_netmasks(interfaces: list[Interface]) -> None:
    for interface in interfaces:
        for a in interface.addresses:
            if a.family == stdlib.AF_PACKET:
                assert a.netmask is a.prefixlen is None
            else:
                assert a.netmask == str(ipaddress.ip_network(f"{a.address}/{a.prefixlen}", strict=False).netmask)


def ip_json(*args: str) -> list[dict[str, Any]]:
    out = subprocess.run(["ip", "-j", *args], capture_output=True, text=True, check=True, timeout=30).stdout
    result: list[dict[str, Any]] = json.loads(out)
    return result


# -- this machine's namespace (no root needed) ----------------------------------------------


@pytest.mark.qemu("qemu-user does not byte-swap the rtnetlink attributes it does not know for a big-endian guest", arches=("s390x",))
def test_interfaces_are_the_ones_of_if_nameindex() -> None:
    interfaces = sockcore.getifaddrs()
    assert [(i.ifindex, i.name) for i in interfaces] == sorted(stdlib.if_nameindex())
    check_netmasks(interfaces)


@needs_ip
@pytest.mark.qemu("qemu-user does not byte-swap the rtnetlink attributes it does not know for a big-endian guest", arches=("s390x",))
def test_this_namespace_equals_ip_json() -> None:
    for _attempt in range(3):  # another process may change an interface between the two listings
        before = ip_json("addr")
        ours = sockcore.getifaddrs()
        if ip_json("addr") == before:
            break
    assert view_of_ours(ours) == view_of_ip(ip_json("addr"), ip_json("link"))


@pytest.mark.qemu("qemu-user does not byte-swap the rtnetlink attributes it does not know for a big-endian guest", arches=("s390x",))
def test_loopback_has_its_addresses() -> None:
    (lo,) = [i for i in sockcore.getifaddrs() if i.flags & InterfaceFlag.LOOPBACK]
    assert lo.flags & InterfaceFlag.UP
    assert InterfaceAddress(stdlib.AF_INET, "127.0.0.1", "255.0.0.0", 8, label=lo.name) in lo.addresses
    assert lo.addresses[0].family == stdlib.AF_PACKET  # link-layer first, as getifaddrs(3) lists it
    assert lo.addresses[0].family is sockcore.AddressFamily.AF_PACKET


def test_the_plugin_exports_it() -> None:
    assert sockcore.getifaddrs is sockcore.getifaddrs  # resolved once, cached
    assert sockcore.Interface is Interface
    assert sockcore.InterfaceAddress is InterfaceAddress
    assert sockcore.InterfaceFlag is InterfaceFlag


def test_without_the_plugin_the_name_says_where_it_comes_from() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import sockcore; sockcore.getifaddrs"],
        capture_output=True, text=True, timeout=60, check=False,
        env=dict(os.environ, SOCKCORE_DISABLE_PLUGIN_AUTOLOAD="1"),
    )
    assert "getifaddrs is provided by sockcore-netlink, which is not installed" in proc.stderr


# -- namespaces of our own: bridge/dummy, veth, tun; IPv4 and IPv6 ---------------------------

# Each command runs inside the namespace; a dummy interface only where the kernel has the driver.
SETUP = [
    "link set lo up",
    "link add br0 type bridge",
    "link set br0 up mtu 1400",
    "addr add 192.0.2.1/24 brd + dev br0",
    "addr add 192.0.2.129/25 dev br0 label br0:1",
    "addr add 2001:db8::1/64 dev br0 nodad",
    "link add v0 address 02:00:00:00:00:0a type veth peer name v1 address 02:00:00:00:00:0b",
    "link set v0 up",
    "addr add 10.1.1.1 peer 10.1.1.2/32 dev v0",
    "addr add 2001:db8:1::1/127 dev v0 nodad",
    "addr add 2001:db8:2::1 peer 2001:db8:2::2/128 dev v0 nodad",
    "tuntap add t0 mode tun",
    "addr add 198.51.100.7/30 dev t0 label t0:x",
    "link set v1 promisc on allmulticast on",
]
DUMMY = ["link add d0 type dummy", "link set d0 up", "addr add 203.0.113.9/31 dev d0", "addr add fe80::9/10 dev d0 nodad"]

PROBE = """
import json, subprocess, sys
import sockcore
def ip(*args):
    return json.loads(subprocess.run(["ip", "-j", *args], capture_output=True, text=True, check=True).stdout)
interfaces = sockcore.getifaddrs()
json.dump({"ours": [[i.ifindex, i.name, int(i.flags), i.mtu, [list(a) for a in i.addresses]] for i in interfaces],
           "addr": ip("addr"), "link": ip("link"), "str": [str(i) for i in interfaces]}, sys.stdout)
"""


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30, check=False)


@pytest.fixture(scope="module")
def namespace() -> Iterator[dict[str, Any]]:
    if os.geteuid() != 0:
        pytest.skip("needs root")
    name = f"sockcore-ifaddrs-{os.getpid()}"
    assert _ip("netns", "add", name).returncode == 0
    try:
        for command in SETUP:
            done = _ip("-n", name, *command.split())
            assert done.returncode == 0, (command, done.stderr)
        has_dummy = _ip("-n", name, *DUMMY[0].split()).returncode == 0  # not every kernel has the driver
        for command in DUMMY[1:] if has_dummy else []:
            assert _ip("-n", name, *command.split()).returncode == 0, command
        proc = subprocess.run(
            ["ip", "netns", "exec", name, sys.executable, "-c", PROBE],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert proc.returncode == 0, proc.stderr
        result: dict[str, Any] = json.loads(proc.stdout)
        result["has_dummy"] = has_dummy
        yield result
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            _ip("netns", "delete", name)


def _ours(namespace: dict[str, Any]) -> list[Interface]:
    return [
        Interface(index, name, InterfaceFlag(flags), mtu, tuple(InterfaceAddress(*a) for a in addresses))
        for index, name, flags, mtu, addresses in namespace["ours"]
    ]


@pytest.mark.root
@pytest.mark.netns
def test_namespace_equals_ip_json(namespace: dict[str, Any]) -> None:
    ours = _ours(namespace)
    assert view_of_ours(ours) == view_of_ip(namespace["addr"], namespace["link"])
    check_netmasks(ours)
    names = {i.name for i in ours}
    assert {"lo", "br0", "v0", "v1", "t0"} | ({"d0"} if namespace["has_dummy"] else set()) == names


@pytest.mark.root
@pytest.mark.netns
def test_namespace_details(namespace: dict[str, Any]) -> None:
    by_name = {i.name: i for i in _ours(namespace)}
    br0, v0, v1, t0 = by_name["br0"], by_name["v0"], by_name["v1"], by_name["t0"]
    assert br0.mtu == 1400
    assert InterfaceAddress(stdlib.AF_INET, "192.0.2.1", "255.255.255.0", 24, "192.0.2.255", None, "br0") in br0.addresses
    assert InterfaceAddress(stdlib.AF_INET, "192.0.2.129", "255.255.255.128", 25, None, None, "br0:1") in br0.addresses
    assert InterfaceAddress(stdlib.AF_INET6, "2001:db8::1", "ffff:ffff:ffff:ffff::", 64) in br0.addresses
    assert v0.addresses[0] == InterfaceAddress(stdlib.AF_PACKET, "02:00:00:00:00:0a", broadcast="ff:ff:ff:ff:ff:ff")
    assert InterfaceAddress(stdlib.AF_INET, "10.1.1.1", "255.255.255.255", 32, None, "10.1.1.2", "v0") in v0.addresses
    assert InterfaceAddress(stdlib.AF_INET6, "2001:db8:2::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, None, "2001:db8:2::2") in v0.addresses
    assert InterfaceAddress(stdlib.AF_INET6, "2001:db8:1::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", 127) in v0.addresses
    assert v0.flags & InterfaceFlag.UP and not v0.flags & InterfaceFlag.RUNNING  # its peer is down
    assert v1.flags & (InterfaceFlag.PROMISC | InterfaceFlag.ALLMULTI) == InterfaceFlag.PROMISC | InterfaceFlag.ALLMULTI
    assert not v1.flags & InterfaceFlag.UP
    assert t0.flags & InterfaceFlag.POINTOPOINT
    assert [a.family for a in t0.addresses] == [stdlib.AF_INET]  # a tun device has no link-layer address
    assert t0.addresses[0].label == "t0:x"
    if namespace["has_dummy"]:
        assert InterfaceAddress(stdlib.AF_INET, "203.0.113.9", "255.255.255.254", 31) in by_name["d0"].addresses


@pytest.mark.root
@pytest.mark.netns
def test_namespace_str(namespace: dict[str, Any]) -> None:
    (v0,) = [text for text in namespace["str"] if text.split()[1] == "v0"]
    lines = v0.splitlines()
    assert lines[0].endswith("v0 <UP,BROADCAST,MULTICAST> mtu 1500")
    assert lines[1] == "    packet 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff"
    assert "    inet 10.1.1.1 peer 10.1.1.2/32 netmask 255.255.255.255 label v0" in lines


# -- the parser, with messages made here ------------------------------------------------------


def _addr_message(family: int, prefixlen: int, index: int, attrs: dict[int, bytes]) -> Message:
    body = struct.pack("=BBBBI", family, prefixlen, 0, 0, index) + b"".join(pack_attribute(t, p) for t, p in attrs.items())
    return Message(RTM_NEWADDR, 0, 2, 0, body)


@given(st.sampled_from([4, 16]).flatmap(lambda size: st.tuples(st.binary(min_size=size, max_size=size), st.integers(0, size * 8))))
def test_addresses_and_netmasks_equal_ipaddress(case: tuple[bytes, int]) -> None:
    packed, prefixlen = case
    family = stdlib.AF_INET if len(packed) == 4 else stdlib.AF_INET6
    ((index, address),) = parse_addresses([_addr_message(family, prefixlen, 7, {IFA_ADDRESS: packed})])
    assert index == 7
    assert address.address == stdlib.inet_ntop(family, packed)  # the C library's text, IPv4-mapped too
    network = ipaddress.ip_network((packed, prefixlen), strict=False)
    assert address.netmask == stdlib.inet_ntop(family, network.netmask.packed)
    assert address.prefixlen == prefixlen and address.peer is None


def test_local_and_peer_broadcast_label() -> None:
    local, peer, brd = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]), bytes([10, 0, 0, 255])
    ((_, ptp), (_, plain)) = parse_addresses([
        _addr_message(stdlib.AF_INET, 32, 3, {IFA_ADDRESS: peer, IFA_LOCAL: local, IFA_LABEL: b"eth0:1\0"}),
        _addr_message(stdlib.AF_INET, 24, 3, {IFA_ADDRESS: local, IFA_LOCAL: local, IFA_BROADCAST: brd}),
    ])
    assert ptp == InterfaceAddress(stdlib.AF_INET, "10.0.0.1", "255.255.255.255", 32, None, "10.0.0.2", "eth0:1")
    assert plain == InterfaceAddress(stdlib.AF_INET, "10.0.0.1", "255.255.255.0", 24, "10.0.0.255")


def test_other_families_and_short_addresses_are_skipped() -> None:
    assert parse_addresses([
        _addr_message(28, 20, 1, {IFA_ADDRESS: bytes(4)}),  # AF_MPLS
        _addr_message(stdlib.AF_INET, 8, 1, {IFA_ADDRESS: bytes(3)}),
        _addr_message(stdlib.AF_INET6, 8, 1, {}),
    ]) == []


def test_str_and_repr() -> None:
    flags = InterfaceFlag.UP | InterfaceFlag.LOOPBACK | InterfaceFlag(0x80000)
    assert str(flags) == "UP,LOOPBACK,0x80000"
    interface = Interface(1, "lo", InterfaceFlag.UP, 65536, (
        InterfaceAddress(sockcore.AddressFamily.AF_INET6, "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128),
    ))
    assert str(interface) == "1: lo <UP> mtu 65536\n    inet6 ::1/128 netmask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
    assert repr(interface).startswith("Interface(ifindex=1, name='lo', flags=<InterfaceFlag.UP: 1>, mtu=65536, addresses=(InterfaceAddress(family=<AddressFamily.AF_INET6: 10>, address='::1'")
    assert interface == (1, "lo", 1, 65536, ((10, "::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, None, None, None),))


# -- reading a dump ----------------------------------------------------------------------------


class FakeKernel:
    """Answers the request with datagrams made in advance."""

    def __init__(self, *datagrams: bytes) -> None:
        self.datagrams = list(datagrams)
        self.sent: list[bytes] = []

    def send(self, data: bytes) -> int:
        self.sent.append(data)
        return len(data)

    def recv(self, bufsize: int) -> bytes:
        return self.datagrams.pop(0)


def _packed(message: Message) -> bytes:
    from sockcore_netlink.message import pack_message

    return pack_message(*message)


def test_dump_reads_to_done_skips_stale_answers_and_notes_interruptions() -> None:
    stale = _packed(Message(RTM_NEWADDR, 0, 1, 0, b"old"))
    first = _packed(Message(RTM_NEWADDR, NLM_F_DUMP_INTR, 2, 0, b"a"))
    done = _packed(Message(NLMSG_DONE, 0, 2, 0, bytes(4)))
    kernel = FakeKernel(stale + first, done)
    messages, whole = _dump(kernel, b"request", seq=2)  # type: ignore[arg-type]
    assert kernel.sent == [b"request"]
    assert [m.payload[:1] for m in messages] == [b"a"] and not whole


def test_dump_errors_raise_oserror() -> None:
    cut_short = _packed(Message(NLMSG_DONE, 0, 2, 0, struct.pack("=i", -16)))
    with pytest.raises(OSError) as info:
        _dump(FakeKernel(cut_short), b"", seq=2)  # type: ignore[arg-type]
    assert info.value.errno == 16
    refused = _packed(Message(NLMSG_ERROR, 0, 2, 0, struct.pack("=i", -1) + bytes(16)))
    with pytest.raises(PermissionError):
        _dump(FakeKernel(refused), b"", seq=2)  # type: ignore[arg-type]


@pytest.mark.qemu("qemu-user does not byte-swap the rtnetlink attributes it does not know for a big-endian guest", arches=("s390x",))
def test_an_interrupted_dump_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from sockcore_netlink import ifaddrs

    real_dump, seqs = ifaddrs._dump, []

    def first_attempt_interrupted(sock: Any, request: bytes, seq: int) -> tuple[list[Message], bool]:
        seqs.append(seq)
        messages, whole = real_dump(sock, request, seq)
        return messages, whole and seq > 2

    monkeypatch.setattr(ifaddrs, "_dump", first_attempt_interrupted)
    assert sockcore.getifaddrs() == ifaddrs.getifaddrs()  # the second attempt's answer
    assert seqs == [1, 2, 3, 4, 1, 2, 3, 4]
