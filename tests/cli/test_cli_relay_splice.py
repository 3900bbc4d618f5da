"""`sockcore relay` moves stream-to-stream bytes with splice(2) and says so in -v; datagram ends copy."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

from .conftest import Cli, finish, free_port, wait_for_line


def _start(cli: Cli, procs: list[subprocess.Popen[bytes]], *args: str) -> subprocess.Popen[bytes]:
    proc = cli.spawn(*args, "-v")
    procs.append(proc)
    wait_for_line(proc, b"listening on")
    return proc


def _echo(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(data)
        client.shutdown(socket.SHUT_WR)
        got = b""
        while chunk := client.recv(1 << 20):
            got += chunk
    return got


def test_stream_relay_splices(cli: Cli, server: list[subprocess.Popen[bytes]], tmp_path: Path) -> None:
    port = free_port()
    back = f"test-unix:{tmp_path}/echo.sock"
    _start(cli, server, "listen", back, "--echo", "--once")
    relay = _start(cli, server, "relay", "--once", f"test-tcp://127.0.0.1:{port}", back)
    data = os.urandom(3_000_000)
    assert _echo(port, data) == data
    code, _, err = finish(relay)
    assert code == 0, err
    assert b"zero-copy with splice(2)" in err
    assert b"copying through Python" not in err


def test_datagram_end_falls_back_to_copying(cli: Cli, server: list[subprocess.Popen[bytes]]) -> None:
    port = free_port()
    back = f"test-udp://127.0.0.1:{free_port(socket.SOCK_DGRAM)}"
    _start(cli, server, "listen", back, "--echo")
    relay = _start(cli, server, "relay", "--once", f"test-tcp://127.0.0.1:{port}", back)
    data = os.urandom(50_000)
    assert _echo(port, data) == data
    code, _, err = finish(relay)
    assert code == 0, err
    assert b"copying through Python (splice(2) needs two stream ends)" in err
