"""TLS bulk transfer: sockcore.tls against ssl.SSLSocket on the same loopback setup.

Each side gets one loopback TCP connection with a TLS session (certificates
made by trustme at start-up).  One operation sends a 256 KiB block through
``sendall`` while a thread receives it with ``recv_into``: the ratio covers
encryption, decryption and both data paths.  Target (issue 17): sockcore.tls
at least 0.9 of ssl.SSLSocket's throughput, i.e. a time ratio <= 1.11.  A
second pair times 1 KiB request/response round trips (one record each way),
where the per-record work (sockcore reads a record's header, then its body,
as OpenSSL does) is not hidden behind encryption; it is reported, not held
to a target.

    .venv/bin/python benchmarks/bench_tls.py [--rounds 15] [--blocks 64]
"""

from __future__ import annotations

import argparse
import socket as stdlib
import ssl
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _harness import Result, compare, report

import sockcore
from sockcore import tls

BLOCK = 256 * 1024


def contexts() -> tuple[ssl.SSLContext, ssl.SSLContext]:
    import trustme

    ca = trustme.CA()
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("localhost").configure_cert(server)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(client)
    return server, client


def tls_pair(module: Any, wrap: Callable[..., Any], server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext) -> tuple[Any, Any]:
    with module.create_server(("127.0.0.1", 0)) as listener:
        raw_client = module.create_connection(listener.getsockname())
        raw_server, _ = listener.accept()
    box: list[Any] = []
    t = threading.Thread(target=lambda: box.append(wrap(server_ctx, raw_server, server_side=True)))
    t.start()
    client = wrap(client_ctx, raw_client, server_hostname="localhost")
    t.join()
    return client, box[0]


def bulk(sender: Any, receiver: Any) -> Callable[[int], None]:
    payload = b"\xa5" * BLOCK

    def work(n: int) -> None:
        total = n * BLOCK

        def drain() -> None:
            buf = bytearray(BLOCK)
            got = 0
            while got < total:
                got += receiver.recv_into(buf)

        t = threading.Thread(target=drain)
        t.start()
        for _ in range(n):
            sender.sendall(payload)
        t.join()

    return work


def ping_pong(client: Any, server: Any) -> Callable[[int], None]:
    message = b"\x5a" * 1024

    def work(n: int) -> None:
        def echo() -> None:
            buf = bytearray(4096)
            for _ in range(n):
                got = server.recv_into(buf)
                server.sendall(buf[:got])

        t = threading.Thread(target=echo)
        t.start()
        for _ in range(n):
            client.sendall(message)
            client.recv(4096)
        t.join()

    return work


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--blocks", type=int, default=64, help="256 KiB blocks per round (default 64)")
    args = parser.parse_args()
    server_ctx, client_ctx = contexts()
    std = tls_pair(stdlib, lambda ctx, s, **kw: ctx.wrap_socket(s, **kw), server_ctx, client_ctx)
    ours = tls_pair(sockcore, tls.wrap_socket, server_ctx, client_ctx)
    try:
        results: list[Result] = [
            compare(f"TLS bulk {BLOCK // 1024} KiB sendall/recv_into (TCP)", bulk(*std), bulk(*ours),
                    n=args.blocks, rounds=args.rounds, target=1 / 0.9),
            compare("TLS 1 KiB request/response (TCP)", ping_pong(*std), ping_pong(*ours),
                    n=args.blocks * 20, rounds=args.rounds),
        ]
    finally:
        for s in (*std, *ours):
            s.close()
    failed = report(results)
    r = results[0]
    print(f"throughput: ssl.SSLSocket {BLOCK / r.stdlib_us:.0f} MB/s, sockcore.tls {BLOCK / r.sockcore_us:.0f} MB/s "
          f"({1 / r.ratio:.2f} of ssl's; target >= 0.90)")
    return failed


if __name__ == "__main__":
    sys.exit(main())
