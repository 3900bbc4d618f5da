"""AF_ALG addresses: ``struct sockaddr_alg`` as ``(type, name[, feat[, mask]])``."""

from __future__ import annotations

import operator
import struct
from typing import Any, NamedTuple

from sockcore.address import caller_error, is_strict, tuple_text, wrap_unsigned
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


def _text(value: Any) -> bytes:
    """The "s" code: a str without NUL, as UTF-8 (UnicodeEncodeError for lone surrogates)."""
    if not isinstance(value, str):
        raise TypeError(_FORMAT)
    data = value.encode()
    if b"\0" in data:
        raise ValueError("embedded null character")
    return data


def _fits(data: bytes, size: int, what: str) -> bytes:
    if len(data) >= size:  # the NUL must fit too
        raise ValueError(f"AF_ALG {what} too long.")
    return data


def _feat_or_mask(value: Any, what: str) -> int:
    """CPython parses feat and mask with "H": any int, modulo 2**16, although the kernel's fields are u32.

    Under strict() the whole 32-bit field is used instead, and a value beyond it raises OverflowError.
    """
    number = operator.index(value)  # "H": its TypeError for a float, a str ...
    if is_strict():
        return wrap_unsigned(number, 32, f"AF_ALG {what}")
    return number & 0xFFFF


class AlgCodec:
    """``(type, name[, feat[, mask]])`` for every AF_ALG socket."""

    family = AF_ALG
    proto: int | None = None

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise caller_error(TypeError(f"AF_ALG address must be tuple, not {type(address).__name__}"))
        if not 2 <= len(address) <= 4:
            raise TypeError(_FORMAT)
        # every field parsed first, then the lengths: CPython's order of errors
        kind, name = _text(address[0]), _text(address[1])
        feat = _feat_or_mask(address[2], "feat") if len(address) > 2 else 0
        mask = _feat_or_mask(address[3], "mask") if len(address) > 3 else 0
        return _BODY.pack(_fits(kind, TYPE_SIZE, "type"), feat, mask, _fits(name, NAME_SIZE, "name"))

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
