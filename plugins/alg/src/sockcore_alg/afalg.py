"""``sock.sendmsg_afalg()``: sendmsg with the operation, IV and AEAD lengths as control messages.

The arguments are parsed as CPython parses ``"|O$O!y*O!i:sendmsg_afalg"``:
``msg`` positional or keyword, then the keyword-only ``op`` and ``assoclen``
(exactly ints), ``iv`` (bytes-like) and ``flags`` (a C int), each converted
in that order with the stdlib's exception and message, and only then the
values checked.
"""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterable
from typing import Any, Protocol

from sockcore.address import argument_type_name
from sockcore.plugin import c_int

from ._constants import AF_ALG, ALG_SET_AEAD_ASSOCLEN, ALG_SET_IV, ALG_SET_OP, SOL_ALG

__all__ = ["afalg_control", "sendmsg_afalg"]

_U32 = struct.Struct("=I")
_KEYWORDS = ("msg", "op", "iv", "assoclen", "flags")
_MISSING: Any = object()


class _Socket(Protocol):
    @property
    def family(self) -> int: ...

    def sendmsg(self, buffers: Iterable[Any] = ..., ancdata: Iterable[Any] = ..., flags: int = ..., address: Any = ...) -> int: ...


def _exact_int(value: Any, position: int) -> Any:
    """The ``O!`` code with PyLong_Type: an int (or subclass), converted later."""
    if not isinstance(value, int):
        raise TypeError(f"sendmsg_afalg() argument {position} must be int, not {argument_type_name(value)}")
    return value


def _c_int_value(value: int) -> int:
    """PyLong_AsInt: one message for both directions."""
    try:
        return c_int(value)
    except OverflowError:
        raise OverflowError("Python int too large to convert to C int") from None


def _iv_bytes(iv: Any) -> bytes:
    """The ``y*`` code: any C-contiguous buffer."""
    try:
        view = memoryview(iv)
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type(iv).__name__}'") from None
    with view:
        if not view.c_contiguous:
            raise BufferError("memoryview: underlying buffer is not C-contiguous")
        return view.tobytes()


def afalg_control(op: Any, iv: Any = None, assoclen: Any = None) -> list[tuple[int, int, bytes]]:
    """The ancillary items sendmsg_afalg sends: ALG_SET_OP, then ALG_SET_IV and ALG_SET_AEAD_ASSOCLEN if given.

    ``op`` must be an int in 0..INT_MAX (TypeError otherwise, as the stdlib),
    ``assoclen`` None or a non-negative C int.
    """
    try:
        op_value = c_int(_exact_int(op, 2))
    except (TypeError, OverflowError):
        op_value = -1
    if op_value < 0:  # CPython replaces any conversion error of op with this one
        raise TypeError("Invalid or missing argument 'op'")
    items = [(SOL_ALG, ALG_SET_OP, _U32.pack(op_value))]
    if iv is not None:
        iv_bytes = _iv_bytes(iv)
        # struct af_alg_iv: u32 ivlen, then the IV
        items.append((SOL_ALG, ALG_SET_IV, _U32.pack(len(iv_bytes)) + iv_bytes))
    if assoclen is not None:
        length = _c_int_value(_exact_int(assoclen, 4))
        if length < 0:
            raise TypeError("assoclen must be positive")
        items.append((SOL_ALG, ALG_SET_AEAD_ASSOCLEN, _U32.pack(length)))
    return items


def _unknown_keyword(name: str) -> TypeError:
    if sys.version_info >= (3, 13):
        return TypeError(f"sendmsg_afalg() got an unexpected keyword argument '{name}'")
    return TypeError(f"'{name}' is an invalid keyword argument for sendmsg_afalg()")


def sendmsg_afalg(sock: _Socket, /, *args: Any, **kwargs: Any) -> int:
    """sendmsg_afalg([msg, ]*, op[, iv[, assoclen[, flags]]]): send to an AF_ALG operation socket.

    ``msg`` is an iterable of bytes-like objects, ``op`` ALG_OP_ENCRYPT or
    ALG_OP_DECRYPT (required, keyword-only), ``iv`` the initialization vector,
    ``assoclen`` the length of the AEAD associated data at the start of the
    message, ``flags`` the sendmsg flags (MSG_MORE to send more later).
    Returns the number of bytes sent.
    """
    if sock.family != AF_ALG:
        raise OSError("algset is only supported for AF_ALG")
    if len(args) > 1:
        raise TypeError(f"sendmsg_afalg() takes at most 1 positional argument ({len(args)} given)")
    if args and "msg" in kwargs:
        raise TypeError("argument for sendmsg_afalg() given by name ('msg') and position (1)")
    msg = args[0] if args else kwargs.get("msg", _MISSING)
    op = kwargs.get("op", _MISSING)
    if op is not _MISSING:
        _exact_int(op, 2)
    iv = kwargs.get("iv", _MISSING)
    iv_bytes = None if iv is _MISSING else _iv_bytes(iv)  # None given is a TypeError, as any non-buffer
    assoclen = kwargs.get("assoclen", _MISSING)
    if assoclen is not _MISSING:
        _exact_int(assoclen, 4)  # None given is a TypeError: no value means "not given" only when absent
    flags = c_int(kwargs.get("flags", 0))
    for name in kwargs:
        if name not in _KEYWORDS:
            raise _unknown_keyword(name)
    control = afalg_control(None if op is _MISSING else op, iv_bytes, None if assoclen is _MISSING else assoclen)
    return sock.sendmsg(() if msg is _MISSING else msg, control, flags)
