"""socket.sendfile on AF_UNIX stream sockets: the os.sendfile path, the send fallback, timeouts.

Each test runs on the stdlib (the oracle) and on sockcore.
"""

from __future__ import annotations

import io
import os
import socket as std
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import sockcore

DATA = os.urandom(3 * 1024 * 1024 + 123)


@pytest.fixture(params=[std, sockcore], ids=["stdlib", "sockcore"])
def mod(request: pytest.FixtureRequest) -> ModuleType:
    module: ModuleType = request.param
    return module


@pytest.fixture
def datafile(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data.bin"
    path.write_bytes(DATA)
    yield path


class Reader(threading.Thread):
    def __init__(self, sock: Any) -> None:
        super().__init__()
        self.sock = sock
        self.data = bytearray()

    def run(self) -> None:
        while True:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                return
            self.data.extend(chunk)


def transfer(mod: ModuleType, file: Any, offset: int = 0, count: int | None = None, timeout: float | None = None) -> tuple[int, bytes, int]:
    a, b = mod.socketpair()
    with a, b:
        a.settimeout(timeout)
        reader = Reader(b)
        reader.start()
        try:
            sent = a.sendfile(file, offset, count)
        finally:
            a.shutdown(mod.SHUT_WR)
            reader.join()
        return sent, bytes(reader.data), file.tell()


@pytest.mark.parametrize(("offset", "count"), [(0, None), (1000, None), (0, 5000), (12345, 1 << 20), (len(DATA), None), (0, len(DATA) + 10)])
@pytest.mark.parametrize("timeout", [None, 30.0], ids=["blocking", "timeout"])
def test_regular_file(mod: ModuleType, datafile: Path, offset: int, count: int | None, timeout: float | None) -> None:
    with datafile.open("rb") as f:
        sent, data, position = transfer(mod, f, offset, count, timeout)
    expected = DATA[offset: None if count is None else offset + count]
    assert sent == len(expected)
    assert data == expected
    # as the stdlib: the file is moved past what was sent, and left alone when nothing was
    assert position == (offset + sent if sent else 0)


def test_os_sendfile_is_used(mod: ModuleType, datafile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = os.sendfile

    def counting(*args: Any) -> int:
        calls.append(args[2:])
        return real(*args)

    monkeypatch.setattr(os, "sendfile", counting)
    with datafile.open("rb") as f:
        sent, data, _ = transfer(mod, f)
    assert sent == len(DATA) and data == DATA
    assert calls


def test_falls_back_to_send_when_os_sendfile_fails_at_once(mod: ModuleType, datafile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> int:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "sendfile", refuse)
    with datafile.open("rb") as f:
        sent, data, position = transfer(mod, f, 10, 100000)
    assert (sent, data, position) == (100000, DATA[10:100010], 100010)


@pytest.mark.parametrize(("offset", "count"), [(0, None), (7, 1000)])
def test_file_without_a_descriptor_uses_send(mod: ModuleType, offset: int, count: int | None) -> None:
    f = io.BytesIO(DATA)
    sent, data, position = transfer(mod, f, offset, count)
    expected = DATA[offset: None if count is None else offset + count]
    assert (sent, data, position) == (len(expected), expected, offset + len(expected))


def test_empty_file(mod: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "empty"
    path.write_bytes(b"")
    with path.open("rb") as f:
        assert transfer(mod, f) == (0, b"", 0)


def test_timeout_when_the_peer_does_not_read(mod: ModuleType, datafile: Path) -> None:
    a, b = mod.socketpair()
    with a, b, datafile.open("rb") as f:
        a.settimeout(0.1)
        with pytest.raises(TimeoutError):
            a.sendfile(f)


class SlowReader(Reader):
    """Reads 64 KiB every 50 ms: each wait of the sender is far below its timeout, the whole send far above."""

    def run(self) -> None:
        while True:
            threading.Event().wait(0.05)
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                return
            self.data.extend(chunk)


def test_the_timeout_bounds_each_wait_not_the_whole_send(mod: ModuleType, datafile: Path) -> None:
    """socket.py's sendfile polls with the whole timeout before every chunk: a slow reader that
    keeps taking data never makes it time out, however long the file takes (here ~2.5 s for 3 MiB
    against a 0.5 s timeout)."""
    a, b = mod.socketpair()
    with a, b, datafile.open("rb") as f:
        a.setsockopt(mod.SOL_SOCKET, mod.SO_SNDBUF, 1 << 16)
        a.settimeout(0.5)
        reader = SlowReader(b)
        reader.start()
        try:
            sent = a.sendfile(f)
        finally:
            a.shutdown(mod.SHUT_WR)
            reader.join()
    assert sent == len(DATA)
    assert bytes(reader.data) == DATA


def test_timeout_in_the_send_fallback(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b:
        a.settimeout(0.1)
        with pytest.raises(TimeoutError):
            a.sendfile(io.BytesIO(DATA))


@pytest.mark.parametrize(
    ("case", "exc"),
    [
        ("text file", ValueError),
        ("datagram socket", ValueError),
        ("non-blocking", ValueError),
        ("count zero", ValueError),
        ("count negative", ValueError),
        ("count float", TypeError),
    ],
)
def test_bad_arguments(mod: ModuleType, datafile: Path, case: str, exc: type[Exception]) -> None:
    kind = mod.SOCK_DGRAM if case == "datagram socket" else mod.SOCK_STREAM
    a, b = mod.socketpair(mod.AF_UNIX, kind)
    with a, b, datafile.open("r" if case == "text file" else "rb") as f:
        if case == "non-blocking":
            a.setblocking(False)
        count: Any = {"count zero": 0, "count negative": -1, "count float": 1.5}.get(case)
        with pytest.raises(exc):
            a.sendfile(f, 0, count)


def test_broken_pipe(mod: ModuleType, datafile: Path) -> None:
    a, b = mod.socketpair()
    b.close()
    with a, datafile.open("rb") as f, pytest.raises(BrokenPipeError):
        a.sendfile(f)
