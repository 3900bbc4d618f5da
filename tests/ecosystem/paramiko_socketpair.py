"""paramiko's SSH Transport over a socketpair(), repeated: run by test_paramiko.py.

    python [-m sockcore.install] paramiko_socketpair.py RUNS

Each run: a server Transport in a thread, a client Transport in the main
thread, password authentication, one exec whose output and exit status the
client checks.  Prints one line per failed run and ``runs=N failures=F`` last;
the exit status is 1 when any run failed.
"""

from __future__ import annotations

import socket
import sys
import threading
import traceback
from typing import Any

import paramiko

USER, PASSWORD = "user", "secret"
COMMAND = b"upcase"


class Server(paramiko.ServerInterface):
    def __init__(self) -> None:
        self.command: bytes | None = None

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        ok = (username, password) == (USER, PASSWORD)
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel: Any, command: bytes) -> bool:
        self.command = command
        return True


def serve(server: paramiko.Transport, interface: Server, errors: list[BaseException]) -> None:
    """The server side: accept the session, run the "command" (echo what the client sends, upper-cased)."""
    try:
        server.start_server(server=interface)  # returns once the client has negotiated
        channel = server.accept(10)
        assert channel is not None, "no channel"
        # the client writes only after exec_command() returned: the exec reply is out, so closing is safe
        line = b""
        while not line.endswith(b"\n"):
            chunk = channel.recv(1024)
            assert chunk, line
            line += chunk
        assert interface.command == COMMAND, interface.command
        channel.sendall(line.upper())
        channel.send_exit_status(0)
        channel.close()
    except BaseException as exc:
        errors.append(exc)


def one_run(host_key: paramiko.PKey) -> None:
    server_sock, client_sock = socket.socketpair()
    server = paramiko.Transport(server_sock)
    client = paramiko.Transport(client_sock)
    errors: list[BaseException] = []
    thread = threading.Thread(target=serve, args=(server, Server(), errors), daemon=True)
    try:
        server.add_server_key(host_key)
        thread.start()
        client.connect(hostkey=host_key, username=USER, password=PASSWORD)
        channel = client.open_session(timeout=10)
        channel.exec_command(COMMAND)
        channel.sendall(b"hello " * 1000 + b"\n")
        output = b""
        while chunk := channel.recv(65536):
            output += chunk
        assert output == b"HELLO " * 1000 + b"\n", output[-100:]
        assert channel.recv_exit_status() == 0
        channel.close()
        thread.join(10)
        if errors:
            raise errors[0]
    finally:
        client.close()
        server.close()
        thread.join(10)
        server_sock.close()
        client_sock.close()


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    host_key = paramiko.RSAKey.generate(2048)
    failures = 0
    for n in range(runs):
        try:
            one_run(host_key)
        except Exception as exc:
            failures += 1
            print(f"run {n}: {type(exc).__name__}: {exc}", flush=True)
            traceback.print_exc()
    print(f"runs={runs} failures={failures} module={socket.__name__}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
