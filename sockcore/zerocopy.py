"""Zero-copy relay: ``sockcore.splice(src, dst, count=None)`` moves bytes through a kernel pipe.

(Not named splice.py: importing a submodule sets it as an attribute of the
package, which would hide the ``sockcore.splice`` function.)

splice(2) moves data between a descriptor and a pipe inside the kernel, so
bytes from a stream socket reach another socket, a file or a pipe without
being copied into Python (two ``os.splice`` calls a pipe-load: socket ->
pipe, pipe -> destination; one when either end is a pipe already).

Ends are sockcore or stdlib sockets, objects with ``fileno()`` (files,
pipes) or descriptor numbers.  Timeouts are the sockets' own, as
``sendall`` has them: one deadline for the whole call per end (a socket with
a timeout polls before each splice, up to it, then ``TimeoutError``), a blocking
socket blocks, a non-blocking one returns what moved so far or raises
``BlockingIOError`` when nothing could.  An end without a timeout (a file,
a pipe, a number) that answers EAGAIN is waited for.  A socket's descriptor
is read again before every call and wait: one closed by another thread fails
with EBADF.

When the call stops with bytes that already left ``src`` but not yet
reached ``dst`` (a timeout, a reset), they are read back out of the pipe and
attached to the exception as ``exc.pending``; ``exc.moved`` is what reached
``dst``.  Nothing is lost silently.
"""

from __future__ import annotations

import errno
import fcntl
import operator
import os
import stat

from .timeouts import Deadline, wait

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PIPE_SIZE", "Splicer", "splice"]

#: the kernel pipe's capacity: bytes moved per pair of splice calls (the default
#: unprivileged maximum, /proc/sys/fs/pipe-max-size; halved until the kernel takes it).
#: Measured on loopback TCP, tcp -> tcp (2 cores): the middleman's CPU per GiB falls
#: with the pipe size (64 KiB ~0.45 s, 256 KiB ~0.3 s, 1 MiB ~0.22 s; an
#: os.read/os.write loop ~0.5 s), while the sink's rises by about as much (its
#: copy reads bytes written longer ago), so the machine's total barely moves
#: (benchmarks/bench_splice.py has both); 1 MiB costs the middleman least.
PIPE_SIZE = 1 << 20
_PIPE_MIN = 1 << 16  # every pipe's default size
# SPLICE_F_MORE is never passed: it holds a partial TCP segment back for data
# that may never come (an interactive relay would stall on it)
_MOVE = os.SPLICE_F_MOVE
_EAGAIN, _EBADF = errno.EAGAIN, errno.EBADF
_splice = os.splice


class _End:
    """One end of a splice: how to get its descriptor now, its timeout and its deadline.

    An end with a timeout polls before every splice(2) on it, as CPython's
    socket calls poll first: its open file description (shared with every
    dup of it) may have been made blocking by a twin, and no splice flag keeps
    a TCP socket from waiting in the kernel then (SPLICE_F_NONBLOCK covers the
    pipe, and unix sockets, only).  One poll a pipe-load, on timeout sockets only.
    """

    __slots__ = ("deadline", "fixed", "obj", "timeout")

    def __init__(self, obj: Any) -> None:
        if hasattr(obj, "getpeercert"):  # a TLS socket: its descriptor carries ciphertext
            raise ValueError("splice() cannot move a TLS socket's data: its descriptor carries the encrypted stream")
        self.obj = obj
        self.deadline: Deadline | None = None
        if isinstance(obj, int):
            self.fixed: int | None = obj
            self.timeout: float | None = None
        else:
            self.fixed = None if hasattr(obj, "gettimeout") else obj.fileno()  # a socket's is read per call
            self.timeout = obj.gettimeout() if hasattr(obj, "gettimeout") else None

    def fd(self) -> int:
        fd = self.fixed
        if fd is None:
            obj = self.obj
            fd = obj._fd if hasattr(obj, "_fd") else obj.fileno()  # a sockcore socket: -1 once closed
            if fd == -1:
                raise OSError(_EBADF, os.strerror(_EBADF))
        return fd

    def is_pipe(self) -> bool:
        return stat.S_ISFIFO(os.fstat(self.fd()).st_mode)

    def wait(self, writing: bool) -> None:
        """Wait for readiness after EAGAIN, under this end's timeout (none: no deadline)."""
        timeout = self.timeout
        if timeout == 0.0:
            raise BlockingIOError(_EAGAIN, os.strerror(_EAGAIN))
        if timeout is not None and self.deadline is None:
            self.deadline = Deadline(timeout)
        wait(self.fd(), writing, self.deadline)


def _open_pipe() -> tuple[int, int, int]:
    """A pipe, and its capacity: PIPE_SIZE, or the largest half of it the kernel allows."""
    read_end, write_end = os.pipe2(os.O_CLOEXEC)
    want = PIPE_SIZE
    while want > _PIPE_MIN:
        try:
            return read_end, write_end, fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, want)
        except OSError:  # EPERM above pipe-max-size or the user's pipe pages, EBUSY: try half
            want //= 2
    return read_end, write_end, fcntl.fcntl(write_end, fcntl.F_GETPIPE_SZ)


class Splicer:
    """Moves bytes from ``src`` to ``dst`` with splice(2), through a pipe it keeps until closed.

    :meth:`step` moves one pipe-load (what ``src`` has, up to the pipe's
    size) and returns its length, 0 at end of input; a relay calls it in a
    loop.  :func:`splice` is the one-call form.
    """

    def __init__(self, src: Any, dst: Any) -> None:
        self.src, self.dst = _End(src), _End(dst)
        self.moved = 0
        self._read_end = self._write_end = -1
        if self.src.is_pipe() or self.dst.is_pipe():
            self.size = PIPE_SIZE  # one splice straight from src to dst: no pipe of our own
        else:
            self._read_end, self._write_end, self.size = _open_pipe()

    def close(self) -> None:
        for fd in (self._read_end, self._write_end):
            if fd != -1:
                os.close(fd)
        self._read_end = self._write_end = -1

    def __enter__(self) -> Splicer:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def step(self, limit: int | None = None) -> int | None:
        """Move up to one pipe-load (at most ``limit``): its length, 0 at end of input.

        None when ``src`` is non-blocking and has nothing now.
        """
        want = self.size if limit is None else min(self.size, limit)
        if self._write_end == -1:  # src or dst is a pipe: one call
            n = self._fill(self.dst, want, _MOVE)
        else:
            n = self._fill(None, want, _MOVE)
            if n:
                self._drain(n, _MOVE)
        if n:
            self.moved += n
        return n

    def _fill(self, dst: _End | None, want: int, flags: int) -> int | None:
        """One splice from ``src`` into our pipe (``dst`` None) or straight into ``dst``, waiting on EAGAIN.

        None when a non-blocking ``src`` has nothing.  Straight into ``dst``,
        EAGAIN may be either end's: both are waited for (a ready end returns at once).
        """
        src = self.src
        while True:
            if src.timeout:  # a timeout socket polls first (see _End)
                src.wait(False)
            if dst is not None and dst.timeout:
                dst.wait(True)
            try:
                return _splice(src.fd(), self._write_end if dst is None else dst.fd(), want, flags=flags)
            except BlockingIOError:
                try:
                    src.wait(False)
                except BlockingIOError:  # non-blocking: nothing to read now
                    return None
                if dst is not None:
                    dst.wait(True)

    def _drain(self, n: int, flags: int) -> None:
        """Write the ``n`` bytes in the pipe to ``dst``; on failure, attach them to the exception."""
        dst = self.dst
        left = n
        try:
            while left:
                if dst.timeout:  # a timeout socket polls first (see _End)
                    dst.wait(True)
                try:
                    left -= _splice(self._read_end, dst.fd(), left, flags=flags)
                except BlockingIOError:
                    dst.wait(True)
        except OSError as exc:
            pending = b""
            while len(pending) < left:
                pending += os.read(self._read_end, left - len(pending))
            exc.pending = pending  # type: ignore[attr-defined]
            exc.moved = self.moved + n - left  # type: ignore[attr-defined]
            raise


def splice(src: Any, dst: Any, count: int | None = None) -> int:
    """Move ``count`` bytes (None: until end of input) from ``src`` to ``dst`` inside the kernel.

    Returns the bytes moved: fewer than ``count`` at end of input, or when a
    non-blocking ``src`` has no more now.  Ends are stream sockets, files,
    pipes or descriptor numbers; splice(2) refuses some (datagram sockets,
    TLS sockets: their bytes are not the plaintext), which raise OSError
    (EINVAL) at the first call.
    """
    if count is not None:
        count = operator.index(count)
        if count < 0:
            raise ValueError(f"count must be a non-negative integer (got {count!r})")
        if count == 0:
            return 0
    with Splicer(src, dst) as splicer:
        while count is None or splicer.moved < count:
            left = None if count is None else count - splicer.moved
            try:
                n = splicer.step(left)
            except OSError as exc:
                if not hasattr(exc, "moved"):
                    exc.moved = splicer.moved  # type: ignore[attr-defined]
                raise
            if n is None:  # a non-blocking source with nothing now
                if not splicer.moved:
                    raise BlockingIOError(_EAGAIN, os.strerror(_EAGAIN))
                break
            if n == 0:
                break
        return splicer.moved
