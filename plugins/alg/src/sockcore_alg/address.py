"""AF_ALG addresses: ``struct sockaddr_alg`` as ``(type, name[, feat[, mask]])``."""

from __future__ import annotations

import operator
import struct
from typing import Any, NamedTuple

from sockcore.address import tuple_text
from sockcore.plugin import SocketInfo

from ._constants import AF_ALG

__all__ = ["AlgAddress", "AlgCodec"]

# salg_type[14], salg_feat, salg_mask, salg_name[64] after sa_family
_BODY = struct.Struct("=14sII64s")
TYPE_SIZE = 14
NAME_SIZE = 64
_FORMAT = "AF_ALG address must be a tuple (type, name[, feat[, mask]])"


@tuple_text
class AlgAddress(NamedTuple):
    """An algorithm: its type (``"hash"``, ``"skcipher"``, ``"aead"``, ``"rng"``), name, and feature/mask bits."""

    type: str
    name: str
    feat: int = 0
    mask: int = 0


def _text(value: Any, size: int, what: str) -> bytes:
    if not isinstance(value, str):
        raise TypeError(_FORMAT)
    data = value.encode()  # "s" format: UTF-8, UnicodeEncodeError for lone surrogates
    if b"\0" in data:
        raise ValueError("embedded null character")
    if len(data) >= size:
        raise ValueError(f"AF_ALG {what} too long.")
    return data


def _u32(value: Any) -> int:
    # The stdlib parses feat/mask as 16-bit and masks; the kernel field is 32 bits.
    if not isinstance(value, int) and not hasattr(value, "__index__"):
        raise TypeError(_FORMAT)
    number = operator.index(value)
    if not 0 <= number <= 0xFFFFFFFF:
        raise OverflowError("AF_ALG feat and mask must be 0-4294967295")
    return number


class AlgCodec:
    """``(type, name[, feat[, mask]])`` for every AF_ALG socket."""

    family = AF_ALG
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise TypeError(f"AF_ALG address must be tuple, not {type(address).__name__}")
        if not 2 <= len(address) <= 4:
            raise TypeError(_FORMAT)
        kind = _text(address[0], TYPE_SIZE, "type")
        name = _text(address[1], NAME_SIZE, "name")
        feat = _u32(address[2]) if len(address) > 2 else 0
        mask = _u32(address[3]) if len(address) > 3 else 0
        return _BODY.pack(kind, feat, mask, name)

    def decode(self, body: bytes, sock: SocketInfo) -> AlgAddress:
        if len(body) < _BODY.size:
            body = bytes(body) + bytes(_BODY.size - len(body))
        kind, feat, mask, name = _BODY.unpack_from(body)
        return AlgAddress(
            kind.split(b"\0", 1)[0].decode(errors="surrogateescape"),
            name.split(b"\0", 1)[0].decode(errors="surrogateescape"),
            feat,
            mask,
        )


CODECS = (AlgCodec(),)
