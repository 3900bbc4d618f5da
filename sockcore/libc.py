"""The C library for plugin authors: its handle, the errno → OSError helper, a few documented calls.

A plugin that needs more of libc (``getaddrinfo``, an ``ioctl``) reuses
:data:`LIBC` and :func:`raise_errno` instead of loading the library again;
declare nothing (``argtypes``, ``restype``) on the shared handle's functions
that another user may call differently.  The helpers here raise OSError as
the stdlib's functions of the same name do.

The core's own system calls are the raw bindings of the private
:mod:`sockcore._syscalls.libc` (every one returns its result or ``-errno``) and the
msghdr blocks of :mod:`sockcore._messages.libc`; neither is API.
"""

from __future__ import annotations

import ctypes
import os

from ._platform import current as _platform
from ._syscalls import libc as _syscalls
from ._syscalls.libc import LIBC
from ._syscalls.libc import get_errno as _get_errno

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn


__all__ = [
    "LIBC",
    "describe_libc",
    "gethostname",
    "if_indextoname",
    "if_nameindex",
    "if_nametoindex",
    "raise_errno",
    "sethostname",
]


def raise_errno(err: int | None = None, *args: Any) -> NoReturn:
    """Raise the OSError subclass for ``err`` (default: the current errno), with libc's message."""
    if err is None:
        err = _get_errno()
    raise OSError(err, os.strerror(err), *args)


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def describe_libc() -> str:
    """Which C library the calls go to: its name and version where it says, and its file (for ``sockcore doctor``)."""
    path = ""
    info = _DlInfo()
    try:  # dladdr(3) names the object that defines socket()
        if LIBC.dladdr(ctypes.cast(LIBC.socket, ctypes.c_void_p), ctypes.byref(info)) and info.dli_fname:
            path = os.fsdecode(info.dli_fname)
    except AttributeError:  # pragma: no cover - a libc without dladdr
        pass
    try:
        name = os.confstr("CS_GNU_LIBC_VERSION") or ""  # "glibc 2.36"; musl has no such name
    except (ValueError, OSError):
        name = ""
    if not name:
        name = "musl" if "musl" in path else "libc"
    loaded = "the interpreter's own (dlopen(NULL))" if _syscalls.LIBC_NAME is None else repr(_syscalls.LIBC_NAME)
    return f"{name} ({path or 'path unknown'}), loaded as {loaded}, {_platform.NAME} platform layer"


def gethostname() -> str:
    """The host name (gethostname(3)), decoded as the stdlib decodes it."""
    buf = ctypes.create_string_buffer(256)
    err = _syscalls.gethostname(buf)
    if err:
        raise_errno(-err)
    return buf.value.decode("utf-8", "surrogateescape")


def sethostname(name: bytes) -> None:
    """Set the host name (sethostname(2)); OSError(EPERM) without the privilege."""
    err = _syscalls.sethostname(name)
    if err:
        raise_errno(-err)


def if_nametoindex(name: bytes) -> int:
    """The index of the interface called ``name``; OSError with the stdlib's message when there is none."""
    index = _syscalls.if_nametoindex(name)
    if index < 0:
        raise OSError("no interface with this name")  # the stdlib's message, no errno
    return index


def if_indextoname(index: int) -> bytes:
    """The name of the interface with ``index``; OSError(ENXIO) when there is none."""
    buf = ctypes.create_string_buffer(_syscalls.IF_NAMESIZE)
    err = _syscalls.if_indextoname(index, buf)
    if err:
        raise_errno(-err)
    return buf.value


def if_nameindex() -> list[tuple[int, bytes]]:
    """Every interface as ``(index, name)``."""
    interfaces: list[tuple[int, bytes]] = []
    err = _syscalls.if_nameindex(interfaces)
    if err:
        raise_errno(-err)
    return interfaces
