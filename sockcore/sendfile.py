"""socket.sendfile(): ``os.sendfile`` under the socket's timeout, else send() in a loop."""

from __future__ import annotations

import io
import os
from typing import TYPE_CHECKING, Any

from ._constants import CONSTANTS
from .timeouts import Deadline

if TYPE_CHECKING:
    from ._socket import socket

__all__ = ["sendfile"]

_CHUNK_MAX = 2**30  # os.sendfile's count is bounded; the stdlib uses the same cap
_SOCK_STREAM = CONSTANTS["SOCK_STREAM"]


def _check(sock: socket, file: Any, offset: int, count: int | None) -> None:
    if "b" not in getattr(file, "mode", "b"):
        raise ValueError("file should be opened in binary mode")
    if sock.type != _SOCK_STREAM:
        raise ValueError("only SOCK_STREAM type sockets are supported")
    if count is not None:
        if not isinstance(count, int):
            raise TypeError(f"count must be a positive integer (got {count!r})")
        if count <= 0:
            raise ValueError(f"count must be a positive integer (got {count!r})")


def sendfile(sock: socket, file: Any, offset: int = 0, count: int | None = None) -> int:
    """Send ``file`` (from ``offset``, ``count`` bytes or to EOF); return the bytes sent.

    The file position is left after the last byte sent, as in the stdlib.
    """
    _check(sock, file, offset, count)
    try:
        return _use_sendfile(sock, file, offset, count)
    except _GiveUp:
        return _use_send(sock, file, offset, count)


class _GiveUp(Exception):
    """os.sendfile cannot be used for this file or socket: fall back to send()."""


def _use_sendfile(sock: socket, file: Any, offset: int, count: int | None) -> int:
    try:
        fileno = file.fileno()
    except (AttributeError, io.UnsupportedOperation) as exc:
        raise _GiveUp from exc
    try:
        fsize = os.fstat(fileno).st_size
    except OSError as exc:
        raise _GiveUp from exc
    if not fsize:
        return 0  # an empty or special file: nothing to send
    blocksize = min(count or fsize, _CHUNK_MAX)
    timeout = sock.gettimeout()
    if timeout == 0:
        raise ValueError("non-blocking sockets are not supported")
    total_sent = 0
    try:
        while True:
            # CPython's order, bug for bug: every chunk (and the end of a counted
            # send) first waits up to the whole timeout for room; a timeout socket
            # never tries first here (os.sendfile takes no MSG_DONTWAIT)
            if timeout:
                sock._wait(True, Deadline(timeout))
            if count:
                blocksize = min(count - total_sent, blocksize)
                if blocksize <= 0:
                    break
            try:
                # the descriptor is read again for every call: a socket closed by
                # another thread fails with EBADF, never feeds a reused number
                sent = os.sendfile(sock.fileno(), fileno, offset, blocksize)
            except BlockingIOError:
                if not timeout:  # a blocking socket whose twin set O_NONBLOCK: wait, as CPython
                    sock._wait(True, None)
                continue
            except OSError as exc:
                if total_sent == 0:
                    # the first call failed: this file cannot be sendfile()d
                    raise _GiveUp from exc
                raise exc from None  # as CPython's
            if sent == 0:
                break  # EOF
            offset += sent
            total_sent += sent
        return total_sent
    finally:
        if total_sent > 0 and hasattr(file, "seek"):
            file.seek(offset)


def _use_send(sock: socket, file: Any, offset: int, count: int | None) -> int:
    if sock.gettimeout() == 0:
        raise ValueError("non-blocking sockets are not supported")
    if offset:
        file.seek(offset)
    blocksize = min(count, 8192) if count else 8192
    total_sent = 0
    try:
        while True:
            if count:
                blocksize = min(count - total_sent, blocksize)
                if blocksize <= 0:
                    break
            data = memoryview(file.read(blocksize))
            if not data:
                break
            while True:
                try:
                    sent = sock.send(data)
                except BlockingIOError:
                    continue
                total_sent += sent
                if sent < len(data):
                    data = data[sent:]
                else:
                    break
        return total_sent
    finally:
        if total_sent > 0 and hasattr(file, "seek"):
            file.seek(offset + total_sent)
