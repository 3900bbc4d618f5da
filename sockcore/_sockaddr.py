"""The sockaddr header and RawAddress: the runtime half of :mod:`sockcore.address`.

Kept free of ``typing`` so that ``import sockcore`` stays cheap.
"""

import struct
from collections import namedtuple

from ._address_text import tuple_text
from ._platform import current as _platform

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any, NamedTuple

    from .address import SocketInfo

#: sizeof(struct sockaddr_storage): the largest address any family uses.
SOCKADDR_MAX = 128


class SockaddrHeader:
    """The first bytes of every sockaddr on one OS, from its platform module.

    Linux: a 16-bit ``sa_family``.  The BSDs and macOS: an 8-bit ``sa_len``
    (the whole address's length) and an 8-bit ``sa_family``.
    """

    __slots__ = ("_struct", "family_max", "has_length", "size")

    def __init__(self, platform: "ModuleType") -> None:
        fields = platform.SOCKADDR_HEADER
        self.has_length = fields[0][0] == "sa_len"
        self._struct = struct.Struct("=" + "".join(code for _, code in fields))  # no padding between them
        self.size = self._struct.size
        self.family_max = (1 << (8 * struct.calcsize("=" + fields[-1][1]))) - 1

    def join(self, family: int, body: bytes) -> bytes:
        """A whole sockaddr: the header for ``family`` followed by ``body``."""
        if not 0 <= family <= self.family_max:
            raise OverflowError(f"address family {family} does not fit a sockaddr")
        if self.has_length:
            return self._struct.pack(min(self.size + len(body), 255), family) + body
        return self._struct.pack(family) + body

    def fixed(self, family: int) -> "bytes | None":
        """The header every sockaddr of ``family`` starts with, or None where it holds the length (BSD)
        or the number does not fit ``sa_family`` (the kernel refuses such a family anyway)."""
        if self.has_length or not 0 <= family <= self.family_max:
            return None
        return self._struct.pack(family)

    def split(self, raw: bytes) -> "tuple[int, bytes]":
        """``(family, body)`` of a sockaddr the kernel returned."""
        if len(raw) < self.size:
            return 0, b""
        family: int = self._struct.unpack_from(raw)[-1]
        return family, raw[self.size :]


#: the running OS's header, and its methods as the functions the core calls
HEADER = SockaddrHeader(_platform)
HEADER_SIZE = HEADER.size
join_sockaddr = HEADER.join
fixed_header = HEADER.fixed
split_sockaddr = HEADER.split

if TYPE_CHECKING:

    class RawAddress(NamedTuple):
        family: int
        data: bytes

else:
    # prints (family, data), as the stdlib prints an unknown family's address
    RawAddress = tuple_text(namedtuple("RawAddress", "family data", module="sockcore"))
    RawAddress.__doc__ = """The address of a family no plugin knows: its number and the sockaddr body.

    Unlike the stdlib, which keeps only the 14-byte ``sa_data``, the body is
    complete, so a RawAddress that came from ``recvfrom`` can be passed back
    to ``sendto`` unchanged.
    """


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
