"""Pure tests of the CAN codecs, frames, options and URI scheme: no CAN kernel support needed."""

from __future__ import annotations

import socket as stdlib
import struct
from collections.abc import Iterator
from typing import Any

import pytest
import sockcore_can
from hypothesis import given
from hypothesis import strategies as st
from sockcore_can import (
    BcmMsgHead,
    CanFdFrame,
    CanFilter,
    CanFrame,
    IsotpFcOptions,
    IsotpLlOptions,
    IsotpOptions,
    J1939Ancillary,
    J1939Filter,
    j1939_ancillary,
    unpack_frame,
)
from sockcore_can.address import CanCodec, IsotpCodec, J1939Codec
from sockcore_can.options import CAN_OPTIONS
from sockcore_can.uri import parse_can

import sockcore.address
from sockcore.testing import CODEC_ERRORS, FakeSocket, check_codec

# A CAN socket's identity over a Unix socket's descriptor (interface ioctls work on any socket).
_UNIX = stdlib.socket(stdlib.AF_UNIX, stdlib.SOCK_DGRAM)


@pytest.fixture(autouse=True, scope="module")
def _close_unix_socket() -> Iterator[None]:
    yield
    _UNIX.close()


RAW, ISOTP, J1939 = (
    FakeSocket(sockcore_can.AF_CAN, 3, proto, fd=_UNIX.fileno())
    for proto in (sockcore_can.CAN_RAW, sockcore_can.CAN_ISOTP, sockcore_can.CAN_J1939)
)

# '' is "every interface" and needs no lookup, so these run without vcan0.
u32 = st.integers(0, 2**32 - 1)


def test_sockaddr_can_layout() -> None:
    # struct sockaddr_can is 24 bytes; the codec writes the 22 after sa_family.
    body = IsotpCodec().encode(("", 0x123, 0x456), ISOTP)
    assert len(body) == 22
    assert struct.unpack_from("=2xiII", body) == (0, 0x123, 0x456)
    body = J1939Codec().encode(("", 2**64 - 1, 0x12345, 0x20), J1939)
    assert struct.unpack_from("=2xiQIB", body) == (0, 2**64 - 1, 0x12345, 0x20)


def test_raw_round_trip_all_interfaces() -> None:
    codec = CanCodec()
    assert codec.decode(codec.encode(("",), RAW), RAW) == ("",)
    # the kernel returns only 8 bytes of sockaddr_can for CAN_RAW
    assert codec.decode(bytes(6), RAW) == ("",)


def test_loopback_interface_index_and_name() -> None:
    # any interface resolves through the socket's ioctls; lo always exists
    codec = CanCodec()
    body = codec.encode(("lo",), RAW)
    assert struct.unpack_from("=2xi", body) == (stdlib.if_nametoindex("lo"),)
    assert codec.decode(body, RAW) == ("lo",)
    assert codec.decode(struct.pack("=2xi", 2**31 - 1), RAW) == ("",)  # gone: '' as the stdlib


@given(u32, u32)
def test_isotp_round_trip(rx: int, tx: int) -> None:
    codec = IsotpCodec()
    assert codec.decode(codec.encode(("", rx, tx), ISOTP), ISOTP) == ("", rx, tx)


@given(st.integers(0, 2**64 - 1), u32, st.integers(0, 255))
def test_j1939_round_trip(name: int, pgn: int, addr: int) -> None:
    codec = J1939Codec()
    assert codec.decode(codec.encode(("", name, pgn, addr), J1939), J1939) == ("", name, pgn, addr)


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("vcan0", TypeError),
        (["vcan0"], TypeError),
        ((), TypeError),
        (("a", "b"), TypeError),
        ((5,), TypeError),
        (("x" * 16,), OSError),
        (("a\0b",), ValueError),
    ],
)
def test_raw_bad_input(address: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        CanCodec().encode(address, RAW)


def test_raw_unknown_interface_is_enodev() -> None:
    with pytest.raises(OSError) as info:
        CanCodec().encode(("nosuchcan9",), RAW)
    assert info.value.errno == 19  # ENODEV, as SIOCGIFINDEX reports it


@pytest.mark.parametrize("address", [("", "1", 2), ("",), ("", 1.0, 2), ("", True, 2.0)])
def test_isotp_bad_input(address: Any) -> None:
    with pytest.raises(TypeError):
        IsotpCodec().encode(address, ISOTP)


@pytest.mark.parametrize("address", [("", 0, 0), ("", 0, 0, None), ("", 1.0, 0, 0), ("", 0, "1", 0)])
def test_j1939_bad_input(address: Any) -> None:
    with pytest.raises(TypeError):
        J1939Codec().encode(address, J1939)


@pytest.mark.parametrize(
    ("codec", "sock", "address", "wrapped"),
    [
        (IsotpCodec(), ISOTP, ("", -1, 0), ("", 2**32 - 1, 0)),  # "k", stored in the u32 canid_t
        (IsotpCodec(), ISOTP, ("", 0, 2**32 + 5), ("", 0, 5)),
        (J1939Codec(), J1939, ("", -1, 0, 0), ("", 2**64 - 1, 0, 0)),  # "K"
        (J1939Codec(), J1939, ("", 2**64, 2**32, 256), ("", 0, 0, 0)),  # "K", "I", "B"
        (J1939Codec(), J1939, ("", 0, -2, -1), ("", 0, 2**32 - 2, 255)),
    ],
)
def test_out_of_range_wraps_as_the_stdlib_and_strict_refuses(codec: Any, sock: Any, address: Any, wrapped: Any) -> None:
    assert codec.encode(address, sock) == codec.encode(wrapped, sock)
    with sockcore.address.strict(), pytest.raises(OverflowError):
        codec.encode(address, sock)


@pytest.mark.parametrize(
    ("codec", "sock", "simple"),
    [
        (CanCodec(), RAW, [("",)]),
        (IsotpCodec(), ISOTP, [("", 0x7E0, 0x7E8), ("", 2**32 - 1, 0)]),
        (J1939Codec(), J1939, [("", 0, 0, 0), ("", 2**64 - 1, 0x3FFFF, 0xFF)]),
    ],
)
def test_codec_contract(codec: Any, sock: Any, simple: list[Any]) -> None:
    # the full forms the codec decodes to; OSError: an interface name this machine lacks
    check_codec(codec, [codec.decode(codec.encode(a, sock), sock) for a in simple], sock=sock, errors=(*CODEC_ERRORS, OSError))


# -- frames ------------------------------------------------------------------


@given(u32, st.binary(max_size=8), st.integers(0, 15))
def test_can_frame_round_trip(can_id: int, data: bytes, len8_dlc: int) -> None:
    frame = CanFrame(can_id, data, len8_dlc)
    packed = frame.pack()
    assert len(packed) == sockcore_can.CAN_MTU
    assert CanFrame.unpack(packed) == frame == unpack_frame(packed)


def test_can_frame_matches_the_documented_struct() -> None:
    # The socket module docs pack frames with "=IB3x8s".
    assert CanFrame(0x1, b"\x01\x02\x03").pack() == struct.pack("=IB3x8s", 0x1, 3, b"\x01\x02\x03")


@given(u32, st.binary(max_size=64), st.integers(0, 255))
def test_canfd_frame_round_trip(can_id: int, data: bytes, flags: int) -> None:
    frame = CanFdFrame(can_id, data, flags)
    packed = frame.pack()
    assert len(packed) == sockcore_can.CANFD_MTU
    assert CanFdFrame.unpack(packed) == frame == unpack_frame(packed)


def test_frame_bad_input() -> None:
    with pytest.raises(ValueError):
        CanFrame(1, bytes(9))
    with pytest.raises(ValueError):
        CanFdFrame(1, bytes(65))
    with pytest.raises(OverflowError):
        CanFrame(2**32)
    with pytest.raises(ValueError):
        CanFrame.unpack(bytes(15))


frames = st.builds(CanFrame, u32, st.binary(max_size=8))
fd_frames = st.builds(CanFdFrame, u32, st.binary(max_size=64), st.integers(0, 255))
timevals = st.tuples(st.integers(0, 2 ** (8 * struct.calcsize("l") - 1) - 1), st.integers(0, 999_999))  # C longs
#: sizeof(struct bcm_msg_head): 3 u32, 2 timevals of C longs, 2 u32, padded to the frames' aligned(8)
BCM_HEAD_SIZE = struct.calcsize("@3I4l2I") + -struct.calcsize("@3I4l2I") % 8


@given(st.integers(1, 12), st.integers(0, 0x7FF), u32, timevals, timevals, u32, st.lists(frames, max_size=4))
def test_bcm_round_trip(opcode: int, flags: int, count: int, ival1: Any, ival2: Any, can_id: int, fs: Any) -> None:
    msg = BcmMsgHead(opcode, flags, count, ival1, ival2, can_id, fs)
    packed = msg.pack()
    assert len(packed) == BCM_HEAD_SIZE + 16 * len(fs)
    assert BcmMsgHead.unpack(packed) == msg


@given(st.lists(fd_frames, max_size=3))
def test_bcm_fd_round_trip(fs: Any) -> None:
    msg = BcmMsgHead(sockcore_can.CAN_BCM_TX_SEND, sockcore_can.CAN_BCM_CAN_FD_FRAME, frames=fs)
    assert BcmMsgHead.unpack(msg.pack()) == msg


def test_bcm_rejects_mixed_frames() -> None:
    with pytest.raises(TypeError):
        BcmMsgHead(1, 0, frames=[CanFdFrame(1)]).pack()
    with pytest.raises(ValueError):
        BcmMsgHead.unpack(BcmMsgHead(1, frames=[CanFrame(1)]).pack()[:-1])


# -- options -------------------------------------------------------------------

OPTIONS = {opt.name: opt for opt in CAN_OPTIONS}


@given(st.lists(st.builds(CanFilter, u32, u32), max_size=20))
def test_can_filter_round_trip(filters: list[CanFilter]) -> None:
    codec = OPTIONS["CAN_RAW_FILTER"].codec
    packed = codec.pack(filters)
    assert packed == b"".join(struct.pack("=II", f.can_id, f.can_mask) for f in filters)
    assert codec.unpack(packed) == filters


def test_can_filter_accepts_plain_pairs_and_rejects_bad_ones() -> None:
    codec = OPTIONS["CAN_RAW_FILTER"].codec
    assert codec.unpack(codec.pack([(1, 2)])) == [CanFilter(1, 2)]
    for bad in (5, "ab", [(1, 2**32)], [(1,)], [CanFilter(0, 0)] * 513):
        with pytest.raises(CODEC_ERRORS):
            codec.pack(bad)
    with pytest.raises(OSError):
        codec.unpack(bytes(7))


@given(st.lists(st.builds(J1939Filter, st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1), u32, u32, st.integers(0, 255), st.integers(0, 255)), max_size=5))
def test_j1939_filter_round_trip(filters: list[J1939Filter]) -> None:
    codec = OPTIONS["SO_J1939_FILTER"].codec
    packed = codec.pack(filters)
    assert len(packed) == 32 * len(filters)  # sizeof(struct j1939_filter)
    assert codec.unpack(packed) == filters


u8 = st.integers(0, 255)


@given(st.builds(IsotpOptions, u32, u32, u8, u8, u8, u8))
def test_isotp_options_round_trip(value: IsotpOptions) -> None:
    codec = OPTIONS["CAN_ISOTP_OPTS"].codec
    assert len(codec.pack(value)) == 12
    assert codec.unpack(codec.pack(value)) == value


@given(st.builds(IsotpFcOptions, u8, u8, u8), st.builds(IsotpLlOptions, u8, u8, u8))
def test_isotp_small_options_round_trip(fc: IsotpFcOptions, ll: IsotpLlOptions) -> None:
    for name, value in (("CAN_ISOTP_RECV_FC", fc), ("CAN_ISOTP_LL_OPTS", ll)):
        codec = OPTIONS[name].codec
        assert codec.unpack(codec.pack(value)) == value


def test_isotp_defaults_are_the_kernels() -> None:
    assert IsotpOptions() == IsotpOptions(0, 50000, 0, 0xCC, 0xCC, 0)
    assert IsotpLlOptions() == IsotpLlOptions(16, 8, 0)


# -- J1939 ancillary data ------------------------------------------------------


def test_j1939_ancillary_decoded() -> None:
    level = sockcore_can.SOL_CAN_J1939
    items = [
        (level, sockcore_can.SCM_J1939_DEST_ADDR, b"\x30"),
        (level, sockcore_can.SCM_J1939_DEST_NAME, struct.pack("=Q", 0x1122)),
        (level, sockcore_can.SCM_J1939_PRIO, b"\x06"),
        (1, 1, b"ignored"),
    ]
    assert j1939_ancillary(items) == J1939Ancillary(dest_addr=0x30, dest_name=0x1122, prio=6)
    assert j1939_ancillary([]) == J1939Ancillary()
    with pytest.raises(ValueError):
        j1939_ancillary([(level, sockcore_can.SCM_J1939_PRIO, b"")])


# -- URI -------------------------------------------------------------------------


def test_uri_scheme() -> None:
    target = parse_can("can://vcan0")
    assert (target.family, target.type, target.proto, target.address) == (
        sockcore_can.AF_CAN,
        stdlib.SOCK_RAW,
        sockcore_can.CAN_RAW,
        ("vcan0",),
    )
    assert parse_can("can://").address == ("",)
    assert parse_can("can://vcan0?proto=bcm").proto == sockcore_can.CAN_BCM
    assert parse_can("can://vcan0?proto=isotp&rx=0x7e8&tx=0x7e0").address == ("vcan0", 0x7E8, 0x7E0)
    assert parse_can("can://vcan0?proto=j1939&addr=0x20").address == ("vcan0", 0, sockcore_can.J1939_NO_PGN, 0x20)
    for bad in ("tcp://x", "can://vcan0/path", "can://vcan0?proto=nope", "can://vcan0?proto=isotp&rx=1",
                "can://vcan0?rx=1", "can://vcan0?proto=isotp&rx=x&tx=1", "can://" + "x" * 16):
        with pytest.raises(ValueError):
            parse_can(bad)


@pytest.mark.parametrize(("codec", "sock"), [(IsotpCodec(), ISOTP), (J1939Codec(), J1939)])
def test_non_tuple_isotp_and_j1939_are_type_errors(codec: Any, sock: Any) -> None:
    """The stdlib raises SystemError here (its parser gets a non-tuple): sockcore a TypeError (docs/DIFFERENCES.md)."""
    with pytest.raises(TypeError, match="address must be tuple, not int"):
        codec.encode(5, sock)
