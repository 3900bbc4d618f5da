"""HV_PROTOCOL_RAW-level options of AF_HYPERV sockets (hvsocket.h), one line each.

They are registered on Windows only: elsewhere their (level, optname) pairs
mean other options (level 1 is SOL_SOCKET on Linux).
"""

from __future__ import annotations

from typing import Any

from sockcore.sockopt import BOOL, U32, SockOpt

from ._constants import (
    HV_PROTOCOL_RAW,
    HVSOCKET_CONNECT_TIMEOUT,
    HVSOCKET_CONNECTED_SUSPEND,
    HVSOCKET_CONTAINER_PASSTHRU,
)

__all__ = ["HYPERV_OPTIONS"]


def _opt(name: str, optname: int, codec: Any, doc: str) -> SockOpt[Any]:
    return SockOpt(name, HV_PROTOCOL_RAW, optname, codec, "rw", doc, family="AF_HYPERV")


HYPERV_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("HVSOCKET_CONNECT_TIMEOUT", HVSOCKET_CONNECT_TIMEOUT, U32, "connect() timeout in ms (at most HVSOCKET_CONNECT_TIMEOUT_MAX)"),
    _opt("HVSOCKET_CONTAINER_PASSTHRU", HVSOCKET_CONTAINER_PASSTHRU, BOOL, "pass connections through to a container's host"),
    _opt("HVSOCKET_CONNECTED_SUSPEND", HVSOCKET_CONNECTED_SUSPEND, BOOL, "keep the connection while the VM is suspended"),
)
