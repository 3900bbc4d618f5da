"""SOL_RDS socket options, one table line each (see rds(7) and net/rds/af_rds.c).

RDS_CANCEL_SENT_TO takes a destination ``sockaddr_in``, RDS_GET_MR /
RDS_FREE_MR RDMA argument structs, and RDS_INFO_* return variable arrays:
use ``setsockopt``/``getsockopt`` with bytes for those, as with the stdlib.
"""

from __future__ import annotations

from typing import Any

from sockcore.plugin import option_table
from sockcore.sockopt import BOOL, INT, SockOpt

from ._constants import CONSTANTS

__all__ = ["RDS_OPTIONS"]

_C = CONSTANTS
SOL_RDS = _C.get("SOL_RDS", 276)


_opt = option_table("AF_RDS", SOL_RDS, _C)


RDS_OPTIONS: tuple[SockOpt[Any], ...] = (
    () if not _C else (
        _opt("RDS_RECVERR", BOOL, "queue RDMA completion and error notifications"),
        _opt("RDS_CONG_MONITOR", BOOL, "receive RDS_CMSG_CONG_UPDATE congestion notifications", "w"),
        _opt("SO_RDS_TRANSPORT", INT, "the transport (RDS_TRANS_*); set once, before bind(); RDS_TRANS_NONE if unset"),
    )
)
