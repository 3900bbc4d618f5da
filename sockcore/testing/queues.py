"""Fill a socket's send path, or empty its receive queue, without waiting.

Timeout, signal and close-while-waiting tests need a call that would block:
a send into a full path, a receive from an empty queue.  Both helpers work on
a socket of either module (the stdlib's or sockcore's), leave its timeout as
they found it, and never wait.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["drain", "fill"]

_CHUNK = b"\0" * 65536


def fill(sock: Any) -> int:
    """Send until the kernel takes nothing more, even one byte; the bytes sent.

    Big writes first, then smaller ones for the room a big one cannot use, so
    the next send of any size would block.
    """
    timeout = sock.gettimeout()
    sock.setblocking(False)
    sent = 0
    try:
        for size in (len(_CHUNK), 4096, 1):
            try:
                while True:
                    sent += sock.send(_CHUNK[:size])
            except BlockingIOError:
                pass
    finally:
        sock.settimeout(timeout)
    return sent


def drain(sock: Any) -> bytes:
    """Every byte queued on ``sock`` now (up to its peer's end of stream)."""
    timeout = sock.gettimeout()
    sock.setblocking(False)
    chunks = []
    try:
        while chunk := sock.recv(1 << 20):
            chunks.append(chunk)
    except BlockingIOError:
        pass
    finally:
        sock.settimeout(timeout)
    return b"".join(chunks)
