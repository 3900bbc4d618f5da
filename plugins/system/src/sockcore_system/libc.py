"""The one libc call sockcore-system needs: ioctl(CTLIOCGINFO), kernel control name -> id.

Only reached on macOS (the codec refuses PF_SYSTEM elsewhere).  It reuses the
core's libc handle and error helper.
"""

from __future__ import annotations

import ctypes

from sockcore.libc import LIBC

from ._constants import CTLIOCGINFO, MAX_KCTL_NAME

__all__ = ["control_id"]


class _CtlInfo(ctypes.Structure):
    _fields_ = [("ctl_id", ctypes.c_uint32), ("ctl_name", ctypes.c_char * MAX_KCTL_NAME)]


def control_id(fd: int, name: bytes) -> int | None:  # pragma: no cover - macOS only
    """The id of the kernel control called ``name``, or None if there is none."""
    info = _CtlInfo()
    info.ctl_name = name
    if LIBC.ioctl(fd, ctypes.c_ulong(CTLIOCGINFO), ctypes.byref(info)) != 0:
        return None
    return int(info.ctl_id)
