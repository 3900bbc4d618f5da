"""Differences the state machine (tests/test_state_machine.py) and the paramiko scenario found.

One focused differential test each: the same call through the stdlib and
sockcore.  Each failed when it was written; each passes since its fix.
"""

from __future__ import annotations

import errno
import os
import socket as std
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sockcore
import sockcore._socket as core_socket

MODULES = [std, sockcore]


def outcome(call: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        return ("returns", call())
    except Exception as exc:
        return ("raises", type(exc).__name__, getattr(exc, "errno", None), str(exc))


# -- argument parsing ------------------------------------------------------------


@pytest.mark.parametrize("args", [(10**20,), (2**31,), (std.AF_INET, 2**40), (std.AF_INET, std.SOCK_STREAM, -(2**63) - 1)])
def test_socket_constructor_overflow_message(args: tuple[int, ...]) -> None:
    def make(module: Any) -> Callable[[], Any]:
        return lambda: module.socket(*args).close()

    assert outcome(make(sockcore)) == outcome(make(std))


VSOCK_AVAILABLE = hasattr(std, "AF_VSOCK") and sockcore.socket is not None
try:
    std.socket(std.AF_VSOCK, std.SOCK_STREAM).close()
except (OSError, AttributeError):
    VSOCK_AVAILABLE = False


@pytest.fixture
def vsock_pair() -> Iterator[tuple[Any, Any]]:
    # created only: never connected (AF_VSOCK talks to the hypervisor)
    a, b = std.socket(std.AF_VSOCK, std.SOCK_STREAM), sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM)
    with a, b:
        yield a, b


@pytest.mark.skipif(not VSOCK_AVAILABLE, reason="no AF_VSOCK on this kernel")
@pytest.mark.parametrize("args", [(0, 2, None, 4), (0, 2, b"1234"), (0, 2, "x"), (0, 2, bytearray(8))])
def test_vsock_setsockopt_takes_only_an_integer(vsock_pair: tuple[Any, Any], args: tuple[Any, ...]) -> None:
    ours, theirs = vsock_pair[1], vsock_pair[0]
    assert outcome(lambda: ours.setsockopt(*args)) == outcome(lambda: theirs.setsockopt(*args))


@pytest.mark.parametrize("state", ["unconnected", "closed", "timeout"])
def test_recv_into_an_empty_buffer_makes_no_system_call(state: str) -> None:
    results = []
    for module in MODULES:
        sock = module.socket()
        with sock:
            if state == "closed":
                sock.close()
            elif state == "timeout":
                sock.settimeout(0.01)
            results.append(outcome(lambda s=sock: s.recv_into(bytearray(), 0)))
    assert results[1] == results[0] == ("returns", 0)


@pytest.mark.parametrize("args", [(b"",), (bytes(4), 0, 0)])
def test_recv_into_a_read_only_buffer_on_a_closed_socket(args: tuple[Any, ...]) -> None:
    results = []
    for module in MODULES:
        sock = module.socket()
        sock.close()
        results.append(outcome(lambda s=sock: s.recv_into(*args)))
    assert results[1] == results[0]
    assert results[0][1] == "TypeError"


def test_another_familys_address_is_named_tuple_in_errors() -> None:
    results = []
    for module in MODULES:
        inet = module.socket()
        inet.bind(("127.0.0.1", 0))
        unix = module.socket(module.AF_UNIX)
        with inet, unix:
            results.append(outcome(lambda u=unix, i=inet: u.connect(i.getsockname())))
    assert results[1] == results[0]
    assert results[0][:2] == ("raises", "TypeError")


@pytest.mark.skipif(not VSOCK_AVAILABLE, reason="no AF_VSOCK on this kernel")
def test_vsock_setsockopt_none_message(vsock_pair: tuple[Any, Any]) -> None:
    theirs, ours = vsock_pair
    assert outcome(lambda: ours.setsockopt(1, 9999, None)) == outcome(lambda: theirs.setsockopt(1, 9999, None))


@pytest.mark.skipif(os.geteuid() != 0, reason="packet sockets need root")
@pytest.mark.parametrize("call", ["bind", "connect", "sendto"])
def test_packet_address_on_a_closed_socket(call: str) -> None:
    results = []
    for module in MODULES:
        sock = module.socket(module.AF_PACKET, module.SOCK_RAW, 0)
        sock.close()
        method = (lambda a, s=sock: s.sendto(b"x", a)) if call == "sendto" else getattr(sock, call)
        results.append(outcome(lambda m=method: m(("no-such-if0", 0))))
    assert results[1] == results[0]
    assert results[0][2] == errno.EBADF


@pytest.mark.parametrize("flag", [1.5, 2**64, None, "x"])
def test_setblocking_follows_the_interpreter(flag: Any) -> None:
    results = []
    for module in MODULES:
        with module.socket() as sock:
            results.append((outcome(lambda s=sock: s.setblocking(flag)), sock.getblocking()))
    assert results[1] == results[0]


# -- found by the campaign after 6faff3c: flags=None matched a timeout socket's first marker --


FLAG_CALLS: dict[str, Callable[[Any], Any]] = {
    "recv": lambda s: s.recv(1, None),
    "recvfrom": lambda s: s.recvfrom(1, None),
    "recv_into": lambda s: s.recv_into(bytearray(1), 0, None),
    "recvfrom_into": lambda s: s.recvfrom_into(bytearray(1), 0, None),
    "recvmsg": lambda s: s.recvmsg(1, 0, None),
    "send": lambda s: s.send(b"x", None),
    "sendall": lambda s: s.sendall(b"x", None),
    "sendto": lambda s: s.sendto(b"x", None, None),
    "sendmsg": lambda s: s.sendmsg([b"x"], [], None),
}


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("timeout", [None, 0.0, 5.0], ids=["blocking", "non-blocking", "timeout"])
@pytest.mark.parametrize("call", list(FLAG_CALLS))
def test_flags_none_is_a_type_error_in_every_mode(call: str, timeout: float | None, closed: bool) -> None:
    results = []
    for module in MODULES:
        a, b = module.socketpair()
        with a, b:
            b.send(b"y")
            a.settimeout(timeout)
            if closed:
                a.close()
            results.append(outcome(lambda s=a: FLAG_CALLS[call](s)))
    assert results[1] == results[0]
    assert results[0][:2] == ("raises", "TypeError")


# -- a deliberate difference the machine runs into (docs/DIFFERENCES.md) ----------------


def test_timeout_socket_tries_first_so_a_call_that_cannot_succeed_fails_at_once() -> None:
    """recv() on a listening socket with a timeout: the stdlib polls first and times out;
    sockcore calls first and reports the kernel's EINVAL (DIFFERENCES.md, "A call on a timeout socket").
    accept() polls first in both (tests/test_timeout_twins.py): on a datagram socket it times out."""
    results = {}
    for module in MODULES:
        with module.socket(module.AF_UNIX, module.SOCK_STREAM) as listener:
            listener.bind("")  # an autobound abstract name
            listener.listen()
            listener.settimeout(0.01)
            results[module.__name__] = outcome(lambda s=listener: s.recv(1))
        a, b = module.socketpair(module.AF_UNIX, module.SOCK_DGRAM)
        with a, b:
            a.settimeout(0.01)
            results[module.__name__ + " accept"] = outcome(a.accept)
    assert results["socket"][:2] == ("raises", "TimeoutError")
    assert results["sockcore"][:3] == ("raises", "OSError", errno.EINVAL)
    assert results["sockcore accept"] == results["socket accept"] == ("raises", "TimeoutError", None, "timed out")


# -- the paramiko failures: a descriptor number taken before the GIL is released ------------


@pytest.mark.parametrize("timeout", [None, 5.0])
@pytest.mark.parametrize("call", ["recv", "send"])
def test_descriptor_reused_between_taking_it_and_the_system_call(
    monkeypatch: pytest.MonkeyPatch, call: str, timeout: float | None
) -> None:
    """Thread A is preempted after its recv/send took the descriptor number and released the GIL,
    before the system call (a loaded machine does this; paramiko's transport threads hit it 1-6 times
    in 25 runs). Meanwhile the main thread closes the socket and a new connection gets the same
    number. CPython reads the descriptor after releasing the GIL, at the call: A fails with EBADF.
    The gap is widened here by pausing A inside the syscall wrapper it was given."""
    # a blocking socket's recv/send go straight to read(2)/write(2); a timeout socket's
    # first try is a recvfrom with MSG_DONTWAIT, and a pwritev2 with RWF_NOWAIT where the kernel has it
    if timeout is None:
        name = "_read" if call == "recv" else "_write"
    elif call == "recv":
        name = "_recvfrom_raw"
    else:
        name = "_pwritev" if core_socket._NOWAIT else "_sendto_raw"
    real = getattr(core_socket, name)
    taken, reused = threading.Event(), threading.Event()

    def preempted(fd: int, *args: Any) -> Any:
        if threading.current_thread().name == "A":
            taken.set()
            assert reused.wait(10)
        return real(fd, *args)

    monkeypatch.setattr(core_socket, name, preempted)
    victim, victim_peer = sockcore.socketpair()
    victim.settimeout(timeout)
    result: list[Any] = []
    thread = threading.Thread(
        target=lambda: result.append(outcome(lambda: getattr(victim, call)(64 if call == "recv" else b"stale"))),
        name="A",
    )
    thread.start()
    assert taken.wait(10)
    number = victim.fileno()
    victim.close()
    victim_peer.close()
    # new sockets take the lowest free numbers: make them until one has the victim's
    spare: list[Any] = []
    new, new_peer = sockcore.socketpair()
    while number not in (new.fileno(), new_peer.fileno()) and len(spare) < 64:
        spare += (new, new_peer)
        new, new_peer = sockcore.socketpair()
    for sock in spare:
        sock.close()
    try:
        # sockcore keeps the number while A's call is in flight (sockcore/_closing.py): then a
        # new socket cannot have it; either way A must fail with EBADF and take nothing
        if new_peer.fileno() == number:
            new, new_peer = new_peer, new
        new_peer.send(b"another connection")
        reused.set()
        thread.join(10)
        new.settimeout(0)
        new_peer.settimeout(0)
        leaked = outcome(lambda: new_peer.recv(64))  # what A's send wrote into the new connection
        assert result[0][:2] == ("raises", "OSError") and result[0][2] == errno.EBADF, result
        assert leaked[0] == "raises", leaked
        assert new.recv(64) == b"another connection"  # A's recv took none of it
    finally:
        reused.set()
        thread.join(10)
        new.close()
        new_peer.close()
