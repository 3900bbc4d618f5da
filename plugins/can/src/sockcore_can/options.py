"""CAN socket options: one table line each, with typed values.

CAN_RAW_FILTER and SO_J1939_FILTER take a list of filter records; the ISO-TP
options take attrs records whose defaults are the kernel's.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

import attrs

from sockcore.plugin import BOOL, INT, U32, SockOpt, Struct, option_table

from ._constants import (
    CAN_ISOTP_DEFAULT_EXT_ADDRESS,
    CAN_ISOTP_DEFAULT_FLAGS,
    CAN_ISOTP_DEFAULT_FRAME_TXTIME,
    CAN_ISOTP_DEFAULT_LL_MTU,
    CAN_ISOTP_DEFAULT_LL_TX_DL,
    CAN_ISOTP_DEFAULT_LL_TX_FLAGS,
    CAN_ISOTP_DEFAULT_PAD_CONTENT,
    CAN_ISOTP_DEFAULT_RECV_BS,
    CAN_ISOTP_DEFAULT_RECV_STMIN,
    CAN_ISOTP_DEFAULT_RECV_WFTMAX,
    CAN_RAW_FILTER_MAX,
    CONSTANTS,
    J1939_FILTER_MAX,
    SOL_CAN_ISOTP,
    SOL_CAN_J1939,
    SOL_CAN_RAW,
)

__all__ = [
    "CAN_OPTIONS",
    "CanFilter",
    "IsotpFcOptions",
    "IsotpLlOptions",
    "IsotpOptions",
    "J1939Filter",
    "RecordList",
]

R = TypeVar("R")


@attrs.frozen
class CanFilter:
    """``struct can_filter``: a frame passes when ``received_id & can_mask == can_id & can_mask``.

    Set ``CAN_INV_FILTER`` in ``can_id`` to invert the match.
    """

    can_id: int
    can_mask: int


@attrs.frozen
class J1939Filter:
    """``struct j1939_filter``: match on name, PGN and address, each under its mask."""

    name: int = 0
    name_mask: int = 0
    pgn: int = 0
    pgn_mask: int = 0
    addr: int = 0
    addr_mask: int = 0


@attrs.frozen
class IsotpOptions:
    """``struct can_isotp_options`` (CAN_ISOTP_OPTS): CAN_ISOTP_* flags, frame gap (ns), addressing, padding."""

    flags: int = CAN_ISOTP_DEFAULT_FLAGS
    frame_txtime: int = CAN_ISOTP_DEFAULT_FRAME_TXTIME
    ext_address: int = CAN_ISOTP_DEFAULT_EXT_ADDRESS
    txpad_content: int = CAN_ISOTP_DEFAULT_PAD_CONTENT
    rxpad_content: int = CAN_ISOTP_DEFAULT_PAD_CONTENT
    rx_ext_address: int = CAN_ISOTP_DEFAULT_EXT_ADDRESS


@attrs.frozen
class IsotpFcOptions:
    """``struct can_isotp_fc_options`` (CAN_ISOTP_RECV_FC): the flow control this socket sends."""

    bs: int = CAN_ISOTP_DEFAULT_RECV_BS
    stmin: int = CAN_ISOTP_DEFAULT_RECV_STMIN
    wftmax: int = CAN_ISOTP_DEFAULT_RECV_WFTMAX


@attrs.frozen
class IsotpLlOptions:
    """``struct can_isotp_ll_options`` (CAN_ISOTP_LL_OPTS): link layer MTU (16 = CAN, 72 = CAN FD), TX data length, TX flags."""

    mtu: int = CAN_ISOTP_DEFAULT_LL_MTU
    tx_dl: int = CAN_ISOTP_DEFAULT_LL_TX_DL
    tx_flags: int = CAN_ISOTP_DEFAULT_LL_TX_FLAGS


@attrs.frozen
class RecordList(Generic[R]):
    """An option whose value is an array of C structs: a list of records in, a list out."""

    fmt: str
    make: Callable[..., R]
    max_items: int

    @property
    def size(self) -> int:
        return struct.calcsize(self.fmt) * self.max_items

    @property
    def type_name(self) -> str:
        return f"list[{getattr(self.make, '__name__', 'record')}]"

    def pack(self, value: Iterable[R]) -> bytes:
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise TypeError(f"a list of {getattr(self.make, '__name__', 'records')} is required, not {type(value).__name__}")
        items = list(value)
        if len(items) > self.max_items:
            raise ValueError(f"at most {self.max_items} filters, got {len(items)}")
        out = []
        for item in items:
            fields = attrs.astuple(item, recurse=False) if attrs.has(type(item)) else tuple(item)  # type: ignore[arg-type]
            try:
                out.append(struct.pack(self.fmt, *fields))
            except struct.error as exc:
                raise OverflowError(f"bad {getattr(self.make, '__name__', 'record')}: {exc}") from None
        return b"".join(out)

    def unpack(self, data: bytes) -> list[R]:
        item = struct.Struct(self.fmt)
        if len(data) % item.size:
            raise OSError(f"getsockopt returned {len(data)} bytes, not a multiple of {item.size}")
        return [self.make(*fields) for fields in item.iter_unpack(data)]


CAN_FILTERS: RecordList[CanFilter] = RecordList("=II", CanFilter, CAN_RAW_FILTER_MAX)
J1939_FILTERS: RecordList[J1939Filter] = RecordList("=QQIIBB6x", J1939Filter, J1939_FILTER_MAX)


_opt = option_table("AF_CAN", SOL_CAN_RAW, CONSTANTS)


# One line per option: name, value codec, what it does, access (and the level where it is not SOL_CAN_RAW).
CAN_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("CAN_RAW_FILTER", CAN_FILTERS, "the frames this socket receives (list of CanFilter)"),
    _opt("CAN_RAW_ERR_FILTER", U32, "the CAN_ERR_* classes of error frames to receive"),
    _opt("CAN_RAW_LOOPBACK", BOOL, "sent frames are looped back to local sockets (default on)"),
    _opt("CAN_RAW_RECV_OWN_MSGS", BOOL, "receive the frames this socket sent"),
    _opt("CAN_RAW_FD_FRAMES", BOOL, "send and receive CAN FD frames too"),
    _opt("CAN_RAW_JOIN_FILTERS", BOOL, "a frame must match every filter, not one"),
    _opt("CAN_ISOTP_OPTS", Struct("=IIBBBB", IsotpOptions), "ISO-TP flags, addressing and padding", level=SOL_CAN_ISOTP),
    _opt("CAN_ISOTP_RECV_FC", Struct("=BBB", IsotpFcOptions), "the flow control sent to the peer", level=SOL_CAN_ISOTP),
    _opt("CAN_ISOTP_TX_STMIN", U32, "minimum gap between sent frames (ns), with CAN_ISOTP_FORCE_TXSTMIN", level=SOL_CAN_ISOTP),
    _opt("CAN_ISOTP_RX_STMIN", U32, "ignore frames closer than this (ns), with CAN_ISOTP_FORCE_RXSTMIN", level=SOL_CAN_ISOTP),
    _opt("CAN_ISOTP_LL_OPTS", Struct("=BBB", IsotpLlOptions), "link layer: CAN or CAN FD frames", level=SOL_CAN_ISOTP),
    _opt("SO_J1939_FILTER", J1939_FILTERS, "the messages this socket receives (list of J1939Filter)", "w", level=SOL_CAN_J1939),
    _opt("SO_J1939_PROMISC", BOOL, "receive every message, whatever its destination", level=SOL_CAN_J1939),
    _opt("SO_J1939_SEND_PRIO", INT, "priority of sent messages (0-7)", level=SOL_CAN_J1939),
    _opt("SO_J1939_ERRQUEUE", BOOL, "report transfer progress on the error queue", level=SOL_CAN_J1939),
)
