"""A timeout socket whose twin descriptor was made blocking (found by the state machine).

O_NONBLOCK belongs to the open file description, so ``dup().settimeout(None)``
(or ``setblocking(True)`` in a forked child, or on a descriptor passed over a
unix socket) clears it for the original too.  CPython polls before every call
on a timeout socket, so a call that cannot go on still times out.  sockcore
tries the call first (docs/DIFFERENCES.md), and that first try must not block:
it passes MSG_DONTWAIT, or polls first where the call takes no flags (accept,
sendfile).  Each case runs the same calls through the stdlib and sockcore; a
call still blocked after two seconds is unblocked, so the test never hangs,
and reported as blocked.
"""

from __future__ import annotations

import errno
import os
import socket as std
import tempfile
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

import sockcore
import sockcore._socket as core_socket
from sockcore.testing import bounded_call, drain, fill

MODULES = [std, sockcore]
TIMEOUT = 0.05


@pytest.fixture(autouse=True, params=["RWF_NOWAIT", "MSG_DONTWAIT"])
def first_try(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways a first try avoids waiting: preadv2/pwritev2 with RWF_NOWAIT where the kernel
    takes it (recv_into, send, sendall), recvfrom/sendto with MSG_DONTWAIT everywhere else."""
    if request.param == "MSG_DONTWAIT":
        monkeypatch.setattr(core_socket, "_NOWAIT", 0)
    elif not core_socket._NOWAIT:
        pytest.skip("no RWF_NOWAIT here")


def _outcome(call: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        result = call()
    except Exception as exc:
        return ("raises", type(exc).__name__, getattr(exc, "errno", None), str(exc))
    return ("returns", type(result).__name__)


def _run(module: ModuleType, calls: str, method: Callable[[Any], Any]) -> tuple[Any, ...]:
    """``method(sock)`` on a timeout socket whose dup was made blocking.

    ``calls`` names what the call waits for: "read" (nothing queued), "write"
    (the peer's queue full) or "accept" (no connection pending).
    """
    with tempfile.TemporaryDirectory() as tmp:
        if calls == "accept":
            sock = module.socket(module.AF_UNIX, module.SOCK_STREAM)
            path = os.path.join(tmp, "listener")
            sock.bind(path)
            sock.listen()
            peer = module.socket(module.AF_UNIX, module.SOCK_STREAM)
        else:
            sock, peer = module.socketpair()
            if calls == "write":
                fill(sock)
        with sock, peer:
            sock.settimeout(TIMEOUT)
            with sock.dup() as twin:
                twin.settimeout(None)  # clears O_NONBLOCK for `sock` too

                def unblock() -> None:
                    if calls == "accept":
                        peer.connect(path)
                    elif calls == "write":
                        drain(peer)
                    else:
                        peer.send(b"x")

                result = bounded_call(lambda: method(sock), unblock)
                if isinstance(result, Exception):
                    return ("raises", type(result).__name__, getattr(result, "errno", None), str(result))
                return ("returns", type(result).__name__)


def _sendfile(sock: Any) -> Any:
    with tempfile.TemporaryFile() as file:
        file.write(b"y" * 65536)
        file.seek(0)
        return sock.sendfile(file)


CASES: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "recv": ("read", lambda s: s.recv(10)),
    "recv with flags": ("read", lambda s: s.recv(10, std.MSG_PEEK)),
    "recv_into": ("read", lambda s: s.recv_into(bytearray(10))),
    "recv_into with flags": ("read", lambda s: s.recv_into(bytearray(10), 10, std.MSG_PEEK)),
    "recvfrom": ("read", lambda s: s.recvfrom(10)),
    "recvfrom_into": ("read", lambda s: s.recvfrom_into(bytearray(10))),
    "recvmsg": ("read", lambda s: s.recvmsg(10)),
    "recvmsg_into": ("read", lambda s: s.recvmsg_into([bytearray(10)])),
    "makefile read": ("read", lambda s: s.makefile("rb").read(1)),
    "send": ("write", lambda s: s.send(b"z" * 100)),
    "send with flags": ("write", lambda s: s.send(b"z" * 100, std.MSG_NOSIGNAL)),
    "sendall bytes": ("write", lambda s: s.sendall(b"z" * 100)),
    "sendall bytearray": ("write", lambda s: s.sendall(bytearray(100))),
    "sendmsg": ("write", lambda s: s.sendmsg([b"z" * 100])),
    "sendfile": ("write", _sendfile),
    "accept": ("accept", lambda s: s.accept()),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_timeout_socket_times_out_when_its_twin_was_made_blocking(case: str) -> None:
    calls, method = CASES[case]
    results = [_run(module, calls, method) for module in MODULES]
    assert results[0] == ("raises", "TimeoutError", None, "timed out")
    assert results[1] == results[0]


@pytest.mark.parametrize("case", ["recv", "recv_into", "recvmsg", "send", "sendall bytes", "accept"])
def test_a_ready_call_on_such_a_socket_returns_what_the_stdlib_returns(case: str) -> None:
    """The other half: when the call can go on, it does, with the stdlib's result."""
    calls, method = CASES[case]

    def ready(module: ModuleType) -> tuple[Any, ...]:
        with tempfile.TemporaryDirectory() as tmp:
            if calls == "accept":
                sock = module.socket(module.AF_UNIX, module.SOCK_STREAM)
                sock.bind(os.path.join(tmp, "l"))
                sock.listen()
                peer = module.socket(module.AF_UNIX, module.SOCK_STREAM)
                peer.connect(os.path.join(tmp, "l"))
            else:
                sock, peer = module.socketpair()
                peer.send(b"abc")
            with sock, peer:
                sock.settimeout(TIMEOUT)
                with sock.dup() as twin:
                    twin.settimeout(None)
                    result = method(sock)
                    if isinstance(result, tuple) and isinstance(result[0], (std.socket, sockcore.socket)):
                        result[0].close()
                        result = ("accepted",)
                    return ("returns", result if not isinstance(result, tuple) else result[:1])

    assert ready(sockcore) == ready(std)


@pytest.mark.parametrize("refusal", [errno.EOPNOTSUPP, errno.ENOSYS])
def test_a_kernel_that_refuses_rwf_nowait_turns_it_off(monkeypatch: pytest.MonkeyPatch, refusal: int) -> None:
    """Old kernels refuse RWF_NOWAIT on sockets (EOPNOTSUPP) or lack preadv2 (ENOSYS): the call goes
    on through recvfrom/sendto with MSG_DONTWAIT, and so does every later one."""
    if not core_socket._NOWAIT:
        pytest.skip("no RWF_NOWAIT here")

    def refused(*args: Any) -> int:
        raise OSError(refusal, os.strerror(refusal))

    monkeypatch.setattr(core_socket, "_NOWAIT", core_socket._NOWAIT)  # restored after, whatever the code sets
    monkeypatch.setattr(core_socket, "_preadv", refused)
    monkeypatch.setattr(core_socket, "_pwritev", refused)
    a, b = sockcore.socketpair()
    with a, b:
        a.settimeout(5)
        b.settimeout(5)
        assert a.send(b"abc") == 3
        assert core_socket._NOWAIT == 0
        monkeypatch.setattr(core_socket, "_NOWAIT", os.RWF_NOWAIT)
        a.sendall(b"def")
        assert core_socket._NOWAIT == 0
        monkeypatch.setattr(core_socket, "_NOWAIT", os.RWF_NOWAIT)
        buf = bytearray(6)
        assert b.recv_into(buf) == 6 and buf == b"abcdef"
        assert core_socket._NOWAIT == 0
