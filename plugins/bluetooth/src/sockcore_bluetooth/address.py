"""Bluetooth addresses, one codec per protocol (the socket docs, CPython 3.14 forms).

- L2CAP ``(bdaddr, psm[, cid[, bdaddr_type]])``
- RFCOMM ``(bdaddr, channel)``
- HCI ``(device_id[, channel])`` or a bare ``device_id``; decoded as the bare
  ``device_id`` on the raw channel, as the stdlib does
- SCO ``bdaddr`` as bytes (or str)

``bdaddr`` is ``"XX:XX:XX:XX:XX:XX"``, most significant byte first (the wire
order is reversed).  Malformed addresses raise ``OSError("wrong format")`` as
in the stdlib (which puts the method's name in front); integer fields are
converted as its ``H`` and ``B`` codes convert them (modulo 2**16 and 2**8),
and under :func:`sockcore.strict` a field out of range raises OverflowError.
"""

from __future__ import annotations

import operator
import re
import struct
from typing import Any, NamedTuple

from sockcore.address import caller_error, tuple_text, wrap_unsigned
from sockcore.plugin import SocketInfo

from ._constants import (
    AF_BLUETOOTH,
    BDADDR_BREDR,
    BTPROTO_HCI,
    BTPROTO_L2CAP,
    BTPROTO_RFCOMM,
    BTPROTO_SCO,
    HCI_CHANNEL_RAW,
)

__all__ = [
    "HciAddress",
    "L2capAddress",
    "L2capCidAddress",
    "L2capLeAddress",
    "RfcommAddress",
    "format_bdaddr",
    "parse_bdaddr",
]

# sscanf("%X:%X:%X:%X:%X:%X%c"): C whitespace, an optional sign and 0x before
# each field, nothing after the last one.
_FIELD = r"[ \t\n\v\f\r]*([+-]?)(?:0[xX])?([0-9A-Fa-f]+)"
_BDADDR = re.compile(":".join([_FIELD] * 6))

_L2 = struct.Struct("=H6sHBx")  # psm, bdaddr, cid, bdaddr_type
_RC = struct.Struct("=6sBx")  # bdaddr, channel
_HCI = struct.Struct("=HH")  # dev, channel
_SCO = struct.Struct("=6s")  # bdaddr


@tuple_text
class L2capAddress(NamedTuple):
    bdaddr: str
    psm: int


@tuple_text
class L2capCidAddress(NamedTuple):
    bdaddr: str
    psm: int
    cid: int


@tuple_text
class L2capLeAddress(NamedTuple):
    bdaddr: str
    psm: int
    cid: int
    bdaddr_type: int


@tuple_text
class RfcommAddress(NamedTuple):
    bdaddr: str
    channel: int


@tuple_text
class HciAddress(NamedTuple):
    device_id: int
    channel: int


def parse_bdaddr(text: str | bytes) -> bytes:
    """``"01:23:45:67:89:AB"`` as the 6 bytes of a ``bdaddr_t`` (least significant first)."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    match = _BDADDR.fullmatch(text)
    if match is not None:
        octets = []
        for sign, digits in zip(match.groups()[::2], match.groups()[1::2], strict=True):
            value = int(digits, 16)
            octets.append(-value % 2**32 if sign == "-" else value)
        if max(octets) < 256:
            return bytes(reversed(octets))
    raise OSError("bad bluetooth address")


def format_bdaddr(raw: bytes) -> str:
    """A ``bdaddr_t``'s 6 bytes as ``"XX:XX:XX:XX:XX:XX"``."""
    return ":".join(f"{b:02X}" for b in reversed(raw[:6]))


def _wrong_format(what: str) -> OSError:
    """CPython's answer to any address its parser refuses; ``what`` names the expected form, for readers."""
    return caller_error(OSError("wrong format"))


def _uint(value: Any, bits: int, what: str, form: str) -> int:
    try:
        number = operator.index(value)
    except TypeError:
        raise _wrong_format(form) from None
    return wrap_unsigned(number, bits, what)


def _bdaddr_str(value: Any, form: str) -> bytes:
    if not isinstance(value, str) or "\0" in value:
        raise _wrong_format(form)
    try:
        value.encode()
    except UnicodeEncodeError:
        raise _wrong_format(form) from None
    return parse_bdaddr(value)


def _pad(body: bytes, size: int) -> bytes:
    return body if len(body) >= size else bytes(body) + bytes(size - len(body))


class L2capCodec:
    family = AF_BLUETOOTH
    proto: int | None = BTPROTO_L2CAP

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple) or not 2 <= len(address) <= 4:
            raise _wrong_format("L2CAP (bdaddr, psm[, cid[, bdaddr_type]])")
        form = "L2CAP"
        bdaddr = _bdaddr_str(address[0], form)
        psm = _uint(address[1], 16, "psm", form)
        cid = _uint(address[2], 16, "cid", form) if len(address) > 2 else 0
        kind = _uint(address[3], 8, "bdaddr_type", form) if len(address) > 3 else BDADDR_BREDR
        return _L2.pack(psm, bdaddr, cid, kind)

    def decode(self, body: bytes, sock: SocketInfo) -> L2capAddress | L2capCidAddress | L2capLeAddress:
        psm, bdaddr, cid, kind = _L2.unpack(_pad(body, _L2.size)[: _L2.size])
        text = format_bdaddr(bdaddr)
        if kind != BDADDR_BREDR:
            return L2capLeAddress(text, psm, cid, kind)
        if cid:
            return L2capCidAddress(text, psm, cid)
        return L2capAddress(text, psm)


class RfcommCodec:
    family = AF_BLUETOOTH
    proto: int | None = BTPROTO_RFCOMM

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple) or len(address) != 2:
            raise _wrong_format("RFCOMM (bdaddr, channel)")
        bdaddr = _bdaddr_str(address[0], "RFCOMM")
        return _RC.pack(bdaddr, _uint(address[1], 8, "channel", "RFCOMM"))

    def decode(self, body: bytes, sock: SocketInfo) -> RfcommAddress:
        bdaddr, channel = _RC.unpack(_pad(body, _RC.size)[: _RC.size])
        return RfcommAddress(format_bdaddr(bdaddr), channel)


class HciCodec:
    family = AF_BLUETOOTH
    proto: int | None = BTPROTO_HCI

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        form = "HCI (device_id[, channel])"
        if isinstance(address, tuple):
            if not 1 <= len(address) <= 2:
                raise _wrong_format(form)
            dev = _uint(address[0], 16, "device_id", form)
            channel = _uint(address[1], 16, "channel", form) if len(address) > 1 else HCI_CHANNEL_RAW
        elif hasattr(type(address), "__index__"):
            dev, channel = _uint(address, 16, "device_id", form), HCI_CHANNEL_RAW
        else:
            raise _wrong_format(form)
        return _HCI.pack(dev, channel)

    def decode(self, body: bytes, sock: SocketInfo) -> int | HciAddress:
        dev, channel = _HCI.unpack(_pad(body, _HCI.size)[: _HCI.size])
        return dev if channel == HCI_CHANNEL_RAW else HciAddress(dev, channel)


class ScoCodec:
    family = AF_BLUETOOTH
    proto: int | None = BTPROTO_SCO

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if isinstance(address, bytes):
            if b"\0" in address:
                raise ValueError("embedded null byte")
            return _SCO.pack(parse_bdaddr(address))
        if isinstance(address, str):
            if "\0" in address:
                raise ValueError("embedded null character")
            address.encode()  # UnicodeEncodeError, as the "s" format
            return _SCO.pack(parse_bdaddr(address))
        raise _wrong_format("SCO bdaddr (bytes)")

    def decode(self, body: bytes, sock: SocketInfo) -> str:
        return format_bdaddr(_pad(body, 6))


CODECS = (L2capCodec(), RfcommCodec(), HciCodec(), ScoCodec())
