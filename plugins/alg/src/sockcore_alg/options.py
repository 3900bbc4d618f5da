"""SOL_ALG options: the key and the AEAD tag size, both write-only."""

from __future__ import annotations

import operator
from typing import Any

import attrs

from sockcore.plugin import Bytes, SockOpt, option_table

from ._constants import CONSTANTS, SOL_ALG

__all__ = ["ALG_OPTIONS", "AuthSize"]


@attrs.frozen
class AuthSize:
    """ALG_SET_AEAD_AUTHSIZE's value is the option *length*, not its bytes.

    The stdlib spells it ``setsockopt(SOL_ALG, ALG_SET_AEAD_AUTHSIZE, None, taglen)``;
    with ``setopt`` the tag length is the value, and this codec sends that many
    zero bytes, which the kernel reads only as a length.
    """

    size: int = 0
    type_name: str = "int"

    def pack(self, value: Any) -> bytes:
        taglen = operator.index(value)
        if not 0 <= taglen <= 255:
            raise OverflowError(f"an AEAD tag length must be 0-255 bytes, not {taglen}")
        return bytes(taglen)

    def unpack(self, data: bytes) -> int:
        return len(data)


_opt = option_table("AF_ALG", SOL_ALG, CONSTANTS)

# One line per option: name, value codec, what it does, access (the kernel has no getsockopt for these).
ALG_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("ALG_SET_KEY", Bytes(1024), "the key of a keyed algorithm (hmac, ciphers), on the bound socket", "w"),
    _opt("ALG_SET_AEAD_AUTHSIZE", AuthSize(), "the AEAD tag length in bytes, on the bound socket", "w"),
)
