"""Closing a socket that another thread is in a call on: keep its number until that call returns.

A method reads ``self._fd`` while it holds the GIL and hands the number to
``os.read``/``os.write``/ctypes, which release the GIL before the system
call.  A ``close()`` in another thread in that gap frees the number, the
next socket made gets it, and the call then reads or writes that socket.
CPython reads the descriptor after releasing the GIL, so its call fails
with EBADF.

So when another thread is in a sockcore call on the socket being closed
(a sockcore frame on its stack holds the socket), ``close()``
does not free the number: it puts a *tombstone* on it, an O_PATH descriptor
(of an anonymous memfd) on which read, write and every socket call fail
with EBADF, as CPython's would.  The socket itself is released as by
close(2).  The tombstone is closed, and the number freed, once none of the
frames that held the socket is on any thread's stack (checked whenever a
socket is made or closed).  A single-threaded program never gets here.
"""

from __future__ import annotations

import os
import sys
from _thread import get_ident

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any

__all__ = ["bury", "graves", "reap"]


class _Grave:
    """A number kept by a tombstone, and the frames that must return before it is freed."""

    __slots__ = ("fd", "frames", "identity")

    def __init__(self, fd: int, identity: tuple[int, int], frames: list[FrameType]) -> None:
        self.fd = fd
        self.identity = identity
        self.frames = frames


#: the numbers kept now (a list mutated in place: callers test it for emptiness cheaply)
graves: list[_Grave] = []


#: sockcore frames that hold a socket without handing its number to a system call
_NOT_IN_A_CALL = frozenset({"close", "_real_close", "_release", "detach", "__exit__", "__del__", "_decref_socketios"})


def _frames_holding(sock: Any) -> list[FrameType]:
    """Every sockcore frame of another thread that holds ``sock`` (self, sock ...) in a call on it."""
    me = get_ident()
    holding = []
    for ident, frame in sys._current_frames().items():
        if ident == me:
            continue
        at: FrameType | None = frame
        while at is not None:
            if at.f_globals.get("__name__", "").startswith("sockcore") and at.f_code.co_name not in _NOT_IN_A_CALL:
                try:
                    values = at.f_locals.values()
                except Exception:  # a frame being torn down: nothing to hold
                    values = ()  # type: ignore[assignment]
                if any(value is sock for value in values):
                    holding.append(at)
            at = at.f_back
    return holding


def _tombstone() -> int:
    """An O_PATH descriptor of a fresh anonymous file: every read, write and socket call on it is EBADF."""
    memfd = os.memfd_create("sockcore-closed-socket", os.MFD_CLOEXEC)
    try:
        return os.open(f"/proc/self/fd/{memfd}", os.O_PATH | os.O_CLOEXEC)
    finally:
        os.close(memfd)


def bury(sock: Any, fd: int) -> bool:
    """Close ``fd`` for ``sock`` under a tombstone if another thread is in a call on it; True if so.

    False: nobody else holds the socket, and the caller closes ``fd`` as usual.
    """
    frames = _frames_holding(sock)
    if not frames:
        return False
    tomb = _tombstone()
    try:
        os.dup2(tomb, fd, inheritable=False)  # releases the socket, as close(2) would, in the same step
        stat = os.fstat(fd)
    finally:
        os.close(tomb)
    graves.append(_Grave(fd, (stat.st_dev, stat.st_ino), frames))
    reap()
    return True


def reap() -> None:
    """Free every kept number whose frames have all returned (and that still holds our tombstone)."""
    live: set[int] = set()
    for frame in sys._current_frames().values():
        at: FrameType | None = frame
        while at is not None:
            live.add(id(at))
            at = at.f_back
    for grave in list(graves):
        if any(id(frame) in live for frame in grave.frames):
            continue
        graves.remove(grave)
        try:
            stat = os.fstat(grave.fd)
        except OSError:
            continue  # closed by someone else already
        if (stat.st_dev, stat.st_ino) == grave.identity:
            os.close(grave.fd)
