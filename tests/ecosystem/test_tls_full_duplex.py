"""One TLS connection, two threads: one writes while the other reads, as with ssl.SSLSocket.

An echo peer sends back what it reads while the client is still writing, so
the client's reader and writer run at the same time and the writer's sends
are partial (small send buffers).  OpenSSL writes ciphertext into the
outgoing MemoryBIO from whichever thread calls it; if two threads took
ciphertext from it, or used it at once, records would reach the wire torn or
out of order: the peer fails with "decryption failed or bad record mac", or
the process crashes.  Before the fix this failed about one run in five.
"""

from __future__ import annotations

import hashlib
import os
import ssl
import threading
from typing import Any

import pytest

import sockcore
from sockcore import tls

ROUNDS = 3
PAYLOAD = 1024 * 1024


def echo(conn: Any, errors: list[BaseException]) -> None:
    """The peer: sends back each chunk as soon as it has it, until EOF."""
    try:
        with conn:
            while data := conn.recv(65536):
                conn.sendall(data)
    except BaseException as exc:  # reported by the test
        errors.append(exc)


def exchange(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext, version: ssl.TLSVersion, peer: str) -> None:
    client_ctx.minimum_version = client_ctx.maximum_version = version
    with sockcore.create_server(("127.0.0.1", 0)) as listener:
        raw = sockcore.create_connection(listener.getsockname(), timeout=30)
        accepted, _ = listener.accept()
    for sock in (raw, accepted):
        sock.setsockopt(sockcore.SOL_SOCKET, sockcore.SO_SNDBUF, 4096)
    accepted.settimeout(30)
    if peer == "stdlib":  # the peer on the stdlib's own socket and SSLSocket
        import socket as stdlib

        accepted = stdlib.socket(fileno=accepted.detach())
        accepted.settimeout(30)
    server_errors: list[BaseException] = []
    server = threading.Thread(
        target=lambda: echo(
            server_ctx.wrap_socket(accepted, server_side=True)
            if peer == "stdlib"
            else tls.wrap_socket(server_ctx, accepted, server_side=True),
            server_errors,
        )
    )
    server.start()
    payload = os.urandom(PAYLOAD)
    got = bytearray()
    reader_errors: list[BaseException] = []
    with tls.wrap_socket(client_ctx, raw, server_hostname="localhost") as client:

        def read_all() -> None:
            try:
                while len(got) < len(payload):
                    chunk = client.recv(65536)
                    if not chunk:
                        break
                    got.extend(chunk)
            except BaseException as exc:  # reported by the test
                reader_errors.append(exc)

        reader = threading.Thread(target=read_all)
        reader.start()
        client.sendall(payload)
        reader.join(60)
        assert not reader.is_alive()
    server.join(60)
    assert not server_errors and not reader_errors, (server_errors, reader_errors)
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(payload).hexdigest()


@pytest.mark.parametrize("peer", ["sockcore", "stdlib"])
@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3], ids=["tls1.2", "tls1.3"])
def test_reader_and_writer_threads(
    server_ctx: ssl.SSLContext, ca: Any, version: ssl.TLSVersion, peer: str
) -> None:
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(client_ctx)
    for _ in range(ROUNDS):
        exchange(server_ctx, client_ctx, version, peer)
