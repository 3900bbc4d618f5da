"""J1939 ancillary data: what recvmsg returns at level SOL_CAN_J1939.

A received J1939 message carries its destination address (SCM_J1939_DEST_ADDR,
u8), destination name (SCM_J1939_DEST_NAME, u64) and priority
(SCM_J1939_PRIO, u8).  :func:`j1939_ancillary` folds the raw ``(level, type,
data)`` items into one :class:`J1939Ancillary` record.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any, NamedTuple

from sockcore.plugin import CmsgCodec

from ._constants import SCM_J1939_DEST_ADDR, SCM_J1939_DEST_NAME, SCM_J1939_PRIO, SOL_CAN_J1939

__all__ = ["J1939_CMSG_CODECS", "J1939Ancillary", "J1939DestAddr", "J1939DestName", "J1939Prio", "j1939_ancillary"]


class J1939DestAddr(NamedTuple):
    """SCM_J1939_DEST_ADDR: the 8-bit address the message was sent to."""

    addr: int


class J1939DestName(NamedTuple):
    """SCM_J1939_DEST_NAME: the 64-bit name the message was sent to."""

    name: int


class J1939Prio(NamedTuple):
    """SCM_J1939_PRIO: the message's priority (0 highest - 7)."""

    prio: int


class J1939Ancillary(NamedTuple):
    """Everything a received J1939 message says about itself; ``None`` where the kernel sent nothing."""

    dest_addr: int | None = None
    dest_name: int | None = None
    prio: int | None = None


def _exact(data: bytes, fmt: str, what: str) -> int:
    size = struct.calcsize(fmt)
    if len(data) != size:
        raise ValueError(f"{what} carries {size} bytes, got {len(data)}")
    value: int = struct.unpack(fmt, data)[0]
    return value


def decode_dest_addr(data: bytes) -> J1939DestAddr:
    return J1939DestAddr(_exact(data, "=B", "SCM_J1939_DEST_ADDR"))


def decode_dest_name(data: bytes) -> J1939DestName:
    return J1939DestName(_exact(data, "=Q", "SCM_J1939_DEST_NAME"))


def decode_prio(data: bytes) -> J1939Prio:
    return J1939Prio(_exact(data, "=B", "SCM_J1939_PRIO"))


def _encode_u8(record: Any) -> bytes:
    return struct.pack("=B", record[0])


def _encode_u64(record: Any) -> bytes:
    return struct.pack("=Q", record[0])


J1939_CMSG_CODECS = (
    CmsgCodec("SCM_J1939_DEST_ADDR", SOL_CAN_J1939, SCM_J1939_DEST_ADDR, decode_dest_addr, _encode_u8, "destination address"),
    CmsgCodec("SCM_J1939_DEST_NAME", SOL_CAN_J1939, SCM_J1939_DEST_NAME, decode_dest_name, _encode_u64, "destination name"),
    CmsgCodec("SCM_J1939_PRIO", SOL_CAN_J1939, SCM_J1939_PRIO, decode_prio, _encode_u8, "priority"),
)


def j1939_ancillary(ancdata: Iterable[tuple[int, int, bytes]]) -> J1939Ancillary:
    """Fold recvmsg's ancillary items into a :class:`J1939Ancillary` (other items are ignored)."""
    found: dict[str, int] = {}
    for level, kind, data in ancdata:
        if level != SOL_CAN_J1939:
            continue
        if kind == SCM_J1939_DEST_ADDR:
            found["dest_addr"] = decode_dest_addr(data).addr
        elif kind == SCM_J1939_DEST_NAME:
            found["dest_name"] = decode_dest_name(data).name
        elif kind == SCM_J1939_PRIO:
            found["prio"] = decode_prio(data).prio
    return J1939Ancillary(**found)
