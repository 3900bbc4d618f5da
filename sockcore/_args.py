"""Arguments converted as CPython's argument parser converts them, with its errors.

The socket methods take C ints ("i"), sizes (Py_ssize_t, "n") and bytes-like
objects ("y*"); these helpers raise the exception types and messages the
stdlib raises for the same bad values.
"""

from __future__ import annotations

import operator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["INT_MAX", "INT_MIN", "bytes_like", "c_int", "ssize"]

INT_MAX = 2**31 - 1
INT_MIN = -(2**31)
_C_LONG_OVERFLOW = "Python int too large to convert to C long"  # "i" converts through a C long


def c_int(value: Any) -> int:
    """A C int ("i"): its TypeError and OverflowError."""
    if value.__class__ is not int:
        value = operator.index(value)  # "'str' object cannot be interpreted as an integer"
    if value > INT_MAX:
        raise OverflowError(_C_LONG_OVERFLOW if value >= 2**63 else "signed integer is greater than maximum")
    if value < INT_MIN:
        raise OverflowError(_C_LONG_OVERFLOW if value < -(2**63) else "signed integer is less than minimum")
    return value  # type: ignore[no-any-return]


def ssize(value: Any) -> int:
    """A Py_ssize_t ("n")."""
    n: int = value if value.__class__ is int else operator.index(value)
    if not -(2**63) <= n < 2**63:
        raise OverflowError("Python int too large to convert to C ssize_t")
    return n


def bytes_like(data: Any) -> bytes:
    """A bytes-like object ("y*") as bytes; str and the rest raise the stdlib's TypeError."""
    if type(data) is bytes:
        return data  # type: ignore[no-any-return,unused-ignore]
    try:
        return memoryview(data).tobytes()
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'") from None
