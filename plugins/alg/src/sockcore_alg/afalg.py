"""``sock.sendmsg_afalg()``: sendmsg with the operation, IV and AEAD lengths as control messages."""

from __future__ import annotations

import operator
import struct
from collections.abc import Iterable
from typing import Any, Protocol

from ._constants import AF_ALG, ALG_SET_AEAD_ASSOCLEN, ALG_SET_IV, ALG_SET_OP, SOL_ALG

__all__ = ["afalg_control", "sendmsg_afalg"]

_INT_MAX = 2**31 - 1
_U32 = struct.Struct("=I")


class _Socket(Protocol):
    @property
    def family(self) -> int: ...

    def sendmsg(self, buffers: Iterable[Any] = ..., ancdata: Iterable[Any] = ..., flags: int = ..., address: Any = ...) -> int: ...


def afalg_control(op: Any, iv: Any = None, assoclen: Any = None) -> list[tuple[int, int, bytes]]:
    """The ancillary items sendmsg_afalg sends: ALG_SET_OP, then ALG_SET_IV and ALG_SET_AEAD_ASSOCLEN if given.

    Arguments are checked as the stdlib checks them.
    """
    if not isinstance(op, int) or not 0 <= op <= _INT_MAX:
        raise TypeError("Invalid or missing argument 'op'")
    items = [(SOL_ALG, ALG_SET_OP, _U32.pack(op))]
    if iv is not None:
        try:
            iv_bytes = bytes(memoryview(iv))
        except TypeError:
            raise TypeError(
                f"sendmsg_afalg() argument 'iv' must be bytes-like object, not {type(iv).__name__}"
            ) from None
        # struct af_alg_iv: u32 ivlen, then the IV
        items.append((SOL_ALG, ALG_SET_IV, _U32.pack(len(iv_bytes)) + iv_bytes))
    if assoclen is not None:
        if not isinstance(assoclen, int):
            raise TypeError(
                f"sendmsg_afalg() argument 'assoclen' must be int, not {type(assoclen).__name__}"
            )
        if assoclen > _INT_MAX or assoclen < -_INT_MAX - 1:
            raise OverflowError("Python int too large to convert to C int")
        if assoclen < 0:
            raise TypeError("assoclen must be positive")
        items.append((SOL_ALG, ALG_SET_AEAD_ASSOCLEN, _U32.pack(assoclen)))
    return items


def sendmsg_afalg(
    sock: _Socket,
    msg: Iterable[Any] = (),
    *,
    op: int,
    iv: Any = None,
    assoclen: int | None = None,
    flags: int = 0,
) -> int:
    """Send ``msg`` (an iterable of bytes-like objects) to an AF_ALG operation socket.

    ``op`` is ALG_OP_ENCRYPT or ALG_OP_DECRYPT, ``iv`` the initialization
    vector, ``assoclen`` the length of the AEAD associated data at the start of
    the message, ``flags`` the sendmsg flags (MSG_MORE to send more later).
    Returns the number of bytes sent.
    """
    if sock.family != AF_ALG:
        raise OSError("algset is only supported for AF_ALG")
    control = afalg_control(op, iv, assoclen)
    flags = operator.index(flags)
    if not -_INT_MAX - 1 <= flags <= _INT_MAX:
        raise OverflowError("Python int too large to convert to C int")
    return sock.sendmsg(msg, control, flags)
