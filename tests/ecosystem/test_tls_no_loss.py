"""Every byte given to a TLS socket reaches the peer, whatever the mode and however the sender ends.

The peer is ``ssl.SSLSocket`` on the stdlib's sockets (or sockcore.tls
itself).  Receivers read the way asyncore and selectors-based servers do:
wait until ``select`` says the descriptor is readable, then one ``recv`` of
8 KiB.  A TLS layer that keeps records it read ahead where ``select`` cannot
see them stalls such a reader; one that drops unsent ciphertext at
``close()``/``shutdown()``/``unwrap()`` loses the tail.

The soak runs 200 connections (``SOCKCORE_TLS_SOAK_COUNT``) with random
sizes up to 4 MiB, modes, families, implementations and endings, in about
15 s; ``SOCKCORE_TLS_SOAK_SEED`` repeats a run (the seed is in every failure).
"""

from __future__ import annotations

import os
import random
import select
import socket as stdlib
import ssl
import threading
from typing import Any

import pytest

import sockcore
from sockcore import tls

MODES = ("blocking", "timeout", "nonblocking")
ENDINGS = ("close", "shutdown", "unwrap")
READ_SIZE = 8192


@pytest.fixture(scope="module")
def server_ctx(ca: Any) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("localhost").configure_cert(ctx)
    # No TLS 1.3 session tickets: a sender that never reads would close with
    # them unread, and the kernel then resets the connection and drops what
    # it had not sent yet -- with ssl.SSLSocket on both ends too.
    ctx.num_tickets = 0
    return ctx


def raw_pair(impl: str, family: str) -> tuple[Any, Any]:
    module: Any = stdlib if impl == "stdlib" else sockcore
    if family == "unix":
        return module.socketpair(module.AF_UNIX, module.SOCK_STREAM)  # type: ignore[no-any-return]
    with module.create_server(("127.0.0.1", 0)) as listener:
        client = module.create_connection(listener.getsockname())
        server, _ = listener.accept()
    return client, server


def wrap(impl: str, ctx: ssl.SSLContext, sock: Any, **kw: Any) -> Any:
    return ctx.wrap_socket(sock, **kw) if impl == "stdlib" else tls.wrap_socket(ctx, sock, **kw)


def set_mode(sock: Any, mode: str) -> None:
    sock.settimeout({"blocking": None, "timeout": 30.0, "nonblocking": 0.0}[mode])


def send_everything(sock: Any, data: bytes, mode: str) -> None:
    """sendall, or for a non-blocking socket send() retried after SSLWantWrite/ReadError with the same data."""
    if mode != "nonblocking":
        sock.sendall(data)
        return
    view = memoryview(data)
    while view:
        chunk = view[:65536]
        try:
            view = view[sock.send(chunk) :]
        except ssl.SSLWantWriteError:
            select.select([], [sock], [], 30)
        except ssl.SSLWantReadError:
            select.select([sock], [], [], 30)


def receive_until_eof(sock: Any, mode: str, expect_close_notify: bool) -> bytes:
    """select, then one recv of 8 KiB, until EOF (what asyncore and selectors servers do)."""
    got = bytearray()
    while True:
        if not sock.pending():
            readable, _, _ = select.select([sock], [], [], 30)
            assert readable, f"select() timed out with {len(got)} bytes received: data held where select cannot see it"
        try:
            data = sock.recv(READ_SIZE)
        except (ssl.SSLWantReadError, BlockingIOError):
            continue
        if not data:
            break
        got += data
    if expect_close_notify:
        sock.setblocking(True)
        sock.unwrap()
    return bytes(got)


def end(sock: Any, ending: str) -> None:
    if ending == "close":
        sock.close()
    elif ending == "shutdown":
        sock.shutdown(stdlib.SHUT_WR)
    else:
        sock.setblocking(True)  # unwrap waits for the peer's close_notify
        sock.unwrap()
        sock.close()


def transfer(
    server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext, *, sender_impl: str, receiver_impl: str, family: str,
    sender_mode: str, receiver_mode: str, ending: str, size: int, seed: int, client_sends: bool = True,
) -> None:
    """One connection: one end sends ``size`` bytes and ends as ``ending`` says; the other receives them all."""
    payload = random.Random(seed).randbytes(size)
    a, b = raw_pair(sender_impl, family) if sender_impl == receiver_impl else mixed_pair(sender_impl, receiver_impl, family)
    if sender_impl == "sockcore" and family == "tcp":
        a.setsockopt(stdlib.SOL_SOCKET, stdlib.SO_SNDBUF, 4096)  # ciphertext larger than the kernel's buffer
    received: list[bytes] = []
    errors: list[BaseException] = []

    def sending(sock: Any) -> None:
        set_mode(sock, sender_mode)
        send_everything(sock, payload, sender_mode)
        end(sock, ending)

    def receiving(sock: Any) -> None:
        set_mode(sock, receiver_mode)
        received.append(receive_until_eof(sock, receiver_mode, expect_close_notify=ending == "unwrap"))

    # a is the sender's socket, b the receiver's: the TLS client is a when the client sends
    client_sock, server_sock = (a, b) if client_sends else (b, a)
    client_impl, server_impl = (sender_impl, receiver_impl) if client_sends else (receiver_impl, sender_impl)
    client_role, server_role = (sending, receiving) if client_sends else (receiving, sending)

    def serve() -> None:
        try:
            with wrap(server_impl, server_ctx, server_sock, server_side=True) as s:
                server_role(s)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            server_sock.close()

    t = threading.Thread(target=serve)
    t.start()
    try:
        with wrap(client_impl, client_ctx, client_sock, server_hostname="localhost") as c:
            client_role(c)
    except BaseException as exc:
        errors.append(exc)
    finally:
        client_sock.close()
        t.join(60)
    where = (f"seed={seed} {sender_impl}/{sender_mode} -> {receiver_impl}/{receiver_mode} {family} {ending} "
             f"{size} bytes, {'client' if client_sends else 'server'} sending")
    assert not errors, f"{where}: {errors[0]!r}"
    assert received and len(received[0]) == size, f"{where}: received {len(received[0]) if received else None}"
    assert received[0] == payload, where


def mixed_pair(sender_impl: str, receiver_impl: str, family: str) -> tuple[Any, Any]:
    """A connected pair whose client end is ``sender_impl``'s socket and whose server end is ``receiver_impl``'s."""
    a, b = raw_pair("stdlib", family)
    if sender_impl == "sockcore":
        a = sockcore.socket.from_stdlib(a, detach=True)
    if receiver_impl == "sockcore":
        b = sockcore.socket.from_stdlib(b, detach=True)
    return a, b


@pytest.mark.parametrize("client_sends", [True, False], ids=["client-sends", "server-sends"])
@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("direction", ["sockcore-sends", "sockcore-receives"])
def test_every_byte_arrives(
    direction: str, mode: str, ending: str, client_sends: bool, server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext
) -> None:
    sender, receiver = ("sockcore", "stdlib") if direction == "sockcore-sends" else ("stdlib", "sockcore")
    transfer(
        server_ctx, client_ctx, sender_impl=sender, receiver_impl=receiver, family="tcp",
        sender_mode=mode if sender == "sockcore" else "blocking", receiver_mode=mode if receiver == "sockcore" else "blocking",
        ending=ending, size=1 << 20, seed=len(mode) * 7 + len(ending), client_sends=client_sends,
    )


def test_select_sees_every_record(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    """Three records sent at once, read 100 bytes at a time: select() says readable until all are read."""
    a, b = sockcore.socketpair()
    box: list[Any] = []
    t = threading.Thread(target=lambda: box.append(tls.wrap_socket(server_ctx, b, server_side=True)))
    t.start()
    with tls.wrap_socket(client_ctx, a, server_hostname="localhost") as c:
        t.join(10)
        with box[0] as s:
            for word in (b"one", b"two", b"three"):
                s.send(word)  # one record each
            got = b""
            while len(got) < 11:
                assert c.pending() or select.select([c], [], [], 10)[0], got
                got += c.recv(100)
            assert got == b"onetwothree"


def soak(count: int, max_size: int, server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    seed = int(os.environ.get("SOCKCORE_TLS_SOAK_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    for i in range(count):
        sender, receiver = rng.choice([("sockcore", "stdlib"), ("stdlib", "sockcore"), ("sockcore", "sockcore")])
        transfer(
            server_ctx, client_ctx, sender_impl=sender, receiver_impl=receiver, family=rng.choice(["tcp", "unix"]),
            sender_mode=rng.choice(MODES) if sender == "sockcore" else "blocking",
            receiver_mode=rng.choice(MODES) if receiver == "sockcore" else "blocking",
            ending=rng.choice(ENDINGS), size=rng.choice([0, 1, rng.randrange(max_size + 1)]), seed=seed + i,
            client_sends=rng.random() < 0.5,
        )


def test_soak(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    soak(int(os.environ.get("SOCKCORE_TLS_SOAK_COUNT", 200)), 4 << 20, server_ctx, client_ctx)
