"""send_fds / recv_fds: the stdlib's results, on stdlib sockets and on sockcore's."""

from __future__ import annotations

import inspect
import os
import socket as std
from typing import Any

import pytest
import sockcore_unix

import sockcore


def test_signatures_match_the_stdlib() -> None:
    assert inspect.signature(sockcore_unix.send_fds) .parameters.keys() == inspect.signature(std.send_fds).parameters.keys()
    assert inspect.signature(sockcore_unix.recv_fds).parameters.keys() == inspect.signature(std.recv_fds).parameters.keys()
    for ours, theirs in ((sockcore_unix.send_fds, std.send_fds), (sockcore_unix.recv_fds, std.recv_fds)):
        for p, q in zip(inspect.signature(ours).parameters.values(), inspect.signature(theirs).parameters.values(), strict=True):
            assert (p.name, p.default, p.kind) == (q.name, q.default, q.kind)


def exchange(module: Any, send: Any, recv: Any, kind: int) -> tuple[bytes, int, int, Any, list[bytes]]:
    """Pass two pipe ends and report what arrived (descriptors replaced by what reading them gives)."""
    r, w = os.pipe()
    a, b = module.socketpair(module.AF_UNIX, kind)
    try:
        with a, b:
            assert send(a, [b"hello", b"!"], [r, w]) == 6
            msg, fds, flags, addr = recv(b, 100, 4)
            try:
                os.write(fds[1], b"through")
                seen = [os.read(fds[0], 7)]
            finally:
                for fd in fds:
                    os.close(fd)
            return msg, len(fds), flags, addr, seen
    finally:
        os.close(r)
        os.close(w)


@pytest.mark.parametrize("kind", [std.SOCK_STREAM, std.SOCK_DGRAM, std.SOCK_SEQPACKET])
def test_on_stdlib_sockets_ours_give_the_stdlibs_results(kind: int) -> None:
    expected = exchange(std, std.send_fds, std.recv_fds, kind)
    assert expected[0] == b"hello!" and expected[1] == 2
    assert exchange(std, sockcore_unix.send_fds, sockcore_unix.recv_fds, kind) == expected


@pytest.mark.qemu("qemu-user neither truncates SCM_RIGHTS nor sets MSG_CTRUNC; the descriptors that do not fit leak into the process", run=False)
def test_truncated_fds_set_ctrunc() -> None:
    def run(send: Any, recv: Any) -> tuple[Any, ...]:
        r, w = os.pipe()
        a, b = std.socketpair()
        try:
            with a, b:
                send(a, [b"x"], [r, w, r])
                msg, fds, flags, addr = recv(b, 10, 1)
                for fd in fds:
                    os.close(fd)
                return msg, len(fds), flags & std.MSG_CTRUNC, addr
        finally:
            os.close(r)
            os.close(w)

    assert run(sockcore_unix.send_fds, sockcore_unix.recv_fds) == run(std.send_fds, std.recv_fds)


def test_flags_reach_recvmsg() -> None:
    # Python 3.11's recv_fds drops flags; ours passes MSG_PEEK on, so the data stays queued.
    a, b = std.socketpair()
    with a, b:
        sockcore_unix.send_fds(a, [b"peek"], [])
        assert sockcore_unix.recv_fds(b, 10, 1, std.MSG_PEEK)[0] == b"peek"
        assert sockcore_unix.recv_fds(b, 10, 1)[0] == b"peek"


def test_address_reaches_sendmsg(tmp_path: Any) -> None:
    with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as server, std.socket(std.AF_UNIX, std.SOCK_DGRAM) as client:
        server.bind(b"\0sockcore-unix-fds-test-%d" % os.getpid())
        r, w = os.pipe()
        try:
            sockcore_unix.send_fds(client, [b"to"], [r], 0, server.getsockname())
            msg, fds, _, _ = sockcore_unix.recv_fds(server, 10, 1)
            assert msg == b"to" and len(fds) == 1
            os.close(fds[0])
        finally:
            os.close(r)
            os.close(w)


@pytest.mark.parametrize("kind", [std.SOCK_STREAM, std.SOCK_DGRAM, std.SOCK_SEQPACKET])
def test_on_sockcore_sockets(kind: int) -> None:
    expected = exchange(std, std.send_fds, std.recv_fds, kind)
    assert exchange(sockcore, sockcore.send_fds, sockcore.recv_fds, kind) == expected


def test_module_attributes_are_the_plugins() -> None:
    assert sockcore.send_fds is sockcore_unix.send_fds
    assert sockcore.recv_fds is sockcore_unix.recv_fds
