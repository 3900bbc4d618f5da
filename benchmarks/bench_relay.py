"""`sockcore relay` against a plain os.read/os.write copy loop, between the same loopback sockets.

Each round runs both middlemen as subprocesses, in alternating order:

  baseline   a Python process that accepts on SOURCE, connects to TARGET and
             copies with ``while data := os.read(a, CHUNK): os.write(b, data)``
  relay      ``python -m sockcore relay --once SOURCE TARGET``

This process is the producer (sendall of N bytes into SOURCE) and the sink
(recv_into on the accepted TARGET connection).  Throughput is bytes / time
from the producer's connect to the sink's end of file, so process start-up is
not counted.  The result is the median of the per-round ratios relay/baseline;
the target is >= 0.80.

    python benchmarks/bench_relay.py                    # tcp -> tcp, 1 GiB x 9 rounds
    python benchmarks/bench_relay.py --pair tcp-unix --mib 512 --rounds 5
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHUNK = 256 * 1024

BASELINE = r"""
import os, socket, sys
family = {"tcp": socket.AF_INET, "unix": socket.AF_UNIX}
def addr(uri):
    scheme, _, rest = uri.partition(":")
    if scheme == "tcp":
        host, _, port = rest[2:].rpartition(":")
        return family["tcp"], (host, int(port))
    return family["unix"], rest
sf, sa = addr(sys.argv[1]); tf, ta = addr(sys.argv[2])
with socket.socket(sf) as lst:
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(sa); lst.listen()
    print("listening on", sa, file=sys.stderr, flush=True)
    a, _ = lst.accept()
with a, socket.socket(tf) as b:
    b.connect(ta)
    fa, fb = a.fileno(), b.fileno()
    read, write = os.read, os.write
    while data := read(fa, CHUNK_SIZE):
        view = memoryview(data)
        while view:
            view = view[write(fb, view):]
    b.shutdown(socket.SHUT_WR)
""".replace("CHUNK_SIZE", str(CHUNK))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stderr is not None
    seen = b""
    deadline = time.monotonic() + 30
    while b"listening on" not in seen:
        if not select.select([proc.stderr], [], [], max(0.0, deadline - time.monotonic()))[0]:
            raise SystemExit(f"middleman not ready: {seen!r}")
        chunk = os.read(proc.stderr.fileno(), 4096)
        if not chunk:
            raise SystemExit(f"middleman died: {seen!r}")
        seen += chunk


def one_round(argv: list[str], source: str, target_sock: socket.socket, total: int) -> float:
    """Bytes per second through the middleman started by ``argv``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) as proc:
        wait_ready(proc)
        received = 0

        def sink() -> None:
            nonlocal received
            conn, _ = target_sock.accept()
            buf = bytearray(CHUNK)
            with conn:
                while n := conn.recv_into(buf):
                    received += n

        sink_thread = threading.Thread(target=sink)
        sink_thread.start()
        payload = memoryview(os.urandom(CHUNK) * 16)
        if source.startswith("tcp:"):
            host, _, port = source[6:].rpartition(":")
            producer = socket.create_connection((host, int(port)))
        else:
            producer = socket.socket(socket.AF_UNIX)
            producer.connect(source.partition(":")[2])
        start = time.perf_counter()
        with producer:
            left = total
            while left > 0:
                n = min(left, len(payload))
                producer.sendall(payload[:n])
                left -= n
            producer.shutdown(socket.SHUT_WR)
            sink_thread.join()
            elapsed = time.perf_counter() - start
        proc.wait(30)
        assert proc.stderr is not None
        proc.stderr.read()
    if received != total:
        raise SystemExit(f"{argv[1:3]}: moved {received} of {total} bytes")
    return total / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pair", choices=["tcp-tcp", "tcp-unix", "unix-tcp", "unix-unix"], default="tcp-tcp")
    parser.add_argument("--mib", type=int, default=1024, help="MiB per round (default 1024)")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    total = args.mib * 1024 * 1024
    src_kind, dst_kind = args.pair.split("-")

    with tempfile.TemporaryDirectory() as tmp:
        if dst_kind == "tcp":
            target_sock = socket.socket()
            target_sock.bind(("127.0.0.1", 0))
            target = f"tcp://127.0.0.1:{target_sock.getsockname()[1]}"
        else:
            target_sock = socket.socket(socket.AF_UNIX)
            target_sock.bind(f"{tmp}/target.sock")
            target = f"unix:{tmp}/target.sock"
        with target_sock:
            target_sock.listen()
            rows = []
            for i in range(args.rounds):
                order = ["baseline", "relay"] if i % 2 == 0 else ["relay", "baseline"]
                speeds = {}
                for name in order:
                    # a fresh SOURCE per middleman: no TIME_WAIT or stale path between runs
                    if src_kind == "tcp":
                        source = f"tcp://127.0.0.1:{free_port()}"
                    else:
                        source = f"unix:{tmp}/source-{i}-{name}.sock"
                    if name == "baseline":
                        argv = [sys.executable, "-c", BASELINE, source, target]
                    else:
                        argv = [sys.executable, "-m", "sockcore", "relay", "--once", "-v", source, target]
                    speeds[name] = one_round(argv, source, target_sock, total)
                rows.append((speeds["baseline"], speeds["relay"], speeds["relay"] / speeds["baseline"]))

    mib = 1024 * 1024
    print(f"\nrelay vs os.read/os.write copy loop, {args.pair}, {args.mib} MiB x {args.rounds} rounds")
    print(f"{'round':>5}  {'baseline MiB/s':>15}  {'relay MiB/s':>12}  {'ratio':>6}")
    for i, (base, relay, ratio) in enumerate(rows, 1):
        print(f"{i:>5}  {base / mib:>15.0f}  {relay / mib:>12.0f}  {ratio:>6.2f}")
    median = statistics.median(r[2] for r in rows)
    print(f"median ratio: {median:.2f}  (target >= 0.80: {'met' if median >= 0.8 else 'NOT met'})")
    return 0 if median >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
