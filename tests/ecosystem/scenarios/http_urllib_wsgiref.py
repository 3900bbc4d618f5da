"""http.server + http.client, urllib.request, wsgiref, xmlrpc: real requests over loopback."""

import http.client
import http.server
import io
import json
import urllib.request
import xmlrpc.client
import xmlrpc.server
from wsgiref.simple_server import WSGIRequestHandler, make_server

import _common


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"path": self.path, "agent": self.headers["User-Agent"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        data = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(201)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[::-1])

    def log_message(self, *args: object) -> None:
        pass


with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
    t = _common.serve_in_thread(server)
    port = server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for i in range(3):  # keep-alive: one connection, several requests
        conn.request("GET", f"/item/{i}", headers={"User-Agent": "sockcore-test"})
        resp = conn.getresponse()
        assert resp.status == 200
        assert json.loads(resp.read()) == {"path": f"/item/{i}", "agent": "sockcore-test"}
    conn.request("POST", "/echo", body=b"0123456789")
    resp = conn.getresponse()
    assert (resp.status, resp.read()) == (201, b"9876543210")
    conn.close()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/via-urllib", timeout=10) as r:
        assert json.loads(r.read())["path"] == "/via-urllib"
    _common.stop(server, t)


def wsgi_app(environ: dict, start_response: object) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])  # type: ignore[operator]
    return [b"wsgi says ", environ["PATH_INFO"].encode()]


class QuietWSGI(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


with make_server("127.0.0.1", 0, wsgi_app, handler_class=QuietWSGI) as wsgi:
    t = _common.serve_in_thread(wsgi)
    with urllib.request.urlopen(f"http://127.0.0.1:{wsgi.server_port}/hello", timeout=10) as r:
        assert r.read() == b"wsgi says /hello"
    _common.stop(wsgi, t)

with xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False, allow_none=True) as rpc:
    rpc.register_multicall_functions()
    rpc.register_function(lambda a, b: a + b, "add")
    rpc.register_function(lambda s: {"upper": s.upper(), "n": len(s)}, "info")
    t = _common.serve_in_thread(rpc)
    with xmlrpc.client.ServerProxy(f"http://127.0.0.1:{rpc.server_address[1]}/") as proxy:
        assert proxy.add(2, 40) == 42
        assert proxy.info("sockcore") == {"upper": "SOCKCORE", "n": 8}
        multi = xmlrpc.client.MultiCall(proxy)
        multi.add(1, 1)
        multi.add(2, 2)
        assert list(multi()) == [2, 4]
    _common.stop(rpc, t)
del io
_common.check_all_sockcore(8)
