"""Odd arguments to every socket method fail as the stdlib fails: same type, same message.

A table of calls with out-of-range, wrongly typed and oddly shaped arguments
runs on a stdlib socket and a sockcore socket (AF_UNIX datagram, non-blocking,
so nothing waits); each pair of outcomes must match exactly.
"""

from __future__ import annotations

import socket as std
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

import sockcore
from sockcore.testing import Index

WEIRD: list[Any] = [
    Index(1), Index(8), Index(2**40), std.SOL_SOCKET, std.MsgFlag.MSG_PEEK,
    None, -1, 0, 0.0, 1, 2**31, 2**32 + 1, 2**64, -(2**31) - 1, -(2**63), 1.5, "x", b"x", bytearray(b"x"),
    (), ("a",), (1, 2, 3), [1], True, object(),
]
SOL, RCVBUF = std.SOL_SOCKET, std.SO_RCVBUF


def calls() -> Iterator[tuple[str, tuple[Any, ...]]]:
    for w in WEIRD:
        yield "setsockopt", (SOL, RCVBUF, w)
        yield "setsockopt", (w, RCVBUF, 1)
        yield "setsockopt", (SOL, w, 1)
        yield "setsockopt", (SOL, RCVBUF, None, w)
        yield "setsockopt", (SOL, RCVBUF, w, 4)
        yield "getsockopt", (SOL, RCVBUF, w)
        yield "getsockopt", (w, RCVBUF)
        yield "getsockopt", (SOL, w)
        yield "settimeout", (w,)
        yield "shutdown", (w,)
        yield "listen", (w,)
        yield "recv", (w,)
        yield "recv", (10, w)
        yield "recvfrom", (w,)
        yield "recvfrom", (10, w)
        yield "recvmsg", (w,)
        yield "recvmsg", (10, w)
        yield "recvmsg", (10, 0, w)
        yield "recvmsg_into", ([w],)
        yield "recvmsg_into", ([bytearray(4)], w)
        yield "recv_into", (w,)
        yield "recv_into", (bytearray(4), w)
        yield "send", (w,)
        yield "send", (b"x", w)
        yield "sendall", (w,)
        yield "sendall", (b"x", w)
        yield "sendall", (w, std.MSG_DONTWAIT)
        yield "sendmsg", (w,)
        yield "sendmsg", ([w],)
        yield "sendmsg", ([b"x"], w)
        yield "sendmsg", ([b"x"], [w])
        yield "sendmsg", ([b"x"], [(w, 1, b"")])
        yield "sendmsg", ([b"x"], [(SOL, 1, w)])
        yield "sendmsg", ([b"x"], [], w)
        yield "sendto", (w, "nowhere")
    for value in (-0.0, 1e300, float("nan"), float("inf"), 9.3e9, 9223372037, -9223372037):
        yield "settimeout", (value,)


def outcome(mod: ModuleType, method: str, args: tuple[Any, ...]) -> tuple[str, str]:
    sock = mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM)
    try:
        sock.setblocking(False)
        result = getattr(sock, method)(*args)
        if method == "settimeout":
            result = sock.gettimeout()
        return "returns", repr(result)
    except Exception as exc:
        return type(exc).__name__, str(exc)
    finally:
        sock.close()


CALLS = list(calls())


@pytest.mark.parametrize(("method", "args"), CALLS, ids=[f"{m}{a!r:.40}" for m, a in CALLS])
def test_same_outcome_as_the_stdlib(method: str, args: tuple[Any, ...]) -> None:
    assert outcome(sockcore, method, args) == outcome(std, method, args)
