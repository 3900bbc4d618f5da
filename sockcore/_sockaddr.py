"""The sockaddr header and RawAddress: the runtime half of :mod:`sockcore.address`.

Kept free of ``typing`` so that ``import sockcore`` stays cheap.
"""

import struct
import sys
from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple

    from .address import SocketInfo

#: sizeof(struct sockaddr_storage): the largest address any family uses.
SOCKADDR_MAX = 128

_BSD_HEADER = sys.platform.startswith(("darwin", "freebsd", "netbsd", "openbsd", "dragonfly"))
_HEADER = struct.Struct("=BB" if _BSD_HEADER else "=H")
HEADER_SIZE = _HEADER.size
_FAMILY_MAX = 255 if _BSD_HEADER else 65535

if TYPE_CHECKING:

    class RawAddress(NamedTuple):
        family: int
        data: bytes

else:
    RawAddress = namedtuple("RawAddress", "family data", module="sockcore")
    RawAddress.__doc__ = """The address of a family no plugin knows: its number and the sockaddr body.

    Unlike the stdlib, which keeps only the 14-byte ``sa_data``, the body is
    complete, so a RawAddress that came from ``recvfrom`` can be passed back
    to ``sendto`` unchanged.
    """


def join_sockaddr(family: int, body: bytes) -> bytes:
    """A whole sockaddr: the platform's header for ``family`` followed by ``body``."""
    if not 0 <= family <= _FAMILY_MAX:
        raise OverflowError(f"address family {family} does not fit a sockaddr")
    if _BSD_HEADER:
        return _HEADER.pack(min(HEADER_SIZE + len(body), 255), family) + body
    return _HEADER.pack(family) + body


def fixed_header(family: int) -> bytes | None:
    """The header every sockaddr of ``family`` starts with, or None where it holds the length (BSD)
    or the number does not fit ``sa_family`` (the kernel refuses such a family anyway)."""
    if _BSD_HEADER or not 0 <= family <= _FAMILY_MAX:
        return None
    return _HEADER.pack(family)


def split_sockaddr(raw: bytes) -> tuple[int, bytes]:
    """``(family, body)`` of a sockaddr the kernel returned."""
    if len(raw) < HEADER_SIZE:
        return 0, b""
    if _BSD_HEADER:
        return raw[1], raw[HEADER_SIZE:]
    family: int = _HEADER.unpack_from(raw)[0]
    return family, raw[HEADER_SIZE:]


class RawAddressCodec:
    """The fallback codec: RawAddress in, RawAddress out."""

    family = -1
    proto: "int | None" = None

    def encode(self, address: "Any", sock: "SocketInfo") -> bytes:
        if isinstance(address, tuple) and len(address) == 2 and isinstance(address[0], int):
            family, data = address
            if family != sock.family:
                raise ValueError(f"RawAddress family {family} does not match the socket's family {sock.family}")
            body = bytes(memoryview(data))
            if HEADER_SIZE + len(body) > SOCKADDR_MAX:
                raise ValueError(f"address too long: {HEADER_SIZE + len(body)} > {SOCKADDR_MAX} bytes")
            return body
        raise TypeError(
            f"address family {sock.family} has no installed plugin: pass a "
            f"sockcore.RawAddress(family, body), not {type(address).__name__}"
        )

    def decode(self, body: bytes, sock: "SocketInfo") -> "RawAddress":
        return RawAddress(sock.family, body)


RAW_CODEC = RawAddressCodec()
