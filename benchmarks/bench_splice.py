"""Zero-copy relay (issue 16, item 3): splice(2) against an os.read/os.write copy loop, same run.

    .venv/bin/python benchmarks/bench_splice.py                   # tcp -> tcp, 512 MiB x 9 rounds
    .venv/bin/python benchmarks/bench_splice.py --pair unix-tcp --mib 256 --rounds 5

Three middlemen between the same loopback sockets, each a subprocess started
per round in rotating order, with bench_relay.py's producer and sink (this
process: sendall into SOURCE, recv_into from TARGET):

  baseline   ``while data := os.read(a, 256 KiB): os.write(b, data)`` (bench_relay.py's)
  splice     ``sockcore.splice(a, b)`` on the accepted and the connected socket
  relay      ``python -m sockcore relay --once -v SOURCE TARGET`` (splices stream ends)
  direct     no middleman: the producer connects to TARGET itself, the ceiling
             any middleman's throughput is bounded by on this machine

Ratios are throughput over the baseline's in the same round; the result is
the median per-round ratio.  Target: >= 1.5 for the relay.  On a shared
machine the producer, the sink and the kernel's TCP work compete with the
middleman for the cores, so the table also gives each middleman's own CPU
time (user + system, from the reaped child's rusage, less its start-up
CPU measured on 1 MiB rounds) per GiB moved: the cost the middleman itself
adds, which load on the machine changes far less.

And the producer's and sink's CPU per GiB (this process's rusage), with the
total: when the three share fewer cores than they would keep busy, the
throughput ratio of two middlemen is at most the inverse ratio of those
totals (baseline total / splice total), whatever the ceiling.  On loopback
TCP a middleman that splices stops copying, but the sink then copies bytes
the producer wrote megabytes earlier (the socket buffers and the pipe in
between) instead of bytes the middleman wrote a moment before, and that copy
costs more (perf: the sink's _copy_to_iter samples about double): the
producer's and sink's CPU per GiB rises by a third to all of what the
middleman saves, so the totals differ by ~1.15-1.25x on a 2-core VM, short
of the 1.5x target.

Each middleman imports what it needs before it listens (sockcore's import
is not counted as relay time, as the baseline's imports are not).
"""

from __future__ import annotations

import argparse
import resource
import socket
import statistics
import sys
import tempfile

from bench_relay import BASELINE, free_port, one_round

TARGET = 1.5

SPLICE = "import sockcore\n" + BASELINE.split("    read, write = os.read, os.write")[0] + """    sockcore.splice(a, b)
    b.shutdown(socket.SHUT_WR)
"""


def _argv(name: str, source: str, target: str) -> tuple[list[str], str]:
    """The middleman's command line, and the URI the producer connects to."""
    if name == "direct":
        return [sys.executable, "-c", "import sys; print('listening on', file=sys.stderr)"], target
    if name == "relay":
        return [sys.executable, "-m", "sockcore", "relay", "--once", "-v", source, target], source
    return [sys.executable, "-c", BASELINE if name == "baseline" else SPLICE, source, target], source


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _cpu_round(argv: list[str], source: str, target_sock: socket.socket, total: int) -> tuple[float, float, float]:
    """(bytes per second, the middleman's CPU seconds, the producer's and sink's) for one round."""
    before, before_self = _cpu(resource.RUSAGE_CHILDREN), _cpu(resource.RUSAGE_SELF)
    speed = one_round(argv, source, target_sock, total)
    return speed, _cpu(resource.RUSAGE_CHILDREN) - before, _cpu(resource.RUSAGE_SELF) - before_self


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pair", choices=["tcp-tcp", "tcp-unix", "unix-tcp", "unix-unix"], default="tcp-tcp")
    parser.add_argument("--mib", type=int, default=512, help="MiB per round (default 512)")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    total = args.mib * 1024 * 1024
    src_kind, dst_kind = args.pair.split("-")
    names = ["baseline", "splice", "relay", "direct"]
    rows: list[dict[str, float]] = []
    cpu: list[dict[str, float]] = []
    ends_cpu: list[dict[str, float]] = []  # the producer's and the sink's (this process)
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
            def uri(tag: str) -> str:
                return f"tcp://127.0.0.1:{free_port()}" if src_kind == "tcp" else f"unix:{tmp}/source-{tag}.sock"

            # each middleman's start-up CPU (interpreter, imports, plugins), from 1 MiB rounds
            startup = {
                name: min(_cpu_round(*_argv(name, uri(f"startup-{k}-{name}"), target), target_sock, 1 << 20)[1] for k in range(3))
                for name in names
            }
            for i in range(args.rounds):
                order = names[i % 4 :] + names[: i % 4]
                speeds: dict[str, float] = {}
                cpu_s: dict[str, float] = {}
                ends_s: dict[str, float] = {}
                for name in order:
                    argv, source = _argv(name, uri(f"{i}-{name}"), target)
                    speeds[name], used, ends_s[name] = _cpu_round(argv, source, target_sock, total)
                    cpu_s[name] = max(used - startup[name], 0.0)
                rows.append(speeds)
                cpu.append(cpu_s)
                ends_cpu.append(ends_s)

    mib = 1024 * 1024
    print(f"\nsplice(2) vs os.read/os.write copy loop, {args.pair}, {args.mib} MiB x {args.rounds} rounds")
    print(f"{'round':>5}  {'baseline MiB/s':>15}  {'splice MiB/s':>13}  {'relay MiB/s':>12}  {'direct MiB/s':>13}"
          f"  {'splice x':>9}  {'relay x':>8}  {'direct x':>9}")
    for i, r in enumerate(rows, 1):
        print(f"{i:>5}  {r['baseline'] / mib:>15.0f}  {r['splice'] / mib:>13.0f}  {r['relay'] / mib:>12.0f}"
              f"  {r['direct'] / mib:>13.0f}  {r['splice'] / r['baseline']:>9.2f}  {r['relay'] / r['baseline']:>8.2f}"
              f"  {r['direct'] / r['baseline']:>9.2f}")
    gib = total / 1024**3
    print("\nmiddleman CPU seconds per GiB (user + system), net of its start-up CPU (measured on 1 MiB rounds): "
          + ", ".join(f"{name} {startup[name]:.2f} s" for name in names[:3]))
    print(f"{'':>5}  {'baseline':>15}  {'splice':>13}  {'relay':>12}  (direct: no middleman)")
    for i, c in enumerate(cpu, 1):
        print(f"{i:>5}  {c['baseline'] / gib:>15.2f}  {c['splice'] / gib:>13.2f}  {c['relay'] / gib:>12.2f}")
    for name in ("splice", "relay"):
        saving = statistics.median(c["baseline"] / c[name] for c in cpu)
        print(f"median CPU ratio baseline/{name}: {saving:.2f}x less CPU per byte in the middleman")
    print("\nproducer + sink CPU seconds per GiB (this process), and the total with the middleman's")
    print(f"{'':>5}  {'baseline':>15}  {'splice':>13}  {'relay':>12}  {'direct':>13}  {'total: baseline':>16}  {'splice':>7}  {'relay':>6}")
    for i, (c, e) in enumerate(zip(cpu, ends_cpu, strict=True), 1):
        print(f"{i:>5}  {e['baseline'] / gib:>15.2f}  {e['splice'] / gib:>13.2f}  {e['relay'] / gib:>12.2f}  {e['direct'] / gib:>13.2f}"
              f"  {(c['baseline'] + e['baseline']) / gib:>16.2f}  {(c['splice'] + e['splice']) / gib:>7.2f}"
              f"  {(c['relay'] + e['relay']) / gib:>6.2f}")
    for name in ("splice", "relay"):
        bound = statistics.median((c["baseline"] + e["baseline"]) / (c[name] + e[name]) for c, e in zip(cpu, ends_cpu, strict=True))
        print(f"median total CPU ratio baseline/{name}: {bound:.2f} (the throughput ratio when the cores are the limit)")
    splice_ratio = statistics.median(r["splice"] / r["baseline"] for r in rows)
    relay_ratio = statistics.median(r["relay"] / r["baseline"] for r in rows)
    ceiling = statistics.median(r["direct"] / r["baseline"] for r in rows)
    print(f"ceiling (no middleman at all) / baseline: {ceiling:.2f}: no relay can beat this on this machine now")
    print(f"median ratios: sockcore.splice {splice_ratio:.2f}, sockcore relay {relay_ratio:.2f}"
          f"  (target >= {TARGET}: {'met' if relay_ratio >= TARGET else 'NOT met'})")
    return 0 if relay_ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
