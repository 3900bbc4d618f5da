"""SCM_RIGHTS and SCM_CREDENTIALS: typed payloads, and the real kernel messages (through the stdlib socket)."""

from __future__ import annotations

import array
import os
import socket as std
import struct
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sockcore_unix.cmsg import (
    SCM_CREDENTIALS_CODEC,
    SCM_RIGHTS_CODEC,
    pack_credentials,
    pack_fds,
    unpack_credentials,
    unpack_fds,
)

from sockcore.structs import Ucred

ALLOWED = (TypeError, ValueError, OverflowError, OSError, UnicodeError)
c_ints = st.integers(-(2**31), 2**31 - 1)
c_uints = st.integers(0, 2**32 - 1)


@given(st.lists(c_ints, max_size=64))
def test_fds_round_trip(fds: list[int]) -> None:
    data = pack_fds(fds)
    assert data == array.array("i", fds).tobytes()
    assert unpack_fds(data) == tuple(fds)


@given(st.lists(c_ints, min_size=1, max_size=8), st.integers(1, 3))
def test_a_truncated_fd_is_dropped(fds: list[int], cut: int) -> None:
    assert unpack_fds(pack_fds(fds)[:-cut]) == tuple(fds[:-1])


@given(c_ints, c_uints, c_uints)
def test_credentials_round_trip(pid: int, uid: int, gid: int) -> None:
    data = pack_credentials(Ucred(pid, uid, gid))
    assert data == struct.pack("=iII", pid, uid, gid)
    assert unpack_credentials(data) == (pid, uid, gid)
    assert isinstance(unpack_credentials(data), Ucred)
    assert pack_credentials((pid, uid, gid)) == data


@given(st.one_of(st.none(), st.integers(), st.text(), st.tuples(st.integers()), st.tuples(st.integers(), st.integers(), st.integers()), st.tuples(st.text(), st.integers(), st.integers())))
def test_bad_credentials_raise_only_documented_errors(value: Any) -> None:
    try:
        pack_credentials(value)
    except ALLOWED:
        return


@given(st.lists(st.one_of(st.integers(), st.text(), st.none()), max_size=4))
def test_bad_fds_raise_only_documented_errors(value: list[Any]) -> None:
    try:
        pack_fds(value)
    except ALLOWED:
        return


@pytest.mark.parametrize("size", [0, 11, 13])
def test_short_credentials_are_an_error(size: int) -> None:
    with pytest.raises(ValueError):
        unpack_credentials(bytes(size))


def test_codec_records() -> None:
    assert (SCM_RIGHTS_CODEC.level, SCM_RIGHTS_CODEC.type) == (std.SOL_SOCKET, std.SCM_RIGHTS)
    assert (SCM_CREDENTIALS_CODEC.level, SCM_CREDENTIALS_CODEC.type) == (std.SOL_SOCKET, std.SCM_CREDENTIALS)
    assert SCM_RIGHTS_CODEC.encode is not None and SCM_CREDENTIALS_CODEC.encode is not None


def test_rights_payload_the_kernel_delivers() -> None:
    a, b = std.socketpair()
    r, w = os.pipe()
    try:
        with a, b:
            a.sendmsg([b"x"], [(SCM_RIGHTS_CODEC.level, SCM_RIGHTS_CODEC.type, SCM_RIGHTS_CODEC.encode([r, w]))])  # type: ignore[misc]
            _, ancdata, _, _ = b.recvmsg(1, std.CMSG_SPACE(8))
            ((_level, _kind, data),) = ancdata
            got = SCM_RIGHTS_CODEC.decode(data)
            assert len(got) == 2
            for fd in got:
                os.close(fd)
    finally:
        os.close(r)
        os.close(w)


def test_credentials_the_kernel_delivers() -> None:
    a, b = std.socketpair(std.AF_UNIX, std.SOCK_DGRAM)
    with a, b:
        b.setsockopt(std.SOL_SOCKET, std.SO_PASSCRED, 1)
        a.send(b"x")
        _, ancdata, _, _ = b.recvmsg(1, std.CMSG_SPACE(12))
        ((level, kind, data),) = ancdata
        assert (level, kind) == (std.SOL_SOCKET, std.SCM_CREDENTIALS)
        assert SCM_CREDENTIALS_CODEC.decode(data) == Ucred(os.getpid(), os.getuid(), os.getgid())
        # and sending our own credentials explicitly is accepted by the kernel
        a.sendmsg([b"y"], [(std.SOL_SOCKET, std.SCM_CREDENTIALS, pack_credentials(Ucred(os.getpid(), os.getuid(), os.getgid())))])
        _, ancdata, _, _ = b.recvmsg(1, std.CMSG_SPACE(12))
        assert unpack_credentials(ancdata[0][2]) == (os.getpid(), os.getuid(), os.getgid())
