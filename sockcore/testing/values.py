"""Arguments for differential tests of argument converters."""

from __future__ import annotations

__all__ = ["Index"]


class Index:
    """An int-like object that is not an int: it has ``__index__``, as numpy's integers do.

    CPython's "i" and "n" converters take it; code that tests PyLong_Check
    (htonl, if_indextoname) refuses it, and ctypes refuses it too.
    """

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return f"Index({self.value})"
