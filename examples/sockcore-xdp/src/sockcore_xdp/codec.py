"""The AF_XDP address codec: ``(ifname, queue_id[, flags[, shared_umem_fd]])`` <-> sockaddr_xdp.

The body after ``sxdp_family`` is ``sxdp_flags`` (u16), ``sxdp_ifindex``,
``sxdp_queue_id`` and ``sxdp_shared_umem_fd`` (u32 each).
"""

from __future__ import annotations

import operator
import struct
from typing import Any

from sockcore import libc
from sockcore.address import SocketInfo

from ._constants import AF_XDP
from .records import XdpAddress

__all__ = ["CODEC", "XdpAddressCodec"]

_SOCKADDR_XDP = struct.Struct("=HIII")


def _field(value: Any, high: int, what: str) -> int:
    number = operator.index(value)  # TypeError for floats and strings, as the stdlib
    if not 0 <= number <= high:
        raise OverflowError(f"AF_XDP {what} must be 0-{high}, not {number}")
    return number


class XdpAddressCodec:
    """sockaddr_xdp for every AF_XDP socket."""

    family = AF_XDP
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise TypeError(f"AF_XDP address must be tuple, not {type(address).__name__}")
        if not 2 <= len(address) <= 4 or not isinstance(address[0], str):
            raise TypeError("AF_XDP address must be (ifname, queue_id[, flags[, shared_umem_fd]])")
        name = address[0]
        if "\0" in name:
            raise ValueError("embedded null character")
        queue_id = _field(address[1], 0xFFFFFFFF, "queue_id")
        flags = _field(address[2], 0xFFFF, "flags") if len(address) > 2 else 0
        shared = _field(address[3], 0xFFFFFFFF, "shared_umem_fd") if len(address) > 3 else 0
        index = libc.if_nametoindex(name.encode())  # OSError(ENODEV) for an unknown name
        return _SOCKADDR_XDP.pack(flags, index, queue_id, shared)

    def decode(self, body: bytes, sock: SocketInfo) -> XdpAddress:
        if len(body) < _SOCKADDR_XDP.size:
            body = bytes(body) + bytes(_SOCKADDR_XDP.size - len(body))
        flags, index, queue_id, shared = _SOCKADDR_XDP.unpack_from(body)
        try:
            name = libc.if_indextoname(index).decode("utf-8", "surrogateescape") if index else ""
        except OSError:
            name = ""
        return XdpAddress(name, queue_id, flags, shared)


CODEC = XdpAddressCodec()
