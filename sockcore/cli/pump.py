"""The copy engine: one thread per direction, each a blocking read/write loop.

A relay between two sockets is two independent copy loops.  Blocking calls
on blocking descriptors are what a plain ``os.read``/``os.write`` loop does,
so each direction runs at that speed; ``os.readv`` into one preallocated
buffer saves the allocation ``os.read`` makes per chunk.  Two threads (not one
poll loop with blocking writes) so a peer that echoes can never deadlock the
relay: each direction waits only for its own reader and writer.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Callable, Sequence

__all__ = ["CHUNK", "DATAGRAM_CHUNK", "Direction", "Session"]

#: bytes per read; large enough that the syscall count does not matter
CHUNK = 256 * 1024

#: bytes per read when each read becomes one datagram: the largest UDP payload
#: over IPv4, which every datagram family here accepts
DATAGRAM_CHUNK = 65507

#: a reader or writer that went away: the end of a direction, not an error to report
_GONE = {errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN, errno.ESHUTDOWN}


class Direction:
    """Copies ``src`` to ``dst`` until end of input, calling ``on_eof`` then.

    ``packets`` marks a datagram source: an empty read is an empty datagram,
    not the end, and each read is written with one call (one datagram out).
    ``splice`` moves the bytes inside the kernel (splice(2) through a pipe,
    sockcore.zerocopy) between two stream ends; when the kernel refuses it
    before the first byte, the direction copies instead and tells ``note`` why.
    """

    def __init__(
        self,
        label: str,
        src: int,
        dst: int,
        *,
        packets: bool = False,
        chunk: int = CHUNK,
        on_eof: Callable[[], None] | None = None,
        changed: threading.Event | None = None,
        splice: bool = False,
        note: Callable[[str], None] | None = None,
    ) -> None:
        self.label = label
        self.splice = splice
        self.note = note
        self.src = src
        self.dst = dst
        self.packets = packets
        self.chunk = chunk
        self.on_eof = on_eof
        self.changed = changed or threading.Event()
        self.bytes = 0
        self.last_activity = time.monotonic()
        self.error: OSError | None = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, name=f"sockcore {label}", daemon=True)

    def start(self) -> Direction:
        self.thread.start()
        return self

    def run(self) -> None:
        try:
            if not (self.splice and self._spliced()):
                self._copy()
        except OSError as exc:
            if exc.errno not in _GONE:
                self.error = exc
        finally:
            try:
                if self.on_eof is not None:
                    self.on_eof()
            except OSError:
                pass  # the peer is already gone: nothing left to tell it
            self.done.set()
            self.changed.set()

    def _copy(self) -> None:
        buf = bytearray(self.chunk)
        view = memoryview(buf)
        src, dst, packets = self.src, self.dst, self.packets
        readv, write, now = os.readv, os.write, time.monotonic
        while True:
            n = readv(src, [buf])
            if n == 0 and not packets:
                break
            if packets:
                write(dst, view[:n])
            else:
                sent = write(dst, view[:n])
                while sent < n:
                    sent += write(dst, view[sent:n])
            self.bytes += n
            self.last_activity = now()

    def _spliced(self) -> bool:
        """Move everything with splice(2); False when the kernel refused it before any byte moved."""
        from ..zerocopy import Splicer

        now = time.monotonic
        with Splicer(self.src, self.dst) as splicer:
            while True:
                try:
                    n = splicer.step()
                except OSError as exc:
                    if splicer.moved or exc.errno not in _NO_SPLICE:
                        raise
                    pending: bytes = getattr(exc, "pending", b"")  # read into the pipe, then refused by dst
                    if pending:
                        _write_all(self.dst, pending)
                        self.bytes += len(pending)
                    if self.note is not None:
                        self.note(f"{self.label}: splice(2) refused ({os.strerror(exc.errno or 0)}), copying through Python")
                    return False
                if not n:  # end of input (None, nothing yet, cannot happen on blocking descriptors)
                    return True
                self.bytes += n
                self.last_activity = now()


#: what splice(2) answers for descriptors it cannot move between
_NO_SPLICE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ESPIPE}


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Session:
    """Directions that run together; ends when the ``required`` ones are done.

    ``idle_timeout`` ends the session (normally) when no direction moved a
    byte for that long; ``linger`` does the same once the required directions
    are done (a datagram reply may still be on its way).  ``abort`` wakes the threads still blocked (it shuts
    the sockets down) when the session ends early or fails.
    """

    def __init__(
        self,
        directions: Sequence[Direction],
        *,
        required: Sequence[Direction] | None = None,
        idle_timeout: float | None = None,
        linger: float | None = None,
        abort: Callable[[], None] | None = None,
    ) -> None:
        self.directions = list(directions)
        self.required = list(required if required is not None else directions)
        self.idle_timeout = idle_timeout
        self.linger = linger
        self.abort = abort
        self.changed = threading.Event()
        for d in self.directions:
            d.changed = self.changed
        self.idled = False

    def run(self) -> None:
        """Run to the end; raises the first direction's OSError."""
        for d in self.directions:
            d.start()
        try:
            self._wait()
        finally:
            if not all(d.done.is_set() for d in self.directions) and self.abort is not None:
                self.abort()
            for d in self.directions:
                d.thread.join(0.5)  # a thread blocked on a terminal stays behind as a daemon
        for d in self.directions:
            if d.error is not None:
                raise d.error

    def _wait(self) -> None:
        required_done_at: float | None = None
        while True:
            if any(d.error is not None for d in self.directions):
                return
            now = time.monotonic()
            last = max(d.last_activity for d in self.directions)
            deadlines = []
            if all(d.done.is_set() for d in self.required):
                if self.linger is None or all(d.done.is_set() for d in self.directions):
                    return
                required_done_at = required_done_at or now
                deadlines.append(max(last, required_done_at) + self.linger)
            if self.idle_timeout is not None:
                deadlines.append(last + self.idle_timeout)
            timeout = min(deadlines) - now if deadlines else None
            if timeout is not None and timeout <= 0:
                self.idled = True
                return
            self.changed.wait(timeout)
            self.changed.clear()
