"""Calls that would wait, for tests: a full send path, an empty queue, a bounded call.

Timeout, signal and close-while-waiting tests need a call that would block:
a send into a full path, a receive from an empty queue.  ``fill`` and
``drain`` work on a socket of either module (the stdlib's or sockcore's),
leave its timeout as they found it, and never wait; ``bounded_call`` runs the
call under test so that one that waits too long fails the test, not hangs it.
"""

from __future__ import annotations

import threading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["Blocked", "bounded_call", "drain", "fill"]

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


class Blocked(Exception):
    """What :func:`bounded_call` reports for a call that was still waiting when its time was up."""


def bounded_call(call: Callable[[], Any], unblock: Callable[[], object], seconds: float = 2.0) -> Any:
    """``call()``'s result or the exception it raised, as a value; :class:`Blocked` if it waited too long.

    The call runs in a thread.  One still waiting after ``seconds`` is freed by
    ``unblock()`` (data to read, room to write, a connection to accept), so a
    test of a call that should not wait fails instead of hanging.
    """
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(call())
        except Exception as exc:  # the outcome is the caller's to judge
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if not thread.is_alive():
        return outcome[0]
    unblock()
    thread.join(10 * seconds)
    return Blocked(f"still waiting after {seconds} s; after unblock(): {outcome}")
