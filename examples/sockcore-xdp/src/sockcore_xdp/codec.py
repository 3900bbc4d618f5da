"""The AF_XDP address codec: ``(ifname, queue_id[, flags[, shared_umem_fd]])`` <-> sockaddr_xdp.

The body after ``sxdp_family`` is ``sxdp_flags`` (u16), ``sxdp_ifindex``,
``sxdp_queue_id`` and ``sxdp_shared_umem_fd`` (u32 each).
"""

from __future__ import annotations

import struct
from typing import Any

from sockcore.plugin import SocketInfo, libc, u16, u32

from ._constants import AF_XDP
from .records import XdpAddress

__all__ = ["CODEC", "XdpAddressCodec"]

_SOCKADDR_XDP = struct.Struct("=HIII")


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
        queue_id = u32(address[1], "AF_XDP queue_id")
        flags = u16(address[2], "AF_XDP flags") if len(address) > 2 else 0
        shared = u32(address[3], "AF_XDP shared_umem_fd") if len(address) > 3 else 0
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
