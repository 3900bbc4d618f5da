"""Typed ancillary data of AF_UNIX sockets: SCM_RIGHTS and SCM_CREDENTIALS.

``SCM_RIGHTS`` carries an array of C ints (descriptors), shown as a tuple of
ints; ``SCM_CREDENTIALS`` carries a ``struct ucred``, shown as the core's
:class:`~sockcore.structs.Ucred` (the same record ``SO_PEERCRED`` returns).
"""

from __future__ import annotations

import array
import operator
import struct
from collections.abc import Iterable
from typing import Any

from sockcore.plugin import CORE_CONSTANTS as _CORE
from sockcore.records import CmsgCodec
from sockcore.structs import Ucred

__all__ = ["SCM_CREDENTIALS_CODEC", "SCM_RIGHTS_CODEC", "pack_credentials", "pack_fds", "unpack_credentials", "unpack_fds"]

_INT_SIZE = array.array("i").itemsize
_UCRED = struct.Struct("=iII")  # pid_t pid; uid_t uid; gid_t gid


def unpack_fds(data: bytes) -> tuple[int, ...]:
    """The descriptors in an SCM_RIGHTS payload (a trailing partial int, cut by MSG_CTRUNC, is dropped)."""
    fds = array.array("i")
    fds.frombytes(data[: len(data) - len(data) % _INT_SIZE])
    return tuple(fds)


def pack_fds(fds: Iterable[int]) -> bytes:
    """An SCM_RIGHTS payload; OverflowError for a value that is no C int."""
    return array.array("i", fds).tobytes()


def unpack_credentials(data: bytes) -> Ucred:
    """The ``struct ucred`` of an SCM_CREDENTIALS payload."""
    if len(data) != _UCRED.size:
        raise ValueError(f"SCM_CREDENTIALS payload is {len(data)} bytes, expected {_UCRED.size}")
    return Ucred(*_UCRED.unpack(data))


def pack_credentials(cred: Any) -> bytes:
    """An SCM_CREDENTIALS payload from a Ucred or any ``(pid, uid, gid)`` triple."""
    try:
        pid, uid, gid = cred
    except (TypeError, ValueError):
        raise TypeError(f"a (pid, uid, gid) triple is required, not {type(cred).__name__}") from None
    fields = (operator.index(pid), operator.index(uid), operator.index(gid))  # TypeError for non-ints
    try:
        return _UCRED.pack(*fields)
    except struct.error as exc:
        raise OverflowError(f"credentials out of range: {exc}") from None


SCM_RIGHTS_CODEC = CmsgCodec(
    "SCM_RIGHTS", _CORE["SOL_SOCKET"], _CORE["SCM_RIGHTS"], unpack_fds, pack_fds,
    doc="file descriptors passed over an AF_UNIX socket: a tuple of ints",
)
SCM_CREDENTIALS_CODEC = CmsgCodec(
    "SCM_CREDENTIALS", _CORE["SOL_SOCKET"], _CORE["SCM_CREDENTIALS"], unpack_credentials, pack_credentials,
    doc="the sender's pid, uid and gid (needs SO_PASSCRED on the receiver): a Ucred",
)
