"""Core speed against the stdlib (issue 3's targets), on AF_UNIX socketpairs.

    .venv/bin/python benchmarks/bench_core.py

Prints one table of median per-round ratios sockcore/stdlib.
"""

from __future__ import annotations

import os
import socket as std
import subprocess
import sys
import threading

from _harness import Result, compare, report

import sockcore

SOL_SOCKET, SO_RCVBUF = std.SOL_SOCKET, std.SO_RCVBUF


def send_recv_64(mod: object) -> tuple[object, object, object]:
    a, b = mod.socketpair()  # type: ignore[attr-defined]
    payload = b"x" * 64

    def work(n: int) -> None:
        send, recv = a.send, b.recv
        for _ in range(n):
            send(payload)
            recv(64)

    return work, a, b


def send_then_recv_into(send: str, size: int) -> object:
    """A factory: one ``send`` (or ``sendall``) of ``size`` bytes, then one recv_into, per round."""

    def factory(mod: object) -> tuple[object, object, object]:
        a, b = mod.socketpair()  # type: ignore[attr-defined]
        payload = b"x" * size
        buf = bytearray(size)  # each round reads back exactly what it wrote

        def work(n: int) -> None:
            write, recv_into = getattr(a, send), b.recv_into
            for _ in range(n):
                write(payload)
                recv_into(buf)

        return work, a, b

    return factory


def timeout_send_recv_64(mod: object) -> tuple[object, object, object]:
    """send_recv_64 on sockets with a timeout: the stdlib polls before each call, sockcore
    tries first (MSG_DONTWAIT) and polls only when a call would block (docs/DIFFERENCES.md)."""
    work, a, b = send_recv_64(mod)
    a.settimeout(5.0)  # type: ignore[attr-defined]
    b.settimeout(5.0)  # type: ignore[attr-defined]
    return work, a, b


recv_into_64 = send_then_recv_into("send", 64)
#: a request-sized sendall (an HTTP request, a protocol message): per-call cost, not throughput
sendall_small = send_then_recv_into("sendall", 3000)


def sendall_64mib(mod: object) -> tuple[object, object, object]:
    a, b = mod.socketpair()  # type: ignore[attr-defined]
    data = b"\0" * (64 << 20)
    buf = bytearray(1 << 20)

    def drain(total: int) -> None:
        got = 0
        while got < total:
            got += b.recv_into(buf)

    def work(n: int) -> None:
        for _ in range(n):
            t = threading.Thread(target=drain, args=(len(data),))
            t.start()
            a.sendall(data)
            t.join()

    return work, a, b


def socket_close(mod: object) -> tuple[object, None, None]:
    def work(n: int) -> None:
        make = mod.socket  # type: ignore[attr-defined]
        for _ in range(n):
            make(std.AF_UNIX, std.SOCK_STREAM).close()

    return work, None, None


def sockopt(mod: object) -> tuple[object, object, None]:
    s = mod.socket(std.AF_UNIX, std.SOCK_STREAM)  # type: ignore[attr-defined]

    def work(n: int) -> None:
        setsockopt, getsockopt = s.setsockopt, s.getsockopt
        for _ in range(n):
            setsockopt(SOL_SOCKET, SO_RCVBUF, 65536)
            getsockopt(SOL_SOCKET, SO_RCVBUF)

    return work, s, None


def pair(name: str, factory: object, n: int, target: float, rounds: int = 15) -> Result:
    w_std, *closers_std = factory(std)  # type: ignore[operator]
    w_core, *closers_core = factory(sockcore)  # type: ignore[operator]
    try:
        return compare(name, w_std, w_core, n=n, rounds=rounds, target=target)
    finally:
        for s in closers_std + closers_core:
            if s is not None:
                s.close()


def import_pair() -> Result:
    """Import cost as measured in-process, in fresh interpreters (bytecode precompiled)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.dirname(sockcore.__file__)], check=False)

    def measure(module: str) -> object:
        code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"

        def work(n: int) -> float:
            total = 0.0
            for _ in range(n):
                out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
                total += float(out.stdout)
            return total

        return work

    std_w, core_w = measure("socket"), measure("sockcore")
    ratios, ts, tc = [], [], []
    for _ in range(11):
        a, b = std_w(1), core_w(1)  # type: ignore[operator]
        ratios.append(b / a)
        ts.append(a)
        tc.append(b)
    import statistics

    return Result("import sockcore (unix installed) vs socket", statistics.median(ts) * 1e6,
                  statistics.median(tc) * 1e6, statistics.median(ratios), 3.0)


def floors() -> list[Result]:
    """What the building blocks cost against the stdlib: the best a pure-Python core can reach."""
    import ctypes

    a, b = std.socketpair()
    fa, fb = a.fileno(), b.fileno()
    payload = b"x" * 64
    # the cheapest ctypes call there is: GIL kept, no errno swap, buffers made once
    libc = ctypes.PyDLL("libc.so.6")
    gs, ss = libc.getsockopt, libc.setsockopt
    pack = __import__("struct").Struct("=i").pack
    value, length = ctypes.c_int(), ctypes.c_uint(4)
    value_ref, length_ref = ctypes.byref(value), ctypes.byref(length)

    def std_io(n: int) -> None:
        for _ in range(n):
            a.send(payload)
            b.recv(64)

    def os_io(n: int) -> None:
        for _ in range(n):
            os.write(fa, payload)
            os.read(fb, 64)

    def std_opt(n: int) -> None:
        setsockopt, getsockopt = a.setsockopt, a.getsockopt
        for _ in range(n):
            setsockopt(SOL_SOCKET, SO_RCVBUF, 65536)
            getsockopt(SOL_SOCKET, SO_RCVBUF)

    def ctypes_opt(n: int) -> None:
        for _ in range(n):
            ss(fa, SOL_SOCKET, SO_RCVBUF, pack(65536), 4)
            gs(fa, SOL_SOCKET, SO_RCVBUF, value_ref, length_ref)

    class Unchecked:
        """Methods that are one bare ctypes call each: no argument checks, not thread-safe."""

        def __init__(self, fd: int) -> None:
            self.fd = fd

        def setsockopt(self, level: int, optname: int, value: int) -> None:
            if ss(self.fd, level, optname, pack(value), 4) == -1:
                raise OSError

        def getsockopt(self, level: int, optname: int) -> int:
            if gs(self.fd, level, optname, value_ref, length_ref) == -1:
                raise OSError
            return value.value

    unchecked = Unchecked(fa)

    def method_opt(n: int) -> None:
        setsockopt, getsockopt = unchecked.setsockopt, unchecked.getsockopt
        for _ in range(n):
            setsockopt(SOL_SOCKET, SO_RCVBUF, 65536)
            getsockopt(SOL_SOCKET, SO_RCVBUF)

    try:
        return [
            compare("floor: os.write+os.read vs send+recv", std_io, os_io, n=20000),
            compare("floor: two bare ctypes calls vs set+getsockopt", std_opt, ctypes_opt, n=20000),
            compare("floor: unchecked methods vs set+getsockopt", std_opt, method_opt, n=20000),
        ]
    finally:
        a.close()
        b.close()


def main() -> int:
    results = [
        pair("send+recv 64 B, socketpair", send_recv_64, 20000, 1.10),
        pair("send+recv_into 64 B, socketpair", recv_into_64, 20000, 1.10),
        pair("send+recv 64 B, timeout 5 s", timeout_send_recv_64, 20000, 1.10),
        pair("sendall 3000 B -> recv_into", sendall_small, 20000, 1.10),
        pair("sendall 64 MiB -> recv_into", sendall_64mib, 1, 1.05, rounds=9),
        pair("socket() + close()", socket_close, 20000, 1.5),
        pair("setsockopt + getsockopt", sockopt, 20000, 2.0),
        import_pair(),
    ]
    failed = report(results)
    print()
    report(floors())
    return failed


if __name__ == "__main__":
    sys.exit(main())
