"""Closing: no descriptor leaks, close from another thread, double close, detach, ResourceWarning, repr.

Each test runs on the stdlib (the oracle) and on sockcore.
"""

from __future__ import annotations

import errno
import gc
import os
import socket as std
import threading
import warnings
from types import ModuleType

import pytest

import sockcore


@pytest.fixture(params=[std, sockcore], ids=["stdlib", "sockcore"])
def mod(request: pytest.FixtureRequest) -> ModuleType:
    module: ModuleType = request.param
    return module


def open_fds() -> set[int]:
    return {int(n) for n in os.listdir("/proc/self/fd")}


def assert_no_new_fds(before: set[int]) -> None:
    gc.collect()
    leaked = {fd for fd in open_fds() - before if os.path.exists(f"/proc/self/fd/{fd}")}
    assert not leaked, [os.readlink(f"/proc/self/fd/{fd}") for fd in leaked]


def test_no_leaks_over_a_busy_life(mod: ModuleType) -> None:
    before = open_fds()
    name = f"\0sockcore-leaks-{os.getpid()}-{mod.__name__}".encode()
    for _ in range(20):
        with mod.socket(mod.AF_UNIX) as server:
            server.bind(name)
            server.listen()
            with mod.socket(mod.AF_UNIX) as client:
                client.connect(name)
                conn, _ = server.accept()
                with conn, conn.dup() as copy:
                    copy.send(b"x")
                    client.recv(1)
                    with client.makefile("rwb") as f:
                        conn.send(b"line\n")
                        f.readline()
        a, b = mod.socketpair()
        a.close()
        b.close()
    assert_no_new_fds(before)


@pytest.mark.qemu("qemu-user creates a socket of an unknown type (99) instead of failing with EINVAL")
def test_failures_leak_nothing(mod: ModuleType) -> None:
    before = open_fds()
    for _ in range(20):
        with pytest.raises(OSError):
            mod.socket(mod.AF_UNIX, 99)
        with pytest.raises(OSError):
            mod.socketpair(mod.AF_UNIX, 99)
        with mod.socket(mod.AF_UNIX) as s:
            with pytest.raises(FileNotFoundError):
                s.connect("/nonexistent-sockcore/x")
            with pytest.raises(OSError):
                s.accept()
        with mod.socket(mod.AF_UNIX) as s:
            s.settimeout(0.0)
            s.bind(b"")
            s.listen()
            with pytest.raises(BlockingIOError):
                s.accept()
    assert_no_new_fds(before)


def test_double_close(mod: ModuleType) -> None:
    s = mod.socket(mod.AF_UNIX)
    s.close()
    s.close()
    assert s.fileno() == -1
    with pytest.raises(OSError) as info:
        s.getsockname()
    assert info.value.errno == errno.EBADF
    with s:  # a closed socket still works as a context manager
        pass


def test_close_does_not_close_a_reused_descriptor(mod: ModuleType) -> None:
    s = mod.socket(mod.AF_UNIX)
    fd = s.fileno()
    s.close()
    r, w = os.pipe()
    try:
        s.close()  # must not close whatever now has the old number
        os.fstat(r)
        os.fstat(w)
    finally:
        os.close(r)
        os.close(w)
    assert fd >= 0


def test_detach(mod: ModuleType) -> None:
    s = mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM)
    fd = s.detach()
    assert s.fileno() == -1
    s.close()
    os.fstat(fd)  # still open
    with mod.socket(fileno=fd) as again:
        assert again.type == mod.SOCK_DGRAM
    with pytest.raises(OSError):
        os.fstat(fd)
    assert "[closed]" in repr(s)


def test_close_from_another_thread_wakes_nobody_but_shutdown_does(mod: ModuleType) -> None:
    """shutdown() from another thread ends a blocking recv; close() afterwards is safe."""
    a, b = mod.socketpair()
    result: list[object] = []

    def reader() -> None:
        try:
            result.append(b.recv(10))
        except OSError as exc:
            result.append(exc.errno)

    thread = threading.Thread(target=reader)
    thread.start()
    b.shutdown(mod.SHUT_RDWR)
    b.close()
    thread.join(10)
    assert not thread.is_alive()
    assert result in ([b""], [errno.EBADF])
    a.close()


def test_close_from_another_thread(mod: ModuleType) -> None:
    s = mod.socket(mod.AF_UNIX)
    thread = threading.Thread(target=s.close)
    thread.start()
    thread.join()
    assert s.fileno() == -1
    with pytest.raises(OSError) as info:
        s.send(b"x")
    assert info.value.errno in (errno.EBADF, errno.ENOTCONN)


def test_concurrent_closes(mod: ModuleType) -> None:
    before = open_fds()
    errors: list[BaseException] = []
    for _ in range(50):
        s = mod.socket(mod.AF_UNIX)
        barrier = threading.Barrier(4)

        def closer(sock: object = s, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                sock.close()  # type: ignore[attr-defined]
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=closer) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert_no_new_fds(before)


def test_resource_warning_on_an_unclosed_socket(mod: ModuleType) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = mod.socket(mod.AF_UNIX)
        shown = repr(s)
        del s
        gc.collect()
    messages = [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    assert messages == [f"unclosed {shown}"]


def test_no_resource_warning_once_closed_or_detached(mod: ModuleType) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = mod.socket(mod.AF_UNIX)
        s.close()
        del s
        t = mod.socket(mod.AF_UNIX)
        os.close(t.detach())
        del t
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_repr(mod: ModuleType) -> None:
    prefix = "<socket.socket" if mod is std else "<sockcore.socket"
    with mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) as s:
        assert repr(s) == f"{prefix} fd={s.fileno()}, family=1, type=2, proto=0>"
        s.bind(b"\0sockcore-repr-" + mod.__name__.encode())
        assert repr(s) == f"{prefix} fd={s.fileno()}, family=1, type=2, proto=0, laddr={s.getsockname()!r}>"
    assert repr(s) == f"{prefix} [closed] fd=-1, family=1, type=2, proto=0>"


@pytest.mark.parametrize("end", ["close", "detach"])
def test_a_closed_socket_never_reads_a_reused_descriptor(mod: ModuleType, end: str) -> None:
    """recv_into keeps a reader on the descriptor; closing must drop it with the number."""
    a, b = mod.socketpair()
    buf = bytearray(8)
    a.send(b"first")
    assert b.recv_into(buf) == 5
    fd = b.fileno()
    detached = getattr(b, end)()
    if end == "detach":
        os.close(detached)
    c, d = mod.socketpair()  # the lowest free numbers: b's comes back
    try:
        assert fd in (c.fileno(), d.fileno())
        c.send(b"other")
        d.send(b"other")
        with pytest.raises(OSError) as info:
            b.recv_into(buf)
        assert info.value.errno == errno.EBADF
        assert c.recv(5) == d.recv(5) == b"other"  # nothing was read from the new sockets
    finally:
        for s in (a, c, d):
            s.close()


def test_threads_accepting_on_one_listener(mod: ModuleType) -> None:
    """Several threads in accept() share the listener's address buffers without tripping on each other."""
    name = f"\0sockcore-accept-{os.getpid()}-{mod.__name__}".encode()
    results: list[object] = []
    with mod.socket(mod.AF_UNIX, mod.SOCK_STREAM) as listener:
        listener.bind(name)
        listener.listen(64)

        def serve() -> None:
            for _ in range(25):
                try:
                    conn, _addr = listener.accept()
                except Exception as exc:  # recorded: the assertion below names it
                    results.append(exc)
                    return
                conn.close()
                results.append("ok")

        threads = [threading.Thread(target=serve) for _ in range(4)]
        for t in threads:
            t.start()
        for _ in range(100):
            with mod.socket(mod.AF_UNIX, mod.SOCK_STREAM) as client:
                client.connect(name)
        for t in threads:
            t.join(timeout=30)
    assert results == ["ok"] * 100
