"""SOL_TIPC socket options, one table line each (see tipc(7) and net/tipc/socket.c).

TIPC_MCAST_BROADCAST, TIPC_MCAST_REPLICAST and TIPC_GROUP_LEAVE take no value
(the kernel requires a NULL optval): use ``sock.setsockopt(SOL_TIPC, opt,
None, 0)`` for them, as with the stdlib.
"""

from __future__ import annotations

from typing import Any

from sockcore.plugin import option_table
from sockcore.sockopt import BOOL, U32, SockOpt, Struct

from ._constants import CONSTANTS
from .records import GroupRequest

__all__ = ["TIPC_OPTIONS"]

_C = CONSTANTS
SOL_TIPC = _C.get("SOL_TIPC", 271)


_opt = option_table("AF_TIPC", SOL_TIPC, _C)


TIPC_OPTIONS: tuple[SockOpt[Any], ...] = (
    () if not _C else (
        _opt("TIPC_IMPORTANCE", U32, "message importance: TIPC_LOW_IMPORTANCE .. TIPC_CRITICAL_IMPORTANCE"),
        _opt("TIPC_SRC_DROPPABLE", BOOL, "drop (rather than queue) messages when congested"),
        _opt("TIPC_DEST_DROPPABLE", BOOL, "drop (rather than return) messages that cannot be delivered"),
        _opt("TIPC_CONN_TIMEOUT", U32, "connect() timeout in milliseconds"),
        _opt("TIPC_NODE_RECVQ_DEPTH", U32, "messages queued for the node", "r"),
        _opt("TIPC_SOCK_RECVQ_DEPTH", U32, "messages queued on this socket", "r"),
        _opt("TIPC_SOCK_RECVQ_USED", U32, "bytes queued on this socket", "r"),
        _opt("TIPC_NODELAY", BOOL, "send stream data at once (no Nagle-like batching)", "w"),
        _opt("TIPC_GROUP_JOIN", Struct("=IIII", GroupRequest), "join a communication group", "w"),
    )
)
