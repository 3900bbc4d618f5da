"""Opt-in strict address fields: ``with sockcore.strict(): ...``.

CPython converts many address fields with C's unchecked conversions (the
``I``, ``k``, ``K``, ``H`` and ``B`` format codes, or an ``int`` stored in a
narrower struct field): ``-2`` becomes ``0xfffffffe``, ``2**32 + 5`` becomes
``5``, and the kernel decides what the wrapped number means (often EINVAL or
EADDRNOTAVAIL, which programs catch as OSError).  sockcore does the same by
default.  Inside ``strict()`` such a field out of its C range raises
OverflowError instead, so a wrong number never reaches the kernel as another
one; the fields the stdlib range-checks itself (a port number) raise in both modes.

The switch is a context variable: it holds for the current thread or
asyncio task, and nests.  Kept free of ``typing``: codecs call it on their
slow path only (a field out of range), never per call.
"""

import contextvars

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["is_strict", "strict", "wrap_unsigned"]

_STRICT = contextvars.ContextVar("sockcore_strict", default=False)


class strict:
    """Context manager: address fields out of their C range raise OverflowError instead of wrapping."""

    __slots__ = ("_tokens",)

    def __init__(self) -> None:
        self._tokens: list[contextvars.Token[bool]] = []

    def __enter__(self) -> "strict":
        self._tokens.append(_STRICT.set(True))
        return self

    def __exit__(self, *exc_info: "Any") -> None:
        _STRICT.reset(self._tokens.pop())


def is_strict() -> bool:
    """Whether the caller is inside ``strict()``."""
    return _STRICT.get()


def wrap_unsigned(number: int, bits: int, what: str) -> int:
    """``number`` stored in an unsigned C field of ``bits`` bits, as C stores it (modulo ``2**bits``).

    Under ``strict()`` a number out of range raises
    ``OverflowError("<what> must be 0-<max>, not <number>")`` instead.
    """
    top = (1 << bits) - 1
    if 0 <= number <= top:
        return number
    if _STRICT.get():
        raise OverflowError(f"{what} must be 0-{top}, not {number}")
    return number & top
