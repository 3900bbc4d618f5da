"""AF_TIPC addresses: ``(addr_type, v1, v2, v3[, scope])`` <-> ``struct sockaddr_tipc``.

Layout after the 2-byte family (linux/tipc.h)::

    u8 addrtype; s8 scope; union { tipc_portid{ref, node};
                                   tipc_name_seq{type, lower, upper};
                                   {tipc_name{type, instance}, domain} }

Every field is converted as the stdlib converts it (its ``IIII|I`` format):
any int, reduced modulo 2**32, the scope then stored in the struct's signed
char, and the kernel decides.  Under :func:`sockcore.strict` a field out of
range (the scope: 0-127) raises OverflowError.
"""

from __future__ import annotations

import operator
import struct
from typing import Any

from sockcore.address import SocketInfo, caller_error, is_strict, wrap_unsigned

from ._constants import CONSTANTS
from .records import TipcAddress

__all__ = ["TipcAddressCodec", "decode_tipc", "encode_tipc"]

AF_TIPC = CONSTANTS.get("AF_TIPC", 30)
ADDR_NAMESEQ = CONSTANTS.get("TIPC_ADDR_NAMESEQ", 1)
ADDR_NAME = CONSTANTS.get("TIPC_ADDR_NAME", 2)
ADDR_ID = CONSTANTS.get("TIPC_ADDR_ID", 3)
#: the stdlib's default scope when the tuple has four items
DEFAULT_SCOPE = CONSTANTS.get("TIPC_CLUSTER_SCOPE", 2)

_BODY = struct.Struct("=BbIII")
_U32_MAX = 0xFFFFFFFF
_SHAPE = "AF_TIPC address must be a tuple (addr_type, v1, v2, v3[, scope])"
_FIELDS = ("addr_type", "v1", "v2", "v3")


def _fields(address: Any) -> tuple[int, int, int, int, int]:
    if not isinstance(address, tuple):
        raise caller_error(TypeError(f"AF_TIPC address must be tuple, not {type(address).__name__}"))
    if len(address) not in (4, 5):
        raise TypeError(_SHAPE)
    values = [operator.index(v) for v in address]  # the stdlib's TypeError for floats, str ...
    if len(values) == 4:
        values.append(DEFAULT_SCOPE)
    atype, v1, v2, v3 = (wrap_unsigned(v, 32, f"AF_TIPC {name}") for v, name in zip(values, _FIELDS, strict=False))
    scope = values[4]
    if not 0 <= scope <= 127:  # a signed char in the struct; the scopes are 1-3
        if is_strict():
            raise OverflowError(f"AF_TIPC scope must be 0-127, not {scope}")
        scope = (scope & 0xFF) - 256 if scope & 0x80 else scope & 0xFF  # C's unsigned int -> signed char
    return atype, v1, v2, v3, scope


def encode_tipc(address: Any) -> bytes:
    """The sockaddr_tipc body (without the family) for a stdlib-style TIPC address."""
    atype, v1, v2, v3, scope = _fields(address)
    if atype == ADDR_NAMESEQ:
        return _BODY.pack(atype, scope, v1, v2, v3)
    if atype == ADDR_NAME:
        return _BODY.pack(atype, scope, v1, v2, 0)  # v3's slot is the lookup domain
    if atype == ADDR_ID:
        return _BODY.pack(atype, scope, v2, v1, 0)  # struct tipc_portid is {ref, node}
    raise TypeError("Invalid address type")  # the stdlib's exception and message


def decode_tipc(body: bytes) -> TipcAddress:
    """The address in a sockaddr_tipc body, as the stdlib returns it."""
    if len(body) < _BODY.size:
        body = bytes(body) + bytes(_BODY.size - len(body))
    atype, scope, a, b, c = _BODY.unpack_from(body)
    scope &= _U32_MAX  # the stdlib formats the signed char with "I"
    if atype == ADDR_NAMESEQ:
        return TipcAddress(atype, a, b, c, scope)
    if atype == ADDR_NAME:
        return TipcAddress(atype, a, b, b, scope)
    if atype == ADDR_ID:
        return TipcAddress(atype, b, a, 0, scope)
    raise ValueError("Invalid address type")


class TipcAddressCodec:
    """The AddressCodec of every AF_TIPC socket."""

    family = AF_TIPC
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        return encode_tipc(address)

    def decode(self, body: bytes, sock: SocketInfo) -> TipcAddress:
        return decode_tipc(body)
