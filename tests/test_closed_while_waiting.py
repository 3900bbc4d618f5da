"""A socket closed by another thread while a call waits on it never touches the socket that reuses its number.

Thread A calls a method on a socket and waits (a timeout socket in poll(), or a
blocking one in the syscall); the main thread closes that socket and opens a
new one, which the kernel gives the same descriptor number, and makes it ready
(readable, writable, a pending connection).  CPython reads the descriptor from
the socket object again before every poll and retry, so A's call fails with
EBADF; a call that kept the number it started with would read the new socket's
bytes, or write into it.  Every case runs on the stdlib (the oracle) and on
sockcore, and checks that the new socket's bytes are all still there.

The timeout cases end when A's poll() times out: poll() holds the old file, so
nothing wakes it sooner, and its last pass then finds the new socket ready.
The blocking cases interrupt A's syscall with a signal (pthread_kill): EINTR,
then the retry (os.read's own, for the calls without flags: sockcore keeps
the closed socket's number under an EBADF tombstone while A's call is in
flight, sockcore/_closing.py, so that retry fails as CPython's does).
"""

from __future__ import annotations

import os
import signal
import socket as std
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

import sockcore
from sockcore.testing import fill

TIMEOUT = 0.2  # A's poll timeout: how long each timeout case lasts
SETTLE = 0.05  # time for thread A to reach its wait before the socket is closed
PAYLOAD = b"another connection's bytes"


@pytest.fixture(params=[std, sockcore], ids=["stdlib", "sockcore"])
def mod(request: pytest.FixtureRequest) -> ModuleType:
    module: ModuleType = request.param
    return module


@pytest.fixture(autouse=True)
def usr1() -> Iterator[None]:
    """A Python handler for SIGUSR1, so a signal to thread A interrupts its syscall (EINTR)."""
    previous = signal.signal(signal.SIGUSR1, lambda *args: None)
    yield
    signal.signal(signal.SIGUSR1, previous)


# -- victims: a socket whose method will wait, and what to close with it ------------------

Victim = tuple[Any, list[Any]]  # (the socket A waits on, other sockets to close at the end)


def _stream_pair(mod: ModuleType, family: int) -> Victim:
    if family == std.AF_UNIX:
        a, b = mod.socketpair(std.AF_UNIX, std.SOCK_STREAM)
        return a, [b]
    with mod.socket(family, std.SOCK_STREAM) as listener:
        listener.bind(("::1" if family == std.AF_INET6 else "127.0.0.1", 0))
        listener.listen()
        a = mod.socket(family, std.SOCK_STREAM)
        a.connect(listener.getsockname())
        b, _ = listener.accept()
    return a, [b]


def _datagram(mod: ModuleType, family: int) -> Victim:
    if family == std.AF_UNIX:
        a, b = mod.socketpair(std.AF_UNIX, std.SOCK_DGRAM)
        return a, [b]
    a = mod.socket(family, std.SOCK_DGRAM)
    a.bind(("::1" if family == std.AF_INET6 else "127.0.0.1", 0))
    return a, []


def _seqpacket(mod: ModuleType, family: int) -> Victim:
    a, b = mod.socketpair(std.AF_UNIX, std.SOCK_SEQPACKET)
    return a, [b]


def _netlink(mod: ModuleType, family: int) -> Victim:
    a = mod.socket(std.AF_NETLINK, std.SOCK_RAW, 0)  # NETLINK_ROUTE, in no group: never readable
    a.bind((0, 0))
    return a, []


def _listener(mod: ModuleType, family: int) -> Victim:
    if family == std.AF_UNIX:
        a = mod.socket(std.AF_UNIX, std.SOCK_STREAM)
        a.bind(f"\0sockcore-closed-while-waiting-{os.getpid()}-{time.monotonic_ns()}")
    else:
        a = mod.socket(family, std.SOCK_STREAM)
        a.bind(("::1" if family == std.AF_INET6 else "127.0.0.1", 0))
    a.listen()
    return a, []


READERS: dict[str, Callable[[Any], Any]] = {
    "recv": lambda s: s.recv(100),
    "recv-flags": lambda s: s.recv(100, std.MSG_CMSG_CLOEXEC),
    "recv_into": lambda s: s.recv_into(bytearray(100)),
    "recv_into-flags": lambda s: s.recv_into(bytearray(100), 0, std.MSG_CMSG_CLOEXEC),
    "recvfrom": lambda s: s.recvfrom(100),
    "recvfrom_into": lambda s: s.recvfrom_into(bytearray(100)),
    "recvmsg": lambda s: s.recvmsg(100, 64),
    "recvmsg_into": lambda s: s.recvmsg_into([bytearray(100)], 64),
}
WRITERS: dict[str, Callable[[Any], Any]] = {
    "send": lambda s: s.send(b"y" * 100),
    "send-flags": lambda s: s.send(b"y" * 100, std.MSG_NOSIGNAL),
    "sendall": lambda s: s.sendall(b"y" * 100),
    "sendall-flags": lambda s: s.sendall(b"y" * 100, std.MSG_NOSIGNAL),
    "sendmsg": lambda s: s.sendmsg([b"y" * 100]),
}

READ_VICTIMS: dict[str, tuple[Callable[[ModuleType, int], Victim], int]] = {
    "unix-stream": (_stream_pair, std.AF_UNIX),
    "unix-dgram": (_datagram, std.AF_UNIX),
    "unix-seqpacket": (_seqpacket, std.AF_UNIX),
    "tcp": (_stream_pair, std.AF_INET),
    "tcp6": (_stream_pair, std.AF_INET6),
    "udp": (_datagram, std.AF_INET),
    "udp6": (_datagram, std.AF_INET6),
    "netlink": (_netlink, 0),
}
WRITE_VICTIMS: dict[str, tuple[Callable[[ModuleType, int], Victim], int]] = {
    "unix-stream": (_stream_pair, std.AF_UNIX),
    "unix-dgram": (_datagram, std.AF_UNIX),  # a full peer queue blocks the sender
    "unix-seqpacket": (_seqpacket, std.AF_UNIX),
    "tcp": (_stream_pair, std.AF_INET),
    "tcp6": (_stream_pair, std.AF_INET6),
}


# -- the scenario ---------------------------------------------------------------------------


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        return ("returned", call())
    except OSError as exc:
        return (type(exc).__name__, exc.errno)


def _close_under(victim: Any, call: Callable[[Any], Any], *, interrupt: bool, readable: bool = True) -> Any:
    """Run ``call(victim)`` in thread A; close the victim under it; reuse its number; return A's outcome.

    The replacement is a stdlib socketpair whose first socket gets the number;
    it holds bytes to read (and room to write).  Afterwards those bytes must
    all still be there.
    """
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(_outcome(lambda: call(victim))))
    thread.start()
    time.sleep(SETTLE)
    number = victim.fileno()
    victim.close()
    new, peer = std.socketpair()
    if peer.fileno() == number:  # the pair is symmetric: use the end that got the number
        new, peer = peer, new
    if new.fileno() != number and not _in_use(number):
        # a lower number was free: put the new socket at the old one's.  (sockcore keeps the
        # number, under a tombstone, while a call is in flight on the closed socket; then no
        # new socket can have it, which is the point.)
        moved = std.socket(fileno=os.dup2(new.fileno(), number, inheritable=False))
        new.close()
        new = moved
    try:
        if readable:
            peer.sendall(PAYLOAD)
        if interrupt:
            time.sleep(SETTLE)
            signal.pthread_kill(thread.ident or 0, signal.SIGUSR1)
        thread.join(10)
        assert not thread.is_alive(), "thread A never returned"
        if readable:
            new.setblocking(False)
            assert new.recv(1000) == PAYLOAD, "thread A consumed the new socket's bytes"
        return result[0]
    finally:
        new.close()
        peer.close()


EBADF = ("OSError", 9)


def _in_use(number: int) -> bool:
    try:
        os.fstat(number)
    except OSError:
        return False
    return True


@pytest.mark.parametrize("method", sorted(READERS))
@pytest.mark.parametrize("victim_kind", sorted(READ_VICTIMS))
def test_receive_with_timeout(mod: ModuleType, victim_kind: str, method: str) -> None:
    make, family = READ_VICTIMS[victim_kind]
    victim, others = make(mod, family)
    try:
        victim.settimeout(TIMEOUT)
        assert _close_under(victim, READERS[method], interrupt=False) == EBADF
    finally:
        for s in others:
            s.close()


@pytest.mark.parametrize("method", sorted(READERS))
@pytest.mark.parametrize("victim_kind", ["unix-stream", "udp", "tcp6"])
def test_receive_blocking_interrupted(mod: ModuleType, victim_kind: str, method: str) -> None:
    make, family = READ_VICTIMS[victim_kind]
    victim, others = make(mod, family)
    try:
        assert _close_under(victim, READERS[method], interrupt=True) == EBADF
    finally:
        for s in others:
            s.close()


@pytest.mark.parametrize("method", sorted(WRITERS))
@pytest.mark.parametrize("victim_kind", sorted(WRITE_VICTIMS))
def test_send_with_timeout(mod: ModuleType, victim_kind: str, method: str) -> None:
    make, family = WRITE_VICTIMS[victim_kind]
    victim, others = make(mod, family)
    try:
        fill(victim)
        victim.settimeout(TIMEOUT)
        assert _close_under(victim, WRITERS[method], interrupt=False) == EBADF
    finally:
        for s in others:
            s.close()


@pytest.mark.parametrize("method", sorted(WRITERS))
def test_send_blocking_interrupted(mod: ModuleType, method: str) -> None:
    victim, others = _stream_pair(mod, std.AF_UNIX)
    try:
        fill(victim)
        victim.setblocking(True)
        assert _close_under(victim, WRITERS[method], interrupt=True) == EBADF
    finally:
        for s in others:
            s.close()


@pytest.mark.parametrize("family", [std.AF_UNIX, std.AF_INET, std.AF_INET6], ids=["unix", "tcp", "tcp6"])
@pytest.mark.parametrize("interrupt", [False, True], ids=["timeout", "blocking"])
def test_accept(mod: ModuleType, family: int, interrupt: bool) -> None:
    victim, _ = _listener(mod, family)
    if not interrupt:
        victim.settimeout(TIMEOUT)
    assert _close_under(victim, lambda s: s.accept(), interrupt=interrupt) == EBADF


def test_connect_with_timeout(mod: ModuleType) -> None:
    """A connect in progress (the listener's queue is full, so SYNs are dropped) waits for POLLOUT."""
    with std.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        queued = []
        try:
            for _ in range(8):  # fill the accept queue
                c = std.socket()
                c.setblocking(False)
                c.connect_ex(listener.getsockname())
                queued.append(c)
            victim = mod.socket()
            victim.settimeout(TIMEOUT)
            outcome = _close_under(victim, lambda s: s.connect(listener.getsockname()), interrupt=False, readable=False)
            assert outcome == EBADF
        finally:
            for c in queued:
                c.close()


@pytest.mark.parametrize("family", [std.AF_UNIX, std.AF_INET], ids=["unix", "tcp"])
def test_sendfile_with_timeout(mod: ModuleType, family: int) -> None:
    """sockcore reads the descriptor again for sendfile too; the stdlib's sendfile keeps its number.

    docs/DIFFERENCES.md: the stdlib's socket.sendfile() captures fileno() once
    and writes the file into whatever socket reuses it.
    """
    victim, others = _stream_pair(mod, family)
    try:
        fill(victim)
        victim.settimeout(TIMEOUT)
        with tempfile.TemporaryFile() as file:
            file.write(b"z" * 100)
            file.flush()
            file.seek(0)
            outcome = _close_under(victim, lambda s: s.sendfile(file), interrupt=False)
        if mod is sockcore:
            assert outcome == EBADF
        else:
            assert outcome in (EBADF, ("returned", 100))
    finally:
        for s in others:
            s.close()


@pytest.mark.parametrize("interrupt", [False, True], ids=["timeout", "blocking"])
def test_makefile_read(mod: ModuleType, interrupt: bool) -> None:
    """A makefile() reader: closing the socket and then the file's raw layer closes the descriptor."""
    victim, others = _stream_pair(mod, std.AF_UNIX)
    try:
        if not interrupt:
            victim.settimeout(TIMEOUT)
        reader = victim.makefile("rb", buffering=0)
        victim.close()  # the file still holds the descriptor

        class Holder:
            def fileno(self) -> int:
                return reader.fileno()

            def close(self) -> None:
                reader.close()

        assert _close_under(Holder(), lambda _: reader.read(100), interrupt=interrupt) == EBADF
    finally:
        for s in others:
            s.close()


def test_the_number_is_kept_while_a_call_is_in_flight_and_freed_after() -> None:
    """sockcore keeps a closed socket's number under an EBADF tombstone until the other thread's call returns.

    docs/DIFFERENCES.md: the stdlib frees the number at once (and its call,
    reading the descriptor after releasing the GIL, fails with EBADF).
    """
    victim, peer = sockcore.socketpair()
    number = victim.fileno()
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(_outcome(lambda: victim.recv(100))))
    thread.start()
    time.sleep(SETTLE)
    victim.close()
    try:
        assert _in_use(number), "the number was freed while a call was in flight"
        with pytest.raises(OSError) as caught:
            os.read(number, 1)  # the tombstone: EBADF, as a call reaching the number now gets
        assert caught.value.errno == 9
        signal.pthread_kill(thread.ident or 0, signal.SIGUSR1)  # EINTR: the call ends, with EBADF
        thread.join(10)
        assert result == [EBADF]
        sockcore.socket(std.AF_UNIX, std.SOCK_DGRAM).close()  # making or closing a socket frees kept numbers
        assert not _in_use(number)
    finally:
        peer.close()
