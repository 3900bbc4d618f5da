"""PACKET_AUXDATA ancillary data: the frame's status, lengths and VLAN tag."""

from __future__ import annotations

import struct

from sockcore.records import CmsgCodec

from ._constants import PACKET_AUXDATA, SOL_PACKET
from .records import AuxData

__all__ = ["AUXDATA", "decode_auxdata", "encode_auxdata"]

_AUXDATA = struct.Struct("=IIIHHHH")  # struct tpacket_auxdata


def decode_auxdata(data: bytes) -> AuxData:
    """The :class:`AuxData` of a PACKET_AUXDATA message (``recvmsg`` ancillary data)."""
    if len(data) < _AUXDATA.size:
        raise ValueError(f"PACKET_AUXDATA is {_AUXDATA.size} bytes, got {len(data)}")
    return AuxData(*_AUXDATA.unpack_from(data))


def encode_auxdata(aux: AuxData) -> bytes:
    """The payload bytes of ``aux`` (for tests and replay tools: the kernel never reads it)."""
    try:
        return _AUXDATA.pack(*aux)
    except struct.error as exc:
        raise OverflowError(f"bad AuxData: {exc}") from exc


AUXDATA = CmsgCodec(
    "PACKET_AUXDATA",
    SOL_PACKET,
    PACKET_AUXDATA,
    decode_auxdata,
    encode_auxdata,
    doc="tpacket_auxdata of a received frame (enable with the PACKET_AUXDATA option)",
)
