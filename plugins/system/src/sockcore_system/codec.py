"""PF_SYSTEM / SYSPROTO_CONTROL addresses: ``(id, unit)`` or a control name <-> ``sockaddr_ctl``.

Layout after the BSD header (``sc_len``, ``sc_family``), from
``<sys/kern_control.h>``::

    u16 ss_sysaddr (= AF_SYS_CONTROL); u32 sc_id; u32 sc_unit; u32 sc_reserved[5]

A ``str`` address is a kernel control's name: it is looked up with
``ioctl(CTLIOCGINFO)`` on the socket and becomes ``(id, 0)``, as in the stdlib.
``id`` and ``unit`` are converted as the stdlib converts them (``II``): any
int, reduced modulo 2**32; under :func:`sockcore.strict` a value out of
range raises OverflowError.

The registered codec refuses to work off macOS: a PF_SYSTEM socket cannot
exist there, and the message says so.  :func:`encode_control` /
:func:`decode_control` work everywhere.
"""

from __future__ import annotations

import errno
import operator
import os
import struct
import sys
from collections.abc import Callable
from typing import Any

from sockcore.address import SocketInfo, caller_error, wrap_unsigned

from ._constants import AF_SYS_CONTROL, MAX_KCTL_NAME, NATIVE_PLATFORM, PF_SYSTEM, SYSPROTO_CONTROL
from .records import ControlAddress

__all__ = ["ControlAddressCodec", "decode_control", "encode_control", "needs_macos_error"]

_BODY = struct.Struct("=HII20x")
_SHAPE = "PF_SYSTEM address must be a str or a pair (id, unit)"

#: looks a kernel control's name up: ``(name bytes) -> id or None``
NameLookup = Callable[[bytes], "int | None"]


def encode_control(address: Any, lookup: NameLookup | None = None) -> bytes:
    """The sockaddr_ctl body for ``(id, unit)``, or for a control name resolved by ``lookup``."""
    if isinstance(address, str):
        name = os.fsencode(address)
        if b"\0" in name:
            raise ValueError("embedded null byte")
        if len(name) > MAX_KCTL_NAME:
            raise ValueError("provided string is too long")
        ctl_id = lookup(name) if lookup is not None else None
        if ctl_id is None:
            raise OSError("cannot find kernel control with provided name")
        return _BODY.pack(AF_SYS_CONTROL, ctl_id, 0)
    # CPython replaces any failure of its "II" parse with this message, after the caller's name
    if not isinstance(address, tuple) or len(address) != 2:
        raise caller_error(TypeError(_SHAPE))
    try:
        ctl_id, unit = operator.index(address[0]), operator.index(address[1])
    except TypeError:
        raise caller_error(TypeError(_SHAPE)) from None
    return _BODY.pack(AF_SYS_CONTROL, wrap_unsigned(ctl_id, 32, "PF_SYSTEM id"), wrap_unsigned(unit, 32, "PF_SYSTEM unit"))


def decode_control(body: bytes) -> ControlAddress:
    """The ``(id, unit)`` in a sockaddr_ctl body."""
    if len(body) < _BODY.size:
        body = bytes(body) + bytes(_BODY.size - len(body))
    _, ctl_id, unit = _BODY.unpack_from(body)
    return ControlAddress(ctl_id, unit)


def needs_macos_error() -> OSError:
    """The error for using a PF_SYSTEM socket anywhere but macOS."""
    return OSError(
        errno.EAFNOSUPPORT,
        f"PF_SYSTEM (macOS kernel control sockets) needs macOS; this is {sys.platform}. "
        "sockcore_system.encode_control/decode_control still build and parse sockaddr_ctl bytes here",
    )


class ControlAddressCodec:
    """The AddressCodec of PF_SYSTEM sockets (SYSPROTO_CONTROL addresses).

    ``native`` (default: running on macOS) says whether sockets can exist;
    when it is false, encode and decode raise :func:`needs_macos_error`.
    """

    family = PF_SYSTEM
    proto: int | None = None

    def __init__(self, native: bool | None = None) -> None:
        self.native = sys.platform == NATIVE_PLATFORM if native is None else native

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not self.native:
            raise needs_macos_error()
        if sock.proto != SYSPROTO_CONTROL:
            raise OSError("unsupported PF_SYSTEM protocol")

        def lookup(name: bytes) -> int | None:  # pragma: no cover - macOS only
            from .libc import control_id

            return control_id(sock.fileno(), name)

        return encode_control(address, lookup)

    def decode(self, body: bytes, sock: SocketInfo) -> ControlAddress:
        if not self.native:
            raise needs_macos_error()
        if sock.proto != SYSPROTO_CONTROL:
            raise ValueError("Invalid address type")
        return decode_control(body)
