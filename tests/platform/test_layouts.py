"""The platform layer: each OS module's C layouts, checked on this machine.

The offsets below are the C headers' (glibc/musl <bits/socket.h>, macOS and
FreeBSD <sys/socket.h>) for the two pointer sizes; the layer computes them from
struct type codes, so the BSD and macOS modules are proven here without those
systems.  Runtime support there is not: see the README's platform table.
"""

from __future__ import annotations

import struct

import pytest

from sockcore import _platform, libc
from sockcore._messages import libc as messages
from sockcore._platform import Layout
from sockcore._sockaddr import SockaddrHeader

POINTER = struct.calcsize("P")

# (msghdr field offsets, sizeof(struct msghdr), sizeof(struct cmsghdr)) per pointer size
EXPECTED = {
    "linux": {
        8: ((0, 8, 16, 24, 32, 40, 48), 56, 16),
        4: ((0, 4, 8, 12, 16, 20, 24), 28, 12),
    },
    "darwin": {
        8: ((0, 8, 16, 24, 32, 40, 44), 48, 12),
        4: ((0, 4, 8, 12, 16, 20, 24), 28, 12),
    },
    "freebsd14": {
        8: ((0, 8, 16, 24, 32, 40, 44), 48, 12),
        4: ((0, 4, 8, 12, 16, 20, 24), 28, 12),
    },
}
CMSG_ALIGNMENT = {"linux": POINTER, "darwin": 4, "freebsd14": POINTER}


@pytest.mark.parametrize("platform", sorted(EXPECTED))
def test_msghdr_and_cmsghdr_layouts(platform: str) -> None:
    module = _platform.for_platform(platform)
    offsets, size, cmsg_size = EXPECTED[platform][POINTER]
    msghdr = Layout(module.MSGHDR)
    assert tuple(msghdr.offsets.values()) == offsets
    assert msghdr.size == size
    assert Layout(module.CMSGHDR).size == cmsg_size
    assert Layout(module.IOVEC).size == 2 * POINTER
    assert struct.calcsize("@" + module.CMSG_ALIGN) == CMSG_ALIGNMENT[platform]


@pytest.mark.parametrize("platform", sorted(EXPECTED))
def test_result_reader_picks_the_fields_the_kernel_writes(platform: str) -> None:
    msghdr = Layout(_platform.for_platform(platform).MSGHDR)
    values = [0x1111, 28, 0x2222, 1, 0x3333, 24, 0x40]  # name, namelen, iov, iovlen, control, controllen, flags
    packed = struct.pack(msghdr.format, *values)
    assert msghdr.reader("msg_namelen", "msg_controllen", "msg_flags").unpack_from(packed) == (28, 24, 0x40)


def test_the_running_libc_uses_the_current_layout() -> None:
    """ctypes' own layout of the running platform's structs equals the struct-computed one."""
    msghdr = Layout(_platform.current.MSGHDR)
    assert msghdr.size == messages.MSGHDR_SIZE
    for name, offset in msghdr.offsets.items():
        assert getattr(messages.MsgHdr, name).offset == offset
    assert messages.IOVEC_SIZE == 2 * POINTER


def test_linux_sockaddr_header() -> None:
    header = SockaddrHeader(_platform.for_platform("linux"))
    assert header.size == 2 and not header.has_length
    assert header.join(1, b"abc") == struct.pack("=H", 1) + b"abc"
    assert header.fixed(1) == struct.pack("=H", 1)
    assert header.split(struct.pack("=H", 300) + b"body") == (300, b"body")
    assert header.split(b"\x01") == (0, b"")
    with pytest.raises(OverflowError):
        header.join(65536, b"")
    assert header.fixed(65536) is None


@pytest.mark.parametrize("platform", ["darwin", "freebsd14", "openbsd7", "netbsd10"])
def test_bsd_sockaddr_header(platform: str) -> None:
    """sa_len (the whole length) then an 8-bit sa_family."""
    header = SockaddrHeader(_platform.for_platform(platform))
    assert header.size == 2 and header.has_length
    body = bytes(range(14))
    assert header.join(2, body) == bytes([16, 2]) + body
    assert header.join(30, bytes(26)) == bytes([28, 30]) + bytes(26)
    assert header.join(1, bytes(300))[:2] == bytes([255, 1])  # sa_len saturates; the kernel bounds it
    assert header.fixed(2) is None  # the header holds the length: no prefix is fixed per family
    assert header.split(bytes([16, 2]) + body) == (2, body)
    assert header.split(b"\x10") == (0, b"")
    with pytest.raises(OverflowError):
        header.join(256, b"")


def test_unknown_platform_fails_loudly() -> None:
    with pytest.raises(ImportError, match="no platform layer for 'win32'"):
        _platform.for_platform("win32")


def test_libc_is_the_interpreters_own_and_doctor_names_it() -> None:
    """dlopen(NULL), not a hard-coded soname: the same call finds glibc's and musl's."""
    description = libc.describe_libc()
    assert "dlopen(NULL)" in description
    assert description.startswith(("glibc ", "musl "))
    assert libc.LIBC.socket is not None
