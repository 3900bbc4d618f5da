"""HV_PROTOCOL_RAW-level options of AF_HYPERV sockets (hvsocket.h), one line each.

They are registered on Windows only: elsewhere their (level, optname) pairs
mean other options (level 1 is SOL_SOCKET on Linux).
"""

from __future__ import annotations

from typing import Any

from sockcore.plugin import option_table
from sockcore.sockopt import BOOL, U32, SockOpt

from ._constants import CONSTANTS, HV_PROTOCOL_RAW

__all__ = ["HYPERV_OPTIONS"]


_opt = option_table("AF_HYPERV", HV_PROTOCOL_RAW, CONSTANTS)

HYPERV_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("HVSOCKET_CONNECT_TIMEOUT", U32, "connect() timeout in ms (at most HVSOCKET_CONNECT_TIMEOUT_MAX)"),
    _opt("HVSOCKET_CONTAINER_PASSTHRU", BOOL, "pass connections through to a container's host"),
    _opt("HVSOCKET_CONNECTED_SUSPEND", BOOL, "keep the connection while the VM is suspended"),
)
