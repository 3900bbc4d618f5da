"""AF_VSOCK's socket options: one table line each.

Their level is AF_VSOCK itself (SOL_VSOCK is accepted by newer kernels only),
and the buffer sizes are 64-bit, which is why the stdlib reads every option
of an AF_VSOCK socket as an unsigned 64-bit integer.
"""

from __future__ import annotations

from typing import Any

from sockcore.plugin import option_table
from sockcore.sockopt import U64, SockOpt, Struct

from ._constants import AF_VSOCK, CONSTANTS
from .records import ConnectTimeout

__all__ = ["VSOCK_OPTIONS"]

# struct __kernel_old_timeval: two C longs
_TIMEVAL = "@ll"


_opt = option_table("AF_VSOCK", AF_VSOCK, CONSTANTS)


# One line per option: name, value codec, what it does, access.  Linux does not
# implement SO_VM_SOCKETS_PEER_HOST_VM_ID, _TRUSTED or _NONBLOCK_TXRX (ENOPROTOOPT).
VSOCK_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("SO_VM_SOCKETS_BUFFER_SIZE", U64, "the stream buffer size, kept between the min and max sizes"),
    _opt("SO_VM_SOCKETS_BUFFER_MIN_SIZE", U64, "the smallest buffer size SO_VM_SOCKETS_BUFFER_SIZE may take"),
    _opt("SO_VM_SOCKETS_BUFFER_MAX_SIZE", U64, "the largest buffer size SO_VM_SOCKETS_BUFFER_SIZE may take"),
    _opt("SO_VM_SOCKETS_CONNECT_TIMEOUT", Struct(_TIMEVAL, ConnectTimeout), "how long connect() waits"),
)
