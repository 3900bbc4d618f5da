"""AF_TIPC on a real kernel (the kernel lane): RDM and stream sockets, options.

The stdlib is the oracle: it reads the same descriptors (``socket(fileno=dup)``)
and must see the addresses sockcore decoded.
"""

from __future__ import annotations

import os
import socket as stdlib
import threading
from typing import Any

import pytest
from sockcore_tipc import (
    AF_TIPC,
    TIPC_ADDR_ID,
    TIPC_ADDR_NAME,
    TIPC_ADDR_NAMESEQ,
    TIPC_HIGH_IMPORTANCE,
)

import sockcore

pytestmark = pytest.mark.kernel

SERVICE = 18888  # a service type above TIPC_RESERVED_TYPES


def _oracle(sock: sockcore.socket) -> stdlib.socket:
    return stdlib.socket(fileno=os.dup(sock.fileno()))


def test_rdm_service_range_send_and_receive() -> None:
    with sockcore.socket(AF_TIPC, sockcore.SOCK_RDM) as srv, sockcore.socket(AF_TIPC, sockcore.SOCK_RDM) as cli:
        srv.bind((TIPC_ADDR_NAMESEQ, SERVICE, 100, 200))
        srv.settimeout(5)
        cli.sendto(b"tipc rdm", (TIPC_ADDR_NAME, SERVICE, 150, 0))
        data, sender = srv.recvfrom(64)
        assert data == b"tipc rdm"
        assert sender.addr_type == TIPC_ADDR_ID
        with _oracle(cli) as cli_view, _oracle(srv) as srv_view:
            assert sender == cli_view.getsockname()
            assert srv.getsockname() == srv_view.getsockname()
            # and the other way round: the stdlib sends, sockcore receives
            cli_view.sendto(b"from stdlib", (TIPC_ADDR_NAME, SERVICE, 101, 0))
        data, sender = srv.recvfrom(64)
        assert (data, sender) == (b"from stdlib", cli.getsockname())


def test_stream_connect_accept_transfer() -> None:
    with sockcore.socket(AF_TIPC, sockcore.SOCK_STREAM) as srv:
        srv.bind((TIPC_ADDR_NAME, SERVICE + 1, 7, 0))
        srv.listen()
        srv.settimeout(5)
        with sockcore.socket(AF_TIPC, sockcore.SOCK_STREAM) as cli:
            # TIPC completes the handshake in accept(): connect from another thread
            cli.settimeout(5)
            connector = threading.Thread(target=cli.connect, args=((TIPC_ADDR_NAME, SERVICE + 1, 7, 0),))
            connector.start()
            conn, peer = srv.accept()
            connector.join()
            with conn:
                payload = bytes(range(256)) * 40
                cli.sendall(payload)
                received = b""
                while len(received) < len(payload):
                    received += conn.recv(65536)
                assert received == payload
                assert peer == cli.getsockname() == conn.getpeername()
                with _oracle(conn) as view:
                    assert conn.getpeername() == view.getpeername()
                    assert conn.getsockname() == view.getsockname()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TIPC_IMPORTANCE", TIPC_HIGH_IMPORTANCE),
        ("TIPC_SRC_DROPPABLE", True),
        ("TIPC_DEST_DROPPABLE", True),
        ("TIPC_CONN_TIMEOUT", 1234),
    ],
)
def test_option_set_then_get(name: str, value: Any) -> None:
    with sockcore.socket(AF_TIPC, sockcore.SOCK_RDM) as sock, _oracle(sock) as view:
        opt = getattr(sockcore.options, name)
        sock.setopt(opt, value)
        assert sock.getopt(opt) == value
        assert view.getsockopt(opt.level, opt.optname) == int(value)


def test_read_only_options() -> None:
    with sockcore.socket(AF_TIPC, sockcore.SOCK_RDM) as sock:
        for name in ("TIPC_NODE_RECVQ_DEPTH", "TIPC_SOCK_RECVQ_DEPTH", "TIPC_SOCK_RECVQ_USED"):
            assert sock.getopt(getattr(sockcore.options, name)) == 0
