"""socketserver: threading and forking TCP servers, a UDP server, a Unix stream server."""

import os
import socket
import socketserver
import tempfile

import _common


class Echo(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        line = self.rfile.readline()
        self.wfile.write(b"%d:" % os.getpid() + line)


class UdpEcho(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        data, sock = self.request
        sock.sendto(data[::-1], self.client_address)


def tcp_roundtrip(server_cls: type) -> int:
    with server_cls(("127.0.0.1", 0), Echo) as server:
        t = _common.serve_in_thread(server)
        with socket.create_connection(server.server_address, timeout=10) as c:
            c.sendall(b"ping\n")
            reply = c.makefile("rb").readline()
        _common.stop(server, t)
    pid, _, line = reply.partition(b":")
    assert line == b"ping\n", reply
    return int(pid)


assert tcp_roundtrip(socketserver.ThreadingTCPServer) == os.getpid()
assert tcp_roundtrip(socketserver.ForkingTCPServer) != os.getpid()  # a child answered

with socketserver.ThreadingUDPServer(("127.0.0.1", 0), UdpEcho) as udp:
    t = _common.serve_in_thread(udp)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
        c.settimeout(10)
        c.sendto(b"abc", udp.server_address)
        assert c.recvfrom(100) == (b"cba", udp.server_address)
    _common.stop(udp, t)

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "s")
    with socketserver.ThreadingUnixStreamServer(path, Echo) as unix:
        t = _common.serve_in_thread(unix)
        with socket.socket(socket.AF_UNIX) as c:
            c.settimeout(10)
            c.connect(path)
            c.sendall(b"unix\n")
            assert c.makefile("rb").readline().endswith(b":unix\n")
        _common.stop(unix, t)
_common.check_all_sockcore(8)
