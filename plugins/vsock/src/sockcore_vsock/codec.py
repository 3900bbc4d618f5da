"""The AF_VSOCK address codec: ``(cid, port)`` <-> ``struct sockaddr_vm``.

The body after ``svm_family`` is ``svm_reserved1`` (u16), ``svm_port``,
``svm_cid`` (u32 each), ``svm_flags`` (u8) and three zero bytes.  CID
and port are converted as the stdlib converts them (its ``II`` format):
``-1`` and ``2**32 + 5`` pass as 0xffffffff and 5, and the kernel decides.
Under :func:`sockcore.strict` a value out of range raises OverflowError, so
an out-of-range CID never reaches another machine.
"""

from __future__ import annotations

import operator
import struct
from typing import Any

from sockcore.address import SocketInfo, wrap_unsigned

from ._constants import AF_VSOCK
from .records import VsockAddress

__all__ = ["CODEC", "VsockAddressCodec"]

_SOCKADDR_VM = struct.Struct("=HIIB3x")
_U32_MAX = 0xFFFFFFFF


class VsockAddressCodec:
    """sockaddr_vm for every AF_VSOCK socket (stream, seqpacket, dgram)."""

    family = AF_VSOCK
    proto: int | None = None

    def __init__(self) -> None:
        # Programs talk to few (cid, port) pairs: cache their encodings.
        self._cache: dict[tuple[int, int], bytes] = {}

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        # CPython's messages for this family carry "getsockaddrarg" instead of the caller's name
        if not isinstance(address, tuple):
            raise TypeError(f"getsockaddrarg: AF_VSOCK address must be tuple, not {type(address).__name__}")
        if len(address) != 2:
            raise TypeError(f"getsockaddrarg() takes exactly 2 arguments ({len(address)} given)")
        cid, port = address
        exact_ints = type(cid) is int and type(port) is int  # 1.0 == 1 must not hit the cache
        if exact_ints:
            body = self._cache.get((cid, port))
            if body is not None:
                return body
        # both types first, then both ranges: the stdlib's order of errors
        cid, port = operator.index(cid), operator.index(port)
        if exact_ints and 0 <= cid <= _U32_MAX and 0 <= port <= _U32_MAX:
            body = _SOCKADDR_VM.pack(0, port, cid, 0)
            if len(self._cache) < 256:  # only in-range pairs: strict() must still see the others
                self._cache[(cid, port)] = body
            return body
        return _SOCKADDR_VM.pack(0, wrap_unsigned(port, 32, "AF_VSOCK port"), wrap_unsigned(cid, 32, "AF_VSOCK cid"), 0)

    def decode(self, body: bytes, sock: SocketInfo) -> VsockAddress:
        if len(body) < _SOCKADDR_VM.size:
            body = bytes(body) + bytes(_SOCKADDR_VM.size - len(body))
        _reserved, port, cid, _flags = _SOCKADDR_VM.unpack_from(body)
        return VsockAddress(cid, port)


CODEC = VsockAddressCodec()
