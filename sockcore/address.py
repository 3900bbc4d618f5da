"""Socket addresses: the codec contract, the sockaddr header, RawAddress.

The core owns the ``sockaddr`` header (on Linux the native ``u16``
``sa_family``; on the BSDs ``sa_len`` + ``sa_family`` bytes).  A family's
:class:`AddressCodec` sees and produces only the *body* that follows it; the
core adds the header and computes the length.
"""

from __future__ import annotations

import struct
import sys
from typing import Any, NamedTuple, Protocol, runtime_checkable

__all__ = [
    "SOCKADDR_MAX",
    "AddressCodec",
    "RawAddress",
    "SocketInfo",
    "join_sockaddr",
    "split_sockaddr",
]

#: sizeof(struct sockaddr_storage): the largest address any family uses.
SOCKADDR_MAX = 128

_BSD_HEADER = sys.platform != "linux" and sys.platform.startswith(("darwin", "freebsd", "netbsd", "openbsd", "dragonfly"))
_HEADER = struct.Struct("=BB" if _BSD_HEADER else "=H")
HEADER_SIZE = _HEADER.size


class SocketInfo(Protocol):
    """What a codec may know about the socket an address belongs to.

    J1939, ISO-TP and packet addresses depend on the protocol, and some
    codecs need the descriptor (to resolve an interface, for example).
    """

    @property
    def family(self) -> int: ...
    @property
    def type(self) -> int: ...
    @property
    def proto(self) -> int: ...
    def fileno(self) -> int: ...


@runtime_checkable
class AddressCodec(Protocol):
    """Turns a family's Python address into a sockaddr body and back.

    ``family`` and ``proto`` say which sockets the codec serves: ``proto``
    ``None`` means every protocol of the family; a codec with a specific
    protocol wins over the family-wide one (CAN_ISOTP vs CAN_RAW).

    ``encode`` raises what the stdlib raises for bad input: ``TypeError`` for
    a wrong shape, ``OverflowError`` / ``ValueError`` for out-of-range fields,
    ``OSError`` for what the kernel or a resolver rejects, ``UnicodeError``
    for names that do not encode.  It never truncates silently.

    ``decode`` receives the body exactly as the kernel returned it (possibly
    shorter than the family's full struct) and returns the Python address,
    preferably a NamedTuple that compares equal to the stdlib's tuple.
    """

    family: int
    proto: int | None

    def encode(self, address: Any, sock: SocketInfo) -> bytes: ...

    def decode(self, body: bytes, sock: SocketInfo) -> Any: ...


class RawAddress(NamedTuple):
    """The address of a family no plugin knows: its number and the sockaddr body.

    Unlike the stdlib, which keeps only the 14-byte ``sa_data``, the body is
    complete, so a RawAddress that came from ``recvfrom`` can be passed back
    to ``sendto`` unchanged.
    """

    family: int
    data: bytes


def join_sockaddr(family: int, body: bytes) -> bytes:
    """A whole sockaddr: the platform's header for ``family`` followed by ``body``."""
    if _BSD_HEADER:
        return _HEADER.pack(min(HEADER_SIZE + len(body), 255), family) + body
    return _HEADER.pack(family) + body


def split_sockaddr(raw: bytes) -> tuple[int, bytes]:
    """``(family, body)`` of a sockaddr the kernel returned."""
    if len(raw) < HEADER_SIZE:
        return 0, b""
    if _BSD_HEADER:
        return raw[1], raw[HEADER_SIZE:]
    return _HEADER.unpack_from(raw)[0], raw[HEADER_SIZE:]


class RawAddressCodec:
    """The fallback codec: RawAddress in, RawAddress out."""

    family = -1
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if isinstance(address, RawAddress) or (
            isinstance(address, tuple) and len(address) == 2 and isinstance(address[0], int)
        ):
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

    def decode(self, body: bytes, sock: SocketInfo) -> RawAddress:
        return RawAddress(sock.family, body)


RAW_CODEC = RawAddressCodec()
