"""Ancillary data: CMSG_LEN/CMSG_SPACE, the control-buffer layout, typed codecs.

Pure byte functions (like Go's ``x/sys/unix`` cmsg helpers): building the
``msg_control`` buffer for sendmsg and splitting the one recvmsg returns.
Plugins register :class:`~sockcore.records.CmsgCodec` records for typed
access; :func:`decode` turns ``recvmsg``'s raw ``(level, type, data)`` tuples
into those records.
"""

from __future__ import annotations

import struct

from ._address_text import argument_type_name
from ._args import INT_MAX, bytes_like, c_int, ssize
from ._platform import Layout
from ._platform import current as _platform

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any


__all__ = ["CMSG_LEN", "CMSG_SPACE", "build_control", "decode", "encode", "parse_control"]

_HEADER = struct.Struct(Layout(_platform.CMSGHDR).format)  # struct cmsghdr: len, level, type
_ALIGN = struct.calcsize("@" + _platform.CMSG_ALIGN)  # what CMSG_ALIGN rounds to
_SOCKLEN_LIMIT = INT_MAX  # CPython bounds control lengths by INT_MAX


def _align(n: int) -> int:
    return (n + _ALIGN - 1) & ~(_ALIGN - 1)


_HDR_LEN = _align(_HEADER.size)


def _length_arg(length: object, name: str, limit: int) -> int:
    n = ssize(length)  # "n": out of Py_ssize_t's range is its own OverflowError
    if n < 0 or n > limit:
        raise OverflowError(f"{name}() argument out of range")
    return n


def CMSG_LEN(length: int, /) -> int:
    """The ``cmsg_len`` of an item with ``length`` bytes of data (no trailing padding)."""
    return _HDR_LEN + _length_arg(length, "CMSG_LEN", _SOCKLEN_LIMIT - _HDR_LEN)


def CMSG_SPACE(length: int, /) -> int:
    """The buffer space an item with ``length`` bytes of data takes, padding included."""
    return _HDR_LEN + _align(_length_arg(length, "CMSG_SPACE", _SOCKLEN_LIMIT - _HDR_LEN - _align(1)))


def build_control(ancdata: Iterable[Any]) -> bytes:
    """The msg_control buffer for sendmsg from ``(level, type, data)`` items.

    As in CPython, every item but the last is padded to CMSG_SPACE, and the
    buffer's length ends at the last item's CMSG_LEN.
    """
    parts: list[bytes] = []
    try:
        items = list(ancdata)
    except TypeError:
        raise TypeError("sendmsg() argument 2 must be an iterable") from None
    for i, item in enumerate(items):
        level, kind, data = _ancillary_item(item)
        length = CMSG_LEN(len(data))
        parts.append(_HEADER.pack(length, level, kind) + bytes(_HDR_LEN - _HEADER.size) + data)
        if i != len(items) - 1:
            parts.append(bytes(_align(length) - length))
    return b"".join(parts)


_ITEM = "[sendmsg() ancillary data items]() argument must be"


def _ancillary_item(item: Any) -> tuple[int, int, bytes]:
    """One ``(level, type, data)`` item, checked as CPython parses it ("(iiy*)")."""
    # PySequence_Check: __getitem__ on the class or its bases (not the metaclass), not a dict
    if isinstance(item, (bytes, dict)) or not any("__getitem__" in vars(c) for c in type(item).__mro__):
        raise TypeError(f"{_ITEM} 3-item sequence, not {argument_type_name(item)}")
    if len(item) != 3:
        raise TypeError(f"{_ITEM} sequence of length 3, not {len(item)}")
    return c_int(item[0]), c_int(item[1]), bytes_like(item[2])


def parse_control(control: bytes) -> list[tuple[int, int, bytes]]:
    """Split a control buffer recvmsg filled into ``(level, type, data)`` items.

    An item the kernel cut short (MSG_CTRUNC) keeps the data that fit.
    """
    items = []
    offset = 0
    end = len(control)
    while offset + _HEADER.size <= end:
        length, level, kind = _HEADER.unpack_from(control, offset)
        if length < _HDR_LEN:
            break
        data_end = min(offset + length, end)
        items.append((level, kind, bytes(control[offset + _HDR_LEN : data_end])))
        offset += _align(length)
    return items


def decode(ancdata: Iterable[tuple[int, int, bytes]]) -> list[Any]:
    """Typed records for recvmsg's ancillary data; items no plugin knows stay tuples."""
    from .registry import tables

    codecs = tables().cmsg_codecs
    out: list[Any] = []
    for level, kind, data in ancdata:
        codec = codecs.get((level, kind))
        out.append(codec.decode(data) if codec is not None else (level, kind, data))
    return out


def encode(level: int, kind: int, value: Any) -> tuple[int, int, bytes]:
    """A sendmsg ancillary item from a typed value, through the registered codec."""
    from .registry import tables

    codec = tables().cmsg_codecs.get((level, kind))
    if codec is None or codec.encode is None:
        raise ValueError(f"no ancillary-data encoder is registered for level {level}, type {kind}")
    return level, kind, codec.encode(value)
