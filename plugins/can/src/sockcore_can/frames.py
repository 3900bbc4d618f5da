"""CAN frames and BCM messages: ``struct can_frame``, ``struct canfd_frame``, ``struct bcm_msg_head``.

What a CAN_RAW socket sends and receives, and what a CAN_BCM socket writes
and reads, as typed records with ``pack()`` / ``unpack()``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence

import attrs

from ._constants import CAN_BCM_CAN_FD_FRAME, CAN_MAX_DLEN, CANFD_MAX_DLEN

__all__ = ["BcmMsgHead", "CanFdFrame", "CanFrame", "unpack_frame"]

# can_id, len (can_dlc), 2 reserved bytes, len8_dlc, data[8]
_CAN = struct.Struct("=IB2xB8s")
# can_id, len, flags, 2 reserved bytes, data[64]
_CANFD = struct.Struct("=IBB2x64s")
# opcode, flags, count, ival1 {tv_sec, tv_usec}, ival2, can_id, nframes (native longs),
# then padding: the frames that follow are aligned(8) (56 bytes on LP64, 40 on i386/armhf)
_BCM_FIELDS = "@IIIllllII"
_BCM = struct.Struct(f"{_BCM_FIELDS}{-struct.calcsize(_BCM_FIELDS) % 8}x")
CAN_FRAME_SIZE = _CAN.size  # CAN_MTU
CANFD_FRAME_SIZE = _CANFD.size  # CANFD_MTU


def _frames(value: Iterable[CanFrame | CanFdFrame]) -> tuple[CanFrame | CanFdFrame, ...]:
    return tuple(value)


def _data(value: bytes | bytearray | memoryview | Sequence[int]) -> bytes:
    return bytes(value)


@attrs.frozen
class CanFrame:
    """A classic CAN frame: identifier (with the EFF/RTR/ERR flag bits) and up to 8 data bytes.

    ``len8_dlc`` carries a raw DLC of 9-15 for an 8-byte frame (CAN_CTRLMODE_CC_LEN8_DLC).
    """

    can_id: int
    data: bytes = attrs.field(default=b"", converter=_data)
    len8_dlc: int = 0

    def __attrs_post_init__(self) -> None:
        if len(self.data) > CAN_MAX_DLEN:
            raise ValueError(f"a CAN frame carries at most {CAN_MAX_DLEN} data bytes, not {len(self.data)}")
        if not 0 <= self.can_id <= 0xFFFFFFFF:
            raise OverflowError("can_id must be 0-0xFFFFFFFF")

    def pack(self) -> bytes:
        try:
            return _CAN.pack(self.can_id, len(self.data), self.len8_dlc, self.data)
        except struct.error as exc:
            raise OverflowError(str(exc)) from None

    @classmethod
    def unpack(cls, buffer: bytes | bytearray | memoryview) -> CanFrame:
        if len(buffer) < _CAN.size:
            raise ValueError(f"a CAN frame is {_CAN.size} bytes, got {len(buffer)}")
        can_id, length, len8_dlc, data = _CAN.unpack_from(buffer)
        return cls(can_id, data[: min(length, CAN_MAX_DLEN)], len8_dlc)


@attrs.frozen
class CanFdFrame:
    """A CAN FD frame: identifier, up to 64 data bytes and the CANFD_* flags (BRS, ESI)."""

    can_id: int
    data: bytes = attrs.field(default=b"", converter=_data)
    flags: int = 0

    def __attrs_post_init__(self) -> None:
        if len(self.data) > CANFD_MAX_DLEN:
            raise ValueError(f"a CAN FD frame carries at most {CANFD_MAX_DLEN} data bytes, not {len(self.data)}")
        if not 0 <= self.can_id <= 0xFFFFFFFF:
            raise OverflowError("can_id must be 0-0xFFFFFFFF")

    def pack(self) -> bytes:
        try:
            return _CANFD.pack(self.can_id, len(self.data), self.flags, self.data)
        except struct.error as exc:
            raise OverflowError(str(exc)) from None

    @classmethod
    def unpack(cls, buffer: bytes | bytearray | memoryview) -> CanFdFrame:
        if len(buffer) < _CANFD.size:
            raise ValueError(f"a CAN FD frame is {_CANFD.size} bytes, got {len(buffer)}")
        can_id, length, flags, data = _CANFD.unpack_from(buffer)
        return cls(can_id, data[: min(length, CANFD_MAX_DLEN)], flags)


def unpack_frame(buffer: bytes | bytearray | memoryview) -> CanFrame | CanFdFrame:
    """A frame read from a CAN_RAW socket: its size says which kind (CAN_MTU or CANFD_MTU)."""
    if len(buffer) == CANFD_FRAME_SIZE:
        return CanFdFrame.unpack(buffer)
    return CanFrame.unpack(buffer)


@attrs.frozen
class BcmMsgHead:
    """A broadcast-manager message: ``struct bcm_msg_head`` and the frames that follow it.

    Intervals are ``(seconds, microseconds)`` pairs.  With ``CAN_BCM_CAN_FD_FRAME``
    in ``flags`` the frames are CAN FD frames.
    """

    opcode: int
    flags: int = 0
    count: int = 0
    ival1: tuple[int, int] = (0, 0)
    ival2: tuple[int, int] = (0, 0)
    can_id: int = 0
    frames: tuple[CanFrame | CanFdFrame, ...] = attrs.field(default=(), converter=_frames)

    def pack(self) -> bytes:
        fd = bool(self.flags & CAN_BCM_CAN_FD_FRAME)
        kind = CanFdFrame if fd else CanFrame
        for frame in self.frames:
            if not isinstance(frame, kind):
                raise TypeError(f"this BCM message carries {kind.__name__} records, not {type(frame).__name__}")
        try:
            head = _BCM.pack(
                self.opcode, self.flags, self.count, *self.ival1, *self.ival2, self.can_id, len(self.frames)
            )
        except struct.error as exc:
            raise OverflowError(f"bad bcm_msg_head field: {exc}") from None
        return head + b"".join(frame.pack() for frame in self.frames)

    @classmethod
    def unpack(cls, buffer: bytes | bytearray | memoryview) -> BcmMsgHead:
        if len(buffer) < _BCM.size:
            raise ValueError(f"a bcm_msg_head is {_BCM.size} bytes, got {len(buffer)}")
        opcode, flags, count, s1, us1, s2, us2, can_id, nframes = _BCM.unpack_from(buffer)
        kind: type[CanFrame] | type[CanFdFrame] = CanFdFrame if flags & CAN_BCM_CAN_FD_FRAME else CanFrame
        size = CANFD_FRAME_SIZE if kind is CanFdFrame else CAN_FRAME_SIZE
        view = memoryview(buffer)[_BCM.size :]
        if len(view) < nframes * size:
            raise ValueError(f"the BCM message announces {nframes} frames but holds {len(view) // size}")
        frames = tuple(kind.unpack(view[i * size : (i + 1) * size]) for i in range(nframes))
        return cls(opcode, flags, count, (s1, us1), (s2, us2), can_id, frames)
