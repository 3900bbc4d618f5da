"""AF_QIPCRTR: codec round trips, bad input against the stdlib's parser, static == runtime names."""

from __future__ import annotations

import contextlib
import os
import socket as stdlib
import struct
from typing import Any

import pytest
import sockcore_qipcrtr
from hypothesis import given
from hypothesis import strategies as st
from sockcore_qipcrtr import (
    AF_QIPCRTR,
    QrtrAddress,
    QrtrAddressCodec,
    QrtrCtrlPacket,
    decode_qrtr,
    encode_qrtr,
)

import sockcore

u32 = st.integers(0, 2**32 - 1)
CODEC = QrtrAddressCodec()


class FakeSocket:
    family = AF_QIPCRTR
    type = 2
    proto = 0

    def fileno(self) -> int:
        return -1


SOCK = FakeSocket()


@given(u32, u32)
def test_round_trip(node: int, port: int) -> None:
    back = CODEC.decode(CODEC.encode((node, port), SOCK), SOCK)
    assert isinstance(back, QrtrAddress)
    assert back == (node, port)


def test_layout_matches_linux_qrtr_h() -> None:
    # sq_family (added by the core), 2 bytes of padding, u32 node, u32 port
    assert encode_qrtr((1, 0x4000)) == struct.pack("=2xII", 1, 0x4000)
    assert decode_qrtr(b"\0\0\x01\0\0\0") == (1, 0)


@given(st.integers(), st.integers())
def test_out_of_range_is_an_overflow_never_a_truncation(node: int, port: int) -> None:
    if 0 <= node < 2**32 and 0 <= port < 2**32:
        encode_qrtr((node, port))
    else:  # the stdlib masks these silently (format "I"); sockcore refuses
        with pytest.raises(OverflowError):
            encode_qrtr((node, port))


anything = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 2**33) | st.floats() | st.text(max_size=3) | st.binary(max_size=3),
    lambda inner: st.lists(inner, max_size=4).map(tuple) | st.lists(inner, max_size=3),
    max_leaves=6,
)


def _stdlib_outcome(address: Any) -> type[BaseException] | None:
    """The stdlib's parser on a fake AF_QIPCRTR socket object (a UDP descriptor underneath)."""
    with stdlib.socket(stdlib.AF_INET, stdlib.SOCK_DGRAM) as udp, stdlib.socket(
        AF_QIPCRTR, stdlib.SOCK_DGRAM, 0, fileno=os.dup(udp.fileno())
    ) as fake:
        try:
            fake.bind(address)
        except OSError as exc:
            return None if exc.errno is not None else type(exc)
        except Exception as exc:
            return type(exc)
    return None


@given(anything)
def test_bad_input_same_exception_types_as_the_stdlib(address: Any) -> None:
    expected = _stdlib_outcome(address)
    try:
        CODEC.encode(address, SOCK)
    except OverflowError:
        pass  # sockcore refuses values the stdlib masks
    except Exception as exc:
        assert type(exc) is expected, (address, exc)
    else:
        assert expected is None, address


@given(anything)
def test_bad_input_raises_only_documented_errors(address: Any) -> None:
    with contextlib.suppress(TypeError, ValueError, OverflowError, OSError, UnicodeError):
        CODEC.encode(address, SOCK)


@given(st.integers(1, 11), u32, u32, u32, u32)
def test_ctrl_packet_round_trip(cmd: int, a: int, b: int, c: int, d: int) -> None:
    packet = QrtrCtrlPacket(cmd, a, b, c, d)
    data = packet.pack()
    assert len(data) == 20 and data[:4] == cmd.to_bytes(4, "little")
    assert QrtrCtrlPacket.unpack(data) == packet


def test_static_constants_equal_runtime_ones() -> None:
    for name, value in sockcore_qipcrtr.CONSTANTS.items():
        assert getattr(sockcore_qipcrtr, name) == value
        assert getattr(sockcore, name) == value, name


def test_constants_equal_the_stdlib() -> None:
    for name, value in sockcore_qipcrtr.CONSTANTS.items():
        if hasattr(stdlib, name):
            assert getattr(stdlib, name) == value, name
    assert sockcore.AF_QIPCRTR == stdlib.AF_QIPCRTR
