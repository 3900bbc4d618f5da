"""The typed values of AF_VSOCK."""

from __future__ import annotations

from typing import NamedTuple

from sockcore.address import tuple_text

__all__ = ["ConnectTimeout", "VsockAddress"]


@tuple_text
class VsockAddress(NamedTuple):
    """``struct sockaddr_vm`` as the stdlib shows it: ``(cid, port)``."""

    cid: int
    port: int


class ConnectTimeout(NamedTuple):
    """SO_VM_SOCKETS_CONNECT_TIMEOUT's ``struct timeval``: seconds and microseconds."""

    seconds: int
    microseconds: int

    def __float__(self) -> float:
        return self.seconds + self.microseconds / 1_000_000
