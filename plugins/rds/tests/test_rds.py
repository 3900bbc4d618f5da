"""AF_RDS: codec round trips, bad input against the stdlib's AF_INET parser, names."""

from __future__ import annotations

import os
import socket as stdlib
import struct
from typing import Any

import pytest
import sockcore_rds
from hypothesis import given
from hypothesis import strategies as st
from sockcore_rds import (
    AF_RDS,
    RdsAddress,
    RdsAddressCodec,
    decode_rds,
    encode_rds,
    hooks,
    parse_ipv4,
)

from sockcore.testing import CODEC_ERRORS, FakeSocket, check_codec, check_plugin

CODEC = RdsAddressCodec()
octets = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))
ports = st.integers(0, 65535)


SOCK = FakeSocket(AF_RDS, stdlib.SOCK_SEQPACKET)


def test_layout_is_sockaddr_in() -> None:
    assert encode_rds(("127.0.0.1", 0x1234)) == struct.pack("!H4s8x", 0x1234, bytes([127, 0, 0, 1]))
    assert encode_rds(("", 1))[2:6] == bytes(4)
    assert encode_rds(("<broadcast>", 1))[2:6] == b"\xff" * 4
    assert CODEC.sa_family == stdlib.AF_INET  # what the kernel expects in the header


@given(octets)
def test_parse_ipv4_agrees_with_inet_pton(host: str) -> None:
    assert parse_ipv4(host) == stdlib.inet_pton(stdlib.AF_INET, host)


@given(st.text(alphabet="0123456789.x ", max_size=17))
def test_parse_ipv4_rejects_what_inet_pton_rejects(text: str) -> None:
    try:
        expected: bytes | None = stdlib.inet_pton(stdlib.AF_INET, text)
    except OSError:
        expected = None
    assert parse_ipv4(text) == expected


def test_decode_ipv6_body() -> None:
    body = struct.pack("!HI16s", 7, 0, bytes(15) + b"\x01") + struct.pack("=I", 0)
    assert decode_rds(body) == ("::1", 7, 0, 0)


def test_cache_does_not_accept_a_float_port() -> None:
    encode_rds(("127.0.0.1", 1))
    with pytest.raises(TypeError):
        encode_rds(("127.0.0.1", 1.0))


def _stdlib_outcome(address: Any) -> type[BaseException] | None:
    """The stdlib's parser on a fake AF_RDS socket object (a UDP descriptor underneath).

    Name resolution is left out: the cases below use numeric hosts only.
    """
    with stdlib.socket(stdlib.AF_INET, stdlib.SOCK_DGRAM) as udp, stdlib.socket(
        AF_RDS, stdlib.SOCK_SEQPACKET, 0, fileno=os.dup(udp.fileno())
    ) as fake:
        try:
            fake.bind(address)
        except OSError as exc:
            return None if exc.errno is not None and not isinstance(exc, stdlib.gaierror) else type(exc)
        except Exception as exc:
            return type(exc)
    return None


hosts = st.sampled_from(["127.0.0.1", "", "<broadcast>", "10.0.0.1", b"127.0.0.1", bytearray(b"1.2.3.4")]) | st.none() | st.integers() | st.floats() | st.just("a\0b") | st.just("\udcff")
inet_like = (
    st.tuples(hosts, st.integers(-(2**40), 2**40) | st.floats() | st.text(max_size=2) | st.none())
    | st.tuples(hosts)
    | st.tuples(hosts, ports, ports)
    | st.none()
    | st.text(max_size=3)
    | st.lists(st.integers(), max_size=2)
)


@given(inet_like)  # numeric hosts only: a name would reach the DNS server
def test_bad_input_same_exception_types_as_the_stdlib(address: Any) -> None:
    expected = _stdlib_outcome(address)
    try:
        CODEC.encode(address, SOCK)
    except Exception as exc:
        assert type(exc) is expected, (address, exc)
    else:
        assert expected is None, address


def test_codec_contract() -> None:
    # numeric hosts only (inputs=): a host name goes to the resolver, which would reach the DNS server
    addresses = st.builds(RdsAddress, octets, ports)
    check_codec(CODEC, addresses, sock=SOCK, errors=(*CODEC_ERRORS, OSError), inputs=inet_like)


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_rds"])
    for name, value in sockcore_rds.CONSTANTS.items():
        assert getattr(sockcore_rds, name) == value


def test_every_stdlib_rds_name_with_the_stdlib_value() -> None:
    names = [n for n in dir(stdlib) if n.startswith("RDS_") or n in ("AF_RDS", "PF_RDS", "SOL_RDS")]
    assert "AF_RDS" in names
    for name in names:
        assert getattr(sockcore_rds, name) == getattr(stdlib, name), name
