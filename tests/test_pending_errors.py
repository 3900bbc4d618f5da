"""A pending socket error is reported once, by the call that found it (as the stdlib).

Regression: the retry loop used to call a failed recvfrom/sendto again, so the
ECONNREFUSED a UDP socket had queued was consumed and lost, and the second
call waited for data instead (until the timeout).
"""

from __future__ import annotations

import socket as std
import time
from types import ModuleType
from typing import Any

import pytest

import sockcore
from sockcore import registry

pytestmark = pytest.mark.skipif(
    registry.tables().defaults.get("socket") is None, reason="needs sockcore-inet (UDP over 127.0.0.1)"
)


def closed_port() -> tuple[str, int]:
    with std.socket(std.AF_INET, std.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()  # type: ignore[no-any-return]


def outcome(call: Any) -> Any:
    try:
        return ("ok", call())
    except OSError as exc:
        return ("raised", type(exc), exc.errno)


def refused_then(mod: ModuleType, second: str) -> list[Any]:
    """Provoke an ICMP port-unreachable, then see what two calls report."""
    addr = closed_port()
    with mod.socket(mod.AF_INET, mod.SOCK_DGRAM) as s:
        s.connect(addr)
        s.settimeout(2)
        s.send(b"x")
        time.sleep(0.05)  # let the ICMP error arrive
        call = {"recvfrom": lambda: s.recvfrom(10), "sendto": lambda: s.sendto(b"y", addr)}[second]
        first = outcome(call)
        s.setblocking(False)
        then = outcome(lambda: s.recvfrom(10))
        return [first, then]


@pytest.mark.parametrize("second", ["recvfrom", "sendto"])
def test_pending_error_reported_once(second: str) -> None:
    assert refused_then(sockcore, second) == refused_then(std, second)
