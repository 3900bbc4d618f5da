"""AF_PACKET sockets as root: on lo and on a veth pair in a network namespace the test makes.

Frames are sent with the IEEE local-experimental ethertype 0x88b5, which nothing
else on a machine sends, and everything is compared with the stdlib ``socket``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket as stdlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sockcore_packet
from hypothesis import given, settings
from hypothesis import strategies as st
from sockcore_packet.records import Fanout, PacketAddress, PacketMreq, PacketStats

import sockcore
from sockcore import registry

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(os.geteuid() != 0, reason="AF_PACKET sockets need root (CAP_NET_RAW)"),
]

ETHERTYPE = 0x88B5
ALLOWED = (TypeError, ValueError, OverflowError, OSError, UnicodeError)
HELPER = Path(__file__).with_name("netns_frames.py")


def opt(name: str) -> Any:
    return registry.tables().sockopts[name]


def packet_socket(kind: int = 3, proto: int = ETHERTYPE) -> Any:
    return sockcore.socket(sockcore.AF_PACKET, kind, stdlib.htons(proto))


# -- in this namespace: lo only, nothing is sent ------------------------------------------


@pytest.mark.parametrize("kind", [stdlib.SOCK_RAW, stdlib.SOCK_DGRAM])
def test_bind_and_getsockname_like_the_stdlib(kind: int) -> None:
    with packet_socket(kind) as ours, stdlib.socket(stdlib.AF_PACKET, kind, stdlib.htons(ETHERTYPE)) as theirs:
        ours.bind(("lo", ETHERTYPE))
        theirs.bind(("lo", ETHERTYPE))
        assert ours.getsockname() == theirs.getsockname() == ("lo", ETHERTYPE, 0, 772, bytes(6))
        assert isinstance(ours.getsockname(), PacketAddress)


def test_unbound_getsockname_like_the_stdlib() -> None:
    with packet_socket() as ours, stdlib.socket(stdlib.AF_PACKET, stdlib.SOCK_RAW, stdlib.htons(ETHERTYPE)) as theirs:
        assert ours.getsockname() == theirs.getsockname()


interfaces = st.sampled_from(["lo", "no-such-if0", "x" * 20, "", "lo\0", "lo\udcff"])
ints = st.integers(-(2**32), 2**32) | st.sampled_from([0, 3, 255, 0xFFFF]) | st.floats(allow_nan=False) | st.none()
packet_addresses = st.tuples(interfaces, ints) | st.tuples(
    interfaces, ints, st.integers(0, 255), st.integers(0, 0xFFFF), st.binary(max_size=10) | st.text(max_size=2)
)


@settings(max_examples=150)
@given(packet_addresses)
def test_address_errors_match_the_stdlib(address: tuple[Any, ...]) -> None:
    """connect() on a packet socket parses the address, then fails with EOPNOTSUPP."""
    with stdlib.socket(stdlib.AF_PACKET, stdlib.SOCK_RAW, 0) as theirs, packet_socket(proto=0) as ours:
        results = []
        for sock in (theirs, ours):
            try:
                sock.connect(address)
            except Exception as exc:
                results.append(None if getattr(exc, "errno", None) == 95 else type(exc))
                assert isinstance(exc, ALLOWED)
        if results[0] is None and len(address[0]) >= 16 and results[1] is OSError:
            return  # the stdlib looked up the name's first 15 bytes; sockcore refuses it
        assert results[0] == results[1], address


@pytest.mark.qemu("qemu-user translates no SOL_PACKET option: ENOPROTOOPT or EOPNOTSUPP")
@pytest.mark.parametrize(
    "name",
    ["PACKET_AUXDATA", "PACKET_ORIGDEV", "PACKET_QDISC_BYPASS", "PACKET_IGNORE_OUTGOING", "PACKET_LOSS", "PACKET_VNET_HDR", "PACKET_TX_HAS_OFF"],
)
def test_boolean_options_set_then_get(name: str) -> None:
    with packet_socket() as sock:
        for value in (True, False):
            sock.setopt(opt(name), value)
            assert sock.getopt(opt(name)) is value
            assert sock.getsockopt(sockcore_packet.SOL_PACKET, getattr(sockcore_packet, name)) == int(value)


@pytest.mark.qemu("qemu-user translates no SOL_PACKET option: ENOPROTOOPT or EOPNOTSUPP")
@pytest.mark.parametrize(("name", "value"), [("PACKET_VERSION", 1), ("PACKET_RESERVE", 64), ("PACKET_TIMESTAMP", 0)])
def test_int_options_set_then_get(name: str, value: int) -> None:
    with packet_socket() as sock:
        sock.setopt(opt(name), value)
        assert sock.getopt(opt(name)) == value


@pytest.mark.qemu("qemu-user translates no SOL_PACKET option: ENOPROTOOPT or EOPNOTSUPP")
def test_statistics_start_at_zero() -> None:
    with packet_socket() as sock:
        sock.bind(("lo", ETHERTYPE))
        assert sock.getopt(opt("PACKET_STATISTICS")) == PacketStats(0, 0, 0)


@pytest.mark.qemu("qemu-user translates no SOL_PACKET option: ENOPROTOOPT or EOPNOTSUPP")
def test_fanout_set_then_get() -> None:
    group = os.getpid() & 0xFFFF
    with packet_socket() as sock:
        sock.bind(("lo", ETHERTYPE))
        assert sock.getopt(opt("PACKET_FANOUT")) == Fanout(0, 0)
        sock.setopt(opt("PACKET_FANOUT"), Fanout(group, sockcore_packet.PACKET_FANOUT_HASH))
        assert sock.getopt(opt("PACKET_FANOUT")) == (group, sockcore_packet.PACKET_FANOUT_HASH, 0)
        with stdlib.socket(stdlib.AF_PACKET, stdlib.SOCK_RAW, stdlib.htons(ETHERTYPE)) as theirs:
            theirs.bind(("lo", ETHERTYPE))  # the stdlib joins the same group with the plain int
            theirs.setsockopt(sockcore_packet.SOL_PACKET, sockcore_packet.PACKET_FANOUT, group)
            assert theirs.getsockopt(sockcore_packet.SOL_PACKET, sockcore_packet.PACKET_FANOUT) == group


def _promiscuity(ifname: str) -> int:
    out = subprocess.run(["ip", "-d", "-j", "link", "show", ifname], check=True, capture_output=True, text=True, timeout=30)
    return int(json.loads(out.stdout)[0]["promiscuity"])


@pytest.mark.qemu("qemu-user translates no SOL_PACKET option: ENOPROTOOPT or EOPNOTSUPP")
def test_membership_add_and_drop() -> None:
    if shutil.which("ip") is None:
        pytest.skip("needs iproute2's ip")
    mreq = PacketMreq(stdlib.if_nametoindex("lo"), sockcore_packet.PACKET_MR_PROMISC)
    before = _promiscuity("lo")
    with packet_socket() as sock:
        sock.setopt(opt("PACKET_ADD_MEMBERSHIP"), mreq)
        assert _promiscuity("lo") == before + 1
        sock.setopt(opt("PACKET_DROP_MEMBERSHIP"), mreq)
        assert _promiscuity("lo") == before
        with pytest.raises(OSError):  # no such interface
            sock.setopt(opt("PACKET_ADD_MEMBERSHIP"), mreq._replace(ifindex=2**31 - 1))


# -- in a namespace of our own: frames on lo and on a veth pair -----------------------------


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def netns() -> Iterator[str]:
    if shutil.which("ip") is None:
        pytest.skip("needs iproute2's ip")
    name = f"sockcore-packet-{os.getpid()}"
    _ip("netns", "add", name)
    try:
        _ip("-n", name, "link", "set", "lo", "up")
        _ip("-n", name, "link", "add", "vA", "address", "02:00:00:00:00:0a", "type", "veth", "peer", "name", "vB", "address", "02:00:00:00:00:0b")
        _ip("-n", name, "link", "set", "vA", "up")
        _ip("-n", name, "link", "set", "vB", "up")
        yield name
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            _ip("netns", "delete", name)


def _run_in(netns: str, *args: str) -> dict[str, Any]:
    env = dict(os.environ, SOCKCORE_PLUGINS="packet")
    proc = subprocess.run(
        ["ip", "netns", "exec", netns, sys.executable, str(HELPER), *args],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


@pytest.fixture(scope="module")
def on_lo(netns: str) -> dict[str, Any]:
    return _run_in(netns, "lo", "lo", "00" * 6, "00" * 6)


@pytest.fixture(scope="module")
def on_veth(netns: str) -> dict[str, Any]:
    return _run_in(netns, "vA", "vB", "02000000000a", "02000000000b")


def test_raw_frame_on_lo(on_lo: dict[str, Any]) -> None:
    ours, theirs = on_lo["case_raw/sockcore"], on_lo["case_raw/socket"]
    assert ours == theirs
    assert ours["addr"] == ["lo", ETHERTYPE, stdlib.PACKET_HOST, 772, "00" * 6]


def test_dgram_on_lo(on_lo: dict[str, Any]) -> None:
    ours, theirs = on_lo["case_dgram/sockcore"], on_lo["case_dgram/socket"]
    assert ours == theirs
    assert bytes.fromhex(ours["data"]) == b"sockcore dgram payload"


def test_raw_frame_across_a_veth_pair(on_veth: dict[str, Any]) -> None:
    ours, theirs = on_veth["case_raw/sockcore"], on_veth["case_raw/socket"]
    assert ours == theirs
    # ARPHRD_ETHER, the sender's MAC
    assert ours["addr"] == ["vB", ETHERTYPE, stdlib.PACKET_HOST, 1, "02000000000a"]
    assert ours["name"] == ["vB", ETHERTYPE, stdlib.PACKET_HOST, 1, "02000000000b"]
    assert bytes.fromhex(ours["data"])[:14] == bytes.fromhex("02000000000b02000000000a88b5")


def test_dgram_across_a_veth_pair(on_veth: dict[str, Any]) -> None:
    ours, theirs = on_veth["case_dgram/sockcore"], on_veth["case_dgram/socket"]
    assert ours == theirs
    assert ours["addr"] == ["vB", ETHERTYPE, stdlib.PACKET_HOST, 1, "02000000000a"]
    assert bytes.fromhex(ours["data"]) == b"sockcore dgram payload"


def test_auxdata_across_a_veth_pair(on_veth: dict[str, Any]) -> None:
    ours, theirs = on_veth["case_auxdata/sockcore"], on_veth["case_auxdata/socket"]
    assert ours == theirs
    assert ours["cmsg"] == [sockcore_packet.SOL_PACKET, sockcore_packet.PACKET_AUXDATA]
    assert ours["len"] == ours["snaplen"] == ours["frame"]
