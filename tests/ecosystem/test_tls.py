"""sockcore.tls: TLS over TCP, AF_UNIX and vsock, compared with ssl.SSLSocket."""

from __future__ import annotations

import os
import socket as stdlib
import ssl
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sockcore
from sockcore import tls


def tcp_pair() -> tuple[sockcore.socket, sockcore.socket]:
    with sockcore.create_server(("127.0.0.1", 0)) as listener:
        client = sockcore.create_connection(listener.getsockname())
        server, _ = listener.accept()
    return client, server


def unix_pair() -> tuple[sockcore.socket, sockcore.socket]:
    return sockcore.socketpair(sockcore.AF_UNIX, sockcore.SOCK_STREAM)


def vsock_pair() -> tuple[sockcore.socket, sockcore.socket]:
    with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as listener:
        listener.bind((1, sockcore.VMADDR_PORT_ANY))  # CID 1: local loopback inside the guest
        listener.listen()
        client = sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM)
        client.connect((1, listener.getsockname()[1]))
        server, _ = listener.accept()
    return client, server


PAIRS: dict[str, Callable[[], tuple[sockcore.socket, sockcore.socket]]] = {
    "tcp": tcp_pair,
    "unix": unix_pair,
    "vsock": vsock_pair,
}


class EchoServer:
    """A server-side TLS socket echoing in a thread; ``errors`` holds what it raised."""

    def __init__(self, ctx: ssl.SSLContext, sock: Any) -> None:
        self.errors: list[BaseException] = []
        self.info: dict[str, Any] = {}
        self.thread = threading.Thread(target=self._run, args=(ctx, sock))
        self.thread.start()

    def _run(self, ctx: ssl.SSLContext, sock: Any) -> None:
        try:
            with ctx.wrap_socket(sock, server_side=True) if not isinstance(sock, sockcore.socket) else tls.wrap_socket(
                ctx, sock, server_side=True
            ) as s:
                self.info["alpn"] = s.selected_alpn_protocol()
                while data := s.recv(65536):
                    s.sendall(data)
        except (OSError, ValueError) as exc:
            self.errors.append(exc)
        finally:
            sock.close()

    def join(self) -> None:
        self.thread.join(10)


@pytest.fixture(params=[pytest.param("tcp"), pytest.param("unix"), pytest.param("vsock", marks=pytest.mark.kernel)])
def pair(request: pytest.FixtureRequest) -> Iterator[tuple[sockcore.socket, sockcore.socket]]:
    a, b = PAIRS[request.param]()
    with a, b:
        yield a, b


def test_echo_over_every_stream_family(
    pair: tuple[sockcore.socket, sockcore.socket], server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext
) -> None:
    a, b = pair
    server = EchoServer(server_ctx, b)
    with tls.wrap_socket(client_ctx, a, server_hostname="localhost") as c:
        assert a.fileno() == -1  # the wrapper took the descriptor
        assert isinstance(c, sockcore.socket) and isinstance(c, tls.TLSSocket)
        assert c.version() in ("TLSv1.2", "TLSv1.3")
        assert c.cipher() is not None and c.cipher()[1] == c.version()
        assert c.selected_alpn_protocol() == "http/1.1"
        assert ("DNS", "localhost") in c.getpeercert()["subjectAltName"]
        assert isinstance(c.getpeercert(binary_form=True), bytes)
        assert c.get_channel_binding() is None or isinstance(c.get_channel_binding(), bytes)
        payload = os.urandom(1 << 20)
        got = bytearray()
        buf = bytearray(100_000)
        for start in range(0, len(payload), 32768):  # the echo must not fill both buffers
            c.sendall(payload[start : start + 32768])
            while len(got) < start + 32768:
                n = c.recv_into(buf)
                got += buf[:n]
        assert got == payload
        c.send(b"x")
        assert c.recv(10) == b"x"
        with c.makefile("rwb") as f:
            f.write(b"a line\n")
            f.flush()
            assert f.readline() == b"a line\n"
        c.shutdown(sockcore.SHUT_WR)  # the server sees EOF (ragged: suppressed, as ssl does)
    server.join()
    assert server.errors == [] and server.info["alpn"] == "http/1.1"


def stdlib_pair() -> tuple[stdlib.socket, stdlib.socket]:
    return stdlib.socketpair()


def _handshake_error(ctx_server: ssl.SSLContext, ctx_client: ssl.SSLContext, hostname: str, use_sockcore: bool) -> BaseException:
    a, b = unix_pair() if use_sockcore else stdlib_pair()
    server = EchoServer(ctx_server, b)
    try:
        with pytest.raises(ssl.SSLError) as info:
            if use_sockcore:
                tls.wrap_socket(ctx_client, a, server_hostname=hostname)  # type: ignore[arg-type]
            else:
                ctx_client.wrap_socket(a, server_hostname=hostname)
    finally:
        a.close()
        server.join()
    assert server.errors and isinstance(server.errors[0], ssl.SSLError)
    return info.value


@pytest.mark.parametrize("case", ["hostname", "untrusted"])
def test_verification_failures_match_ssl(case: str, server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    client = client_ctx if case == "hostname" else ssl.create_default_context()
    hostname = "wrong.example" if case == "hostname" else "localhost"
    ours = _handshake_error(server_ctx, client, hostname, use_sockcore=True)
    theirs = _handshake_error(server_ctx, client, hostname, use_sockcore=False)
    assert type(ours) is type(theirs) is ssl.SSLCertVerificationError
    assert ours.verify_code == theirs.verify_code  # type: ignore[attr-defined]
    assert ours.verify_message == theirs.verify_message  # type: ignore[attr-defined]
    assert ours.reason == theirs.reason


def test_argument_checks_match_ssl(client_ctx: ssl.SSLContext, server_ctx: ssl.SSLContext) -> None:
    for make, wrap in ((unix_pair, tls.wrap_socket), (stdlib_pair, lambda ctx, s, **kw: ctx.wrap_socket(s, **kw))):
        a, b = make()
        with a, b:
            with pytest.raises(ValueError, match="check_hostname requires server_hostname"):
                wrap(client_ctx, a)
            with pytest.raises(ValueError, match="server_hostname can only be specified in client mode"):
                wrap(server_ctx, a, server_side=True, server_hostname="x")
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as d, pytest.raises(NotImplementedError):
        tls.wrap_socket(client_ctx, d, server_hostname="localhost")


@pytest.fixture
def connected(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> Iterator[tuple[tls.TLSSocket, tls.TLSSocket]]:
    """A handshaken client/server pair over AF_UNIX, both blocking."""
    a, b = unix_pair()
    box: list[tls.TLSSocket] = []
    t = threading.Thread(target=lambda: box.append(tls.wrap_socket(server_ctx, b, server_side=True)))
    t.start()
    c = tls.wrap_socket(client_ctx, a, server_hostname="localhost")
    t.join(10)
    with c, box[0] as s:
        yield c, s


def test_non_blocking_raises_want_read_and_want_write(connected: tuple[tls.TLSSocket, tls.TLSSocket]) -> None:
    c, s = connected
    c.setblocking(False)
    with pytest.raises(ssl.SSLWantReadError):
        c.recv(100)
    s.sendall(b"ready")
    got = b""
    while not got:
        try:
            got = c.recv(100)
        except ssl.SSLWantReadError:
            import select

            select.select([c], [], [], 10)
    assert got == b"ready"
    # fill the socket buffers until the TLS layer reports it cannot write
    chunk = b"z" * 65536
    sent = 0
    with pytest.raises(ssl.SSLWantWriteError):
        for _ in range(10_000):
            sent += c.send(chunk)
    # retrying the same write after draining completes it, counted once
    s.settimeout(10)
    drained = 0

    def drain() -> None:
        nonlocal drained
        while drained < sent + len(chunk):
            drained += len(s.recv(1 << 20))

    t = threading.Thread(target=drain)
    t.start()
    while True:
        try:
            assert c.send(chunk) == len(chunk)
            break
        except ssl.SSLWantWriteError:
            import select

            select.select([], [c], [], 10)
    t.join(10)
    assert drained == sent + len(chunk)


def test_timeouts_raise_like_ssl(
    connected: tuple[tls.TLSSocket, tls.TLSSocket], server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext
) -> None:
    c, _s = connected
    c.settimeout(0.05)
    with pytest.raises(TimeoutError) as ours:
        c.recv(10)
    a, b = stdlib_pair()  # the oracle: ssl.SSLSocket on the stdlib's socket
    box: list[Any] = []
    t = threading.Thread(target=lambda: box.append(server_ctx.wrap_socket(b, server_side=True)))
    t.start()
    with client_ctx.wrap_socket(a, server_hostname="localhost") as oracle:
        t.join(10)
        with box[0]:
            oracle.settimeout(0.05)
            with pytest.raises(TimeoutError) as theirs:
                oracle.recv(10)
    b.close()
    assert str(ours.value) == str(theirs.value) == "The read operation timed out"


def test_handshake_timeout(client_ctx: ssl.SSLContext) -> None:
    a, b = unix_pair()
    with a, b:
        a.settimeout(0.05)
        with pytest.raises(TimeoutError, match="The handshake operation timed out"):
            tls.wrap_socket(client_ctx, a, server_hostname="localhost")


def test_non_blocking_handshake(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    import select

    a, b = unix_pair()
    a.setblocking(False)
    b.setblocking(False)
    with pytest.raises(ValueError, match="non-blocking"):
        tls.wrap_socket(client_ctx, a, server_hostname="localhost")  # closes a, as ssl does
    a, b2 = unix_pair()
    b.close()
    a.setblocking(False)
    b2.setblocking(False)
    c = tls.wrap_socket(client_ctx, a, server_hostname="localhost", do_handshake_on_connect=False)
    s = tls.wrap_socket(server_ctx, b2, server_side=True, do_handshake_on_connect=False)
    with c, s:
        pending = {c, s}
        while pending:
            for side in list(pending):
                try:
                    side.do_handshake()
                    pending.discard(side)
                except ssl.SSLWantReadError:
                    select.select([side], [], [], 0.1)
        assert c.version() == s.version()


def test_plain_methods_refused_on_a_tls_socket(connected: tuple[tls.TLSSocket, tls.TLSSocket]) -> None:
    c, _ = connected
    with pytest.raises(ValueError, match="sendto not allowed"):
        c.sendto(b"x", ("127.0.0.1", 1))
    with pytest.raises(ValueError, match="recvfrom not allowed"):
        c.recvfrom(1)
    with pytest.raises(NotImplementedError):
        c.sendmsg([b"x"])
    with pytest.raises(NotImplementedError):
        c.recvmsg(1)
    with pytest.raises(ValueError, match="non-zero flags"):
        c.send(b"x", sockcore.MSG_OOB)
    with pytest.raises(NotImplementedError):
        c.dup()
    with pytest.raises(TypeError):
        tls.TLSSocket()


def test_unwrap_returns_the_plain_connection(connected: tuple[tls.TLSSocket, tls.TLSSocket]) -> None:
    c, s = connected
    t = threading.Thread(target=s.unwrap)
    t.start()
    assert c.unwrap() is c
    t.join(10)
    c.sendall(b"clear text")  # the same connection, now without TLS
    assert s.recv(100) == b"clear text"
    assert c.version() is None and c.cipher() is None


def test_sendfile_through_tls(connected: tuple[tls.TLSSocket, tls.TLSSocket], tmp_path: Any) -> None:
    c, s = connected
    path = tmp_path / "f"
    path.write_bytes(b"0123456789" * 5000)
    with open(path, "rb") as f:
        assert c.sendfile(f, offset=10, count=30_000) == 30_000
        assert f.tell() == 30_010
    got = b""
    while len(got) < 30_000:
        got += s.recv(65536)
    assert got == (b"0123456789" * 5000)[10:30_010]


def test_connect_then_handshake_and_accept_wraps(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    with sockcore.create_server(("127.0.0.1", 0)) as plain_listener:
        listener = tls.wrap_socket(server_ctx, plain_listener, server_side=True)
        with listener:
            box: list[Any] = []
            t = threading.Thread(target=lambda: box.append(listener.accept()))
            t.start()
            c = tls.wrap_socket(client_ctx, sockcore.socket(), server_hostname="localhost")
            with c:
                c.connect(listener.getsockname())
                t.join(10)
                conn, addr = box[0]
                with conn:
                    assert isinstance(conn, tls.TLSSocket) and conn.server_side
                    assert addr == c.getsockname()
                    c.sendall(b"hi")
                    assert conn.recv(2) == b"hi"
