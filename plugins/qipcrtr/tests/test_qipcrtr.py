"""AF_QIPCRTR: codec round trips, bad input against the stdlib's parser, static == runtime names."""

from __future__ import annotations

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
    hooks,
)

import sockcore
import sockcore.address
from sockcore.testing import FakeSocket, check_codec, check_plugin, junk, outcome

u32 = st.integers(0, 2**32 - 1)
CODEC = QrtrAddressCodec()


SOCK = FakeSocket(AF_QIPCRTR, stdlib.SOCK_DGRAM)


def test_layout_matches_linux_qrtr_h() -> None:
    # sq_family (added by the core), 2 bytes of padding, u32 node, u32 port
    assert encode_qrtr((1, 0x4000)) == struct.pack("=2xII", 1, 0x4000)
    assert decode_qrtr(struct.pack("=2xI", 1)) == (1, 0)  # a short body: the port is missing


@given(st.integers(), st.integers())
def test_out_of_range_wraps_as_the_stdlib_and_strict_refuses(node: int, port: int) -> None:
    """The stdlib's "II" masks to 32 bits and the kernel decides; sockcore.strict() raises instead."""
    assert encode_qrtr((node, port)) == struct.pack("=2xII", node & 0xFFFFFFFF, port & 0xFFFFFFFF)
    if not (0 <= node < 2**32 and 0 <= port < 2**32):
        with sockcore.address.strict(), pytest.raises(OverflowError):
            encode_qrtr((node, port))


def _stdlib_outcome(address: Any) -> type[BaseException] | None:
    """The stdlib's parser on a fake AF_QIPCRTR socket object (a UDP descriptor underneath)."""
    with stdlib.socket(stdlib.AF_INET, stdlib.SOCK_DGRAM) as udp, stdlib.socket(
        AF_QIPCRTR, stdlib.SOCK_DGRAM, 0, fileno=os.dup(udp.fileno())
    ) as fake:
        return outcome(lambda: fake.bind(address))


@given(junk())
def test_bad_input_same_exception_types_as_the_stdlib(address: Any) -> None:
    assert outcome(lambda: CODEC.encode(address, SOCK)) is _stdlib_outcome(address), address


def test_codec_contract() -> None:
    check_codec(CODEC, st.builds(QrtrAddress, u32, u32), sock=SOCK)


@given(st.integers(1, 11), u32, u32, u32, u32)
def test_ctrl_packet_round_trip(cmd: int, a: int, b: int, c: int, d: int) -> None:
    packet = QrtrCtrlPacket(cmd, a, b, c, d)
    data = packet.pack()
    assert len(data) == 20 and data[:4] == cmd.to_bytes(4, "little")
    assert QrtrCtrlPacket.unpack(data) == packet


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_qipcrtr"])
    for name, value in sockcore_qipcrtr.CONSTANTS.items():
        assert getattr(sockcore_qipcrtr, name) == value


def test_constants_equal_the_stdlib() -> None:
    for name, value in sockcore_qipcrtr.CONSTANTS.items():
        if hasattr(stdlib, name):
            assert getattr(stdlib, name) == value, name
    assert sockcore.AF_QIPCRTR == stdlib.AF_QIPCRTR
