"""AF_TIPC address codec: round trips, bad input, and the stdlib's parser as the oracle."""

from __future__ import annotations

import os
import socket as stdlib
import struct
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sockcore_tipc import (
    AF_TIPC,
    TIPC_ADDR_ID,
    TIPC_ADDR_NAME,
    TIPC_ADDR_NAMESEQ,
    TIPC_CLUSTER_SCOPE,
    TipcAddress,
    TipcAddressCodec,
    decode_tipc,
    encode_tipc,
)

import sockcore.address
from sockcore.testing import FakeSocket, check_codec, junk, outcome

u32 = st.integers(0, 2**32 - 1)
scopes = st.integers(0, 127)
CODEC = TipcAddressCodec()


SOCK = FakeSocket(AF_TIPC, stdlib.SOCK_RDM)


@given(st.sampled_from([TIPC_ADDR_NAMESEQ, TIPC_ADDR_NAME, TIPC_ADDR_ID]), u32, u32, u32, scopes)
def test_round_trip(atype: int, v1: int, v2: int, v3: int, scope: int) -> None:
    back = CODEC.decode(CODEC.encode((atype, v1, v2, v3, scope), SOCK), SOCK)
    assert isinstance(back, TipcAddress)
    # what the stdlib returns: NAME repeats the instance, ID has v3 == 0
    expected = {
        TIPC_ADDR_NAMESEQ: (atype, v1, v2, v3, scope),
        TIPC_ADDR_NAME: (atype, v1, v2, v2, scope),
        TIPC_ADDR_ID: (atype, v1, v2, 0, scope),
    }[atype]
    assert back == expected


@given(u32, u32, u32)
def test_four_items_use_cluster_scope(v1: int, v2: int, v3: int) -> None:
    assert decode_tipc(encode_tipc((TIPC_ADDR_NAMESEQ, v1, v2, v3))).scope == TIPC_CLUSTER_SCOPE


def test_layout_matches_linux_tipc_h() -> None:
    # u8 addrtype, s8 scope, then the union; tipc_portid is {ref, node}
    assert encode_tipc((TIPC_ADDR_ID, 0x11, 0x22, 0, 3)) == struct.pack("=BbII4x", 3, 3, 0x22, 0x11)
    assert encode_tipc((TIPC_ADDR_NAME, 7, 8, 9, 2)) == struct.pack("=BbIII", 2, 2, 7, 8, 0)
    assert encode_tipc((TIPC_ADDR_NAMESEQ, 7, 8, 9, 1)) == struct.pack("=BbIII", 1, 1, 7, 8, 9)
    assert len(encode_tipc((1, 0, 0, 0))) == 14  # sizeof(struct sockaddr_tipc) - 2


def test_decode_short_and_bad_bodies() -> None:
    assert decode_tipc(bytes([3, 2])) == (3, 0, 0, 0, 2)
    with pytest.raises(ValueError, match="Invalid address type"):
        decode_tipc(bytes(14))


def test_codec_contract() -> None:
    addresses = [
        TipcAddress(TIPC_ADDR_NAMESEQ, 1, 2, 3, TIPC_CLUSTER_SCOPE),
        TipcAddress(TIPC_ADDR_NAME, 2**32 - 1, 5, 5, 1),
        TipcAddress(TIPC_ADDR_ID, 0x11, 0x22, 0, 3),
    ]
    check_codec(CODEC, addresses, sock=SOCK)


@given(st.sampled_from([1, 2, 3]), st.integers(), st.integers(), st.integers())
def test_out_of_range_wraps_as_the_stdlib_and_strict_refuses(atype: int, v1: int, v2: int, v3: int) -> None:
    """The stdlib's "IIII" masks to 32 bits and the kernel decides; sockcore.strict() raises instead."""
    masked = (atype, v1 & 0xFFFFFFFF, v2 & 0xFFFFFFFF, v3 & 0xFFFFFFFF)
    assert encode_tipc((atype, v1, v2, v3)) == encode_tipc(masked)
    if masked[1:] != (v1, v2, v3):
        with sockcore.address.strict(), pytest.raises(OverflowError):
            encode_tipc((atype, v1, v2, v3))


@pytest.fixture(scope="module")
def stdlib_tipc() -> Iterator[stdlib.socket]:
    """A stdlib socket object that believes it is AF_TIPC (over a UDP descriptor).

    bind() runs the stdlib's address parser, then fails in the kernel with
    EAFNOSUPPORT: the parser's exceptions are the oracle for bad input.
    """
    with stdlib.socket(stdlib.AF_INET, stdlib.SOCK_DGRAM) as udp:
        fake = stdlib.socket(AF_TIPC, stdlib.SOCK_RDM, 0, fileno=os.dup(udp.fileno()))
        with fake:
            yield fake


STDLIB_CASES = [
    (1, 2, 3, 4),
    (2, 2, 3, 4, 3),
    (3, 1, 2, 0),
    (9, 1, 2, 3),
    (0, 1, 2, 3),
    (1, 2, 3),
    (1, 2, 3, 4, 5, 6),
    (),
    "x",
    [1, 2, 3, 4],
    None,
    (1, 2.0, 3, 4),
    ("a", 1, 2, 3),
    (1, 2, 3, None),
    (True, 1, 2, 3),
]


@pytest.mark.parametrize("address", STDLIB_CASES, ids=repr)
def test_same_exceptions_as_the_stdlib(stdlib_tipc: stdlib.socket, address: Any) -> None:
    assert outcome(lambda: CODEC.encode(address, SOCK)) is outcome(lambda: stdlib_tipc.bind(address)), address


@given(junk(8))
def test_random_input_same_exception_types_as_the_stdlib(address: Any) -> None:
    with stdlib.socket(stdlib.AF_INET, stdlib.SOCK_DGRAM) as udp, stdlib.socket(
        AF_TIPC, stdlib.SOCK_RDM, 0, fileno=os.dup(udp.fileno())
    ) as fake:
        expected = outcome(lambda: fake.bind(address))
    ours = outcome(lambda: CODEC.encode(address, SOCK))
    if ours is not OverflowError:  # sockcore.strict() refuses values the stdlib masks (see test above)
        assert ours is expected, address
