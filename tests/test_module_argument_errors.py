"""Odd arguments to the module's functions fail with the stdlib's exception types.

One deliberate difference: CPython truncates a descriptor number beyond a C
int to an int (``2**32 + 1`` becomes descriptor 1, stdout), sockcore refuses
it (ValueError, or EBADF for fromfd/close) instead of touching another file.
"""

from __future__ import annotations

import socket as std
import struct
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

import sockcore

WEIRD: list[Any] = [
    None, -1, 0, 0.0, 1, 2**15, 2**16, 2**31, 2**32 + 1, 2**64, -(2**63), 1.5, "x", "lo", b"x", b"lo",
    (), True, object(), "\udcff", "é" * 300,
]
#: numbers that fit a C long but not a C int: CPython truncates them to a descriptor
#: (none where long is as wide as int: i386, armhf)
TRUNCATED_DESCRIPTORS = {2**32 + 1, -(2**63)} if struct.calcsize("l") > struct.calcsize("i") else set()

CALLS: dict[str, Callable[[ModuleType, Any], Any]] = {
    "if_indextoname": lambda m, w: m.if_indextoname(w),
    "if_nametoindex": lambda m, w: m.if_nametoindex(w),
    "htons": lambda m, w: m.htons(w),
    "ntohs": lambda m, w: m.ntohs(w),
    "htonl": lambda m, w: m.htonl(w),
    "ntohl": lambda m, w: m.ntohl(w),
    "CMSG_LEN": lambda m, w: m.CMSG_LEN(w),
    "CMSG_SPACE": lambda m, w: m.CMSG_SPACE(w),
    "setdefaulttimeout": lambda m, w: m.setdefaulttimeout(w),
    "socket family": lambda m, w: m.socket(w, m.SOCK_STREAM),
    "socket type": lambda m, w: m.socket(m.AF_UNIX, w),
    "socket proto": lambda m, w: m.socket(m.AF_UNIX, m.SOCK_STREAM, w),
    "socket fileno": lambda m, w: m.socket(fileno=w),
    "socketpair type": lambda m, w: m.socketpair(m.AF_UNIX, w),
    "socketpair proto": lambda m, w: m.socketpair(m.AF_UNIX, m.SOCK_STREAM, w),
    "fromfd": lambda m, w: m.fromfd(w, m.AF_UNIX, m.SOCK_STREAM),
    "close": lambda m, w: m.close(w),
}
DESCRIPTOR_CALLS = {"socket fileno", "fromfd", "close"}


def outcome(mod: ModuleType, call: Callable[[ModuleType, Any], Any], value: Any) -> str:
    try:
        result = call(mod, value)
    except Exception as exc:
        return type(exc).__name__
    finally:
        mod.setdefaulttimeout(None)
    for sock in result if isinstance(result, tuple) else [result]:
        if isinstance(sock, (std.socket, sockcore.socket)):
            sock.detach() if sock.fileno() < 3 else sock.close()  # never close stdio
    return "returns"


def cases() -> list[tuple[str, Any]]:
    out = []
    for name in CALLS:
        for value in WEIRD:
            if name in DESCRIPTOR_CALLS and isinstance(value, int) and (0 <= value < 3 or value in TRUNCATED_DESCRIPTORS):
                continue  # stdio, or a number CPython truncates to a real descriptor
            out.append((name, value))
    return out


@pytest.mark.parametrize(("name", "value"), cases(), ids=[f"{n}-{v!r:.20}" for n, v in cases()])
def test_same_exception_type_as_the_stdlib(name: str, value: Any) -> None:
    call = CALLS[name]
    assert outcome(sockcore, call, value) == outcome(std, call, value)


@pytest.mark.parametrize("value", sorted(TRUNCATED_DESCRIPTORS))
def test_descriptors_beyond_c_int_are_refused(value: int) -> None:
    with pytest.raises(ValueError, match="file descriptor"):
        sockcore.socket(fileno=value)
    for call in (sockcore.close, lambda v: sockcore.fromfd(v, sockcore.AF_UNIX, sockcore.SOCK_STREAM)):
        with pytest.raises(OSError) as info:
            call(value)
        assert info.value.errno == 9  # EBADF: no such descriptor


def test_a_descriptor_that_is_not_a_socket_is_refused_as_the_stdlib_does(tmp_path: Any) -> None:
    with open(tmp_path / "file", "wb") as f:
        for mod in (std, sockcore):
            with pytest.raises(OSError) as info:
                mod.socket(mod.AF_UNIX, mod.SOCK_STREAM, 0, f.fileno())
            assert info.value.errno == 88  # ENOTSOCK, even with the family given
