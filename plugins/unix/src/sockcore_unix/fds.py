"""send_fds / recv_fds: pass file descriptors over an AF_UNIX socket (SCM_RIGHTS).

The same functions as the stdlib's (Python 3.9+), built on the socket's own
``sendmsg``/``recvmsg``, so they work with any socket object that has them.
"""

from __future__ import annotations

import array
from collections.abc import Iterable
from typing import Any, Protocol

from sockcore.cmsg import CMSG_LEN
from sockcore.plugin import CORE_CONSTANTS as _CORE

__all__ = ["recv_fds", "send_fds"]

_SOL_SOCKET: int = _CORE["SOL_SOCKET"]
_SCM_RIGHTS: int = _CORE["SCM_RIGHTS"]
_INT_SIZE = array.array("i").itemsize


class _MsgSocket(Protocol):
    def sendmsg(self, buffers: Iterable[Any], ancdata: Iterable[Any] = ..., flags: int = ..., address: Any = ..., /) -> int: ...

    def recvmsg(self, bufsize: int, ancbufsize: int = ..., flags: int = ..., /) -> tuple[bytes, list[tuple[int, int, bytes]], int, Any]: ...


def send_fds(sock: _MsgSocket, buffers: Iterable[Any], fds: Iterable[int], flags: int = 0, address: Any = None) -> int:
    """send_fds(sock, buffers, fds[, flags[, address]]) -> integer

    Send the list of file descriptors fds over an AF_UNIX socket.

    Unlike Python 3.11's version, which drops them, ``flags`` and ``address``
    reach ``sendmsg`` as the documentation says they do.
    """
    ancdata = [(_SOL_SOCKET, _SCM_RIGHTS, array.array("i", fds))]
    if address is None:
        return sock.sendmsg(buffers, ancdata, flags)
    return sock.sendmsg(buffers, ancdata, flags, address)


def recv_fds(sock: _MsgSocket, bufsize: int, maxfds: int, flags: int = 0) -> tuple[bytes, list[int], int, Any]:
    """recv_fds(sock, bufsize, maxfds[, flags]) -> (data, list of file descriptors, msg_flags, address)

    Receive up to maxfds file descriptors returning the message
    data and a list containing the descriptors.
    """
    fds = array.array("i")
    msg, ancdata, msg_flags, addr = sock.recvmsg(bufsize, CMSG_LEN(maxfds * _INT_SIZE), flags)
    for level, kind, data in ancdata:
        if level == _SOL_SOCKET and kind == _SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % _INT_SIZE)])
    return msg, list(fds), msg_flags, addr
