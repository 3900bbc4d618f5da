"""The core registered as a plugin: the generic constants and the SOL_SOCKET options.

Every socket has these, whatever its family, so they belong to no family plugin.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pluggy

from ._constants import CONSTANTS
from .sockopt import BOOL, INT, U32, U64, Cstring, SockOpt, Struct
from .structs import Linger, Timeval, Ucred

hookimpl = pluggy.HookimplMarker("sockcore")

_C = CONSTANTS
SOL_SOCKET = _C["SOL_SOCKET"]


_TIMEVAL = "@ll"  # struct timeval: two C longs (time_t, suseconds_t)


def _opt(name: str, codec: Any, doc: str, access: str = "rw", *, adjusts: bool = False) -> SockOpt[Any]:
    return SockOpt(name, SOL_SOCKET, _C[name], codec, access, doc, kernel_adjusts=adjusts)  # type: ignore[arg-type]


# One line per option: name, value codec, what it does, access.
SOCKET_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("SO_ACCEPTCONN", BOOL, "the socket is listening", "r"),
    _opt("SO_BROADCAST", BOOL, "datagrams may be sent to broadcast addresses"),
    _opt("SO_BINDTODEVICE", Cstring(16), "bind to an interface by name (root)"),
    _opt("SO_BINDTOIFINDEX", INT, "bind to an interface by index (root)"),
    _opt("SO_DEBUG", BOOL, "protocol debugging"),
    _opt("SO_DOMAIN", INT, "the socket's address family", "r"),
    _opt("SO_DONTROUTE", BOOL, "send only to directly connected hosts"),
    _opt("SO_ERROR", INT, "the pending error, cleared by reading", "r"),
    _opt("SO_INCOMING_CPU", INT, "the CPU that handles the socket's packets"),
    _opt("SO_KEEPALIVE", BOOL, "send keep-alive probes on connected sockets"),
    _opt("SO_LINGER", Struct("=ii", Linger), "how close() waits for unsent data"),
    _opt("SO_MARK", U32, "the fwmark of outgoing packets (CAP_NET_ADMIN)"),
    _opt("SO_OOBINLINE", BOOL, "urgent data stays in the normal stream"),
    _opt("SO_PASSCRED", BOOL, "receive SCM_CREDENTIALS messages"),
    _opt("SO_PASSSEC", BOOL, "receive SCM_SECURITY messages"),
    _opt("SO_PEEK_OFF", INT, "the offset MSG_PEEK reads from"),
    _opt("SO_PEERCRED", Struct("=iII", Ucred), "credentials of the connected peer", "r"),
    _opt("SO_PRIORITY", INT, "the protocol-defined priority of sent packets"),
    _opt("SO_PROTOCOL", INT, "the socket's protocol", "r"),
    _opt("SO_RCVBUF", INT, "receive buffer size (the kernel doubles what is set)", adjusts=True),
    _opt("SO_RCVBUFFORCE", INT, "SO_RCVBUF past rmem_max (CAP_NET_ADMIN)", "w"),
    _opt("SO_RCVLOWAT", INT, "minimum bytes before input is reported"),
    _opt("SO_RCVTIMEO", Struct(_TIMEVAL, Timeval), "the kernel's receive timeout"),
    _opt("SO_REUSEADDR", BOOL, "allow reuse of local addresses"),
    _opt("SO_REUSEPORT", BOOL, "several sockets may bind the same address"),
    _opt("SO_SNDBUF", INT, "send buffer size (the kernel doubles what is set)", adjusts=True),
    _opt("SO_SNDBUFFORCE", INT, "SO_SNDBUF past wmem_max (CAP_NET_ADMIN)", "w"),
    _opt("SO_SNDLOWAT", INT, "minimum bytes before output (not changeable on Linux)", "r"),
    _opt("SO_SNDTIMEO", Struct(_TIMEVAL, Timeval), "the kernel's send timeout"),
    _opt("SO_TIMESTAMP", BOOL, "receive SCM_TIMESTAMP with each datagram"),
    _opt("SO_TIMESTAMPNS", BOOL, "receive SCM_TIMESTAMPNS with each datagram"),
    _opt("SO_TYPE", INT, "the socket's type", "r"),
    _opt("SO_BUSY_POLL", INT, "microseconds to busy-poll on a blocking receive"),
    _opt("SO_COOKIE", U64, "the kernel's unique cookie for this socket", "r"),
    _opt("SO_ZEROCOPY", BOOL, "allow MSG_ZEROCOPY sends"),
)


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return SOCKET_OPTIONS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return {"Linger": Linger, "Timeval": Timeval, "Ucred": Ucred}
