"""Socket addresses: the codec contract, the sockaddr header, RawAddress.

The core owns the ``sockaddr`` header (on Linux the native ``u16``
``sa_family``; on the BSDs ``sa_len`` + ``sa_family`` bytes).  A family's
:class:`AddressCodec` sees and produces only the *body* that follows it; the
core adds the header and computes the length.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from ._address_text import argument_type_name, tuple_text, type_name
from ._codec_errors import caller_error
from ._sockaddr import (
    HEADER_SIZE,
    RAW_CODEC,
    SOCKADDR_MAX,
    RawAddress,
    RawAddressCodec,
    join_sockaddr,
    split_sockaddr,
)
from ._strict import is_strict, strict, wrap_unsigned

__all__ = [
    "HEADER_SIZE",
    "RAW_CODEC",
    "SOCKADDR_MAX",
    "AddressCodec",
    "RawAddress",
    "RawAddressCodec",
    "SocketInfo",
    "argument_type_name",
    "caller_error",
    "is_strict",
    "join_sockaddr",
    "split_sockaddr",
    "strict",
    "tuple_text",
    "type_name",
    "wrap_unsigned",
]


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
    protocol wins over the family-wide one (ISO-TP vs raw CAN).

    ``encode`` raises what the stdlib raises for bad input: ``TypeError`` for
    a wrong shape, ``OverflowError`` / ``ValueError`` for out-of-range fields,
    ``OSError`` for what the kernel or a resolver rejects, ``UnicodeError``
    for names that do not encode.  It never truncates silently.

    ``decode`` receives the body exactly as the kernel returned it (possibly
    shorter than the family's full struct) and returns the Python address,
    preferably a NamedTuple that compares equal to the stdlib's tuple.

    A codec may also define ``stable(address) -> bool``: True when encoding
    that very object will always give the same bytes (immutable fields, no
    name resolution).  ``sendto`` then keeps the sockaddr for the next call
    with the same object; without ``stable`` it encodes every time.
    """

    family: int
    proto: int | None

    def encode(self, address: Any, sock: SocketInfo) -> bytes: ...

    def decode(self, body: bytes, sock: SocketInfo) -> Any: ...
