"""smtplib (with STARTTLS), poplib (with STLS) and imaplib (with STARTTLS) against small local servers.

The servers are socketserver handlers speaking just enough of each protocol;
their STARTTLS goes through SSLContext.wrap_socket, so through sockcore.tls.
"""

import email.message
import imaplib
import poplib
import smtplib
import socketserver
from typing import Any

import _common

import sockcore.tls

server_ctx, client_ctx, _ca = _common.tls_contexts()
RECEIVED: list[dict[str, Any]] = []


class LineHandler(socketserver.StreamRequestHandler):
    """A line protocol whose connection can switch to TLS."""

    def send(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def read(self) -> str:
        return self.rfile.readline().decode().rstrip("\r\n")

    def starttls(self) -> None:
        self.request = server_ctx.wrap_socket(self.request, server_side=True)
        assert isinstance(self.request, sockcore.tls.TLSSocket)
        self.setup()  # new rfile/wfile on the TLS socket

    def finish(self) -> None:
        super().finish()
        self.request.close()  # socketserver closes the request it gave us, detached by the wrap


class SMTPHandler(LineHandler):
    def handle(self) -> None:
        self.send("220 localhost ESMTP test")
        mail: dict[str, Any] = {"rcpt": [], "tls": False}
        while line := self.read():
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.send("250-localhost")
                if not mail["tls"]:
                    self.send("250-STARTTLS")
                self.send("250 8BITMIME")
            elif verb == "STARTTLS":
                self.send("220 go ahead")
                self.starttls()
                mail["tls"] = True
            elif verb == "MAIL":
                mail["from"] = line[10:]
                self.send("250 OK")
            elif verb == "RCPT":
                mail["rcpt"].append(line[8:])
                self.send("250 OK")
            elif verb == "DATA":
                self.send("354 end with .")
                body = []
                while (data := self.read()) != ".":
                    body.append(data)
                mail["body"] = body
                RECEIVED.append(mail)
                self.send("250 queued")
            elif verb == "QUIT":
                self.send("221 bye")
                return
            else:
                self.send("502 not implemented")


class POPHandler(LineHandler):
    MESSAGES = [b"Subject: one\r\n\r\nfirst", b"Subject: two\r\n\r\nsecond message"]

    def handle(self) -> None:
        self.send("+OK POP3 ready")
        while line := self.read():
            verb, _, arg = line.partition(" ")
            if verb == "CAPA":
                self.send("+OK capabilities")
                self.wfile.write(b"USER\r\nSTLS\r\n.\r\n")
                self.wfile.flush()
            elif verb == "STLS":
                self.send("+OK begin TLS")
                self.starttls()
            elif verb in ("USER", "PASS"):
                self.send("+OK")
            elif verb == "STAT":
                self.send(f"+OK {len(self.MESSAGES)} {sum(map(len, self.MESSAGES))}")
            elif verb == "RETR":
                msg = self.MESSAGES[int(arg) - 1]
                self.send(f"+OK {len(msg)} octets")
                self.wfile.write(msg + b"\r\n.\r\n")
                self.wfile.flush()
            elif verb == "QUIT":
                self.send("+OK bye")
                return
            else:
                self.send("-ERR unknown")


class IMAPHandler(LineHandler):
    def handle(self) -> None:
        self.send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready")
        while line := self.read():
            tag, _, rest = line.partition(" ")
            verb = rest.split(" ", 1)[0].upper()
            if verb == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1 STARTTLS")
                self.send(f"{tag} OK done")
            elif verb == "STARTTLS":
                self.send(f"{tag} OK begin TLS")
                self.starttls()
            elif verb == "LOGIN":
                self.send(f"{tag} OK logged in")
            elif verb == "SELECT":
                self.send("* 3 EXISTS")
                self.send(f"{tag} OK [READ-WRITE] selected")
            elif verb == "LOGOUT":
                self.send("* BYE")
                self.send(f"{tag} OK bye")
                return
            else:
                self.send(f"{tag} BAD unknown")


def running(handler: type) -> tuple[Any, Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    return server, _common.serve_in_thread(server)


server, t = running(SMTPHandler)
with smtplib.SMTP("127.0.0.1", server.server_address[1], timeout=10) as smtp:
    smtp.ehlo()
    assert smtp.has_extn("starttls")
    smtp.starttls(context=client_ctx)
    assert isinstance(smtp.sock, sockcore.tls.TLSSocket)
    smtp.ehlo()
    msg = email.message.EmailMessage()
    msg["Subject"] = "over sockcore"
    msg["From"] = "a@example.org"
    msg["To"] = "b@example.org"
    msg.set_content("hello through TLS")
    smtp.send_message(msg)
_common.stop(server, t)
assert RECEIVED[0]["tls"] and RECEIVED[0]["from"] == "<a@example.org>", RECEIVED
assert RECEIVED[0]["rcpt"] == ["<b@example.org>"]
assert "hello through TLS" in RECEIVED[0]["body"]

server, t = running(POPHandler)
pop = poplib.POP3("127.0.0.1", server.server_address[1], timeout=10)
pop.stls(context=client_ctx)
assert isinstance(pop.sock, sockcore.tls.TLSSocket)
pop.user("u")
pop.pass_("p")
assert pop.stat() == (2, sum(map(len, POPHandler.MESSAGES)))
resp, lines, _octets = pop.retr(2)
assert lines == [b"Subject: two", b"", b"second message"], lines
pop.quit()
_common.stop(server, t)

server, t = running(IMAPHandler)
imap = imaplib.IMAP4("127.0.0.1", server.server_address[1], timeout=10)
imap.starttls(ssl_context=client_ctx)
assert isinstance(imap.sock, sockcore.tls.TLSSocket)
imap.login("u", "p")
assert imap.select("INBOX") == ("OK", [b"3"])
imap.logout()
_common.stop(server, t)
_common.check_all_sockcore(6)
