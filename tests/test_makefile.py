"""makefile() in every mode, with the stdlib's closing rules; each test runs on the stdlib and on sockcore."""

from __future__ import annotations

import errno
import io
import os
import socket as std
from types import ModuleType
from typing import Any

import pytest

import sockcore


@pytest.fixture(params=[std, sockcore], ids=["stdlib", "sockcore"])
def mod(request: pytest.FixtureRequest) -> ModuleType:
    module: ModuleType = request.param
    return module


def fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


@pytest.mark.parametrize(
    ("mode", "buffering", "kind"),
    [
        ("r", None, io.TextIOWrapper),
        ("w", None, io.TextIOWrapper),
        ("rw", None, io.TextIOWrapper),
        ("rb", None, io.BufferedReader),
        ("wb", None, io.BufferedWriter),
        ("rwb", None, io.BufferedRWPair),
        ("rb", 0, None),  # the raw SocketIO
        ("wb", 0, None),
        ("rwb", 0, None),
        ("rb", 10, io.BufferedReader),
        ("r", 1, io.TextIOWrapper),
        ("wr", None, io.TextIOWrapper),
        ("brw", None, io.BufferedRWPair),
    ],
)
def test_modes_give_the_stdlibs_types(mod: ModuleType, mode: str, buffering: int | None, kind: type | None) -> None:
    a, b = mod.socketpair()
    with a, b, a.makefile(mode, buffering) as f:
        if kind is None:
            assert type(f).__name__ == "SocketIO"
            assert isinstance(f, io.RawIOBase)
        else:
            assert type(f) is kind
        assert f.readable() is ("r" in mode)
        assert f.writable() is ("w" in mode)
        assert not f.seekable()


@pytest.mark.parametrize(("mode", "buffering", "exc"), [("x", None, ValueError), ("rt", None, ValueError), ("r", 0, ValueError), ("a", None, ValueError)])
def test_bad_modes(mod: ModuleType, mode: str, buffering: int | None, exc: type[Exception]) -> None:
    a, b = mod.socketpair()
    with a, b, pytest.raises(exc):
        a.makefile(mode, buffering)


def test_text_round_trip(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b, a.makefile("w", encoding="utf-16-le", newline="\r\n") as w, b.makefile("r", encoding="utf-16-le", newline="") as r:
        w.write("héllo\nwörld\n")
        w.flush()
        assert r.readline() == "héllo\r\n"
        assert r.readline() == "wörld\r\n"
        assert w.encoding == "utf-16-le"


def test_text_errors(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b, b.makefile("r", encoding="ascii", errors="replace") as r:
        a.sendall(b"caf\xc3\xa9\n")
        assert r.readline() == "caf\ufffd\ufffd\n"


def test_binary_reads_and_writes(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b, a.makefile("wb") as w, b.makefile("rb") as r:
        w.write(b"line one\nline two\n")
        w.write(b"tail")
        w.flush()
        a.shutdown(mod.SHUT_WR)
        assert r.readline() == b"line one\n"
        assert list(r) == [b"line two\n", b"tail"]
        assert r.read() == b""


def test_raw_socketio(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b, a.makefile("rwb", buffering=0) as raw:
        assert raw.write(b"abc") == 3
        assert b.recv(10) == b"abc"
        b.send(b"xyz")
        buf = bytearray(10)
        assert raw.readinto(buf) == 3
        assert buf[:3] == b"xyz"
        assert raw.fileno() == a.fileno()
        assert raw.name == a.fileno()
        assert raw.mode == "rwb"


def test_raw_socketio_nonblocking_returns_none(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b:
        a.setblocking(False)
        with a.makefile("rb", buffering=0) as raw:
            assert raw.readinto(bytearray(10)) is None
            assert raw.read(10) is None


def test_timeout_poisons_the_reader(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b:
        a.settimeout(0.05)
        with a.makefile("rb", buffering=0) as raw:
            with pytest.raises(TimeoutError):
                raw.readinto(bytearray(10))
            b.send(b"now there is data")
            with pytest.raises(OSError, match="cannot read from timed out object"):
                raw.readinto(bytearray(10))


def test_socket_close_waits_for_the_file(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with b:
        f = a.makefile("rwb")
        fd = a.fileno()
        a.close()
        assert a.fileno() == fd  # as the stdlib: the descriptor stays until the last file closes
        assert "[closed]" in repr(a)
        assert a._closed
        assert fd_open(fd)  # the file still uses the descriptor
        f.write(b"still works")
        f.flush()
        assert b.recv(20) == b"still works"
        f.close()
        assert not fd_open(fd)


def test_file_close_does_not_close_the_socket(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b:
        f = a.makefile("wb")
        g = a.makefile("rb")
        f.close()
        g.close()
        assert a.fileno() >= 0
        a.send(b"ok")
        assert b.recv(2) == b"ok"
        assert a._io_refs == 0


def test_two_files_both_must_close(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with b:
        f = a.makefile("rb")
        g = a.makefile("wb")
        fd = a.fileno()
        assert a._io_refs == 2
        a.close()
        f.close()
        assert fd_open(fd)
        g.close()
        assert not fd_open(fd)


def test_closed_file_operations(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b:
        raw: Any = a.makefile("rwb", buffering=0)
        raw.close()
        raw.close()  # twice is fine
        assert raw.closed
        with pytest.raises(ValueError):
            raw.readinto(bytearray(1))
        with pytest.raises(ValueError):
            raw.write(b"x")
        with pytest.raises(ValueError):
            raw.fileno()


def test_write_to_closed_peer(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    b.close()
    with a, a.makefile("wb", buffering=0) as raw, pytest.raises(BrokenPipeError) as info:
        raw.write(b"x")
    assert info.value.errno == errno.EPIPE
