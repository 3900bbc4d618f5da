"""Codec errors whose stdlib message names the calling socket method."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the import path
if TYPE_CHECKING:
    from typing import TypeVar

    E = TypeVar("E", bound=BaseException)

__all__ = ["caller_error"]


def caller_error(exc: E) -> E:
    """Mark a codec's error whose stdlib message names the calling method, and return it.

    CPython's getsockaddrarg starts some messages with the method
    ("sendto(): <family> address must be tuple, not NoneType", "bind(): port
    must be 0-65535."): a codec raises the text after the prefix,
    ``raise caller_error(TypeError("<family> address must be tuple, not ..."))``,
    and the socket method puts its own name in front.
    """
    exc.sockcore_caller = True  # type: ignore[attr-defined]
    return exc
