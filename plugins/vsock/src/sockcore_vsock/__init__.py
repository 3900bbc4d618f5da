"""sockcore-vsock: AF_VSOCK for sockcore.

Static names, usable without the plugin machinery::

    from sockcore_vsock import VMADDR_CID_ANY, VsockAddress, get_local_cid
"""

from __future__ import annotations

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .records import ConnectTimeout, VsockAddress

__all__ = ["CONSTANTS", "ConnectTimeout", "VsockAddress", "get_local_cid", *CONSTANTS]


def get_local_cid() -> int:
    """This machine's vsock context ID (IOCTL_VM_SOCKETS_GET_LOCAL_CID on /dev/vsock)."""
    from .libc import get_local_cid as _get_local_cid  # ctypes only when asked

    return _get_local_cid()
