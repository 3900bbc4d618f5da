"""NETLINK_PKTINFO ancillary data: the multicast group a message was sent to."""

from __future__ import annotations

import struct

from sockcore.records import CmsgCodec

from ._constants import NETLINK_PKTINFO, SOL_NETLINK
from .records import NlPktinfo

__all__ = ["PKTINFO", "decode_pktinfo", "encode_pktinfo"]

_PKTINFO = struct.Struct("=I")  # struct nl_pktinfo


def decode_pktinfo(data: bytes) -> NlPktinfo:
    """The :class:`NlPktinfo` of a NETLINK_PKTINFO message."""
    if len(data) < _PKTINFO.size:
        raise ValueError(f"NETLINK_PKTINFO is {_PKTINFO.size} bytes, got {len(data)}")
    return NlPktinfo(*_PKTINFO.unpack_from(data))


def encode_pktinfo(info: NlPktinfo) -> bytes:
    """The payload bytes of ``info`` (for tests and replay tools: the kernel never reads it)."""
    try:
        return _PKTINFO.pack(*info)
    except struct.error as exc:
        raise OverflowError(f"bad NlPktinfo: {exc}") from exc


PKTINFO = CmsgCodec(
    "NETLINK_PKTINFO",
    SOL_NETLINK,
    NETLINK_PKTINFO,
    decode_pktinfo,
    encode_pktinfo,
    doc="nl_pktinfo: the group of a received multicast message (enable with the NETLINK_PKTINFO option)",
)
