"""sockcore-inet speed against the stdlib (issue 4's targets).

    .venv/bin/python benchmarks/bench_inet.py

Prints one table of median per-round ratios sockcore/stdlib (alternating rounds).
"""

from __future__ import annotations

import socket as std
import sys
from collections.abc import Callable
from typing import Any

from _harness import Result, compare, report

import sockcore

Setup = Callable[[Any], tuple[Callable[[int], None], list[Any]]]


def udp(host: str, family: int) -> Setup:
    def setup(mod: Any) -> tuple[Callable[[int], None], list[Any]]:
        a, b = mod.socket(family, mod.SOCK_DGRAM), mod.socket(family, mod.SOCK_DGRAM)
        a.bind((host, 0))
        addr = a.getsockname()[:2]  # a fresh tuple, as a program writes it
        addr = (host, addr[1])
        payload = b"x" * 64

        def work(n: int) -> None:
            sendto, recvfrom = b.sendto, a.recvfrom
            for _ in range(n):
                sendto(payload, addr)
                recvfrom(64)

        return work, [a, b]

    return setup


def tcp_connect(mod: Any) -> tuple[Callable[[int], None], list[Any]]:
    server = mod.socket(mod.AF_INET, mod.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    addr = server.getsockname()

    def work(n: int) -> None:
        for _ in range(n):
            c = mod.socket(mod.AF_INET, mod.SOCK_STREAM)
            c.connect(addr)
            conn, _ = server.accept()
            conn.close()
            c.close()

    return work, [server]


def getaddrinfo_numeric(mod: Any) -> tuple[Callable[[int], None], list[Any]]:
    def work(n: int) -> None:
        gai = mod.getaddrinfo
        for _ in range(n):
            gai("127.0.0.1", 80, mod.AF_INET, mod.SOCK_STREAM)

    return work, []


def pton_ntop(mod: Any) -> tuple[Callable[[int], None], list[Any]]:
    packed6 = std.inet_pton(std.AF_INET6, "2001:db8::1")

    def work(n: int) -> None:
        pton, ntop, af4, af6 = mod.inet_pton, mod.inet_ntop, mod.AF_INET, mod.AF_INET6
        for _ in range(n):
            pton(af4, "192.0.2.1")
            ntop(af6, packed6)

    return work, []


def pair(name: str, setup: Setup, n: int, target: float, rounds: int = 15) -> Result:
    std_work, std_keep = setup(std)
    core_work, core_keep = setup(sockcore)
    try:
        return compare(name, std_work, core_work, n=n, rounds=rounds, target=target)
    finally:
        for s in std_keep + core_keep:
            s.close()


def main() -> int:
    results = [
        pair("UDP sendto+recvfrom 64 B, 127.0.0.1", udp("127.0.0.1", std.AF_INET), 5000, 1.5),
        pair("UDP sendto+recvfrom 64 B, ::1", udp("::1", std.AF_INET6), 5000, 1.5),
        pair("TCP connect+accept+close, 127.0.0.1", tcp_connect, 300, 1.2, rounds=11),
        pair("getaddrinfo numeric host", getaddrinfo_numeric, 5000, 2.0),
        pair("inet_pton(v4) + inet_ntop(v6)", pton_ntop, 20000, 3.0),
    ]
    return report(results)


if __name__ == "__main__":
    sys.exit(main())
