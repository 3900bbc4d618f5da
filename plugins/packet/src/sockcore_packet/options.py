"""AF_PACKET's socket options (level SOL_PACKET): one table line each."""

from __future__ import annotations

import struct
from typing import Any

import attrs

from sockcore.plugin import option_table
from sockcore.sockopt import BOOL, INT, U32, SockOpt, Struct

from ._constants import CONSTANTS, SOL_PACKET
from .records import Fanout, PacketMreq, PacketStats

__all__ = ["FANOUT", "PACKET_OPTIONS"]


def _mreq_fields(mreq: PacketMreq) -> tuple[int, int, int, bytes]:
    address = bytes(mreq.address)
    if len(address) > 8:
        raise ValueError("packet_mreq address must be 8 bytes or less")
    return (mreq.ifindex, mreq.type, len(address), address)


def _mreq_make(ifindex: int, type: int, alen: int, address: bytes) -> PacketMreq:
    return PacketMreq(ifindex, type, address[: min(alen, 8)])


@attrs.frozen
class FanoutCodec:
    """PACKET_FANOUT's int: ``group_id | (mode | flags) << 16``."""

    size: int = 4
    type_name: str = "Fanout"

    def pack(self, value: Fanout) -> bytes:
        group_id, mode, flags = value
        if not 0 <= group_id <= 0xFFFF or not 0 <= mode <= 0xFF or flags & ~0xFF00 or flags < 0:
            raise OverflowError(f"{value!r} does not fit PACKET_FANOUT (id 0-65535, mode 0-255, flag bits)")
        return struct.pack("=I", group_id | (mode | flags) << 16)

    def unpack(self, data: bytes) -> Fanout:
        if len(data) != 4:
            raise OSError(f"getsockopt returned {len(data)} bytes for PACKET_FANOUT, expected 4")
        (value,) = struct.unpack("=I", data)
        return Fanout(value & 0xFFFF, (value >> 16) & 0xFF, (value >> 16) & 0xFF00)


FANOUT = FanoutCodec()
_MREQ = Struct("=iHH8s", _mreq_make, _mreq_fields)
# PACKET_STATISTICS is tpacket_stats (8 bytes), or tpacket_stats_v3 (12) under TPACKET_V3.
_STATS = Struct("=III", PacketStats, min_size=8)


_opt = option_table("AF_PACKET", SOL_PACKET, CONSTANTS)


# One line per option: name, value codec, what it does, access.
PACKET_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("PACKET_ADD_MEMBERSHIP", _MREQ, "join a multicast or promiscuous membership (packet_mreq)", "w"),
    _opt("PACKET_DROP_MEMBERSHIP", _MREQ, "leave a membership added with PACKET_ADD_MEMBERSHIP", "w"),
    _opt("PACKET_AUXDATA", BOOL, "receive a PACKET_AUXDATA message (AuxData) with each frame"),
    _opt("PACKET_STATISTICS", _STATS, "frames received and dropped since the last read (resets them)", "r"),
    _opt("PACKET_FANOUT", FANOUT, "join a fanout group that spreads frames over sockets (bound sockets)"),
    _opt("PACKET_ORIGDEV", BOOL, "addresses name the original device, not the bonding master"),
    _opt("PACKET_VERSION", INT, "the ring buffer format: TPACKET_V1, V2 or V3"),
    _opt("PACKET_HDRLEN", INT, "the ring header length of a TPACKET version (write the version, read the length)"),
    _opt("PACKET_RESERVE", U32, "headroom reserved in front of each frame of a ring"),
    _opt("PACKET_LOSS", BOOL, "the TX ring skips frames it cannot send"),
    _opt("PACKET_VNET_HDR", BOOL, "frames carry a virtio_net_hdr"),
    _opt("PACKET_TIMESTAMP", INT, "which timestamp (SOF_TIMESTAMPING_*) ring frames carry"),
    _opt("PACKET_TX_HAS_OFF", BOOL, "TX ring frames give their data offset"),
    _opt("PACKET_QDISC_BYPASS", BOOL, "send past the queueing discipline"),
    _opt("PACKET_IGNORE_OUTGOING", BOOL, "do not receive the frames this host sends"),
    _opt("PACKET_COPY_THRESH", INT, "copy frames below this size into the ring", "w"),
)
