"""The record type of AF_RDS addresses."""

from __future__ import annotations

from typing import NamedTuple

from sockcore.address import tuple_text


@tuple_text
class RdsAddress(NamedTuple):
    """An RDS endpoint: ``(host, port)``, a ``struct sockaddr_in`` as for AF_INET."""

    host: str
    port: int


@tuple_text
class RdsAddress6(NamedTuple):
    """An RDS endpoint over IPv6 (Linux >= 4.19): ``(host, port, flowinfo, scope_id)``."""

    host: str
    port: int
    flowinfo: int
    scope_id: int
