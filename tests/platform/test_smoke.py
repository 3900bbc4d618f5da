"""The platform smoke test: what every ABI must do, against that ABI's stdlib.

Run under each architecture of the platform lane (../shared/tools/PLATFORM-LANE.md),
where the lane's python3 and its ``socket`` module are that ABI's oracle; the
full suite runs on i386 and s390x, this file alone on armhf and mips64el.
Also part of the ordinary suite on the host.
"""

from __future__ import annotations

import array
import os
import socket as stdlib
import struct
import sys
from typing import Any

import pytest

import sockcore

MODULES = [pytest.param(stdlib, id="stdlib"), pytest.param(sockcore, id="sockcore")]

#: the stdlib's public int constants (not the names it imports, not enums' helpers)
STDLIB_CONSTANTS = sorted(name for name in dir(stdlib) if name[:1].isupper() and isinstance(getattr(stdlib, name), int))


def test_every_public_constant_equals_this_abis_stdlib() -> None:
    """Every int constant: same value (MIPS numbers SOCK_* and SO_* its own way; 32-bit shows some negative)."""
    missing, wrong = [], []
    for name in STDLIB_CONSTANTS:
        try:
            mine = getattr(sockcore, name)
        except AttributeError as error:
            if "not installed" not in str(error):
                missing.append(name)
            continue
        if mine != getattr(stdlib, name):
            wrong.append(f"{name}: sockcore {mine!r}, stdlib {getattr(stdlib, name)!r}")
    assert not missing, f"names the stdlib has and sockcore lacks: {missing}"
    assert not wrong, "constants that differ from this ABI's stdlib:\n" + "\n".join(wrong)


def test_socket_type_and_level_constants() -> None:
    """The ones every program uses, by name (the mips64el lane's headline check)."""
    for name in ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_NONBLOCK", "SOCK_CLOEXEC", "SOL_SOCKET", "SO_REUSEADDR",
                 "SO_RCVBUF", "SO_TYPE", "SO_ERROR", "MSG_PEEK", "MSG_DONTWAIT", "SCM_RIGHTS"):
        assert getattr(sockcore, name) == getattr(stdlib, name), name


@pytest.mark.parametrize("mod", MODULES)
def test_socketpair_round_trip(mod: Any) -> None:
    a, b = mod.socketpair()
    with a, b:
        assert a.send(b"ping") == 4
        assert b.recv(16) == b"ping"
        b.sendall(b"pong" * 1000)
        received = b""
        while len(received) < 4000:
            received += a.recv(4096)
        assert received == b"pong" * 1000
        assert a.getsockopt(mod.SOL_SOCKET, mod.SO_TYPE) == mod.SOCK_STREAM


@pytest.mark.parametrize("mod", MODULES)
def test_udp_loopback(mod: Any) -> None:
    with mod.socket(mod.AF_INET, mod.SOCK_DGRAM) as server, mod.socket(mod.AF_INET, mod.SOCK_DGRAM) as client:
        server.bind(("127.0.0.1", 0))
        server.settimeout(10)
        client.sendto(b"datagram", server.getsockname())
        data, sender = server.recvfrom(64)
        assert data == b"datagram"
        assert sender == ("127.0.0.1", client.getsockname()[1])
        assert server.getsockname()[0] == "127.0.0.1"


@pytest.mark.parametrize("mod", MODULES)
def test_tcp_loopback(mod: Any) -> None:
    with mod.socket(mod.AF_INET, mod.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with mod.create_connection(listener.getsockname(), timeout=10) as client:
            conn, peer = listener.accept()
            with conn:
                assert peer == client.getsockname()
                assert conn.getpeername() == client.getsockname()
                client.sendall(b"x" * 100_000)
                client.shutdown(mod.SHUT_WR)
                total = 0
                conn.settimeout(10)
                while chunk := conn.recv(65536):
                    total += len(chunk)
                assert total == 100_000


@pytest.mark.parametrize("mod", MODULES)
def test_sendmsg_recvmsg_scm_rights(mod: Any) -> None:
    """Descriptors through a Unix socket: msghdr, iovecs and cmsghdr in this ABI's layout."""
    a, b = mod.socketpair(mod.AF_UNIX, mod.SOCK_DGRAM)
    r, w = os.pipe()
    with a, b:
        try:
            fds = array.array("i", [r, w])
            assert a.sendmsg([b"two ", b"fds"], [(mod.SOL_SOCKET, mod.SCM_RIGHTS, fds)]) == 7
            data, ancdata, flags, _ = b.recvmsg(64, mod.CMSG_SPACE(2 * fds.itemsize))
            assert data == b"two fds"
            assert flags == 0
            assert len(ancdata) == 1
            level, kind, payload = ancdata[0]
            assert (level, kind) == (mod.SOL_SOCKET, mod.SCM_RIGHTS)
            received = array.array("i")
            received.frombytes(payload)
            assert len(received) == 2
            try:
                os.write(received[1], b"through")
                assert os.read(r, 16) == b"through"
            finally:
                for fd in received:
                    os.close(fd)
        finally:
            os.close(r)
            os.close(w)


def test_cmsg_sizes_equal_the_stdlib() -> None:
    for n in (0, 1, 4, 8, 12, 16, 100):
        assert sockcore.CMSG_LEN(n) == stdlib.CMSG_LEN(n)
        assert sockcore.CMSG_SPACE(n) == stdlib.CMSG_SPACE(n)


def test_getaddrinfo_equals_the_stdlib() -> None:
    for args in (("127.0.0.1", 80), ("localhost", "http", 0, stdlib.SOCK_STREAM), ("::1", 443, stdlib.AF_INET6),
                 (None, 0, stdlib.AF_INET, stdlib.SOCK_DGRAM, 0, stdlib.AI_PASSIVE)):
        assert sockcore.getaddrinfo(*args) == stdlib.getaddrinfo(*args), args


@pytest.mark.parametrize("mod", MODULES)
def test_options(mod: Any) -> None:
    """Int, struct (linger: two ints; timeval: two C longs) and TCP options."""
    with mod.socket(mod.AF_INET, mod.SOCK_STREAM) as s:
        s.setsockopt(mod.SOL_SOCKET, mod.SO_REUSEADDR, 1)
        assert s.getsockopt(mod.SOL_SOCKET, mod.SO_REUSEADDR) == 1
        s.setsockopt(mod.SOL_SOCKET, mod.SO_RCVBUF, 65536)
        assert s.getsockopt(mod.SOL_SOCKET, mod.SO_RCVBUF) >= 65536  # the kernel doubles it
        s.setsockopt(mod.IPPROTO_TCP, mod.TCP_NODELAY, True)
        assert s.getsockopt(mod.IPPROTO_TCP, mod.TCP_NODELAY) == 1
        s.setsockopt(mod.SOL_SOCKET, mod.SO_LINGER, struct.pack("ii", 1, 7))
        assert struct.unpack("ii", s.getsockopt(mod.SOL_SOCKET, mod.SO_LINGER, struct.calcsize("ii"))) == (1, 7)
        timeval = struct.pack("@ll", 3, 500_000)
        s.setsockopt(mod.SOL_SOCKET, mod.SO_RCVTIMEO, timeval)
        assert s.getsockopt(mod.SOL_SOCKET, mod.SO_RCVTIMEO, len(timeval)) == timeval


def test_typed_options_use_this_abis_structs() -> None:
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_STREAM) as s:
        s.setopt(sockcore.options.SO_LINGER, sockcore.Linger(1, 5))
        assert s.getopt(sockcore.options.SO_LINGER) == (1, 5)
        s.setopt(sockcore.options.SO_RCVTIMEO, sockcore.Timeval(2, 500_000))  # whole jiffies at any HZ: unrounded
        assert s.getopt(sockcore.options.SO_RCVTIMEO) == (2, 500_000)
        assert s.gettimeout() is None


def test_the_running_abi() -> None:
    """What this run covered, in the test log: byte order and word sizes."""
    print(f"{sys.platform} {os.uname().machine} {sys.byteorder}-endian, pointer {struct.calcsize('P')} bytes,"
          f" long {struct.calcsize('l')}, libc {sockcore.libc.LIBC}")
    assert struct.calcsize("P") == struct.calcsize("N")
