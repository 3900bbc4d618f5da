"""The syscall layer's contract (DESIGN.md, "The syscall layer").

Every raw binding returns its result or -errno and never raises; the public
``sockcore.libc`` lists exactly the names plugins and the core use; a kept
msghdr block pins none of the caller's buffers once the call is over.
"""

from __future__ import annotations

import errno
import os
import re
import socket as std
from pathlib import Path

import pytest

import sockcore
from sockcore import libc
from sockcore._messages import libc as messages
from sockcore._syscalls import libc as syscalls
from sockcore.address import join_sockaddr

ROOT = Path(__file__).resolve().parent.parent
EBADF = -errno.EBADF
SOCKADDR = join_sockaddr(std.AF_UNIX, b"/nonexistent\0")


@pytest.mark.parametrize(
    "call",
    [
        lambda: syscalls.bind(-1, SOCKADDR),
        lambda: syscalls.connect(-1, SOCKADDR),
        lambda: syscalls.listen(-1, 1),
        lambda: syscalls.accept4(-1, 0, None),
        lambda: syscalls.accept4(-1, 0, syscalls.SockaddrBuffer()),
        lambda: syscalls.shutdown(-1, 0),
        lambda: syscalls.getsockopt(-1, 1, 1, syscalls.OptionBuffer(4)),
        lambda: syscalls.setsockopt(-1, 1, 1, b"\0\0\0\0", 4),
        lambda: syscalls.setsockopt_int(-1, 1, 1, 0),
        lambda: syscalls.setsockopt_u64(-1, 1, 1, 0),
        lambda: syscalls.sendto(-1, b"x", 0, None),
        lambda: syscalls.recvfrom(-1, syscalls.create_string_buffer(1), 1, 0, None),
        lambda: syscalls.recvfrom(-1, syscalls.create_string_buffer(1), 1, 0, syscalls.SockaddrBuffer()),
        pytest.param(
            lambda: messages.MessageBuffers(1).sendmsg(-1, 0),
            marks=pytest.mark.qemu("qemu-user answers a sendmsg with no iovecs with 0, without calling the kernel"),
        ),
        lambda: messages.BatchReceive(1, 1, 0).receive(-1, 0),
    ],
)
def test_a_failed_binding_returns_minus_errno(call: object) -> None:
    assert call() == EBADF  # type: ignore[operator]


def test_bindings_that_fill_an_object_return_minus_errno() -> None:
    assert syscalls.socket(-1, 1, 0) == -errno.EAFNOSUPPORT
    fds = syscalls.FdPair()
    assert syscalls.socketpair(-1, 1, 0, fds) < 0
    assert syscalls.if_nametoindex(b"no-such-if0") < 0
    assert syscalls.if_indextoname(2**31 - 1, syscalls.create_string_buffer(syscalls.IF_NAMESIZE)) == -errno.ENXIO
    interfaces: list[tuple[int, bytes]] = []
    assert syscalls.if_nameindex(interfaces) == 0 and interfaces


def test_the_public_helpers_raise_as_the_stdlib() -> None:
    with pytest.raises(OSError) as caught:
        libc.if_nametoindex(b"no-such-if0")
    assert caught.value.errno is None and str(caught.value) == "no interface with this name"
    with pytest.raises(OSError) as caught:
        libc.if_indextoname(2**31 - 1)
    assert caught.value.errno == errno.ENXIO
    assert libc.gethostname() == std.gethostname()
    assert [(i, n.decode()) for i, n in libc.if_nameindex()] == std.if_nameindex()
    with pytest.raises(ConnectionResetError) as reset:
        libc.raise_errno(errno.ECONNRESET)
    assert (reset.value.errno, reset.value.strerror) == (errno.ECONNRESET, os.strerror(errno.ECONNRESET))


def _names_used_outside() -> set[str]:
    """Every ``sockcore.libc`` name the plugins, examples and the core's other modules use."""
    used: set[str] = set()
    sources = [*ROOT.glob("plugins/*/src/**/*.py"), *ROOT.glob("examples/*/src/**/*.py"), *ROOT.glob("sockcore/**/*.py")]
    for path in sources:
        if path.name == "libc.py" and path.parent.name in ("sockcore", "_syscalls", "_messages"):
            continue
        text = path.read_text()
        if not re.search(r"from sockcore(\.plugin)? import [^\n]*\blibc\b|from \.+ import [^\n]*\blibc\b|import sockcore\.libc"
                         r"|from sockcore\.libc import|from \.+libc import", text):
            continue
        used.update(re.findall(r"\b_?libc\.([A-Za-z_]\w*)", text))
        for names in re.findall(r"from (?:sockcore|\.+)\.?libc import ([\w, ]+)", text):
            used.update(name.split(" as ")[0].strip() for name in names.split(","))
    return used


def test_public_libc_all_is_exactly_what_is_public_and_used() -> None:
    public = {name for name, value in vars(libc).items()
              if not name.startswith("_") and name not in ("annotations", "TYPE_CHECKING") and not isinstance(value, type(os))}
    assert public == set(libc.__all__)
    used = _names_used_outside() & set(dir(libc))  # a plugin's own libc module shares the name
    assert used == set(libc.__all__)


def test_recvmsg_into_pins_the_buffers_only_during_the_call() -> None:
    a, b = sockcore.socketpair(std.AF_UNIX, std.SOCK_DGRAM)
    with a, b:
        first, second = bytearray(4), bytearray(8)
        a.send(b"0123456789")
        assert b.recvmsg_into([first, second])[0] == 10
        first.extend(b"more")  # BufferError if the kept block still held an export of it
        second.clear()
        a.sendmsg([b"abc", b"def"])
        # room for more than a kept data buffer: a one-off one, held by the block for the call
        assert b.recvmsg(300 * 1024)[0] == b"abcdef"
        for msg in b._messages or ():
            assert msg.held is None


def test_a_short_int_option_reads_zeros_not_a_pooled_cells_earlier_value() -> None:
    """The kernel wrote 1 of 4 bytes: the other 3 are read as zeros (CPython's int starts at 0), in this ABI's order."""
    import sys

    from sockcore import _socket
    from sockcore._syscalls import libc as syscalls

    ints, _, _ = syscalls.int_cell()
    ints[0] = -1  # what an earlier call left in the pooled cell
    ints.cast("B")[0] = 7  # this call's one byte
    ints[1] = 1
    expected = int.from_bytes(b"\x07\x00\x00\x00", sys.byteorder, signed=True)
    assert _socket._short_int(ints) == expected
