"""AF_INET/AF_INET6 codecs: round trips, the stdlib's decoding, and bad input."""

from __future__ import annotations

import contextlib
import ipaddress
import socket as stdlib
from typing import Any

from hypothesis import given, settings
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

ALLOWED = (TypeError, ValueError, OverflowError, OSError, UnicodeError)


class FakeSocket:
    def __init__(self, family: int, type: int = stdlib.SOCK_DGRAM, proto: int = 0) -> None:
        self.family, self.type, self.proto = family, type, proto

    def fileno(self) -> int:
        return -1


V4 = FakeSocket(stdlib.AF_INET)
V6 = FakeSocket(stdlib.AF_INET6)
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


NUMERIC_V4 = [
    ("", 0), ("127.0.0.1", 0), ("127.0.0.1", -1), ("127.0.0.1", 65536), ("127.0.0.1", 2**40),
    ("127.0.0.1", 1.0), ("127.0.0.1", "1"), (1, 1), ("127.0.0.1",), ("127.0.0.1", 1, 2),
    ("a\0b", 1), ("\udcff", 1), ("::1", 0), ("<broadcast>", 0), ("127.1", 0), ("01.02.03.010", 0),
    [("127.0.0.1", 0)], "127.0.0.1", None, (b"127.0.0.1", 0), (bytearray(b"127.0.0.1"), 0),
    (memoryview(b"1.1.1.1"), 0), ("127.0.0.1", True), ("127.0.0.1", None),
]
NUMERIC_V6 = [
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


@settings(max_examples=300)
@given(st.one_of(st.tuples(numeric_hosts, fields), st.tuples(numeric_hosts, fields, fields, fields), fields,
                 st.lists(fields, max_size=5).map(tuple)))
def test_random_addresses_raise_only_allowed_errors(address: Any) -> None:
    # Hosts stay numeric or empty here: a name would reach the DNS server (see test_resolver's offline tests).
    if isinstance(address, tuple) and address and isinstance(address[0], str) and not _numeric(address[0]):
        return
    for codec, sock in ((INET4_CODEC, V4), (INET6_CODEC, V6)):
        with contextlib.suppress(ALLOWED):
            codec.encode(address, sock)


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
