"""The soak: millions of mixed socket calls from 16 threads, every byte accounted for.

    python tests/soak/soak.py [--calls N] [--module sockcore|stdlib] [--json]

Sixteen threads work on four kinds of traffic at once:

* private streams: two AF_UNIX stream socketpairs and two TCP loopback
  connections, each with one sending and one receiving thread (8 threads);
* shared datagram sockets: an AF_UNIX datagram socketpair and a UDP
  loopback socket, each sent on by three threads at once and read by one
  (8 threads).

Every frame carries (sender, sequence number, length) and a body cut from a
known random block, so the receiver checks that every byte sent arrives
once, intact, and in order per stream (per sender on the shared sockets).
Calls are picked at random: send/sendall/sendmsg (one or several buffers)/
sendto, recv/recv_into/recvfrom/recvfrom_into/recvmsg/recvmsg_into, with
random sizes and flags (MSG_PEEK then the same read, MSG_DONTWAIT then a
blocking retry, MSG_NOSIGNAL), some sockets with a timeout, and option and
name queries in between.  UDP has a window (a semaphore the receiver
releases) so loopback never drops a datagram.

After a warm-up (the first tenth of the calls) RSS and tracemalloc's traced
size are sampled; the growth to the end is reported, with the descriptors
open before and after.  The report is one JSON object with --json; without
it, a progress line goes to stderr every 30 s.  SIGINT (Ctrl-C) ends a run
early and cleanly: every sender sends its last frame and the report follows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import struct
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

HEADER = struct.Struct("!HIH")  # sender, sequence number, body length
FIN = 0xFFFF  # a body length that means: this sender is done
BLOCK = random.Random(1).randbytes(1 << 17)
UDP_WINDOW = 32
THREADS = 16
WARM_UP = 0.1
PROGRESS_EVERY = 30.0  # seconds between progress lines on stderr (without --json)


def body(seq: int, length: int) -> bytes:
    start = (seq * 7919) % (len(BLOCK) - length)
    return BLOCK[start : start + length]


class Failure(Exception):
    """A lost, duplicated, reordered or corrupted byte."""


class Counter:
    """One thread's call count (read by the sampler without a lock: a plain int store)."""

    __slots__ = ("calls",)

    def __init__(self) -> None:
        self.calls = 0


class Soak:
    def __init__(self, mod: Any, calls: int, seed: int) -> None:
        self.mod = mod
        # ten senders; the receivers make about as many calls as the senders do
        self.per_sender = max(1, calls // 20)
        self.seed = seed
        self.counters: list[Counter] = []
        self.errors: list[str] = []
        self.sockets: list[Any] = []
        self.frames_checked = 0
        self.bytes_checked = 0
        self.lock = threading.Lock()

    # -- helpers -------------------------------------------------------------------

    def counter(self) -> Counter:
        c = Counter()
        self.counters.append(c)
        return c

    def stop(self) -> None:
        """Let every sender finish now (its FIN still goes out, so every check still holds)."""
        self.per_sender = 0

    def total_calls(self) -> int:
        return sum(c.calls for c in self.counters)

    def keep(self, *socks: Any) -> None:
        self.sockets.extend(socks)

    def query(self, sock: Any, rng: random.Random, count: Counter) -> None:
        """A call that moves no data: options, names, modes."""
        m = self.mod
        pick = rng.randrange(5)
        if pick == 0:
            sock.getsockopt(m.SOL_SOCKET, m.SO_RCVBUF)
        elif pick == 1:
            sock.getsockname()
        elif pick == 2:
            sock.gettimeout()
        elif pick == 3:
            sock.getsockopt(m.SOL_SOCKET, m.SO_TYPE, 4)
        else:
            sock.fileno()
        count.calls += 1

    # -- senders -------------------------------------------------------------------

    def send_frame(self, sock: Any, frame: bytes, rng: random.Random, count: Counter,
                   stream: bool, address: Any = None) -> None:
        m = self.mod
        if address is not None:
            sock.sendto(frame, 0, address) if rng.random() < 0.5 else sock.sendto(frame, address)
            count.calls += 1
            return
        pick = rng.randrange(4)
        flags = m.MSG_NOSIGNAL if rng.random() < 0.3 else 0
        if pick == 0 and stream:
            sent = 0
            if rng.random() < 0.2:  # a non-blocking try first, then block for the rest
                try:
                    sent = sock.send(frame, flags | m.MSG_DONTWAIT)
                except BlockingIOError:
                    sent = 0
                count.calls += 1
            while sent < len(frame):
                sent += sock.send(memoryview(frame)[sent:], flags)
                count.calls += 1
        elif pick == 1:
            sock.sendall(frame, flags) if stream else sock.send(frame, flags)
            count.calls += 1
        elif pick == 2:
            cut = rng.randrange(len(frame) + 1)
            parts = [frame[:cut], memoryview(frame)[cut:]]
            sent = sock.sendmsg(parts, [], flags)
            count.calls += 1
            if sent < len(frame):  # a stream may take part of it
                sock.sendall(memoryview(frame)[sent:])
                count.calls += 1
        else:
            sock.sendmsg([frame]) if not stream else sock.sendall(frame)
            count.calls += 1

    def sender(self, sock: Any, sender_id: int, stream: bool, max_body: int,
               window: threading.Semaphore | None = None, address: Any = None,
               done: Callable[[], None] | None = None) -> None:
        rng = random.Random(self.seed * 1000 + sender_id)
        count = self.counter()
        seq = 0
        try:
            while count.calls < self.per_sender:
                if rng.random() < 0.05:
                    self.query(sock, rng, count)
                    continue
                length = rng.randrange(max_body + 1)
                frame = HEADER.pack(sender_id, seq, length) + body(seq, length)
                if window is not None:
                    window.acquire()
                self.send_frame(sock, frame, rng, count, stream, address)
                seq += 1
            if window is not None:
                window.acquire()
            self.send_frame(sock, HEADER.pack(sender_id, seq, FIN), rng, count, stream, address)
            if done is not None:
                done()
        except Exception as e:  # reported, and the run fails
            self.errors.append(f"sender {sender_id}: {e!r}")
            raise

    # -- receivers -----------------------------------------------------------------

    def read(self, sock: Any, size: int, rng: random.Random, count: Counter, stream: bool) -> bytes:
        """One read of up to ``size`` bytes by a random receive form and flags."""
        m = self.mod
        if rng.random() < 0.1:  # peek, then read the same bytes
            peeked = sock.recv(size, m.MSG_PEEK)
            count.calls += 1
            got = self.read_plain(sock, len(peeked) if stream else size, rng, count)
            if got != (peeked[: len(got)] if stream else peeked):
                raise Failure("MSG_PEEK showed other bytes than the read that followed")
            return got
        if rng.random() < 0.1:
            try:
                got = sock.recv(size, m.MSG_DONTWAIT)
                count.calls += 1
                return got
            except BlockingIOError:
                count.calls += 1
        return self.read_plain(sock, size, rng, count)

    def read_plain(self, sock: Any, size: int, rng: random.Random, count: Counter) -> bytes:
        pick = rng.randrange(6)
        count.calls += 1
        if pick == 0:
            return bytes(sock.recv(size))
        if pick == 1:
            return bytes(sock.recvfrom(size)[0])
        if pick == 2:
            return bytes(sock.recvmsg(size)[0])
        buf = bytearray(size)
        if pick == 3:
            n = sock.recv_into(buf, rng.choice((0, size)))
        elif pick == 4:
            n = sock.recvfrom_into(buf)[0]
        else:
            cut = rng.randrange(size + 1)
            first, second = bytearray(cut), bytearray(size - cut)
            n = sock.recvmsg_into([first, second])[0]
            buf = first + second
        return bytes(buf[:n])

    def check(self, sender_id: int, seq: int, expected: dict[int, int], payload: bytes) -> None:
        want = expected.get(sender_id, 0)
        if seq != want:
            raise Failure(f"sender {sender_id}: frame {seq} where {want} was due")
        expected[sender_id] = want + 1
        if payload != body(seq, len(payload)):
            raise Failure(f"sender {sender_id}: frame {seq}'s body is corrupt")

    def stream_receiver(self, sock: Any, sender_id: int) -> None:
        rng = random.Random(self.seed * 1000 + 500 + sender_id)
        count = self.counter()
        pending = bytearray()
        expected: dict[int, int] = {}
        frames = received = 0
        try:
            while True:
                if rng.random() < 0.02:
                    self.query(sock, rng, count)
                chunk = self.read(sock, rng.choice((1, 7, 512, 4096, 65536)), rng, count, stream=True)
                if not chunk:
                    raise Failure(f"stream {sender_id}: EOF before the FIN frame")
                pending += chunk
                received += len(chunk)
                while len(pending) >= HEADER.size:
                    sid, seq, length = HEADER.unpack_from(pending)
                    if sid != sender_id:
                        raise Failure(f"stream {sender_id}: a frame from {sid}")
                    if length == FIN:
                        if len(pending) != HEADER.size:
                            raise Failure(f"stream {sender_id}: bytes after FIN")
                        with self.lock:
                            self.frames_checked += frames
                            self.bytes_checked += received
                        return
                    if len(pending) < HEADER.size + length:
                        break
                    self.check(sid, seq, expected, bytes(pending[HEADER.size : HEADER.size + length]))
                    del pending[: HEADER.size + length]
                    frames += 1
        except Exception as e:
            self.errors.append(f"receiver {sender_id}: {e!r}")
            raise

    def datagram_receiver(self, sock: Any, senders: list[int], max_frame: int,
                          window: threading.Semaphore | None) -> None:
        rng = random.Random(self.seed * 1000 + 900 + senders[0])
        count = self.counter()
        expected: dict[int, int] = {}
        open_senders = set(senders)
        frames = received = 0
        try:
            while open_senders:
                datagram = self.read(sock, max_frame, rng, count, stream=False)
                if window is not None:
                    window.release()
                sid, seq, length = HEADER.unpack_from(datagram)
                received += len(datagram)
                if length == FIN:
                    open_senders.discard(sid)
                    continue
                if len(datagram) != HEADER.size + length:
                    raise Failure(f"sender {sid}: datagram {seq} is {len(datagram)} bytes, not {HEADER.size + length}")
                self.check(sid, seq, expected, datagram[HEADER.size :])
                frames += 1
            with self.lock:
                self.frames_checked += frames
                self.bytes_checked += received
        except Exception as e:
            self.errors.append(f"datagram receiver {senders}: {e!r}")
            raise

    # -- the run -------------------------------------------------------------------

    def threads(self) -> list[threading.Thread]:
        m = self.mod
        work: list[tuple[Callable[..., None], tuple[Any, ...]]] = []
        sender_id = 0
        for kind in ("unix", "unix", "tcp", "tcp"):
            if kind == "unix":
                a, b = m.socketpair(m.AF_UNIX, m.SOCK_STREAM)
            else:
                with m.socket(m.AF_INET, m.SOCK_STREAM) as listener:
                    listener.bind(("127.0.0.1", 0))
                    listener.listen()
                    a = m.create_connection(listener.getsockname())
                    b, _ = listener.accept()
                a.setsockopt(m.IPPROTO_TCP, m.TCP_NODELAY, 1)
            self.keep(a, b)
            if sender_id % 2:
                a.settimeout(30.0)
                b.settimeout(30.0)
            work.append((self.sender, (a, sender_id, True, 20000, None, None, lambda a=a: a.shutdown(m.SHUT_WR))))
            work.append((self.stream_receiver, (b, sender_id)))
            sender_id += 1
        # shared: three senders on one unix datagram socket, three on one UDP socket
        a, b = m.socketpair(m.AF_UNIX, m.SOCK_DGRAM)
        self.keep(a, b)
        ids = [sender_id + i for i in range(3)]
        for i in ids:
            work.append((self.sender, (a, i, False, 4000)))
        work.append((self.datagram_receiver, (b, ids, HEADER.size + 4000, None)))
        sender_id += 3
        rx = m.socket(m.AF_INET, m.SOCK_DGRAM)
        tx = m.socket(m.AF_INET, m.SOCK_DGRAM)
        self.keep(rx, tx)
        rx.bind(("127.0.0.1", 0))
        rx.settimeout(30.0)
        window = threading.Semaphore(UDP_WINDOW)
        ids = [sender_id + i for i in range(3)]
        for i in ids:
            work.append((self.sender, (tx, i, False, 1200, window, rx.getsockname())))
        work.append((self.datagram_receiver, (rx, ids, HEADER.size + 1200, window)))
        assert len(work) == THREADS
        return [threading.Thread(target=fn, args=args, daemon=True) for fn, args in work]


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def run(mod: Any, calls: int, seed: int = 1, trace: bool = True, progress: bool = False) -> dict[str, Any]:
    fds_before = open_fds()
    if trace:
        tracemalloc.start()
    soak = Soak(mod, calls, seed)
    threads = soak.threads()
    started = time.perf_counter()
    for t in threads:
        t.start()
    # SIGINT ends the run early but cleanly: the senders send their FIN, the report follows
    previous = signal.signal(signal.SIGINT, lambda signum, frame: soak.stop())
    warm: tuple[int, int] | None = None
    next_progress = started + PROGRESS_EVERY
    while any(t.is_alive() for t in threads):
        if soak.errors:
            break
        if warm is None and soak.total_calls() >= calls * WARM_UP:
            warm = (rss(), tracemalloc.get_traced_memory()[0] if trace else 0)
        if progress and time.perf_counter() >= next_progress:
            next_progress += PROGRESS_EVERY
            print(f"{time.perf_counter() - started:8.0f} s {soak.total_calls():>11} calls  rss {rss() >> 10} KiB"
                  f"  traced {tracemalloc.get_traced_memory()[0] >> 10 if trace else 0} KiB", file=sys.stderr, flush=True)
        time.sleep(0.05)
    signal.signal(signal.SIGINT, previous)
    end = (rss(), tracemalloc.get_traced_memory()[0] if trace else 0)
    elapsed = time.perf_counter() - started
    if soak.errors:  # a failed receiver leaves its senders blocked: closing the sockets ends them
        for s in soak.sockets:
            s.close()
    for t in threads:
        t.join(30)
    for s in soak.sockets:
        s.close()
    if trace:
        tracemalloc.stop()
    warm = warm or end
    return {
        "module": mod.__name__,
        "calls": soak.total_calls(),
        "seconds": round(elapsed, 2),
        "calls_per_second": round(soak.total_calls() / elapsed),
        "frames_checked": soak.frames_checked,
        "bytes_checked": soak.bytes_checked,
        "rss_after_warm_up": warm[0],
        "rss_growth": end[0] - warm[0],
        "traced_after_warm_up": warm[1],
        "traced_growth": end[1] - warm[1],
        "fds_before": fds_before,
        "fds_after": open_fds(),
        "threads_alive": sum(t.is_alive() for t in threads),
        "errors": soak.errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10_000_000, help="socket calls in all (default 10 million)")
    parser.add_argument("--module", choices=("sockcore", "stdlib"), default="sockcore")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-tracemalloc", action="store_true", help="RSS only (tracemalloc slows every call)")
    parser.add_argument("--json", action="store_true", help="the report as one JSON object")
    args = parser.parse_args(argv)
    if args.module == "sockcore":
        import sockcore as mod
    else:
        import socket as mod
    report = run(mod, args.calls, args.seed, trace=not args.no_tracemalloc, progress=not args.json)
    if args.json:
        print(json.dumps(report))
    else:
        for key, value in report.items():
            print(f"{key:>22}: {value}")
    ok = not report["errors"] and report["fds_after"] == report["fds_before"] and not report["threads_alive"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
