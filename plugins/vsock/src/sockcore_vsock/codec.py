"""The AF_VSOCK address codec: ``(cid, port)`` <-> ``struct sockaddr_vm``.

The body after ``svm_family`` is ``svm_reserved1`` (u16), ``svm_port``,
``svm_cid`` (u32 each), ``svm_flags`` (u8) and three zero bytes.  The
stdlib masks CID and port to 32 bits (``-1`` and ``2**32 + 5`` pass as
0xffffffff and 5); this codec raises OverflowError instead, so an
out-of-range CID never reaches a different machine.
"""

from __future__ import annotations

import operator
import struct
from typing import Any

from sockcore.address import SocketInfo

from ._constants import AF_VSOCK
from .records import VsockAddress

__all__ = ["CODEC", "VsockAddressCodec"]

_SOCKADDR_VM = struct.Struct("=HIIB3x")
_U32_MAX = 0xFFFFFFFF


def _u32(number: int, what: str) -> int:
    if not 0 <= number <= _U32_MAX:
        raise OverflowError(f"AF_VSOCK {what} must be 0-{_U32_MAX}, not {number}")
    return number


class VsockAddressCodec:
    """sockaddr_vm for every AF_VSOCK socket (stream, seqpacket, dgram)."""

    family = AF_VSOCK
    proto: int | None = None

    def __init__(self) -> None:
        # Programs talk to few (cid, port) pairs: cache their encodings.
        self._cache: dict[tuple[int, int], bytes] = {}

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise TypeError(f"AF_VSOCK address must be tuple, not {type(address).__name__}")
        if len(address) != 2:
            raise TypeError(f"AF_VSOCK address must be (cid, port), a tuple of 2 items, not {len(address)}")
        cid, port = address
        exact_ints = type(cid) is int and type(port) is int  # 1.0 == 1 must not hit the cache
        if exact_ints:
            body = self._cache.get((cid, port))
            if body is not None:
                return body
        # both types first, then both ranges: the stdlib's order of errors
        cid, port = operator.index(cid), operator.index(port)
        body = _SOCKADDR_VM.pack(0, _u32(port, "port"), _u32(cid, "cid"), 0)
        if exact_ints and len(self._cache) < 256:
            self._cache[(cid, port)] = body
        return body

    def decode(self, body: bytes, sock: SocketInfo) -> VsockAddress:
        if len(body) < _SOCKADDR_VM.size:
            body = bytes(body) + bytes(_SOCKADDR_VM.size - len(body))
        _reserved, port, cid, _flags = _SOCKADDR_VM.unpack_from(body)
        return VsockAddress(cid, port)


CODEC = VsockAddressCodec()
