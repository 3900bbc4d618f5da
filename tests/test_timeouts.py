"""Timeouts in every mode, on AF_UNIX sockets: each test runs on the stdlib (the oracle) and on sockcore.

No test asserts a duration: a deadline that is not kept shows up as an order
of events that cannot happen (a bounded helper thread that finishes first), never
as a measured time.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import math
import os
import socket as std
import threading
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

import sockcore
from sockcore.testing import fill

SHORT = 0.05  # a timeout that expires quickly; no test compares it with a clock


@pytest.fixture(params=[std, sockcore], ids=["stdlib", "sockcore"])
def mod(request: pytest.FixtureRequest) -> Iterator[ModuleType]:
    module: ModuleType = request.param
    previous = module.getdefaulttimeout()
    yield module
    module.setdefaulttimeout(previous)


def nonblocking_flag(sock: Any) -> bool:
    return bool(fcntl.fcntl(sock.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)


def pair(mod: ModuleType, kind: int | None = None) -> tuple[Any, Any]:
    return mod.socketpair(mod.AF_UNIX, kind or mod.SOCK_STREAM)  # type: ignore[no-any-return]


# -------------------------------------------------------------------------
# the three modes and the flag they leave on the descriptor
# -------------------------------------------------------------------------


def test_new_sockets_are_blocking(mod: ModuleType) -> None:
    with mod.socket(mod.AF_UNIX) as s:
        assert s.gettimeout() is None
        assert s.getblocking() is True
        assert s.timeout is None
        assert not nonblocking_flag(s)


@pytest.mark.parametrize(
    ("call", "timeout", "blocking", "flag"),
    [
        (("settimeout", None), None, True, False),
        (("settimeout", 0), 0.0, False, True),
        (("settimeout", 0.0), 0.0, False, True),
        (("settimeout", 2.5), 2.5, True, True),
        (("settimeout", 3), 3.0, True, True),
        (("setblocking", False), 0.0, False, True),
        (("setblocking", True), None, True, False),
        (("setblocking", 0), 0.0, False, True),
    ],
)
def test_modes(mod: ModuleType, call: tuple[str, Any], timeout: float | None, blocking: bool, flag: bool) -> None:
    with mod.socket(mod.AF_UNIX) as s:
        getattr(s, call[0])(call[1])
        assert s.gettimeout() == timeout
        assert type(s.gettimeout()) is type(timeout)
        assert s.getblocking() is blocking
        assert nonblocking_flag(s) is flag


def test_back_to_blocking_clears_the_flag(mod: ModuleType) -> None:
    with mod.socket(mod.AF_UNIX) as s:
        s.settimeout(1.0)
        s.settimeout(None)
        assert not nonblocking_flag(s)
        s.setblocking(False)
        s.setblocking(True)
        assert not nonblocking_flag(s)


@pytest.mark.parametrize(
    ("value", "exc"),
    [(-1, ValueError), (-0.5, ValueError), (math.nan, ValueError), ("1", TypeError), ([], TypeError), (1e300 * 1e300, OverflowError)],
)
def test_bad_timeouts(mod: ModuleType, value: Any, exc: type[Exception]) -> None:
    with mod.socket(mod.AF_UNIX) as s:
        with pytest.raises(exc):
            s.settimeout(value)
        with pytest.raises(exc):
            mod.setdefaulttimeout(value)
        assert s.gettimeout() is None


def test_sock_nonblock_type_flag(mod: ModuleType) -> None:
    with mod.socket(mod.AF_UNIX, mod.SOCK_STREAM | mod.SOCK_NONBLOCK) as s:
        assert s.gettimeout() == 0.0
        assert nonblocking_flag(s)
        assert s.type == mod.SOCK_STREAM


# -------------------------------------------------------------------------
# the default timeout
# -------------------------------------------------------------------------


def test_default_timeout_applies_to_new_sockets(mod: ModuleType) -> None:
    assert mod.getdefaulttimeout() is None
    mod.setdefaulttimeout(4.0)
    assert mod.getdefaulttimeout() == 4.0
    with mod.socket(mod.AF_UNIX) as s:
        assert s.gettimeout() == 4.0
        assert nonblocking_flag(s)
    a, b = pair(mod)
    with a, b:
        assert a.gettimeout() == b.gettimeout() == 4.0
    mod.setdefaulttimeout(0)
    with mod.socket(mod.AF_UNIX) as s:
        assert s.gettimeout() == 0.0
    mod.setdefaulttimeout(None)
    with mod.socket(mod.AF_UNIX) as s:
        assert s.gettimeout() is None
        assert not nonblocking_flag(s)


def test_fileno_sockets_follow_the_default_timeout(mod: ModuleType) -> None:
    mod.setdefaulttimeout(3.0)
    with mod.socket(mod.AF_UNIX) as s:
        with mod.socket(fileno=os.dup(s.fileno())) as adopted:
            assert adopted.gettimeout() == 3.0
        with s.dup() as copy:
            assert copy.gettimeout() == 3.0


@pytest.mark.parametrize("default", [None, 0.0, 5.0])
@pytest.mark.parametrize("listener_timeout", [None, 0.0, 5.0])
def test_accept_follows_the_default_timeout_not_the_listener(mod: ModuleType, default: float | None, listener_timeout: float | None) -> None:
    with mod.socket(mod.AF_UNIX) as server, mod.socket(mod.AF_UNIX) as client:
        server.bind(f"\0sockcore-accept-{os.getpid()}-{mod.__name__}".encode())
        server.listen()
        server.settimeout(listener_timeout)
        client.connect(server.getsockname())
        mod.setdefaulttimeout(default)
        conn, _ = server.accept()
        with conn:
            assert conn.gettimeout() == default
            # a blocking or timeout default on a non-blocking listener: the child is blocking at the fd
            # level only when the default is None (the stdlib clears O_NONBLOCK it inherited nowhere)
            assert nonblocking_flag(conn) is (default is not None)


# -------------------------------------------------------------------------
# what each mode does when the call cannot complete
# -------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["recv", "recv_into", "recvfrom", "recvfrom_into", "recvmsg", "recvmsg_into"])
def test_receive_in_each_mode(mod: ModuleType, op: str) -> None:
    args: dict[str, tuple[Any, ...]] = {
        "recv": (10,), "recv_into": (bytearray(10),), "recvfrom": (10,), "recvfrom_into": (bytearray(10),),
        "recvmsg": (10,), "recvmsg_into": ([bytearray(10)],),
    }
    a, b = pair(mod)
    with a, b:
        b.setblocking(False)
        with pytest.raises(BlockingIOError) as info:
            getattr(b, op)(*args[op])
        assert info.value.errno in (errno.EAGAIN, errno.EWOULDBLOCK)
        b.settimeout(SHORT)
        with pytest.raises(TimeoutError) as tinfo:
            getattr(b, op)(*args[op])
        assert str(tinfo.value) == "timed out"
        assert isinstance(tinfo.value, mod.timeout)
        a.send(b"data")
        assert getattr(b, op)(*args[op])  # data there: the timeout does not delay it


@pytest.mark.parametrize("op", ["send", "sendall", "sendmsg", "sendto"])
def test_send_in_each_mode(mod: ModuleType, op: str) -> None:
    a, b = pair(mod, mod.SOCK_DGRAM if op == "sendto" else mod.SOCK_STREAM)
    with a, b:
        fill(a) if op != "sendto" else None
        if op == "sendto":
            with mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) as receiver:
                receiver.bind(f"\0sockcore-sendto-{os.getpid()}-{mod.__name__}".encode())
                target = receiver.getsockname()
                a.setblocking(False)
                with pytest.raises(BlockingIOError):
                    while True:
                        a.sendto(b"x" * 1024, target)
                a.settimeout(SHORT)
                with pytest.raises(TimeoutError):
                    a.sendto(b"x" * 1024, target)
            return
        calls: dict[str, Callable[[], Any]] = {
            "send": lambda: a.send(b"x" * 65536), "sendall": lambda: a.sendall(b"x" * 65536),
            "sendmsg": lambda: a.sendmsg([b"x" * 65536]),
        }
        call = calls[op]
        a.setblocking(False)
        with pytest.raises(BlockingIOError):
            call()
        a.settimeout(SHORT)
        with pytest.raises(TimeoutError):
            call()


def test_accept_in_each_mode(mod: ModuleType) -> None:
    with mod.socket(mod.AF_UNIX) as server:
        server.bind(f"\0sockcore-accept-modes-{os.getpid()}-{mod.__name__}".encode())
        server.listen()
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()
        server.settimeout(SHORT)
        with pytest.raises(TimeoutError):
            server.accept()


def full_listener(mod: ModuleType, name: bytes) -> tuple[Any, list[Any]]:
    """A listener whose backlog is full, and the clients that filled it."""
    server = mod.socket(mod.AF_UNIX)
    server.bind(name)
    server.listen(0)
    clients = []
    while True:
        c = mod.socket(mod.AF_UNIX)
        c.setblocking(False)
        try:
            c.connect(name)
        except BlockingIOError:
            c.close()
            break
        clients.append(c)
    return server, clients


def test_connect_in_progress(mod: ModuleType) -> None:
    """AF_UNIX never answers EINPROGRESS: a full backlog gives EAGAIN, which only blocking mode waits out.

    CPython waits for POLLOUT only after EINPROGRESS, so with a timeout the
    EAGAIN is raised at once (BlockingIOError), exactly as in non-blocking mode.
    """
    name = f"\0sockcore-connect-{os.getpid()}-{mod.__name__}".encode()
    server, clients = full_listener(mod, name)
    try:
        for timeout in (0.0, SHORT):
            with mod.socket(mod.AF_UNIX) as c:
                c.settimeout(timeout)
                with pytest.raises(BlockingIOError) as info:
                    c.connect(name)
                assert info.value.errno == errno.EAGAIN
                assert c.connect_ex(name) == errno.EAGAIN
        # blocking mode waits for room in the backlog, then completes
        with mod.socket(mod.AF_UNIX) as c:
            timer = threading.Timer(0.1, lambda: server.accept()[0].close())
            timer.start()
            try:
                c.connect(name)
            finally:
                timer.join()
            assert c.getpeername() == name
    finally:
        for c in clients:
            c.close()
        server.close()


def test_connect_error_with_a_timeout(mod: ModuleType) -> None:
    with mod.socket(mod.AF_UNIX) as c:
        c.settimeout(1.0)
        with pytest.raises(ConnectionRefusedError):
            c.connect(b"\0sockcore-nobody-listens-here")
        assert c.connect_ex(b"\0sockcore-nobody-listens-here") == errno.ECONNREFUSED
        with pytest.raises(FileNotFoundError):
            c.connect("/nonexistent-sockcore/x")


# -------------------------------------------------------------------------
# one deadline for all of sendall
# -------------------------------------------------------------------------


def test_sendall_has_one_deadline(mod: ModuleType) -> None:
    """The reader keeps draining in steps, so each send makes progress; sendall must still time out.

    A sendall that restarted its timeout on every partial send would outlive
    the bounded reader; one deadline for the whole buffer ends it first.
    """
    a, b = pair(mod)
    reader_done = threading.Event()
    sendall_ended_first = []

    def slow_reader() -> None:
        stop = threading.Event()
        for _ in range(60):  # 60 * 0.05 s = 3 s, far past the 0.3 s deadline
            if stop.wait(0.05):
                break
            with contextlib.suppress(BlockingIOError):
                b.recv(65536, mod.MSG_DONTWAIT)
        reader_done.set()

    with a, b:
        a.settimeout(0.3)
        thread = threading.Thread(target=slow_reader)
        thread.start()
        try:
            with pytest.raises(TimeoutError):
                a.sendall(b"x" * (64 * 1024 * 1024))
            sendall_ended_first.append(not reader_done.is_set())
        finally:
            thread.join()
    assert sendall_ended_first == [True]


def test_sendall_completes_within_the_deadline_when_drained(mod: ModuleType) -> None:
    a, b = pair(mod)
    payload = os.urandom(4 * 1024 * 1024)
    got = bytearray()

    def reader() -> None:
        while len(got) < len(payload):
            chunk = b.recv(1 << 20)
            if not chunk:
                return
            got.extend(chunk)

    with a, b:
        a.settimeout(60)
        thread = threading.Thread(target=reader)
        thread.start()
        a.sendall(payload)
        thread.join()
    assert bytes(got) == payload


def test_timeout_error_is_the_stdlib_class(mod: ModuleType) -> None:
    assert mod.timeout is TimeoutError
    assert issubclass(mod.timeout, OSError)
