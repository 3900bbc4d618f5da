"""Shared by the scenario scripts, which run under ``python -m sockcore.install``.

Importing this module first records every socket object the process creates
(the ``socket.__new__`` audit event, raised by the stdlib's sockets and by
sockcore's alike), so a scenario can check that all of them are sockcore's.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

CREATED: list[type] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.__new__":
        CREATED.append(type(args[0]))


sys.addaudithook(_audit)

import socket  # noqa: E402 - after the hook: the hook must see every socket

import sockcore  # noqa: E402

assert socket is sockcore, f"sockcore is not installed: socket is {socket!r}"


def check_all_sockcore(at_least: int = 1) -> None:
    """Every socket created so far is a sockcore socket, and there were some."""
    foreign = sorted({f"{t.__module__}.{t.__qualname__}" for t in CREATED if not issubclass(t, sockcore.socket)})
    assert not foreign, f"stdlib sockets were created: {foreign}"
    assert len(CREATED) >= at_least, f"only {len(CREATED)} sockets created"
    print(f"OK sockets={len(CREATED)} all-sockcore")


def serve_in_thread(server: Any) -> threading.Thread:
    """Run a socketserver-style server's serve_forever in a daemon thread."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return thread


def stop(server: Any, thread: threading.Thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(10)


def tls_contexts(*names: str) -> tuple[Any, Any, Any]:
    """(server context, client context trusting the test CA, the CA) with certificates made now."""
    import ssl

    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert(*(names or ("localhost", "127.0.0.1")))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(server)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(client)
    return server, client, ca
