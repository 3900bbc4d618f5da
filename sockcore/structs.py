"""The C structs of the SOL_SOCKET options, as NamedTuples (no pluggy, no attrs).

Plugins' static modules may import these: ``from sockcore.structs import Ucred``.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Linger", "Timeval", "Ucred"]


class Linger(NamedTuple):
    """``struct linger``: SO_LINGER's value."""

    onoff: int
    seconds: int


class Timeval(NamedTuple):
    """``struct timeval`` as seconds and microseconds (SO_RCVTIMEO, SO_SNDTIMEO)."""

    seconds: int
    microseconds: int

    @classmethod
    def from_float(cls, seconds: float) -> Timeval:
        whole = int(seconds)
        return cls(whole, round((seconds - whole) * 1_000_000))

    def __float__(self) -> float:
        return self.seconds + self.microseconds / 1_000_000


class Ucred(NamedTuple):
    """``struct ucred``: the peer's process, user and group (SO_PEERCRED)."""

    pid: int
    uid: int
    gid: int
