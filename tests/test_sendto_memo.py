"""sendto keeps the last stable sockaddr per socket: it must never send to a stale address.

The memo is an identity check on the address object, filled only when the
family's codec calls the encoding ``stable``; these tests change what an
address means between two calls and check where the datagrams land.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest

import sockcore
from sockcore import registry

pytestmark = pytest.mark.skipif(
    registry.tables().defaults.get("socketpair") is None, reason="needs sockcore-unix"
)


@pytest.fixture
def two_receivers() -> Iterator[tuple[sockcore.socket, str, sockcore.socket, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = [os.path.join(tmp, name) for name in ("a", "b")]
        receivers = []
        for path in paths:
            sock = sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_DGRAM)
            sock.bind(path)
            sock.settimeout(5)
            receivers.append(sock)
        try:
            yield receivers[0], paths[0], receivers[1], paths[1]
        finally:
            for sock in receivers:
                sock.close()


def test_alternating_addresses_reach_their_own_receiver(two_receivers: tuple) -> None:  # type: ignore[type-arg]
    a, path_a, b, path_b = two_receivers
    with sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_DGRAM) as sender:
        for i, (path, receiver) in enumerate([(path_a, a), (path_a, a), (path_b, b), (path_a, a)]):
            sender.sendto(b"%d" % i, path)
            assert receiver.recv(10) == b"%d" % i


def test_a_mutable_address_is_encoded_again(two_receivers: tuple) -> None:  # type: ignore[type-arg]
    a, path_a, b, path_b = two_receivers
    address = bytearray(os.fsencode(path_a))
    with sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_DGRAM) as sender:
        sender.sendto(b"first", address)
        assert a.recv(10) == b"first"
        address[:] = os.fsencode(path_b)  # the same object now names another socket
        sender.sendto(b"second", address)
        assert b.recv(10) == b"second"


def test_stable_says_which_unix_addresses_may_be_kept() -> None:
    codec = registry.tables().codec_for(sockcore.AF_UNIX, 0)
    assert codec is not None
    assert codec.stable("/tmp/x") and codec.stable(b"\0abstract")  # type: ignore[attr-defined]
    assert not codec.stable(bytearray(b"/tmp/x"))  # type: ignore[attr-defined]
