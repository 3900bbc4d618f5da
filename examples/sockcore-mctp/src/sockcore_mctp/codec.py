"""AF_MCTP addresses: two sockaddr sizes, one codec.

<linux/mctp.h> has ``struct sockaddr_mctp`` (after the 2-byte family: u16
pad, u32 network, u8 addr, u8 type, u8 tag, u8 pad: 10 bytes) and, once a
socket sets ``MCTP_OPT_ADDR_EXT``, ``struct sockaddr_mctp_ext``: the same,
then int ifindex, u8 halen, 3 pad bytes and 32 bytes of hardware address
(50 bytes).  ``encode`` picks the struct by the address's shape (4 or 6
fields); ``decode`` by the length the kernel returned.
"""

from __future__ import annotations

import struct
from typing import Any, NamedTuple

from sockcore.address import tuple_text
from sockcore.plugin import SocketInfo, c_int, u8, u32

from ._constants import AF_MCTP

__all__ = ["CODEC", "MctpAddress", "MctpCodec", "MctpExtAddress"]

_BASE = struct.Struct("=2xIBBBx")
_EXT = struct.Struct("=2xIBBBxiB3x32s")
_MAX_HADDR = 32  # MAX_ADDR_LEN


@tuple_text
class MctpAddress(NamedTuple):
    """``struct sockaddr_mctp``: ``(network, addr, type, tag)``."""

    network: int
    addr: int
    type: int
    tag: int


@tuple_text
class MctpExtAddress(NamedTuple):
    """``struct sockaddr_mctp_ext`` (``MCTP_OPT_ADDR_EXT``): the base fields, the interface and its hardware address."""

    network: int
    addr: int
    type: int
    tag: int
    ifindex: int
    haddr: bytes


def _base_fields(address: tuple[Any, ...]) -> tuple[int, int, int, int]:
    return (
        u32(address[0], "AF_MCTP network"),
        u8(address[1], "AF_MCTP addr"),
        u8(address[2], "AF_MCTP type"),
        u8(address[3], "AF_MCTP tag"),
    )


class MctpCodec:
    """The AddressCodec of every AF_MCTP socket."""

    family = AF_MCTP
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise TypeError(f"AF_MCTP address must be tuple, not {type(address).__name__}")
        if len(address) == 4:
            return _BASE.pack(*_base_fields(address))
        if len(address) != 6:
            raise TypeError("AF_MCTP address must be (network, addr, type, tag[, ifindex, haddr])")
        haddr = address[5]
        if not isinstance(haddr, bytes):
            raise TypeError(f"AF_MCTP haddr must be bytes, not {type(haddr).__name__}")
        if len(haddr) > _MAX_HADDR:
            raise ValueError(f"AF_MCTP haddr is at most {_MAX_HADDR} bytes, not {len(haddr)}")
        ifindex = c_int(address[4])
        return _EXT.pack(*_base_fields(address), ifindex, len(haddr), haddr)

    def decode(self, body: bytes, sock: SocketInfo) -> MctpAddress | MctpExtAddress:
        if len(body) >= _EXT.size:
            network, addr, type_, tag, ifindex, halen, haddr = _EXT.unpack_from(body)
            return MctpExtAddress(network, addr, type_, tag, ifindex, haddr[: min(halen, _MAX_HADDR)])
        # a shorter body (an unbound socket) is zero-filled, as the kernel's struct would be
        return MctpAddress(*_BASE.unpack(bytes(body[: _BASE.size]).ljust(_BASE.size, b"\0")))

    def stable(self, address: Any) -> bool:
        """Encoding this very object always gives the same bytes: the socket may reuse them."""
        kind = type(address)
        return (kind is MctpAddress or kind is MctpExtAddress) and all(
            type(field) is int or type(field) is bytes for field in address
        )


CODEC = MctpCodec()
