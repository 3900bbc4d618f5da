"""ftplib (plain and FTP_TLS with a protected data channel) and telnetlib, against small local servers."""

import socket
import socketserver
import warnings

import _common

import sockcore.tls

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # telnetlib is deprecated in 3.11
    try:
        import telnetlib
    except ModuleNotFoundError:  # removed in 3.13 (PEP 594)
        telnetlib = None  # type: ignore[assignment]
import ftplib

server_ctx, client_ctx, _ca = _common.tls_contexts()
FILES = {"a.txt": b"alpha\r\n", "b.bin": bytes(range(256)) * 64}


class FTPHandler(socketserver.StreamRequestHandler):
    def send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def finish(self) -> None:
        super().finish()
        self.request.close()  # socketserver closes the request it gave us, detached by AUTH TLS

    def handle(self) -> None:
        self.send("220 test ftp")
        passive = None
        protect = False
        while line := self.rfile.readline().decode().rstrip("\r\n"):
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            if verb == "AUTH":
                self.send("234 AUTH TLS ok")
                self.request = server_ctx.wrap_socket(self.request, server_side=True)
                self.setup()
            elif verb == "PBSZ":
                self.send("200 PBSZ=0")
            elif verb == "PROT":
                protect = arg == "P"
                self.send("200 PROT ok")
            elif verb == "USER":
                self.send("331 password please")
            elif verb in ("PASS", "TYPE"):
                self.send("230 ok" if verb == "PASS" else "200 ok")
            elif verb == "PASV":
                passive = socket.create_server(("127.0.0.1", 0))
                port = passive.getsockname()[1]
                self.send(f"227 Entering Passive Mode (127,0,0,1,{port >> 8},{port & 255})")
            elif verb in ("NLST", "LIST", "RETR"):
                assert passive is not None
                self.send("150 here it comes")
                conn, _ = passive.accept()
                passive.close()
                if protect:
                    conn = server_ctx.wrap_socket(conn, server_side=True)
                    assert isinstance(conn, sockcore.tls.TLSSocket)
                if verb == "RETR":
                    conn.sendall(FILES[arg])
                else:
                    names = sorted(FILES) if verb == "NLST" else [f"-rw-r--r-- 1 u g {len(FILES[n])} {n}" for n in sorted(FILES)]
                    conn.sendall("".join(n + "\r\n" for n in names).encode())
                if protect:
                    conn = conn.unwrap()  # close_notify, as RFC 4217 asks and ftplib's client does
                conn.close()
                self.send("226 done")
            elif verb == "QUIT":
                self.send("221 bye")
                return
            else:
                self.send("502 no")


server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FTPHandler)
t = _common.serve_in_thread(server)
port = server.server_address[1]
with ftplib.FTP() as ftp:
    ftp.connect("127.0.0.1", port, timeout=10)
    ftp.login("u", "p")
    assert ftp.nlst() == ["a.txt", "b.bin"]
    listing: list[str] = []
    ftp.retrlines("LIST", listing.append)
    assert listing[1].endswith(f"{len(FILES['b.bin'])} b.bin"), listing
    chunks: list[bytes] = []
    ftp.retrbinary("RETR b.bin", chunks.append)
    assert b"".join(chunks) == FILES["b.bin"]
with ftplib.FTP_TLS(context=client_ctx) as ftps:
    ftps.connect("127.0.0.1", port, timeout=10)
    ftps.auth()
    assert isinstance(ftps.sock, sockcore.tls.TLSSocket)
    ftps.login("u", "p")
    ftps.prot_p()
    assert ftps.nlst() == ["a.txt", "b.bin"]
    chunks = []
    ftps.retrbinary("RETR b.bin", chunks.append)
    assert b"".join(chunks) == FILES["b.bin"]
_common.stop(server, t)


class TelnetHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.sendall(b"login: ")
        name = b""
        while not name.endswith(b"\n"):
            name += self.request.recv(100)
        self.request.sendall(b"welcome " + name.strip() + b"\r\n$ ")


if telnetlib is not None:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), TelnetHandler)
    t = _common.serve_in_thread(server)
    with telnetlib.Telnet("127.0.0.1", server.server_address[1], timeout=10) as tn:
        assert tn.read_until(b"login: ", 10) == b"login: "
        tn.write(b"sockcore\n")
        assert tn.read_until(b"$ ", 10) == b"welcome sockcore\r\n$ "
    _common.stop(server, t)
_common.check_all_sockcore(8 if telnetlib is not None else 6)
