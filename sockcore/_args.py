"""Arguments converted as CPython's argument parser converts them, with its errors.

The socket methods take C ints ("i"), sizes (Py_ssize_t, "n") and bytes-like
objects ("y*"); these helpers raise the exception types and messages the
stdlib raises for the same bad values.
"""

from __future__ import annotations

import operator
import struct
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "INT_MAX", "INT_MIN", "LONG_MAX", "LONG_MIN", "SIZE_MAX", "SOCKLEN_MAX", "SSIZE_MAX", "SSIZE_MIN", "UINT_MAX",
    "ULONG_MAX",
    "bytes_like", "c_int", "if_index", "ssize", "uint16", "uint32",
]


def _bits(code: str) -> int:
    """The width in bits of the C type behind a ``struct`` code, on this interpreter's ABI."""
    return 8 * struct.calcsize("@" + code)


# The C integer limits of this ABI (C long and Py_ssize_t are 32 bits on
# i386 and armhf, 64 on LP64 systems): the bounds CPython's converters check.
INT_MAX = (1 << (_bits("i") - 1)) - 1
INT_MIN = -INT_MAX - 1
UINT_MAX = (1 << _bits("I")) - 1
LONG_MAX = (1 << (_bits("l") - 1)) - 1
LONG_MIN = -LONG_MAX - 1
ULONG_MAX = (1 << _bits("L")) - 1
SSIZE_MAX = (1 << (_bits("n") - 1)) - 1  # Py_ssize_t
SSIZE_MIN = -SSIZE_MAX - 1
SIZE_MAX = (1 << _bits("N")) - 1
SOCKLEN_MAX = UINT_MAX  # socklen_t is a 32-bit unsigned int on every platform sockcore knows
_C_LONG_OVERFLOW = "Python int too large to convert to C long"  # "i" converts through a C long


def c_int(value: Any) -> int:
    """A C int ("i"): its TypeError and OverflowError."""
    if value.__class__ is not int:
        value = operator.index(value)  # "'str' object cannot be interpreted as an integer"
    if value > INT_MAX:
        raise OverflowError(_C_LONG_OVERFLOW if value > LONG_MAX else "signed integer is greater than maximum")
    if value < INT_MIN:
        raise OverflowError(_C_LONG_OVERFLOW if value < LONG_MIN else "signed integer is less than minimum")
    return value  # type: ignore[no-any-return]


def uint16(value: Any, name: str) -> int:
    """htons/ntohs's argument: a C int ("i"; Argument Clinic's int from 3.13), then CPython's 16-bit checks."""
    if sys.version_info >= (3, 13):
        if value.__class__ is not int:
            value = operator.index(value)
        if not INT_MIN <= value <= INT_MAX:
            raise OverflowError("Python int too large to convert to C int")  # one message, either sign
    else:
        value = c_int(value)
    if value < 0:
        raise OverflowError(f"{name}: can't convert negative Python int to C 16-bit unsigned integer")
    if value > 0xFFFF:
        raise OverflowError(f"{name}: Python int too large to convert to C 16-bit unsigned integer")
    return value  # type: ignore[no-any-return]


def _ulong(value: int) -> int:
    """PyLong_AsUnsignedLong of an int."""
    if value < 0:
        raise OverflowError("can't convert negative value to unsigned int")  # sic: CPython's words
    if value > ULONG_MAX:
        raise OverflowError("Python int too large to convert to C unsigned long")
    return value


def uint32(value: Any) -> int:
    """htonl/ntohl's argument: an int (no __index__: CPython tests PyLong_Check), a C unsigned long, 32 bits."""
    if not isinstance(value, int):
        raise TypeError(f"expected int, {type(value).__name__} found")
    number = _ulong(int(value))
    if number > 0xFFFFFFFF:  # only where a C long is wider than 32 bits
        raise OverflowError("int larger than 32 bits")
    return number


def if_index(value: Any) -> int:
    """if_indextoname's argument: an int (PyLong_Check, no __index__) as a C unsigned int."""
    if not isinstance(value, int):
        raise TypeError("an integer is required")
    index = _ulong(int(value))
    if index > UINT_MAX:
        if sys.version_info >= (3, 13):
            raise OverflowError("index is too large")
        index &= UINT_MAX  # before 3.13 CPython stores the unsigned long in an unsigned int
    return index


def ssize(value: Any) -> int:
    """A Py_ssize_t ("n")."""
    n: int = value if value.__class__ is int else operator.index(value)
    if not SSIZE_MIN <= n <= SSIZE_MAX:
        raise OverflowError("Python int too large to convert to C ssize_t")
    return n


def bytes_like(data: Any) -> bytes:
    """A bytes-like object ("y*") as bytes; str and the rest raise the stdlib's TypeError."""
    if type(data) is bytes:
        return data  # type: ignore[no-any-return,unused-ignore]
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'") from None
    if not view.c_contiguous:  # "y*" asks for a simple buffer: a strided view refuses it
        raise BufferError("memoryview: underlying buffer is not C-contiguous")
    return view.tobytes()
