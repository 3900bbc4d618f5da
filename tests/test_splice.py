"""sockcore.splice: bytes moved inside the kernel arrive exactly as an os.read/os.write loop delivers them.

Each case moves the same bytes once with splice and once with a plain copy
loop between the same kinds of ends (stream sockets of each family, files,
pipes) and compares what arrived.  Timeouts follow the sockets' own rules;
bytes that left the source but could not reach the destination come back on
the exception, never lost.
"""

from __future__ import annotations

import errno
import os
import socket as std
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sockcore
from sockcore.testing import bounded_call, drain, fill


def _tcp_pair(mod: Any) -> tuple[Any, Any]:
    with mod.socket(std.AF_INET, std.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        a = mod.create_connection(listener.getsockname())
        b, _ = listener.accept()
    return a, b


def _unix_pair(mod: Any) -> tuple[Any, Any]:
    a, b = mod.socketpair(std.AF_UNIX, std.SOCK_STREAM)
    return a, b


PAIRS: dict[str, Callable[[Any], tuple[Any, Any]]] = {"tcp": _tcp_pair, "unix": _unix_pair}


@pytest.fixture(params=[(s, d) for s in PAIRS for d in PAIRS], ids=lambda p: f"{p[0]}-{p[1]}")
def relay(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any, Any, Any]]:
    """(producer, src, dst, consumer): producer -> src ... dst -> consumer; src and dst are sockcore sockets."""
    source, target = request.param
    producer, src = PAIRS[source](sockcore)
    dst, consumer = PAIRS[target](sockcore)
    with producer, src, dst, consumer:
        yield producer, src, dst, consumer


def _produce(producer: Any, data: bytes) -> threading.Thread:
    def run() -> None:
        producer.sendall(data)
        producer.shutdown(std.SHUT_WR)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _consume(consumer: Any, into: bytearray) -> threading.Thread:
    def run() -> None:
        while chunk := consumer.recv(1 << 20):
            into.extend(chunk)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _copy_loop(src: int, dst: int, count: int | None = None) -> int:
    """The reference: read and write in Python."""
    moved = 0
    while count is None or moved < count:
        data = os.read(src, 1 << 16 if count is None else min(1 << 16, count - moved))
        if not data:
            break
        view = memoryview(data)
        while view:
            view = view[os.write(dst, view) :]
        moved += len(data)
    return moved


def _through(relay: tuple[Any, Any, Any, Any], data: bytes, mover: Callable[[Any, Any], int]) -> tuple[int, bytes]:
    producer, src, dst, consumer = relay
    got = bytearray()
    threads = [_produce(producer, data), _consume(consumer, got)]
    moved = mover(src, dst)
    dst.shutdown(std.SHUT_WR)
    for t in threads:
        t.join()
    return moved, bytes(got)


@settings(max_examples=3, deadline=None)
@given(size=st.sampled_from([0, 1, 65535, 65536, 3_000_001]))
def test_splice_equals_a_copy_loop(size: int) -> None:
    data = os.urandom(size)
    for make_src in PAIRS.values():
        for make_dst in PAIRS.values():
            results = []
            for mover in (lambda s, d: sockcore.splice(s, d), lambda s, d: _copy_loop(s.fileno(), d.fileno())):
                producer, src = make_src(sockcore)
                dst, consumer = make_dst(sockcore)
                with producer, src, dst, consumer:
                    results.append(_through((producer, src, dst, consumer), data, mover))
            assert results[0] == results[1] == (size, data)


def test_count_moves_exactly_that_many(relay: tuple[Any, Any, Any, Any]) -> None:
    producer, src, dst, consumer = relay
    producer.sendall(b"0123456789" * 1000)
    assert sockcore.splice(src, dst, 2500) == 2500
    consumer.settimeout(5)
    got = b""
    while len(got) < 2500:
        got += consumer.recv(10000)
    assert got == (b"0123456789" * 1000)[:2500]
    assert src.recv(10) == b"0123456789"  # the rest is still in src
    assert sockcore.splice(src, dst, 0) == 0


def test_stdlib_sockets_files_and_pipes() -> None:
    a, b = std.socketpair()
    r, w = os.pipe()
    with a, b, tempfile.TemporaryFile() as f:
        f.write(b"from a file" * 1000)
        f.seek(5)
        assert sockcore.splice(f, a) == 11 * 1000 - 5  # from the file position to its end
        assert f.tell() == 11 * 1000
        got = b""
        while len(got) < 11 * 1000 - 5:
            got += b.recv(100_000)
        assert got == (b"from a file" * 1000)[5:]
        a.sendall(b"into a pipe")
        assert sockcore.splice(b, w, 11) == 11
        assert os.read(r, 100) == b"into a pipe"
        os.write(w, b"out of a pipe")
        assert sockcore.splice(r, a, 13) == 13
        assert b.recv(100) == b"out of a pipe"
        a.sendall(b"to a file")
        with tempfile.TemporaryFile() as out:
            assert sockcore.splice(b.fileno(), out, 9) == 9
            out.seek(0)
            assert out.read() == b"to a file"
    os.close(r)
    os.close(w)


def test_source_timeout_and_nonblocking() -> None:
    a, b = sockcore.socketpair()
    c, d = sockcore.socketpair()
    with a, b, c, d:
        b.settimeout(0.05)
        with pytest.raises(TimeoutError) as info:
            sockcore.splice(b, c)
        assert info.value.moved == 0  # type: ignore[attr-defined]
        a.sendall(b"some")
        with pytest.raises(TimeoutError) as info:
            sockcore.splice(b, c, 100)  # 4 arrive, then nothing within the timeout
        assert info.value.moved == 4  # type: ignore[attr-defined]
        assert d.recv(10) == b"some"
        b.setblocking(False)
        with pytest.raises(BlockingIOError):
            sockcore.splice(b, c)
        a.sendall(b"more")
        assert sockcore.splice(b, c) == 4  # what there was, then no wait
        assert d.recv(10) == b"more"


def test_destination_timeout_returns_the_bytes_in_flight() -> None:
    """dst's peer reads nothing: the bytes stuck in the kernel pipe come back on the TimeoutError."""
    a, b = sockcore.socketpair()
    c, d = sockcore.socketpair()
    with a, b, c, d:
        c.setsockopt(std.SOL_SOCKET, std.SO_SNDBUF, 4096)
        c.settimeout(0.1)
        data = os.urandom(2 << 20)
        producer = _produce(a, data)
        with pytest.raises(TimeoutError) as info:
            sockcore.splice(b, c)
        moved: int = info.value.moved  # type: ignore[attr-defined]
        pending: bytes = info.value.pending  # type: ignore[attr-defined]
        c.close()
        delivered = b""
        while chunk := d.recv(1 << 20):
            delivered += chunk
        b.settimeout(5)
        rest = b""
        while chunk := b.recv(1 << 20):
            rest += chunk
        producer.join()
        assert len(delivered) == moved
        assert delivered + pending + rest == data  # nothing lost, nothing twice


def test_closed_socket_is_ebadf() -> None:
    a, b = sockcore.socketpair()
    b.close()
    with a, pytest.raises(OSError) as info:
        sockcore.splice(b, a)
    assert info.value.errno == errno.EBADF


def test_arguments() -> None:
    a, b = sockcore.socketpair()
    with a, b:
        with pytest.raises(ValueError):
            sockcore.splice(a, b, -1)
        with pytest.raises(TypeError):
            sockcore.splice(a, b, 1.5)  # type: ignore[arg-type]

        class FakeTLS:
            def getpeercert(self) -> None: ...

            def fileno(self) -> int:
                return a.fileno()

        with pytest.raises(ValueError, match="TLS"):
            sockcore.splice(FakeTLS(), b)


def test_relay_direction_falls_back_when_splice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """sockcore relay's copy engine: a kernel that refuses splice(2) gets the copy loop and a -v note."""
    from sockcore import zerocopy
    from sockcore.cli.pump import Direction

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError(errno.EINVAL, os.strerror(errno.EINVAL))

    monkeypatch.setattr(zerocopy, "_splice", refuse)
    a, b = sockcore.socketpair()
    c, d = sockcore.socketpair()
    notes: list[str] = []
    with a, b, c, d:
        a.sendall(b"copied instead")
        a.shutdown(std.SHUT_WR)
        direction = Direction("forward", b.fileno(), c.fileno(), splice=True, note=notes.append)
        direction.run()
        assert direction.error is None
        assert direction.bytes == 14
        assert d.recv(100) == b"copied instead"
    assert notes == ["forward: splice(2) refused (Invalid argument), copying through Python"]


def test_pipe_size_steps_down_to_what_the_kernel_allows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lower pipe-max-size (EPERM above it) gets the largest half of PIPE_SIZE it allows, not the 64 KiB default."""
    import fcntl

    from sockcore import zerocopy

    real = fcntl.fcntl
    asked: list[int] = []

    def limited(fd: int, cmd: int, arg: int = 0) -> int:
        if cmd == fcntl.F_SETPIPE_SZ:
            asked.append(arg)
            if arg > 256 * 1024:
                raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))
        return real(fd, cmd, arg)

    monkeypatch.setattr(zerocopy.fcntl, "fcntl", limited)
    a, b = sockcore.socketpair()
    c, d = sockcore.socketpair()
    with a, b, c, d, zerocopy.Splicer(b, c) as splicer:
        assert splicer.size == 256 * 1024
        assert asked == [zerocopy.PIPE_SIZE, zerocopy.PIPE_SIZE // 2, zerocopy.PIPE_SIZE // 4]
        a.sendall(b"through a smaller pipe")
        assert splicer.step() == 22
        assert d.recv(100) == b"through a smaller pipe"


@pytest.mark.parametrize("kind", ["tcp", "unix"])
@pytest.mark.parametrize("end", ["src", "dst"])
def test_timeout_end_with_a_blocking_twin_still_times_out(kind: str, end: str) -> None:
    """O_NONBLOCK is the open file description's: a dup made blocking clears it for the timeout socket too.

    A timeout end polls before each splice(2), as CPython's socket calls do, so the call still times out
    (tests/test_timeout_twins.py has the core's calls); a call still blocked after two seconds is unblocked
    and fails the test.
    """
    producer, src = PAIRS[kind](sockcore)
    dst, consumer = PAIRS[kind](sockcore)
    with producer, src, dst, consumer:
        sock = src if end == "src" else dst
        if end == "dst":  # dst cannot take more: its buffers are full
            fill(dst)
            producer.sendall(b"y" * 1000)
        sock.settimeout(0.05)
        twin = sock.dup()
        with twin:
            twin.setblocking(True)

            def unblock() -> None:  # bytes to read, or room to write
                if end == "src":
                    producer.sendall(b"z" * 1000)
                else:
                    drain(consumer)

            result = bounded_call(lambda: sockcore.splice(src, dst, 1000), unblock)
            assert isinstance(result, TimeoutError), result
