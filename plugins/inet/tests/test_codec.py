"""AF_INET/AF_INET6 codecs: round trips, the stdlib's decoding, and bad input."""

from __future__ import annotations

import ipaddress
import socket as stdlib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sockcore_inet.codec import (
    INET4_CODEC,
    INET6_CODEC,
    Inet4Codec,
    Inet6Codec,
    IPv4Address,
    IPv6Address,
)

import sockcore
from sockcore.testing import CODEC_ERRORS, FakeSocket, check_codec

ALLOWED = (*CODEC_ERRORS, OSError)  # OSError: what the resolver rejects

V4 = FakeSocket(stdlib.AF_INET, stdlib.SOCK_DGRAM)
V6 = FakeSocket(stdlib.AF_INET6, stdlib.SOCK_DGRAM)
ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(str)
ports = st.integers(0, 65535)
u32 = st.integers(0, 2**32 - 1)


@given(ipv4, ports)
def test_ipv4_round_trip(host: str, port: int) -> None:
    for codec in (INET4_CODEC, Inet4Codec()):  # warm cache and cold
        address = codec.decode(codec.encode((host, port), V4), V4)
        assert address == (host, port)
        assert isinstance(address, IPv4Address) and address.port == port


@given(ipv6, ports, st.integers(0, 0xFFFFF), u32)
def test_ipv6_round_trip(host: str, port: int, flowinfo: int, scope_id: int) -> None:
    for codec in (INET6_CODEC, Inet6Codec()):
        address = codec.decode(codec.encode((host, port, flowinfo, scope_id), V6), V6)
        assert address == (stdlib.inet_ntop(stdlib.AF_INET6, stdlib.inet_pton(stdlib.AF_INET6, host)), port, flowinfo, scope_id)
        assert isinstance(address, IPv6Address)


@given(ipv6, ports)
def test_ipv6_hosts_print_like_inet_ntop(host: str, port: int) -> None:
    body = INET6_CODEC.encode((host, port), V6)
    assert INET6_CODEC.decode(body, V6).host == stdlib.inet_ntop(stdlib.AF_INET6, stdlib.inet_pton(stdlib.AF_INET6, host))


def test_special_hosts() -> None:
    assert INET4_CODEC.decode(INET4_CODEC.encode(("", 1), V4), V4) == ("0.0.0.0", 1)
    assert INET4_CODEC.decode(INET4_CODEC.encode(("<broadcast>", 1), V4), V4) == ("255.255.255.255", 1)
    assert INET6_CODEC.decode(INET6_CODEC.encode(("", 1), V6), V6) == ("::", 1, 0, 0)
    assert INET4_CODEC.decode(INET4_CODEC.encode(("127.1", 1), V4), V4) == ("127.0.0.1", 1)
    assert INET4_CODEC.decode(INET4_CODEC.encode((b"127.0.0.1", 1), V4), V4) == ("127.0.0.1", 1)
    assert INET4_CODEC.decode(INET4_CODEC.encode(("localhost", 1), V4), V4) == ("127.0.0.1", 1)
    # the host's %scope selects nothing: the tuple's scope_id is what counts, as in the stdlib
    assert INET6_CODEC.decode(INET6_CODEC.encode(("fe80::1%lo", 1), V6), V6) == ("fe80::1", 1, 0, 0)
    assert INET6_CODEC.decode(INET6_CODEC.encode(("fe80::1%lo", 1, 0, 1), V6), V6) == ("fe80::1", 1, 0, 1)


def _stdlib_outcome(family: int, address: Any) -> Any:
    """What the stdlib does with ``address`` in bind(): the exception type, or the bound address."""
    with stdlib.socket(family, stdlib.SOCK_DGRAM) as s:
        try:
            s.bind(address)
        except Exception as exc:
            return type(exc).__name__, getattr(exc, "errno", None)
        return "ok"


def _sockcore_outcome(family: int, address: Any) -> Any:
    with sockcore.socket(family, sockcore.SOCK_DGRAM) as s:
        try:
            s.bind(address)
        except Exception as exc:
            assert isinstance(exc, ALLOWED), repr(exc)
            return type(exc).__name__, getattr(exc, "errno", None)
        return "ok"


NUMERIC_V4: list[Any] = [
    ("", 0), ("127.0.0.1", 0), ("127.0.0.1", -1), ("127.0.0.1", 65536), ("127.0.0.1", 2**40),
    ("127.0.0.1", 1.0), ("127.0.0.1", "1"), (1, 1), ("127.0.0.1",), ("127.0.0.1", 1, 2),
    ("a\0b", 1), ("\udcff", 1), ("::1", 0), ("<broadcast>", 0), ("127.1", 0), ("01.02.03.010", 0),
    [("127.0.0.1", 0)], "127.0.0.1", None, (b"127.0.0.1", 0), (bytearray(b"127.0.0.1"), 0),
    (memoryview(b"1.1.1.1"), 0), ("127.0.0.1", True), ("127.0.0.1", None),
]
NUMERIC_V6: list[Any] = [
    ("::1", 0), ("::1", 0, 0, 0), ("::1", 0, -1), ("::1", 0, 0x100000), ("::1", 0, 0, -1), ("::1", 0, 0, 2**64),
    ("::1", 0, 0.0), ("::1",), ("::1", 0, 0, 0, 0), ("127.0.0.1", 0), ("<broadcast>", 0), ("", 0),
    ("fe80::1%lo", 0), ("::ffff:127.0.0.1", 0), ("::1", 2**40), "::1",
]


def test_bad_and_odd_addresses_match_the_stdlib() -> None:
    for address in NUMERIC_V4:
        assert _sockcore_outcome(stdlib.AF_INET, address) == _stdlib_outcome(stdlib.AF_INET, address), address
    for address in NUMERIC_V6:
        assert _sockcore_outcome(stdlib.AF_INET6, address) == _stdlib_outcome(stdlib.AF_INET6, address), address


def test_float_port_is_rejected_even_when_an_int_port_is_cached() -> None:
    codec = Inet4Codec()
    codec.encode(("127.0.0.1", 1), V4)
    try:
        codec.encode(("127.0.0.1", 1.0), V4)
    except TypeError:
        pass
    else:
        raise AssertionError("a float port was accepted")


fields = st.one_of(
    st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=5), st.binary(max_size=5), st.none(),
    ipv4, ipv6,
)
numeric_hosts = st.one_of(ipv4, ipv6, st.sampled_from(["", "<broadcast>", "127.1", "0x7f.1"]), st.binary(max_size=4))


# Hosts stay numeric or empty here: a name would reach the DNS server (see test_resolver's offline tests).
offline_inputs = st.one_of(
    st.tuples(numeric_hosts, fields), st.tuples(numeric_hosts, fields, fields, fields), fields, st.lists(fields, max_size=5).map(tuple)
).filter(lambda a: not (isinstance(a, tuple) and a and isinstance(a[0], str) and not _numeric(a[0])))


def test_codec_contract() -> None:
    v4 = [IPv4Address("127.0.0.1", 80), IPv4Address("0.0.0.0", 0), IPv4Address("255.255.255.255", 65535)]
    v6 = [IPv6Address("::1", 80, 0, 0), IPv6Address("fe80::1", 1, 0xFFFFF, 2**32 - 1)]
    check_codec(INET4_CODEC, v4, sock=V4, errors=ALLOWED, inputs=offline_inputs, max_examples=300)
    check_codec(INET6_CODEC, v6, sock=V6, errors=ALLOWED, inputs=offline_inputs, max_examples=300)


def _numeric(host: str) -> bool:
    if host in ("", "<broadcast>", "127.1", "0x7f.1"):
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@given(st.binary(max_size=40))
def test_decode_any_body(body: bytes) -> None:
    assert isinstance(INET4_CODEC.decode(body, V4), IPv4Address)
    assert isinstance(INET6_CODEC.decode(body, V6), IPv6Address)


@given(st.binary(min_size=6, max_size=14))
def test_ipv4_decode_prints_like_inet_ntop(body: bytes) -> None:
    for codec in (INET4_CODEC, Inet4Codec()):  # the host cache warm and cold
        address = codec.decode(body, V4)
        assert address == (stdlib.inet_ntop(stdlib.AF_INET, body[2:6]), int.from_bytes(body[:2], "big"))


def test_ipv4_decode_caches_stay_bounded() -> None:
    from sockcore_inet.codec import CACHE_LIMIT

    codec = Inet4Codec()
    for n in range(3 * CACHE_LIMIT):  # a new host and port each time: every entry misses
        body = (n % 65536).to_bytes(2, "big") + n.to_bytes(4, "big") + bytes(8)
        assert codec.decode(body, V4).host == stdlib.inet_ntoa(n.to_bytes(4, "big"))
        assert len(codec._hosts) <= CACHE_LIMIT and len(codec._decoded) <= CACHE_LIMIT
