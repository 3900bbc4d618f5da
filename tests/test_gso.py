"""UDP GSO and GRO: one send of many segments leaves as the datagrams N sendto calls send.

Send side (UDP_SEGMENT, as a socket option or a control message): the
receiver must see exactly the datagrams a sender would produce with one
stdlib ``sendto`` per segment, from the same socket (a sockcore socket and
its stdlib twin share one kernel socket, so the sender address matches too).
Receive side (UDP_GRO): the kernel may hand over coalesced data with the
segment size in a control message; ``split_gro`` must give the datagrams back.
"""

from __future__ import annotations

import socket as std
import struct
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sockcore
from sockcore import options

SEGMENT = 1400
LOOPBACK: dict[int, str] = {std.AF_INET: "127.0.0.1", std.AF_INET6: "::1"}


@pytest.fixture(params=[std.AF_INET, std.AF_INET6], ids=["inet", "inet6"])
def pair(request: pytest.FixtureRequest) -> Iterator[tuple[sockcore.socket, sockcore.socket, Any]]:
    family = request.param
    sender = sockcore.socket(family, std.SOCK_DGRAM)
    receiver = sockcore.socket(family, std.SOCK_DGRAM)
    with sender, receiver:
        sender.bind((LOOPBACK[family], 0))
        receiver.bind((LOOPBACK[family], 0))
        receiver.setsockopt(std.SOL_SOCKET, std.SO_RCVBUF, 4 * 1024 * 1024)
        receiver.settimeout(5)
        yield sender, receiver, receiver.getsockname()


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)] or [b""]


def _drain(receiver: sockcore.socket, count: int) -> list[tuple[bytes, Any]]:
    return [receiver.recvfrom(65535) for _ in range(count)]


def _reference(sender: sockcore.socket, receiver: sockcore.socket, address: Any, data: bytes, size: int) -> list[tuple[bytes, Any]]:
    """What one stdlib sendto per segment delivers, from the same kernel socket."""
    twin = sender.to_stdlib()
    with twin:
        for chunk in _chunks(data, size):
            twin.sendto(chunk, address)
    return _drain(receiver, len(_chunks(data, size)))


def _payload(n: int) -> bytes:
    return bytes(i * 7 % 256 for i in range(n))


@pytest.mark.qemu("qemu-user translates neither the UDP_SEGMENT nor the UDP_GRO control message (GSO sends time out, GRO sizes arrive unswapped)")
def test_one_sendmsg_of_64k_leaves_as_1400_byte_datagrams(pair: tuple[sockcore.socket, sockcore.socket, Any]) -> None:
    sender, receiver, address = pair
    data = _payload(65000 if sender.family == std.AF_INET6 else 65507)
    expected = _reference(sender, receiver, address, data, SEGMENT)
    segment = sockcore.cmsg.encode(sockcore.SOL_UDP, sockcore.UDP_SEGMENT, SEGMENT)
    assert sender.sendmsg([data], [segment], 0, address) == len(data)
    got = _drain(receiver, len(expected))
    assert got == expected
    assert {len(d) for d, _ in got[:-1]} == {SEGMENT}


def test_udp_segment_option(pair: tuple[sockcore.socket, sockcore.socket, Any]) -> None:
    sender, receiver, address = pair
    data = _payload(20000)
    expected = _reference(sender, receiver, address, data, 1000)
    sender.setopt(options.UDP_SEGMENT, 1000)
    assert sender.getopt(options.UDP_SEGMENT) == 1000
    assert sender.sendto(data, address) == len(data)
    assert _drain(receiver, len(expected)) == expected


@pytest.mark.qemu(
    "qemu-user translates neither the UDP_SEGMENT nor the UDP_GRO control message (GSO sends time out, GRO sizes arrive unswapped)",
    run=False,  # thirty examples, each waiting for its receive timeout: minutes under qemu
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(min_value=64, max_value=1472), n=st.integers(min_value=0, max_value=40000))
def test_gso_equals_sendto_per_segment(pair: tuple[sockcore.socket, sockcore.socket, Any], size: int, n: int) -> None:
    sender, receiver, address = pair
    n = min(n, 64 * size)  # the kernel sends at most 64 segments at once (UDP_MAX_SEGMENTS)
    data = _payload(n)
    expected = _reference(sender, receiver, address, data, size)
    sender.sendmsg([data], [sockcore.cmsg.encode(sockcore.SOL_UDP, sockcore.UDP_SEGMENT, size)], 0, address)
    assert _drain(receiver, len(expected)) == expected


@pytest.mark.qemu("qemu-user translates neither the UDP_SEGMENT nor the UDP_GRO control message (GSO sends time out, GRO sizes arrive unswapped)")
def test_gro_gives_coalesced_data_and_split_gro_splits_it(pair: tuple[sockcore.socket, sockcore.socket, Any]) -> None:
    sender, receiver, address = pair
    receiver.setopt(options.UDP_GRO, True)
    assert receiver.getopt(options.UDP_GRO) is True
    data = _payload(46 * SEGMENT + 123)
    segment = sockcore.cmsg.encode(sockcore.SOL_UDP, sockcore.UDP_SEGMENT, SEGMENT)
    sender.sendmsg([data], [segment], 0, address)
    got, ancdata, flags, source = receiver.recvmsg(65535, sockcore.CMSG_SPACE(4))
    assert (got, flags, source) == (data, 0, sender.getsockname())  # loopback hands the GSO packet over whole
    assert sockcore.cmsg.decode(ancdata) == [SEGMENT]
    assert sockcore.split_gro(got, ancdata) == _chunks(data, SEGMENT)
    assert sockcore.split_gro(got, SEGMENT) == _chunks(data, SEGMENT)


@pytest.mark.qemu("qemu-user translates neither the UDP_SEGMENT nor the UDP_GRO control message (GSO sends time out, GRO sizes arrive unswapped)")
def test_gro_through_recvmmsg(pair: tuple[sockcore.socket, sockcore.socket, Any]) -> None:
    sender, receiver, address = pair
    receiver.setopt(options.UDP_GRO, True)
    bursts = [_payload(10 * SEGMENT), _payload(3 * SEGMENT + 5), b"single"]
    segment = sockcore.cmsg.encode(sockcore.SOL_UDP, sockcore.UDP_SEGMENT, SEGMENT)
    assert sender.sendmmsg([([b], [segment], address) for b in bursts]) == len(bursts)
    datagrams: list[bytes] = []
    while len(datagrams) < sum(len(_chunks(b, SEGMENT)) for b in bursts):
        for data, ancdata, _, _ in receiver.recvmmsg(8, 65535, sockcore.CMSG_SPACE(4)):
            datagrams += sockcore.split_gro(data, ancdata)
    assert datagrams == [c for b in bursts for c in _chunks(b, SEGMENT)]


def test_split_gro_without_a_gro_item_is_one_datagram() -> None:
    assert sockcore.split_gro(b"abc", []) == [b"abc"]
    assert sockcore.split_gro(b"abc", [(std.IPPROTO_IP, 2, b"\0\0\0\0")]) == [b"abc"]
    assert sockcore.split_gro(b"", 1400) == [b""]
    with pytest.raises(ValueError):
        sockcore.split_gro(b"abcd", 0)


def test_typed_control_messages() -> None:
    level, kind, payload = sockcore.cmsg.encode(sockcore.SOL_UDP, sockcore.UDP_SEGMENT, 1400)
    assert (level, kind, payload) == (std.IPPROTO_UDP, 103, struct.pack("=H", 1400))
    assert sockcore.cmsg.decode([(level, kind, payload)]) == [1400]
    assert sockcore.cmsg.decode([(std.IPPROTO_UDP, sockcore.UDP_GRO, struct.pack("=i", 1200))]) == [1200]
