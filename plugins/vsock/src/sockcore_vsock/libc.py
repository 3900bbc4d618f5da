"""The local CID: IOCTL_VM_SOCKETS_GET_LOCAL_CID on /dev/vsock, through the core's libc."""

from __future__ import annotations

import ctypes
import os

from sockcore import libc

from ._constants import IOCTL_VM_SOCKETS_GET_LOCAL_CID

__all__ = ["get_local_cid"]

VSOCK_DEVICE = "/dev/vsock"

# LIBC.ioctl is shared by every plugin: declare nothing on it, pass C types.
_ioctl = libc.LIBC.ioctl
_REQUEST = ctypes.c_ulong(IOCTL_VM_SOCKETS_GET_LOCAL_CID)


def get_local_cid(device: str = VSOCK_DEVICE) -> int:
    """This machine's context ID (vsock(7)); OSError when it has no vsock transport.

    A guest gets the CID its hypervisor assigned (3 or more).  Reading it
    only asks the kernel: nothing is sent to the hypervisor.
    """
    fd = os.open(device, os.O_RDONLY | os.O_CLOEXEC)
    try:
        cid = ctypes.c_uint32()
        if _ioctl(fd, _REQUEST, ctypes.byref(cid)) == -1:
            libc.raise_errno()
        return cid.value
    finally:
        os.close(fd)
