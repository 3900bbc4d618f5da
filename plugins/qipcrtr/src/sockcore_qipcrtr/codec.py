"""AF_QIPCRTR addresses: ``(node, port)`` <-> ``struct sockaddr_qrtr``.

Layout after the 2-byte family (linux/qrtr.h): 2 bytes of padding, then
``u32 sq_node; u32 sq_port`` in host order.  Node and port are converted as
the stdlib converts them (its ``II`` format): any int, reduced modulo 2**32,
and the kernel decides (``bind((-2, 0))`` fails there with OSError).  Under
:func:`sockcore.strict` a value out of range raises OverflowError.
"""

from __future__ import annotations

import operator
import struct
from typing import Any

from sockcore.address import SocketInfo, wrap_unsigned

from ._constants import CONSTANTS
from .records import QrtrAddress

__all__ = ["QrtrAddressCodec", "decode_qrtr", "encode_qrtr"]

AF_QIPCRTR = CONSTANTS.get("AF_QIPCRTR", 42)
_BODY = struct.Struct("=2xII")


def encode_qrtr(address: Any) -> bytes:
    """The sockaddr_qrtr body (without the family) for ``(node, port)``."""
    if not isinstance(address, tuple):
        raise TypeError(f"getsockaddrarg: AF_QIPCRTR address must be tuple, not {type(address).__name__}")
    if len(address) != 2:
        raise TypeError(f"getsockaddrarg() takes exactly 2 arguments ({len(address)} given)")
    node, port = operator.index(address[0]), operator.index(address[1])
    return _BODY.pack(wrap_unsigned(node, 32, "AF_QIPCRTR node"), wrap_unsigned(port, 32, "AF_QIPCRTR port"))


def decode_qrtr(body: bytes) -> QrtrAddress:
    """The ``(node, port)`` in a sockaddr_qrtr body."""
    if len(body) < _BODY.size:
        body = bytes(body) + bytes(_BODY.size - len(body))
    return QrtrAddress(*_BODY.unpack_from(body))


class QrtrAddressCodec:
    """The AddressCodec of every AF_QIPCRTR socket."""

    family = AF_QIPCRTR
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        return encode_qrtr(address)

    def decode(self, body: bytes, sock: SocketInfo) -> QrtrAddress:
        return decode_qrtr(body)
