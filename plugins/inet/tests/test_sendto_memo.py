"""sendto's per-socket sockaddr memo on inet: names are resolved on every call, odd ports re-read."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from sockcore_inet import resolver
from sockcore_inet.codec import INET4_CODEC, INET6_CODEC

import sockcore


@pytest.fixture
def receivers() -> Iterator[list[sockcore.socket]]:
    socks = [sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) for _ in range(2)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
            s.settimeout(5)
        yield socks
    finally:
        for s in socks:
            s.close()


def test_a_host_name_is_resolved_on_every_sendto(receivers: list[sockcore.socket],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = resolver.setipaddr

    def counting(name: Any, family: int) -> Any:
        calls.append(name)
        return real(name, family)

    monkeypatch.setattr(resolver, "setipaddr", counting)
    address = ("localhost", receivers[0].getsockname()[1])
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as sender:
        for _ in range(3):
            sender.sendto(b"x", address)
            assert receivers[0].recv(10) == b"x"
    assert len(calls) == 3
    assert not INET4_CODEC.stable(address)


class ChangingPort:
    """An int-like port that names a different port each time it is read."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.reads = 0

    def __index__(self) -> int:
        port = self.ports[self.reads % len(self.ports)]
        self.reads += 1
        return port


def test_a_port_object_is_read_on_every_sendto(receivers: list[sockcore.socket]) -> None:
    port = ChangingPort([s.getsockname()[1] for s in receivers])
    address = ("127.0.0.1", port)
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as sender:
        sender.sendto(b"one", address)
        sender.sendto(b"two", address)
    assert receivers[0].recv(10) == b"one"
    assert receivers[1].recv(10) == b"two"


def test_alternating_numeric_addresses(receivers: list[sockcore.socket]) -> None:
    addresses = [s.getsockname() for s in receivers]
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as sender:
        for i, which in enumerate([0, 0, 1, 0, 1, 1]):
            sender.sendto(b"%d" % i, addresses[which])
            assert receivers[which].recv(10) == b"%d" % i


@pytest.mark.parametrize(
    ("codec", "address", "stable"),
    [
        (INET4_CODEC, ("127.0.0.1", 9), True),
        (INET4_CODEC, ("127.0.0.1", True), False),
        (INET4_CODEC, ("localhost", 9), False),
        (INET6_CODEC, ("::1", 9, 0, 0), True),
        (INET6_CODEC, ("::1", 9), True),
        (INET6_CODEC, ("::1", 9, 0.0), False),
        (INET6_CODEC, ("localhost", 9), False),
    ],
)
def test_stable(codec: Any, address: Any, stable: bool) -> None:
    with contextlib.suppress(TypeError, OSError):
        codec.encode(address, None)
    assert codec.stable(address) is stable
