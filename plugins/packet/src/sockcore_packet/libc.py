"""Interface names and indexes through the packet socket itself (ioctl), as CPython does.

The stdlib resolves an AF_PACKET address's interface with ``SIOCGIFINDEX`` /
``SIOCGIFNAME`` on the socket's own descriptor, so the lookup happens in the
socket's network namespace and costs one system call.  A closed socket
(``fileno() == -1``) fails as the stdlib's does: EBADF when encoding, no name
when decoding.
"""

from __future__ import annotations

import ctypes
import struct
import sys

from sockcore import libc

__all__ = ["ifindex", "ifname"]

# linux/sockios.h: ioctl numbers are part of the kernel ABI and never change.
SIOCGIFNAME = 0x8910
SIOCGIFINDEX = 0x8933
IFNAMSIZ = 16
# sizeof(struct ifreq): the name, then a union whose largest member is struct ifmap
# (two unsigned longs, an unsigned short, three bytes; 40 bytes on LP64, 32 on ILP32)
_IFREQ_SIZE = IFNAMSIZ + max(16, struct.calcsize("@LLHBBB0L"))

# The core's LIBC.ioctl is shared by every plugin: declare nothing on it and
# pass the request as the C unsigned long it is.
_ioctl = libc.LIBC.ioctl
_SIOCGIFNAME = ctypes.c_ulong(SIOCGIFNAME)
_SIOCGIFINDEX = ctypes.c_ulong(SIOCGIFINDEX)


def ifindex(name: bytes, fd: int) -> int:
    """The index of interface ``name`` (already encoded, no NUL); OSError(ENODEV) if none.

    As CPython, an ioctl on the socket's own descriptor: a closed socket (-1) fails with EBADF.
    """
    if len(name) >= IFNAMSIZ:
        # The stdlib would cut the name to 15 bytes and might find another interface.
        libc.raise_errno(19)  # ENODEV
    req = ctypes.create_string_buffer(name, _IFREQ_SIZE)
    if _ioctl(fd, _SIOCGIFINDEX, req) == -1:
        libc.raise_errno()
    return int.from_bytes(req.raw[IFNAMSIZ : IFNAMSIZ + 4], sys.byteorder, signed=True)


def ifname(index: int, fd: int) -> str:
    """The name of interface ``index``; ``""`` when there is none (as the stdlib shows it)."""
    if index == 0:
        return ""
    req = ctypes.create_string_buffer(bytes(IFNAMSIZ) + index.to_bytes(4, sys.byteorder, signed=True), _IFREQ_SIZE)
    if _ioctl(fd, _SIOCGIFNAME, req) == -1:
        return ""
    return req.raw[:IFNAMSIZ].split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
