"""Argument conversion with the stdlib's exceptions and messages.

CPython parses arguments with ``PyArg_ParseTuple`` format codes; these
helpers do the same checks for the codes sockcore-inet needs, so a bad
argument fails with the same exception type (and message shape) as the stdlib.
"""

from __future__ import annotations

import operator
from typing import Any

from sockcore.plugin import INT_MAX as _INT_MAX
from sockcore.plugin import INT_MIN as _INT_MIN
from sockcore.plugin import LONG_MAX as _LONG_MAX
from sockcore.plugin import LONG_MIN as _LONG_MIN

__all__ = ["c_int", "c_long", "c_uint_mask", "encoded_arg", "host_arg", "str_arg"]



def _type_name(value: Any) -> str:
    """How CPython's argument errors name a type ("None" rather than "NoneType")."""
    return "None" if value is None else type(value).__name__


def c_long(value: Any) -> int:
    """The ``l`` code: an integer that fits a C long."""
    number = operator.index(value)
    if not _LONG_MIN <= number <= _LONG_MAX:
        raise OverflowError("Python int too large to convert to C long")
    return number


def c_int(value: Any) -> int:
    """The ``i`` code: an integer that fits a C int."""
    number = c_long(value)
    if number > _INT_MAX:
        raise OverflowError("signed integer is greater than maximum")
    if number < _INT_MIN:
        raise OverflowError("signed integer is less than minimum")
    return number


def c_uint_mask(value: Any) -> int:
    """The ``I`` code: any integer, reduced modulo 2**32 as C does, without a range check."""
    return operator.index(value) & 0xFFFFFFFF


def str_arg(function: str, position: int, value: Any) -> bytes:
    """The ``s`` code: a str without NUL, as UTF-8 (``position`` 0: Argument Clinic's sole argument, unnumbered)."""
    if not isinstance(value, str):
        where = f"argument {position}" if position else "argument"
        raise TypeError(f"{function}() {where} must be str, not {_type_name(value)}")
    data = value.encode("utf-8")
    if b"\0" in data:
        raise ValueError("embedded null character")
    return data


def encoded_arg(function: str, position: int, value: Any) -> bytes:
    """The ``et`` code with the "idna" encoding: str is IDNA-encoded, bytes-likes pass."""
    if isinstance(value, str):
        data = value.encode("idna")
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        raise TypeError(
            f"{function}() argument {position} must be str, bytes or bytearray, not {_type_name(value)}"
        )
    if b"\0" in data:
        raise TypeError(
            f"{function}() argument {position} must be encoded string without null bytes, "
            f"not {_type_name(value)}"
        )
    return data


def host_arg(value: Any) -> bytes:
    """The host of an AF_INET/AF_INET6 address tuple (CPython's ``idna_converter``).

    An ASCII str is taken as is (no IDNA checks), any other str is
    IDNA-encoded, bytes and bytearray pass unchanged.
    """
    if type(value) is str and value.isascii():
        data = value.encode("ascii")
    elif isinstance(value, str):
        try:
            data = value.encode("idna")
        except UnicodeError:
            raise TypeError("encoding of hostname failed") from None
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        # idna_converter names the type with tp_name: "NoneType", unlike the argument parser's "None"
        raise TypeError(f"str, bytes or bytearray expected, not {type(value).__name__}")
    if b"\0" in data:
        raise TypeError("host name must not contain null character")
    return data
