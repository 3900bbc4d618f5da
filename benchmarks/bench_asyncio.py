"""asyncio stream echo on sockcore sockets against the same on stdlib sockets.

One event loop, one echo server per side (``asyncio.start_server(sock=...)``)
and one client connection (``asyncio.open_connection(sock=...)``); the
listener and the client socket are sockcore's on one side and the stdlib's
on the other (the server's accepted sockets follow: asyncio accepts through
the listener's own ``accept()``).  One operation is a 4 KiB write, drain and
readexactly of the echo.  Target (issue 8): a time ratio <= 1.1.

    .venv/bin/python benchmarks/bench_asyncio.py [--rounds 15] [-n 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import socket as stdlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _harness import compare, report

import sockcore

MESSAGE = b"m" * 4096


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
    writer.close()


async def connect(module: Any) -> tuple[Any, asyncio.StreamReader, asyncio.StreamWriter]:
    listener = module.socket(module.AF_INET, module.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    server = await asyncio.start_server(echo, sock=listener)
    client = module.socket(module.AF_INET, module.SOCK_STREAM)
    client.connect(listener.getsockname())
    reader, writer = await asyncio.open_connection(sock=client)
    return server, reader, writer


def round_trips(loop: asyncio.AbstractEventLoop, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Callable[[int], None]:
    async def run(n: int) -> None:
        for _ in range(n):
            writer.write(MESSAGE)
            await writer.drain()
            await reader.readexactly(len(MESSAGE))

    return lambda n: loop.run_until_complete(run(n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("-n", type=int, default=2000, help="round trips per round (default 2000)")
    args = parser.parse_args()
    loop = asyncio.new_event_loop()
    std_server, std_reader, std_writer = loop.run_until_complete(connect(stdlib))
    our_server, our_reader, our_writer = loop.run_until_complete(connect(sockcore))
    assert isinstance(our_writer.get_extra_info("socket")._sock, sockcore.socket)
    try:
        results = [
            compare("asyncio stream echo 4 KiB (TCP)", round_trips(loop, std_reader, std_writer),
                    round_trips(loop, our_reader, our_writer), n=args.n, rounds=args.rounds, target=1.1),
        ]
    finally:
        for writer, server in ((std_writer, std_server), (our_writer, our_server)):
            writer.close()
            loop.run_until_complete(asyncio.sleep(0.05))  # let the echo handler see EOF and end
            server.close()
            loop.run_until_complete(server.wait_closed())
        loop.close()
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
