"""The AF_PACKET address codec: ``(ifname, proto[, pkttype[, hatype[, addr]]])`` <-> sockaddr_ll.

The body after ``sll_family`` is ``sll_protocol`` (network byte order),
``sll_ifindex``, ``sll_hatype``, ``sll_pkttype``, ``sll_halen`` and an
8-byte ``sll_addr``.  Errors match the stdlib's, and so do its silent
truncations: a ``pkttype`` is stored in a byte and a ``hatype`` in 16 bits
(modulo 256 and 65536), an interface name is cut to 15 bytes.  Under
:func:`sockcore.strict` these raise instead (OverflowError; ENODEV for the name).
"""

from __future__ import annotations

import operator
import struct
from typing import Any

from sockcore.address import SocketInfo, caller_error, is_strict, wrap_unsigned
from sockcore.plugin import INT_MAX as _INT_MAX
from sockcore.plugin import INT_MIN as _INT_MIN

from ._constants import AF_PACKET, PACKET_HOST
from .libc import IFNAMSIZ, ifindex, ifname
from .records import PacketAddress

__all__ = ["PacketAddressCodec"]

_BODY_SIZE = 2 + 4 + 2 + 1 + 1 + 8  # sizeof(struct sockaddr_ll) minus sll_family
_HEAD = struct.Struct("=iHBB")  # after sll_protocol: ifindex, hatype, pkttype, halen
_SHAPE = "AF_PACKET address must be a tuple of two to five elements"


def _c_int(value: Any) -> int:
    """An argument of the C type int, as PyArg_ParseTuple's "i" takes it."""
    number = operator.index(value)
    if not _INT_MIN <= number <= _INT_MAX:
        raise caller_error(OverflowError("address argument out of range"))
    return number


def _in_range(value: int, high: int, what: str) -> int:
    if not 0 <= value <= high:
        raise caller_error(OverflowError(f"{what} must be 0-{high}."))
    return value


def _buffer_bytes(value: Any) -> bytes:
    """The ``y*`` code: any C-contiguous buffer, with CPython's errors."""
    try:
        view = memoryview(value)
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'") from None
    with view:
        if not view.c_contiguous:
            raise BufferError("memoryview: underlying buffer is not C-contiguous")
        return view.tobytes()


class PacketAddressCodec:
    """sockaddr_ll for every AF_PACKET socket (SOCK_RAW and SOCK_DGRAM)."""

    family = AF_PACKET
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise caller_error(TypeError(f"AF_PACKET address must be tuple, not {type(address).__name__}"))
        if not 2 <= len(address) <= 5 or not isinstance(address[0], str):
            raise TypeError(_SHAPE)
        name = address[0]
        if "\0" in name:
            raise ValueError("embedded null character")
        encoded_name = name.encode()
        if len(encoded_name) >= IFNAMSIZ and not is_strict():
            encoded_name = encoded_name[: IFNAMSIZ - 1]  # strncpy into ifr_name, as CPython
        proto = _c_int(address[1])
        pkttype = _c_int(address[2]) if len(address) > 2 else PACKET_HOST
        hatype = _c_int(address[3]) if len(address) > 3 else 0
        hwaddr = _buffer_bytes(address[4]) if len(address) > 4 else b""
        index = ifindex(encoded_name, sock.fileno())
        if len(hwaddr) > 8:
            raise ValueError("Hardware address must be 8 bytes or less")
        _in_range(proto, 0xFFFF, "proto")
        # int fields C stores in unsigned char / unsigned short, as CPython stores them
        pkttype = wrap_unsigned(pkttype, 8, "pkttype")
        hatype = wrap_unsigned(hatype, 16, "hatype")
        return proto.to_bytes(2, "big") + _HEAD.pack(index, hatype, pkttype, len(hwaddr)) + hwaddr.ljust(8, b"\0")

    def decode(self, body: bytes, sock: SocketInfo) -> PacketAddress:
        if len(body) < _BODY_SIZE:
            body = bytes(body) + bytes(_BODY_SIZE - len(body))
        proto = int.from_bytes(body[:2], "big")
        index, hatype, pkttype, halen = _HEAD.unpack_from(body, 2)
        # sll_halen may exceed 8 (InfiniBand): the kernel then returns a longer sockaddr.
        hwaddr = bytes(body[10 : 10 + halen])
        return PacketAddress(ifname(index, sock.fileno()), proto, pkttype, hatype, hwaddr)


CODEC = PacketAddressCodec()
