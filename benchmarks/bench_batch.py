"""Batch datagram I/O and UDP GSO/GRO against the stdlib, in the same run (issue 16, items 1 and 2).

    .venv/bin/python benchmarks/bench_batch.py

Batch rows: bursts of 64 datagrams of 64 bytes on loopback UDP; the stdlib
sends them with 64 ``sendto`` calls and receives them with 64 ``recvfrom``
calls, sockcore with one ``sendmmsg`` and one ``recvmmsg``.  The send and the
receive halves are timed apart (each round times one burst's send, then its
receive), so each row is that half's per-datagram cost.  Target: <= 0.67.

Floor rows: what no Python code can beat, for the send and receive halves:
``sendmmsg``/``recvmmsg`` through ctypes on a block packed once before the
timing (the kernel's cost plus one ctypes call), against the same stdlib loop.

GSO/GRO row: bulk UDP, 64,400 bytes a round as 46 datagrams of 1,400 bytes:
the stdlib sends 46 ``sendto`` and receives 46 ``recvfrom``; sockcore sends
one ``sendmsg`` with a UDP_SEGMENT control message and receives one
``recvmsg`` on a UDP_GRO socket, split with ``split_gro``.  Target: >= 3x the
throughput, i.e. a time ratio <= 0.33.

Ratios are sockcore/stdlib time (below 1: sockcore is faster); each is the
median of per-round ratios over alternating rounds.  Time is this thread's
CPU time (system calls included): on a shared, loaded machine wall time
also counts the moments the thread waits for a core, and swings with them.
"""

from __future__ import annotations

import socket as std
import statistics
import struct
import sys
import time
from collections.abc import Callable
from typing import Any

from _harness import Result, report

import sockcore
from sockcore._messages import libc as mmsg
from sockcore._syscalls import libc as syscalls

BURST = 64
PAYLOAD = b"x" * 64
SEGMENT = 1400
SEGMENTS = 46  # 64,400 bytes: the most 1,400-byte datagrams one 64 KiB UDP send holds
ROUNDS = 31
REPEAT = 20  # bursts per timed sample


def _pair(mod: Any) -> tuple[Any, Any, Any]:
    a, b = mod.socket(std.AF_INET, std.SOCK_DGRAM), mod.socket(std.AF_INET, std.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    b.bind(("127.0.0.1", 0))
    b.setsockopt(std.SOL_SOCKET, std.SO_RCVBUF, 4 * 1024 * 1024)
    return a, b, ("127.0.0.1", b.getsockname()[1])


Half = Callable[[], None]


def _halves(send: Half, receive: Half) -> tuple[float, float]:
    """Time REPEAT bursts' sends and their receives separately."""
    t_send = t_recv = 0.0
    clock = time.thread_time  # CPU time of this thread: a shared, loaded machine preempts it, wall time would count that
    for _ in range(REPEAT):
        start = clock()
        send()
        middle = clock()
        receive()
        t_send += middle - start
        t_recv += clock() - middle
    return t_send, t_recv


def _rows(name: str, stdlib: tuple[Half, Half], core: tuple[Half, Half], per: int, targets: tuple[float, float] | None) -> list[Result]:
    _halves(*stdlib)  # warm up both
    _halves(*core)
    samples: list[tuple[float, float, float, float]] = []
    for i in range(ROUNDS):
        if i % 2:
            c = _halves(*core)
            s = _halves(*stdlib)
        else:
            s = _halves(*stdlib)
            c = _halves(*core)
        samples.append((*s, *c))
    results = []
    for half, label in ((0, "send"), (1, "recv")):
        ratios = [row[2 + half] / row[half] for row in samples]
        std_us = statistics.median(row[half] for row in samples) / (REPEAT * per) * 1e6
        core_us = statistics.median(row[2 + half] for row in samples) / (REPEAT * per) * 1e6
        target = targets[half] if targets else None
        results.append(Result(f"{name} {label}, us/datagram", std_us, core_us, statistics.median(ratios), target))
    return results


def batch_rows() -> list[Result]:
    sa, sb, saddr = _pair(std)
    ca, cb, caddr = _pair(sockcore)
    messages: list[tuple[list[bytes], list[Any], Any]] = [([PAYLOAD], [], caddr)] * BURST

    def std_send() -> None:
        sendto = sa.sendto
        for _ in range(BURST):
            sendto(PAYLOAD, saddr)

    def std_recv() -> None:
        recvfrom = sb.recvfrom
        for _ in range(BURST):
            recvfrom(2048)

    def core_send() -> None:
        ca.sendmmsg(messages)

    def core_recv() -> None:
        got = cb.recvmmsg(BURST, 2048)
        while len(got) < BURST:  # the kernel had not queued them all yet
            got += cb.recvmmsg(BURST - len(got), 2048)

    try:
        rows = _rows("recvmmsg/sendmmsg, bursts of 64 x 64 B", (std_send, std_recv), (core_send, core_recv), BURST, (0.67, 0.67))
        rows += _floor_rows(sa, sb, saddr, ca, cb, caddr, std_send, std_recv)
        return rows
    finally:
        for s in (sa, sb, ca, cb):
            s.close()


def _floor_rows(sa: Any, sb: Any, saddr: Any, ca: Any, cb: Any, caddr: Any, std_send: Half, std_recv: Half) -> list[Result]:
    """The same bursts through bare ctypes calls on blocks packed once: the floor for any Python batch code."""
    sockaddr = sockcore._socket._sockaddr_to(ca, caddr)
    block = mmsg.BatchSend(1 << 16)
    base = block.base(1 << 16)
    iov_at = mmsg.MMSGHDR_SIZE * BURST
    name_at = iov_at + mmsg.IOVEC_SIZE * BURST
    data_at = name_at + 128
    values: list[int] = []
    for i in range(BURST):
        values += (base + name_at, len(sockaddr), base + iov_at + mmsg.IOVEC_SIZE * i, 1, 0, 0, 0, 0)
    for _ in range(BURST):
        values += (base + data_at, len(PAYLOAD))
    laid_out = mmsg.pack_batch(BURST, BURST, values) + sockaddr.ljust(128, b"\0") + PAYLOAD
    block.view[: len(laid_out)] = laid_out
    receive = mmsg.BatchReceive(BURST, 2048, 0)
    fd_send, fd_recv = ca.fileno(), cb.fileno()
    send_raw, recv_raw = syscalls.sendmmsg_raw, syscalls.recvmmsg_raw
    header = receive.header
    view = receive.view

    def floor_send() -> None:
        send_raw(fd_send, block.headers, BURST, 0)

    def floor_recv() -> None:
        got = 0
        while got < BURST:
            view[: len(header)] = header
            got += recv_raw(fd_recv, receive.block, BURST - got, 0x10000, None)

    return _rows("floor: bare ctypes mmsg, packed once", (std_send, std_recv), (floor_send, floor_recv), BURST, None)


def gso_rows() -> list[Result]:
    sa, sb, saddr = _pair(std)
    ca, cb, caddr = _pair(sockcore)
    cb.setopt(sockcore.options.UDP_GRO, True)
    split_gro = sockcore.split_gro
    bulk = bytes(range(256)) * (SEGMENT * SEGMENTS // 256) + bytes(SEGMENT * SEGMENTS % 256)
    datagrams = [bulk[i : i + SEGMENT] for i in range(0, len(bulk), SEGMENT)]
    segment = [(sockcore.SOL_UDP, sockcore.UDP_SEGMENT, struct.pack("=H", SEGMENT))]
    ancbuf = sockcore.CMSG_SPACE(4)

    def std_send() -> None:
        sendto = sa.sendto
        for d in datagrams:
            sendto(d, saddr)

    def std_recv() -> None:
        recvfrom = sb.recvfrom
        for _ in datagrams:
            recvfrom(2048)

    def core_send() -> None:
        ca.sendmsg([bulk], segment, 0, caddr)

    def core_recv() -> None:
        got = 0
        while got < len(datagrams):
            data, ancdata, _, _ = cb.recvmsg(65535, ancbuf)
            got += len(split_gro(data, ancdata))

    try:
        rows = _rows("UDP GSO/GRO, 46 x 1,400 B (64,400 B)", (std_send, std_recv), (core_send, core_recv), SEGMENTS, (0.33, 0.33))
        return rows
    finally:
        for s in (sa, sb, ca, cb):
            s.close()


def main() -> int:
    results = batch_rows() + gso_rows()
    code: int = report(results)
    for r in results:
        if r.name.startswith("UDP GSO"):
            print(f"  {r.name}: {1 / r.ratio:.1f}x the stdlib's throughput")
    return code


if __name__ == "__main__":
    sys.exit(main())
