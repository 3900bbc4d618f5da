"""Typed socket options: one :class:`SockOpt` per option, one value codec per payload.

An option is declared in one table line::

    SO_RCVBUF = SockOpt("SO_RCVBUF", SOL_SOCKET, 8, INT, doc="receive buffer size")

and used through ``sock.getopt(SO_RCVBUF) -> int`` and
``sock.setopt(SO_RCVBUF, 65536)``.  Value codecs are named by payload
(``BOOL``, ``INT``, ``U64``, ``Struct(...)``) and check the length the kernel
returns, so a short read is an error, never a silently wrong value.
"""

from __future__ import annotations

import operator
import struct
import sys
from collections.abc import Callable, Sequence
from typing import Any, Generic, Literal, Protocol, TypeVar, cast

import attrs

__all__ = [
    "BOOL",
    "INT",
    "U8",
    "U16",
    "U32",
    "U64",
    "Bytes",
    "Cstring",
    "IntCodec",
    "SockOpt",
    "Struct",
    "ValueCodec",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

Access = Literal["rw", "r", "w"]


class ValueCodec(Protocol[T]):
    """Packs an option value for setsockopt and unpacks what getsockopt returns."""

    #: bytes to ask getsockopt for
    size: int
    #: the Python type of a value (for docs and the CLI)
    type_name: str

    def pack(self, value: T) -> bytes: ...

    def unpack(self, data: bytes) -> T: ...


def _check_length(data: bytes, want: int, what: str, exact: bool = True) -> None:
    if len(data) < want or (exact and len(data) != want):
        raise OSError(f"getsockopt returned {len(data)} bytes for {what}, expected {want}")


@attrs.frozen
class IntCodec:
    """A C integer of a fixed width, optionally shown as bool."""

    fmt: str
    type_name: str = "int"
    as_bool: bool = False

    @property
    def size(self) -> int:
        return struct.calcsize(self.fmt)

    def pack(self, value: Any) -> bytes:
        value = int(bool(value)) if self.as_bool else operator.index(value)
        try:
            return struct.pack(self.fmt, value)
        except struct.error as exc:
            raise OverflowError(f"{value} does not fit a {self.size}-byte option value") from exc

    def unpack(self, data: bytes) -> Any:
        # Linux returns a 4-byte int for some options declared narrower
        # (IP_TOS, IP_MULTICAST_TTL) and 1 byte for others: accept either.
        size = self.size
        if len(data) != size and len(data) in (1, 4) and size in (1, 4):
            value = int.from_bytes(data, sys.byteorder, signed=self.fmt[-1].islower())
        else:
            _check_length(data, size, f"a {size}-byte integer")
            (value,) = struct.unpack(self.fmt, data)
        return bool(value) if self.as_bool else value


BOOL = IntCodec("=i", "bool", as_bool=True)
INT = IntCodec("=i")
U8 = IntCodec("=B")
U16 = IntCodec("=H")
U32 = IntCodec("=I")
U64 = IntCodec("=Q")


@attrs.frozen
class Bytes:
    """Raw bytes of at most ``size`` bytes (the kernel says how many it used)."""

    size: int
    type_name: str = "bytes"

    def pack(self, value: Any) -> bytes:
        data = bytes(memoryview(value))
        if len(data) > self.size:
            raise ValueError(f"option value too long: {len(data)} > {self.size} bytes")
        return data

    def unpack(self, data: bytes) -> bytes:
        return bytes(data)


@attrs.frozen
class Cstring:
    """A NUL-terminated string in a buffer of ``size`` bytes (TCP_CONGESTION, SO_BINDTODEVICE)."""

    size: int
    type_name: str = "str"

    def pack(self, value: str) -> bytes:
        if not isinstance(value, str):
            raise TypeError(f"a str is required, not {type(value).__name__}")
        data = value.encode()
        if b"\0" in data:
            raise ValueError("embedded null character")
        if len(data) >= self.size:
            raise ValueError(f"option value too long: {len(data)} >= {self.size} bytes")
        return data

    def unpack(self, data: bytes) -> str:
        return data.split(b"\0", 1)[0].decode(errors="surrogateescape")


@attrs.frozen
class Struct(Generic[T]):
    """A C struct, packed with ``fmt`` and shown as the record type ``make``.

    ``make(*fields)`` builds the record; ``fields(record)`` returns the tuple to
    pack (``attrs.astuple`` or ``tuple`` by default).  ``min_size`` accepts a
    kernel that returns a shorter, older version of the struct (TCP_INFO):
    the missing trailing fields are zero.
    """

    fmt: str
    make: Callable[..., T]
    fields: Callable[[T], Sequence[Any]] | None = None
    min_size: int | None = None

    @property
    def size(self) -> int:
        return struct.calcsize(self.fmt)

    @property
    def type_name(self) -> str:
        return getattr(self.make, "__name__", "struct")

    def pack(self, value: T) -> bytes:
        if self.fields is not None:
            values = self.fields(value)
        elif attrs.has(type(value)):
            values = attrs.astuple(cast(Any, value), recurse=False)
        elif isinstance(value, tuple):
            values = value
        else:
            raise TypeError(f"a {self.type_name} is required, not {type(value).__name__}")
        try:
            return struct.pack(self.fmt, *values)
        except struct.error as exc:
            raise ValueError(f"bad {self.type_name}: {exc}") from exc

    def unpack(self, data: bytes) -> T:
        size = self.size
        if self.min_size is not None and self.min_size <= len(data) < size:
            data = bytes(data) + bytes(size - len(data))
        _check_length(data, size, self.type_name, exact=self.min_size is None)
        return self.make(*struct.unpack(self.fmt, data[:size]))


@attrs.frozen
class SockOpt(Generic[T]):
    """One socket option: where it lives, how its value is coded, what it does.

    ``family`` is the AF_* name of the family the option belongs to
    (``None`` for SOL_SOCKET options every socket has); it is for grouping
    in docs and the CLI, and tells tests which socket to try it on.
    ``kernel_adjusts`` says the kernel stores something other than what it is
    given (SO_RCVBUF doubles it), so a get after a set may differ.
    """

    name: str
    level: int
    optname: int
    codec: ValueCodec[T]
    access: Access = "rw"
    doc: str = ""
    family: str | None = None
    kernel_adjusts: bool = False

    def __repr__(self) -> str:
        return f"<SockOpt {self.name} level={self.level} optname={self.optname} {self.codec.type_name}>"
