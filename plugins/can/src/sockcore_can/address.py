"""CAN addresses: ``struct sockaddr_can``, one codec per protocol.

CAN_RAW and CAN_BCM take ``(interface,)``, CAN_ISOTP ``(interface, rx_addr,
tx_addr)`` and CAN_J1939 ``(interface, name, pgn, addr)``; ``''`` means every
interface (index 0).  The interface name is resolved to its index the way
CPython does (SIOCGIFINDEX), and back to a name when decoding (``''`` when the
interface is gone).
"""

from __future__ import annotations

import fcntl
import operator
import os
import struct
from typing import Any, NamedTuple

from sockcore.address import argument_type_name, caller_error, tuple_text, wrap_unsigned
from sockcore.plugin import SocketInfo

from ._constants import AF_CAN, CAN_ISOTP, CAN_J1939

__all__ = ["CanAddress", "CanCodec", "IsotpAddress", "IsotpCodec", "J1939Address", "J1939Codec"]

IFNAMSIZ = 16
# <linux/sockios.h>; struct ifreq is the name and a union (ifr_ifindex first) as
# large as struct ifmap: two unsigned longs, an unsigned short and three bytes
SIOCGIFNAME = 0x8910
SIOCGIFINDEX = 0x8933
_IFREQ = struct.Struct(f"=16si{max(16, struct.calcsize('@LLHBBB0L')) - 4}x")
# The body after sa_family: 2 bytes of padding, int can_ifindex, then the
# 16-byte can_addr union (tp: rx_id, tx_id; j1939: u64 name, u32 pgn, u8 addr).
_HEAD = struct.Struct("=2xi")
_TP = struct.Struct("=2xiII8x")
_J1939 = struct.Struct("=2xiQIB3x")
BODY_SIZE = _J1939.size  # 22: sizeof(struct sockaddr_can) - 2


@tuple_text
class CanAddress(NamedTuple):
    """A CAN_RAW or CAN_BCM address: the interface name (``''`` = all)."""

    interface: str


@tuple_text
class IsotpAddress(NamedTuple):
    """A CAN_ISOTP address: interface, receive and transmit CAN identifiers."""

    interface: str
    rx_addr: int
    tx_addr: int


@tuple_text
class J1939Address(NamedTuple):
    """A CAN_J1939 address: interface, 64-bit ECU name, PGN and 8-bit address."""

    interface: str
    name: int
    pgn: int
    addr: int


def _interface_name(interface: Any) -> bytes:
    """The interface as PyUnicode_FSConverter converts it: str, bytes or path-like, no NUL."""
    name = os.fsencode(interface) if isinstance(interface, str) else interface
    if not isinstance(name, bytes):
        if isinstance(interface, os.PathLike):
            name = os.fsencode(interface)
        else:
            raise TypeError(f"expected str, bytes or os.PathLike object, not {type(interface).__name__}")
    if b"\0" in name:
        raise ValueError("embedded null byte")
    return name


def _ifindex(name: bytes, sock: SocketInfo) -> int:
    """The index of the interface named ``name`` (from :func:`_interface_name`), with the stdlib's errors.

    Like CPython, the ioctl goes to the socket itself, so the name is looked up
    in the socket's network namespace.
    """
    if not name:
        return 0
    if len(name) >= IFNAMSIZ:
        raise OSError("AF_CAN interface name too long")
    reply = fcntl.ioctl(sock.fileno(), SIOCGIFINDEX, _IFREQ.pack(name, 0))
    index: int = _IFREQ.unpack(reply)[1]
    return index


def _ifname(index: int, sock: SocketInfo) -> str:
    """The interface's name, or ``''`` when it is gone (as the stdlib)."""
    if index == 0:
        return ""
    try:
        reply = fcntl.ioctl(sock.fileno(), SIOCGIFNAME, _IFREQ.pack(b"", index))
    except OSError:
        return ""
    return os.fsdecode(_IFREQ.unpack(reply)[0].split(b"\0", 1)[0])


def _uint(value: Any, bits: int, what: str) -> int:
    """An "I" or "B" field (any integer, modulo 2**bits), as CPython converts it; strict() raises instead."""
    return wrap_unsigned(operator.index(value), bits, f"AF_CAN {what}")


def _ulong(value: Any, position: int, bits: int, what: str) -> int:
    """A "k" or "K" field: an int proper (no __index__), modulo 2**64, then stored in ``bits`` bits."""
    if not isinstance(value, int):
        raise TypeError(f"argument {position} must be int, not {argument_type_name(value)}")
    return wrap_unsigned(value, bits, f"AF_CAN {what}")


def _padded(body: bytes) -> bytes:
    # The kernel returns only the part of sockaddr_can a protocol uses (CAN_RAW: 8 bytes).
    return body if len(body) >= BODY_SIZE else bytes(body) + bytes(BODY_SIZE - len(body))


class CanCodec:
    """``(interface,)`` for CAN_RAW, CAN_BCM and any other CAN protocol."""

    family = AF_CAN
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise caller_error(TypeError(f"AF_CAN address must be tuple, not {type(address).__name__}"))
        if len(address) != 1:
            raise TypeError("AF_CAN address must be a tuple (interface, )")
        return _TP.pack(_ifindex(_interface_name(address[0]), sock), 0, 0)

    def decode(self, body: bytes, sock: SocketInfo) -> CanAddress:
        (index,) = _HEAD.unpack_from(_padded(body))
        return CanAddress(_ifname(index, sock))


class IsotpCodec:
    """``(interface, rx_addr, tx_addr)`` for CAN_ISOTP."""

    family = AF_CAN
    proto: int | None = CAN_ISOTP

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise TypeError(f"AF_CAN ISOTP address must be tuple, not {type(address).__name__}")
        if len(address) != 3:
            raise TypeError(f"function takes exactly 3 arguments ({len(address)} given)")
        interface, rx, tx = address
        # "O&kk" (into the u32 canid_t fields), then the interface lookup: CPython's order
        name, rx_id, tx_id = _interface_name(interface), _ulong(rx, 2, 32, "rx_addr"), _ulong(tx, 3, 32, "tx_addr")
        return _TP.pack(_ifindex(name, sock), rx_id, tx_id)

    def decode(self, body: bytes, sock: SocketInfo) -> IsotpAddress:
        index, rx, tx = _TP.unpack_from(_padded(body))
        return IsotpAddress(_ifname(index, sock), rx, tx)


class J1939Codec:
    """``(interface, name, pgn, addr)`` for CAN_J1939."""

    family = AF_CAN
    proto: int | None = CAN_J1939

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise TypeError(f"AF_CAN J1939 address must be tuple, not {type(address).__name__}")
        if len(address) != 4:
            raise TypeError(f"function takes exactly 4 arguments ({len(address)} given)")
        interface, name, pgn, addr = address
        # "O&KIB", then the interface lookup: CPython's order
        ifname = _interface_name(interface)
        fields = _ulong(name, 2, 64, "J1939 name"), _uint(pgn, 32, "J1939 pgn"), _uint(addr, 8, "J1939 addr")
        return _J1939.pack(_ifindex(ifname, sock), *fields)

    def decode(self, body: bytes, sock: SocketInfo) -> J1939Address:
        index, name, pgn, addr = _J1939.unpack_from(_padded(body))
        return J1939Address(_ifname(index, sock), name, pgn, addr)


CODECS = (CanCodec(), IsotpCodec(), J1939Codec())
