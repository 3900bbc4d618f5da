"""SocketIO: the raw I/O object under ``socket.makefile()``.

It holds a reference on the socket (``_io_refs``): closing the socket while a
file made from it is open keeps the descriptor until the file closes too.
A timeout ends the file's usefulness, as in the stdlib: later reads raise.
"""

from __future__ import annotations

import errno
import io

TYPE_CHECKING = False  # typing is not imported at run time: `import sockcore` loads this module
if TYPE_CHECKING:
    from typing import Any

    from ._socket import socket

__all__ = ["SocketIO"]

_BLOCKING_ERRNOS = {errno.EAGAIN, errno.EWOULDBLOCK}


class SocketIO(io.RawIOBase):
    """Raw, unbuffered I/O on a socket, for the buffered and text layers above it."""

    def __init__(self, sock: socket, mode: str) -> None:
        if mode not in ("r", "w", "rw", "rb", "wb", "rwb"):
            raise ValueError(f"invalid mode: {mode!r}")
        io.RawIOBase.__init__(self)
        self._sock: socket | None = sock
        if "b" not in mode:
            mode += "b"
        self._mode = mode
        self._reading = "r" in mode
        self._writing = "w" in mode
        self._timeout_occurred = False

    def readinto(self, b: Any) -> int | None:
        """Read into ``b``; None when a non-blocking socket has no data yet."""
        self._checkClosed()
        if not self._reading:
            raise io.UnsupportedOperation("File not open for reading")
        if self._timeout_occurred:
            raise OSError("cannot read from timed out object")
        assert self._sock is not None
        try:
            return self._sock.recv_into(b)
        except TimeoutError:
            self._timeout_occurred = True
            raise
        except OSError as e:
            if e.errno in _BLOCKING_ERRNOS:
                return None
            raise

    def write(self, b: Any) -> int | None:
        """Write ``b``; None when a non-blocking socket cannot take any of it yet."""
        self._checkClosed()
        if not self._writing:
            raise io.UnsupportedOperation("File not open for writing")
        assert self._sock is not None
        try:
            return self._sock.send(b)
        except OSError as e:
            if e.errno in _BLOCKING_ERRNOS:
                return None
            raise

    def readable(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed socket.")
        return self._reading

    def writable(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed socket.")
        return self._writing

    def seekable(self) -> bool:
        if self.closed:
            raise ValueError("I/O operation on closed socket.")
        return super().seekable()

    def fileno(self) -> int:
        self._checkClosed()
        assert self._sock is not None
        return self._sock.fileno()

    @property
    def name(self) -> int:
        return self.fileno() if not self.closed else -1

    @property
    def mode(self) -> str:
        return self._mode

    def close(self) -> None:
        """Close the file, and the socket too if it was closed while the file was open."""
        if self.closed:
            return
        io.RawIOBase.close(self)
        assert self._sock is not None
        self._sock._decref_socketios()
        self._sock = None


SocketIO.__module__ = "sockcore"  # the public name, as socket.SocketIO's is socket (repr: <sockcore.SocketIO ...>)
