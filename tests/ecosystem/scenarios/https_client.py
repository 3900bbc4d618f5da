"""HTTPS: http.server behind SSLContext.wrap_socket, http.client and urllib as clients.

With sockcore installed, wrap_socket on a sockcore socket goes through
sockcore.tls: every socket, listener included, stays a sockcore socket.
"""

import http.client
import http.server
import ssl
import urllib.error
import urllib.request

import _common

import sockcore.tls

server_ctx, client_ctx, ca = _common.tls_contexts("localhost")  # no IP address in it


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"secret " + self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class TLSServer(http.server.ThreadingHTTPServer):
    def get_request(self):  # type: ignore[no-untyped-def]
        conn, addr = self.socket.accept()
        return server_ctx.wrap_socket(conn, server_side=True), addr

    def handle_error(self, request, client_address):  # type: ignore[no-untyped-def]
        pass  # the failed handshakes below are expected


with TLSServer(("127.0.0.1", 0), Handler) as server:
    t = _common.serve_in_thread(server)
    port = server.server_address[1]
    conn = http.client.HTTPSConnection("localhost", port, context=client_ctx, timeout=10)
    conn.request("GET", "/a")
    assert isinstance(conn.sock, sockcore.tls.TLSSocket), type(conn.sock)
    assert conn.sock.version() in ("TLSv1.2", "TLSv1.3")
    assert conn.sock.getpeercert()["subjectAltName"][0] == ("DNS", "localhost")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (200, b"secret /a")
    conn.close()
    with urllib.request.urlopen(f"https://localhost:{port}/b", context=client_ctx, timeout=10) as r:
        assert r.read() == b"secret /b"
    # a name the certificate does not carry fails as the ssl module fails
    try:
        urllib.request.urlopen(f"https://127.0.0.1:{port}/c", context=client_ctx, timeout=10)
    except urllib.error.URLError as exc:
        assert isinstance(exc.reason, ssl.SSLCertVerificationError), exc.reason
        assert "IP address mismatch" in str(exc.reason), exc.reason
    else:
        raise AssertionError("hostname mismatch was accepted")
    # and so does a certificate from a CA the client does not trust
    try:
        http.client.HTTPSConnection("localhost", port, context=ssl.create_default_context(), timeout=10).request("GET", "/")
    except ssl.SSLCertVerificationError as exc:
        assert exc.verify_message == "unable to get local issuer certificate", exc.verify_message
    else:
        raise AssertionError("untrusted certificate was accepted")
    _common.stop(server, t)
_common.check_all_sockcore(4)
