"""AF_RDS on a real kernel (the kernel lane): the loopback transport on 127.0.0.1.

The stdlib is the oracle: it reads the same descriptors and must see the same
addresses; messages cross between sockcore and stdlib sockets both ways.
"""

from __future__ import annotations

import os
import socket as stdlib
from collections.abc import Iterator

import pytest
from sockcore_rds import AF_RDS, RDS_TRANS_NONE

import sockcore
from sockcore.registry import tables

pytestmark = pytest.mark.kernel


@pytest.fixture
def pair() -> Iterator[tuple[sockcore.socket, sockcore.socket]]:
    with sockcore.socket(AF_RDS, sockcore.SOCK_SEQPACKET) as a, sockcore.socket(AF_RDS, sockcore.SOCK_SEQPACKET) as b:
        a.bind(("127.0.0.1", 0))  # the codec's sa_family puts AF_INET in the header
        b.bind(("127.0.0.1", 0))
        b.settimeout(5)
        yield a, b


def test_send_and_receive(pair: tuple[sockcore.socket, sockcore.socket]) -> None:
    a, b = pair
    a.sendto(b"rds over loopback", b.getsockname())
    data, sender = b.recvfrom(64)
    assert data == b"rds over loopback"
    assert sender == a.getsockname()
    assert sender[0] == "127.0.0.1" and sender[1] > 0
    with stdlib.socket(fileno=os.dup(a.fileno())) as view:
        assert view.getsockname() == a.getsockname()
        view.sendto(b"from stdlib", b.getsockname())
    assert b.recvfrom(64) == (b"from stdlib", a.getsockname())


def test_stdlib_sends_sockcore_address(pair: tuple[sockcore.socket, sockcore.socket]) -> None:
    a, _ = pair
    with stdlib.socket(AF_RDS, stdlib.SOCK_SEQPACKET) as c:
        c.bind(("127.0.0.1", 0))
        c.settimeout(5)
        a.sendto(b"to stdlib", c.getsockname())
        assert c.recvfrom(64) == (b"to stdlib", a.getsockname())


def test_transport_option() -> None:
    with sockcore.socket(AF_RDS, sockcore.SOCK_SEQPACKET) as sock:
        assert sock.getopt(tables().sockopts["SO_RDS_TRANSPORT"]) == RDS_TRANS_NONE
        opt = tables().sockopts["RDS_RECVERR"]
        sock.setopt(opt, True)
        assert sock.getopt(opt) is True
