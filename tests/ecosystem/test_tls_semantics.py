"""sockcore.tls against ssl.SSLSocket, call for call: the same results and the same exception types.

Every test runs one script of calls twice, on ``ssl.SSLSocket`` over the
stdlib's sockets and on ``sockcore.tls.TLSSocket`` over sockcore's, and
compares what each call returned or raised.
"""

from __future__ import annotations

import array
import os
import socket as stdlib
import ssl
import threading
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

import sockcore
from sockcore import tls

KINDS = ("stdlib", "sockcore")


def raw_pair(kind: str) -> tuple[Any, Any]:
    return stdlib.socketpair() if kind == "stdlib" else sockcore.socketpair()


def wrap(kind: str, ctx: ssl.SSLContext, sock: Any, **kw: Any) -> Any:
    if kind == "stdlib":
        return ctx.wrap_socket(sock, **kw)
    return tls.wrap_socket(ctx, sock, **kw)


def tls_pair(kind: str, server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext, **client_kw: Any) -> tuple[Any, Any]:
    """(client, server), handshaken over an AF_UNIX socketpair (the server's side in a thread)."""
    a, b = raw_pair(kind)
    box: list[Any] = []
    t = threading.Thread(target=lambda: box.append(wrap(kind, server_ctx, b, server_side=True)))
    t.start()
    try:
        client = wrap(kind, client_ctx, a, server_hostname="localhost", **client_kw)
    finally:
        t.join(10)
    return client, box[0]


def outcome(call: Callable[[], Any]) -> Any:
    """What a call did, in a form both implementations can be compared by."""
    try:
        value = call()
    except ssl.SSLError as exc:
        return ("raise", type(exc).__name__, exc.args[0])
    except OSError as exc:
        return ("raise", type(exc).__name__, exc.errno)
    except Exception as exc:  # the type is what is compared
        return ("raise", type(exc).__name__)
    if isinstance(value, (bytes, bytearray, int, str, type(None), bool)):
        return ("ok", value)
    return ("ok", type(value).__name__)


def both(script: Callable[[str], list[Any]]) -> list[Any]:
    ours, theirs = script("sockcore"), script("stdlib")
    assert ours == theirs
    return ours


@pytest.fixture(autouse=True)
def _no_stray_threads() -> Iterator[None]:
    yield
    for t in threading.enumerate():
        if t is not threading.current_thread() and not t.daemon:
            t.join(10)


def test_use_after_close(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    def script(kind: str) -> list[Any]:
        c, s = tls_pair(kind, server_ctx, client_ctx)
        with s:
            s.sendall(b"buffered")  # plaintext waiting: never returned after close
            c.close()
            return [
                outcome(lambda: c.recv(10)), outcome(lambda: c.recv_into(bytearray(10))),
                outcome(lambda: c.send(b"x")), outcome(lambda: c.sendall(b"x")),
                outcome(lambda: c.read(10)), outcome(lambda: c.write(b"x")),
                outcome(c.version), outcome(c.cipher), outcome(c.selected_alpn_protocol),
                outcome(c.shared_ciphers), outcome(c.compression), outcome(c.pending),
                outcome(c.getpeercert), outcome(c.get_channel_binding), outcome(lambda: c.session),
                outcome(lambda: c.session_reused), outcome(c.unwrap), outcome(c.do_handshake),
                outcome(c.fileno), outcome(lambda: c._sslobj is None),
                outcome(lambda: c.shutdown(sockcore.SHUT_RDWR)), outcome(c.close),
            ]

    both(script)


def test_before_and_after_the_handshake(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    def script(kind: str) -> list[Any]:
        a, b = raw_pair(kind)
        c = wrap(kind, client_ctx, a, server_hostname="localhost", do_handshake_on_connect=False)
        s = wrap(kind, server_ctx, b, server_side=True, do_handshake_on_connect=False)
        with c, s:
            before = [
                outcome(c.version), outcome(c.cipher), outcome(c.getpeercert), outcome(c.selected_alpn_protocol),
                outcome(c.pending), outcome(lambda: c._sslobj is None), outcome(lambda: c.session_reused),
            ]
            t = threading.Thread(target=s.do_handshake)
            t.start()
            c.do_handshake()
            t.join(10)
            after = [
                outcome(c.version), outcome(lambda: c.cipher()[1]), outcome(lambda: c.getpeercert()["subject"]),
                outcome(lambda: type(c._sslobj.version())), outcome(lambda: c._sslobj.session is not None),
                outcome(lambda: c.getpeercert(True)[:1]), outcome(c.selected_alpn_protocol),
                outcome(lambda: len(c._sslobj.get_verified_chain())),  # what CPython's tests call on _sslobj
                outcome(lambda: len(c._sslobj.get_unverified_chain())),
            ]
            if hasattr(ssl.SSLSocket, "get_verified_chain"):  # 3.13+
                after += [outcome(lambda: [len(cert) > 0 for cert in c.get_verified_chain()]),
                          outcome(lambda: len(c.get_unverified_chain()))]
        return before + after

    both(script)


def test_unconnected_socket(client_ctx: ssl.SSLContext) -> None:
    def script(kind: str) -> list[Any]:
        raw = stdlib.socket(stdlib.AF_UNIX) if kind == "stdlib" else sockcore.socket(sockcore.AF_UNIX)
        with wrap(kind, client_ctx, raw, server_hostname="localhost") as c:
            return [
                outcome(lambda: c._sslobj is None), outcome(c.version), outcome(c.getpeercert),
                outcome(c.do_handshake), outcome(lambda: c.recv(1)), outcome(lambda: c.send(b"x")),
                outcome(c.unwrap),
            ]

    both(script)


def test_recv_into_counts_bytes_not_items(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    def script(kind: str) -> list[Any]:
        c, s = tls_pair(kind, server_ctx, client_ctx)
        with c, s:
            s.sendall(b"abcdefgh")
            buf = array.array("i", [0, 0])
            view = memoryview(buf)  # len 2, 8 bytes
            got = c.recv_into(view)
            return [got, buf.tobytes()[:got]]

    assert both(script) == [8, b"abcdefgh"]


def test_eof_close_notify_and_want_read(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    def script(kind: str) -> list[Any]:
        results = []
        for ragged in (True, False):
            c, s = tls_pair(kind, server_ctx, client_ctx, suppress_ragged_eofs=ragged)
            with c:
                c.setblocking(False)
                results.append(outcome(partial(c.recv, 1)))  # nothing yet: SSLWantReadError
                c.setblocking(True)
                s.sendall(b"last words")
                s.close()  # no close_notify: a ragged EOF
                results += [outcome(partial(c.recv, 100)), outcome(partial(c.recv, 100))]
        c, s = tls_pair(kind, server_ctx, client_ctx)
        with c, s:
            t = threading.Thread(target=s.unwrap)
            t.start()
            results += [outcome(lambda: c.recv(100)), outcome(lambda: c.recv(100))]  # close_notify: b""
            results.append(outcome(lambda: c.unwrap() is c))
            t.join(10)
            c.sendall(b"clear")
            results.append(outcome(lambda: s.recv(100)))
        return results

    both(script)


def test_plaintext_peer_fails_the_handshake_like_ssl(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    request = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
    reply = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"

    def script(kind: str) -> list[Any]:
        results: list[Any] = []
        a, b = raw_pair(kind)  # a TLS server that is sent an HTTP request
        with a, b:
            s = wrap(kind, server_ctx, b, server_side=True, do_handshake_on_connect=False)
            with s:
                a.sendall(request)
                try:
                    s.do_handshake()
                except ssl.SSLError as exc:
                    results.append((type(exc).__name__, exc.reason))
                s.setblocking(False)
                results.append(os.read(s.fileno(), 1000))  # the rest of the request is still unread
        a, b = raw_pair(kind)  # a TLS client that gets an HTTP reply
        with a, b:
            b.sendall(reply)
            try:
                wrap(kind, client_ctx, a, server_hostname="localhost")
            except ssl.SSLError as exc:
                results.append((type(exc).__name__, exc.reason))
        return results

    results = both(script)
    assert results[0][0] == "SSLError" and results[2][0] == "SSLError"


def test_protocol_mismatch_raises_the_same_errors(ca: Any) -> None:
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("localhost").configure_cert(server_ctx)
    server_ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(client_ctx)
    client_ctx.maximum_version = ssl.TLSVersion.TLSv1_2

    def script(kind: str) -> list[Any]:
        a, b = raw_pair(kind)
        server: list[Any] = []

        def serve() -> None:
            try:
                wrap(kind, server_ctx, b, server_side=True)
            except ssl.SSLError as exc:
                server.append((type(exc).__name__, exc.reason))

        t = threading.Thread(target=serve)
        t.start()
        try:
            wrap(kind, client_ctx, a, server_hostname="localhost")
        except ssl.SSLError as exc:
            client = (type(exc).__name__, exc.reason)
        t.join(10)
        a.close()
        b.close()
        return [client, *server]

    both(script)


def test_session_reuse(server_ctx: ssl.SSLContext, ca: Any) -> None:
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(client_ctx)
    client_ctx.maximum_version = ssl.TLSVersion.TLSv1_2  # a session exists right after the handshake

    def script(kind: str) -> list[Any]:
        c, s = tls_pair(kind, server_ctx, client_ctx)
        with c, s:
            session = c.session
            first = c.session_reused
        c, s = tls_pair(kind, server_ctx, client_ctx, session=session)
        with c, s:
            return [first, c.session_reused, s.session_reused, c.session.id == session.id]

    assert both(script) == [False, True, True, True]


def test_callbacks_see_the_socket(ca: Any, client_ctx: ssl.SSLContext) -> None:
    def script(kind: str) -> list[Any]:
        server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("localhost").configure_cert(server_ctx)
        other_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert("localhost").configure_cert(other_ctx)
        seen: list[Any] = []

        def sni(sock: Any, name: str, ctx: ssl.SSLContext) -> None:
            seen.append(("sni", name, isinstance(sock, (ssl.SSLSocket, tls.TLSSocket))))
            sock.context = other_ctx

        def msg(conn: Any, direction: str, version: Any, content_type: Any, msg_type: Any, data: bytes) -> None:
            seen.append(conn)

        server_ctx.sni_callback = sni
        server_ctx._msg_callback = msg  # type: ignore[attr-defined]
        c, s = tls_pair(kind, server_ctx, client_ctx)
        with c, s:
            conns = {id(x) for x in seen if not isinstance(x, tuple)}
            return [seen[0] if isinstance(seen[0], tuple) else next(x for x in seen if isinstance(x, tuple)),
                    conns == {id(s)}, s.context is other_ctx]

    assert both(script) == [("sni", "localhost", True), True, True]


def test_post_handshake_authentication(ca: Any) -> None:
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("localhost").configure_cert(server_ctx)
    ca.configure_trust(server_ctx)
    server_ctx.verify_mode = ssl.CERT_OPTIONAL
    server_ctx.post_handshake_auth = True
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(client_ctx)
    ca.issue_cert("client.example").configure_cert(client_ctx)
    client_ctx.post_handshake_auth = True

    def script(kind: str) -> list[Any]:
        c, s = tls_pair(kind, server_ctx, client_ctx)
        with c, s:
            before = s.getpeercert()
            s.verify_client_post_handshake()
            s.sendall(b"who are you?")
            assert c.recv(100) == b"who are you?"  # reading the request answers it
            c.sendall(b"me")
            assert s.recv(100) == b"me"
            return [before, s.getpeercert()["subjectAltName"]]

    assert both(script) == [None, (("DNS", "client.example"),)]


def test_reset_reads_and_writes_as_eof(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    """ssl.SSLSocket reports ECONNRESET/EPIPE as an unexpected EOF (SSLEOFError, or b"" for ragged EOFs) up to 3.12."""
    import struct
    import time

    def script(kind: str) -> list[Any]:
        module: Any = stdlib if kind == "stdlib" else sockcore
        results = []
        for ragged in (True, False):
            with module.create_server(("127.0.0.1", 0)) as listener:
                a = module.create_connection(listener.getsockname())
                b, _ = listener.accept()
            box: list[Any] = []
            t = threading.Thread(target=lambda: box.append(wrap(kind, server_ctx, b, server_side=True)))  # noqa: B023
            t.start()
            c = wrap(kind, client_ctx, a, server_hostname="localhost", suppress_ragged_eofs=ragged)
            t.join(10)
            s = box[0]
            s.setsockopt(stdlib.SOL_SOCKET, stdlib.SO_LINGER, struct.pack("ii", 1, 0))
            s.close()  # a reset
            time.sleep(0.05)
            with c:
                results.append(outcome(partial(c.recv, 10)))
                results.append(outcome(partial(c.sendall, b"x" * 100_000)))
        return results

    import sys

    expected = ("raise", "SSLEOFError", ssl.SSL_ERROR_EOF) if sys.version_info < (3, 13) else ("raise", "BrokenPipeError", 32)
    assert both(script)[1] == expected  # 3.13's ssl reports the OSError itself


def test_zero_length_reads(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    def script(kind: str) -> list[Any]:
        c, s = tls_pair(kind, server_ctx, client_ctx)
        with c, s:
            c.setblocking(False)
            results = [outcome(partial(c.recv, 0)), outcome(partial(c.read, 0)), outcome(partial(c.recv_into, bytearray(0)))]
            c.setblocking(True)
            results += [outcome(partial(c.recv, 0)), outcome(partial(c.recv_into, bytearray(0), 0))]
            return results

    both(script)


def test_clear_text_right_after_close_notify(server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> None:
    """The peer's last record, its close_notify and clear text arrive together: unwrap() leaves the clear text for recv()."""
    import time

    def script(kind: str) -> list[Any]:
        c, s = tls_pair(kind, server_ctx, client_ctx)
        with c, s:
            s.sendall(b"last secret")
            s.setblocking(False)
            with pytest.raises(ssl.SSLWantReadError):
                s.unwrap()  # close_notify sent; the reply is not awaited
            os.write(s.fileno(), b"CLEAR TEXT")
            time.sleep(0.05)  # all of it in the client's receive queue
            buf = bytearray(65536)
            results = [bytes(buf[: c.recv_into(buf)]), c.recv_into(buf)]
            c.unwrap()
            results.append(c.recv(100))
            return results

    assert both(script) == [b"last secret", 0, b"CLEAR TEXT"]


@pytest.mark.parametrize("reply", [b"", b"HTTP/1.1 502 Bad Gateway\r\n\r\n"], ids=["reset", "reply-then-reset"])
def test_proxy_that_fails_the_handshake(client_ctx: ssl.SSLContext, reply: bytes) -> None:
    """A peer that reads the ClientHello, maybe answers in clear text, and resets: the handshake fails as ssl's does."""
    import struct
    import time

    def script(kind: str) -> list[Any]:
        module: Any = stdlib if kind == "stdlib" else sockcore
        with module.create_server(("127.0.0.1", 0)) as listener:
            a = module.create_connection(listener.getsockname())
            b, _ = listener.accept()

        def proxy() -> None:
            b.recv(4096)  # the ClientHello
            if reply:
                b.sendall(reply)
            time.sleep(0.05)
            b.setsockopt(stdlib.SOL_SOCKET, stdlib.SO_LINGER, struct.pack("ii", 1, 0))
            b.close()

        t = threading.Thread(target=proxy)
        t.start()
        try:
            wrap(kind, client_ctx, a, server_hostname="localhost")
        except Exception as exc:  # the type is what is compared
            result = [type(exc).__name__, isinstance(exc, ssl.SSLError)]
        else:
            result = ["no error"]
        t.join(10)
        a.close()
        return result

    # a reply (an error page, an alert) is an ssl.SSLError; a bare reset stays ConnectionResetError, as in ssl
    assert both(script)[1] is bool(reply)


def test_bad_server_hostname_closes_the_socket(client_ctx: ssl.SSLContext) -> None:
    """A hostname that cannot be encoded fails as ssl's does, and the wrapper closes what it took (as 3.13's ssl)."""
    import gc
    import warnings

    for hostname, error in ((".pythontest.net", UnicodeError), (b"k\xf6nig.example", UnicodeDecodeError)):
        raw = sockcore.socket(sockcore.AF_UNIX)
        with warnings.catch_warnings():
            warnings.simplefilter("error", ResourceWarning)
            with pytest.raises(error):
                tls.wrap_socket(client_ctx, raw, server_hostname=hostname)
            gc.collect()
        assert raw.fileno() == -1
