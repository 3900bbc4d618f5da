"""Instructions per hot call, sockcore against the stdlib, counted by valgrind's callgrind.

    .venv/bin/python benchmarks/instructions.py            # the table; exit 1 if a count broke its budget
    .venv/bin/python benchmarks/instructions.py --update   # measure twice, then rewrite the budgets
    .venv/bin/python benchmarks/instructions.py --only connect+accept   # one call (or more), a quick look

Timings on a shared machine drift; instruction counts do not.  Each module
(the stdlib's ``socket`` and ``sockcore``) runs in its own Python process
under ``valgrind --tool=callgrind``, which forks once per workload so each
loop starts from the same heap.  Collection is off except inside
``_operator.call`` (``--toggle-collect``), which the fork uses only to start
its measured loop, and callgrind dumps the profile when that call returns
(``--dump-after``).  So each dump holds one loop of ``N`` calls and nothing
else: not the interpreter's start-up, the imports, the set-up or the
warm-up rounds.  An empty loop of ``N`` is measured the same way and
subtracted; the difference divided by ``N`` is the cost of one call.

The counts are of user-space instructions (the kernel's work is not in
them), with ``PYTHONHASHSEED=0``, every ``.pyc`` compiled beforehand, the
garbage collector off during the loops, each workload once in the parent
before the forks (so they inherit its code, translated by valgrind, and
the caches it filled) and the UDP socket on a fixed port.  Measured on a
frozen tree, run to run, every count repeats exactly but connect+accept's:
the kernel picks each client's port, and a port seen before hits sockcore's
cache of decoded addresses in accept, so that count moves by up to ~1%.
``--update`` measures twice, refuses counts that moved more than 2%, and
keeps the higher.  The counts depend on the interpreter build, so
``instructions.json`` records the Python they were measured with, and a
run under another one prints the table without checking it.

A sockcore count more than 5% above its budget fails the run (exit 1).
After a change that makes a call cheaper, or an accepted cost, run
``--update`` and commit ``benchmarks/instructions.json`` and the table it
writes into DESIGN.md's Speed section (between its two marker comments).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
BUDGETS = HERE / "instructions.json"
TOLERANCE = 0.05
REPEAT_TOLERANCE = 0.02  # how far two runs may differ for --update to write budgets
LOOPS = 200  # calls per measured loop
WARMUP = 50  # calls before it: caches filled, the interpreter's specialisations settled
MARKER = "_operator_call"  # the C function of _operator.call: only the child's loop starts use it
MODULES = ("socket", "sockcore")
COMMAND = "python benchmarks/instructions.py --update"


class Workload(NamedTuple):
    """One hot call: set-up code, the loop body, the clean-up; ``S`` is the module under test."""

    name: str
    setup: str
    body: str
    teardown: str = ""


_PAIR = "a, b = S.socketpair()\ndata = b'x' * 64\nbuf = bytearray(64)"
_INET = "INET, STREAM, DGRAM = S.AF_INET, S.SOCK_STREAM, S.SOCK_DGRAM"

WORKLOADS = [
    Workload("send+recv", _PAIR + "\nsend, recv = a.send, b.recv", "send(data); recv(64)", "a.close(); b.close()"),
    # os.write from the other end (a C call, the same in both runs) so the count is recv_into's
    Workload("recv_into", _PAIR + "\nwrite, fd, recv_into = os.write, a.fileno(), b.recv_into",
             "write(fd, data); recv_into(buf)", "a.close(); b.close()"),
    # a fixed port when free: the kernel's choice of port moves the counts a little from run to run
    # a timeout socket: the stdlib polls before each call; sockcore tries first with MSG_DONTWAIT
    Workload("send+recv timeout", _PAIR + "\na.settimeout(5.0)\nb.settimeout(5.0)\nsend, recv = a.send, b.recv",
             "send(data); recv(64)", "a.close(); b.close()"),
    Workload("recv_into timeout", _PAIR + "\nb.settimeout(5.0)\nwrite, fd, recv_into = os.write, a.fileno(), b.recv_into",
             "write(fd, data); recv_into(buf)", "a.close(); b.close()"),
    Workload("sendto+recvfrom", _INET + "\nu = S.socket(INET, DGRAM)\nbind_fixed_port(u)\n"
             "here = u.getsockname()\ndata = b'x' * 64\nsendto, recvfrom = u.sendto, u.recvfrom",
             "sendto(data, here); recvfrom(64)", "u.close()"),
    Workload("sendmsg+recvmsg", _PAIR + "\nsendmsg, recvmsg, parts = a.sendmsg, b.recvmsg, [data]",
             "sendmsg(parts); recvmsg(64)", "a.close(); b.close()"),
    Workload("socket+close", _INET + "\nsocket = S.socket", "socket(INET, STREAM).close()"),
    Workload("socketpair", "socketpair = S.socketpair", "x, y = socketpair(); x.close(); y.close()"),
    Workload("socket(fileno=)", _INET + "\nsocket = S.socket\nkept = socket(INET, STREAM)\nfd = kept.fileno()",
             "socket(fileno=fd).detach()", "kept.close()"),
    # a whole TCP connection on loopback: socket, connect, accept, both closes
    Workload("connect+accept", _INET + "\nsocket = S.socket\nlistener = S.socket(INET, STREAM)\n"
             "listener.bind(('127.0.0.1', 0))\nlistener.listen(512)\nhere = listener.getsockname()\naccept = listener.accept",
             "c = socket(INET, STREAM); c.connect(here); s, _ = accept(); s.close(); c.close()", "listener.close()"),
    Workload("set+getsockopt", _INET + "\ns = S.socket(INET, STREAM)\nLEVEL, NAME = S.SOL_SOCKET, S.SO_REUSEADDR\n"
             "setsockopt, getsockopt = s.setsockopt, s.getsockopt",
             "setsockopt(LEVEL, NAME, 1); getsockopt(LEVEL, NAME)", "s.close()"),
    Workload("getaddrinfo", _INET + "\ngetaddrinfo, NUMERIC = S.getaddrinfo, S.AI_NUMERICHOST",
             "getaddrinfo('127.0.0.1', 80, INET, STREAM, 0, NUMERIC)"),
]

EMPTY = Workload("empty loop", "", "pass")

#: ``--only`` names the workloads to measure (the children read it from here): a quick look at one call
ONLY_VARIABLE = "SOCKCORE_INSTRUCTIONS_ONLY"


def selected() -> list[Workload]:
    """The workloads this run measures: those ``--only`` named, else all."""
    names = os.environ.get(ONLY_VARIABLE)
    if not names:
        return WORKLOADS
    chosen = [w for w in WORKLOADS if w.name in names.split(",")]
    unknown = set(names.split(",")) - {w.name for w in chosen}
    if unknown:
        raise SystemExit(f"instructions: no workload named {', '.join(sorted(unknown))}")
    return chosen

# The UDP port, fixed, and a different one for each module: the two run at the same time.
FIRST_PORT = {"socket": 47_000, "sockcore": 47_050}


def bind_fixed_port(sock: Any, first: int) -> None:
    """Bind to 127.0.0.1 and the first free port of the 50 from ``first`` (any port if none is free)."""
    for port in range(first, first + 50):
        try:
            sock.bind(("127.0.0.1", port))
            return
        except OSError:
            continue
    sock.bind(("127.0.0.1", 0))


_LOOP = """\
def loop(n, _repeat=_repeat):
    for _ in _repeat(None, n):
        {body}
"""


# -- the child: runs under callgrind -------------------------------------------------------


def child(module: str, loops: int, warmup: int) -> dict[str, int]:
    """Measure the empty loop, then each workload's, each in a fork of this process; ``{name: pid}``.

    A fork starts every loop from the same heap: otherwise what one workload left
    (a pool half full, a cache entry under a kernel-chosen port) moves the counts
    of the next ones from run to run.
    """
    import importlib
    import traceback

    mod = importlib.import_module(module)
    for plan in selected():  # once here first: the forks inherit valgrind's translations of this code
        _run(mod, plan, warmup, measured=0)
    pids = {}
    for plan in [EMPTY, *selected()]:
        pid = os.fork()
        if pid == 0:  # the measured process: it never returns
            status = 1
            try:
                _run(mod, plan, warmup, measured=loops)
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise RuntimeError(f"{module}: the {plan.name} loop failed")
        pids[plan.name] = pid
    return pids


def _run(mod: object, plan: Workload, warmup: int, measured: int) -> None:
    """Set up, run ``warmup`` calls, then ``measured`` more inside ``_operator.call``, clean up."""
    import _operator
    import gc
    import itertools

    first_port = FIRST_PORT[getattr(mod, "__name__", "")]
    scope: dict[str, object] = {
        "S": mod, "os": os, "_repeat": itertools.repeat,
        "bind_fixed_port": lambda sock: bind_fixed_port(sock, first_port),
    }
    exec(plan.setup, scope)
    exec(_LOOP.format(body=plan.body), scope)
    loop = scope["loop"]
    assert callable(loop)
    loop(warmup)
    if measured:
        gc.collect()
        gc.disable()
        _operator.call(loop, measured)  # the only call of _operator.call: one profile dump
        gc.enable()
    exec(plan.teardown, scope)


# -- the parent: runs the children, reads the dumps ----------------------------------------


def parse_totals(text: str) -> int:
    """The instruction count (the first event, Ir) of one callgrind dump's ``totals:`` line."""
    match = re.search(r"^(?:totals|summary):\s*(\d+)", text, re.MULTILINE)
    if match is None:
        raise ValueError("no totals: line in the callgrind output")
    return int(match.group(1))


def per_call(totals: dict[str, int], loops: int) -> dict[str, int]:
    """Instructions per call of each workload: its loop's total less the empty loop's, over ``loops``."""
    workloads = selected()
    missing = {w.name for w in [EMPTY, *workloads]} - set(totals)
    if missing:
        raise ValueError(f"no loop dump for {', '.join(sorted(missing))}")
    return {w.name: round((totals[w.name] - totals[EMPTY.name]) / loops) for w in workloads}


_KEPT_ENVIRONMENT = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VALGRIND_LIB"}


def measure(loops: int = LOOPS, warmup: int = WARMUP) -> dict[str, dict[str, int]]:
    """``{module: {workload: instructions per call}}``, both modules measured at once (one process each)."""
    # Every .pyc the child needs must exist before it runs under callgrind: a process that
    # compiles a module leaves a different heap behind, and the counts change with the heap.
    # (And under valgrind each compile costs seconds.)  A fixed cache directory keeps them.
    pycache = Path(tempfile.gettempdir(), f"sockcore-instructions-pycache-{platform.python_version()}")
    # Only what the child needs, so the caller's environment (its size moves the child's
    # stack, and with it the alignment string functions see) leaves the counts alone.
    env = {k: v for k, v in os.environ.items() if k in _KEPT_ENVIRONMENT or k.startswith("SOCKCORE_")}
    env.update(PYTHONHASHSEED="0", PYTHONPYCACHEPREFIX=str(pycache))
    for module in MODULES:
        subprocess.run([sys.executable, __file__, "--child", module, "2", "2"], env=env, check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="sockcore-instructions-") as tmp:
        procs = {}
        for module in MODULES:
            out = Path(tmp, f"{module}.callgrind")
            command = [
                "valgrind", "--tool=callgrind", "--collect-atstart=no", f"--toggle-collect={MARKER}",
                f"--dump-after={MARKER}", f"--callgrind-out-file={out}.%p", "--dump-instr=no", "--dump-line=no",
                sys.executable, __file__, "--child", module, str(loops), str(warmup),
            ]
            procs[module] = (out, subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        counts = {}
        for module, (out, proc) in procs.items():
            stdout, err = proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"{module} under callgrind failed (exit {proc.returncode}):\n{err[-3000:]}")
            pids: dict[str, int] = json.loads(stdout)
            # callgrind names each fork's dump after its pid: <out>.<pid>.1
            totals = {name: parse_totals(Path(f"{out}.{pid}.1").read_text()) for name, pid in pids.items()}
            counts[module] = per_call(totals, loops)
    return counts


# -- the table and the budgets -------------------------------------------------------------


class Row(NamedTuple):
    name: str
    stdlib: int
    sockcore: int
    budget: int | None

    @property
    def ratio(self) -> float:
        return self.sockcore / self.stdlib if self.stdlib else float("inf")

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.sockcore > self.budget * (1 + TOLERANCE)


def repeat_differences(first: dict[str, dict[str, int]], second: dict[str, dict[str, int]]) -> dict[str, tuple[int, int]]:
    """``{"module call": (first, second)}`` for every count that differs between two runs."""
    return {f"{m} {k}": (v, second[m][k]) for m, c in first.items() for k, v in c.items() if second[m][k] != v}


def interpreter() -> str:
    """The build the counts belong to."""
    return f"{platform.python_implementation()} {platform.python_version()} {sys.platform} {platform.machine()}"


def rows(counts: dict[str, dict[str, int]], budgets: dict[str, object] | None) -> list[Row]:
    calls = budgets.get("calls", {}) if budgets else {}
    assert isinstance(calls, dict)
    return [
        Row(w.name, counts["socket"][w.name], counts["sockcore"][w.name], calls.get(w.name, {}).get("sockcore"))
        for w in selected()
    ]


def format_table(table: Sequence[Row]) -> str:
    lines = [f"{'call':<18}{'stdlib':>9}{'sockcore':>10}{'ratio':>8}{'budget':>9}  ", "-" * 60]
    for row in table:
        budget = "-" if row.budget is None else str(row.budget)
        verdict = f"OVER by {row.sockcore / row.budget - 1:.1%}" if row.over_budget and row.budget else ""
        lines.append(f"{row.name:<18}{row.stdlib:>9}{row.sockcore:>10}{row.ratio:>8.2f}{budget:>9}  {verdict}".rstrip())
    return "\n".join(lines)


def budgets_text(counts: dict[str, dict[str, int]]) -> str:
    data = {
        "generated_by": COMMAND,
        "interpreter": interpreter(),
        "loops": LOOPS,
        "tolerance": TOLERANCE,
        "calls": {w.name: {"stdlib": counts["socket"][w.name], "sockcore": counts["sockcore"][w.name]} for w in WORKLOADS},
    }
    return json.dumps(data, indent=1) + "\n"


DESIGN = HERE.parent / "DESIGN.md"
TABLE_START = "<!-- instructions: generated by benchmarks/instructions.py --update -->"
TABLE_END = "<!-- instructions: end -->"


def design_table(counts: dict[str, dict[str, int]]) -> str:
    """The budgets as the Markdown table DESIGN.md shows, indented into its list item."""
    lines = [f"({interpreter()}, 64-byte messages)", "", "| call | stdlib | sockcore | ratio |", "| --- | ---: | ---: | ---: |"]
    for w in WORKLOADS:
        std, core = counts["socket"][w.name], counts["sockcore"][w.name]
        lines.append(f"| {w.name} | {std:,} | {core:,} | {core / std:.2f} |")
    return "\n".join(f"  {line}".rstrip() for line in lines)


def with_design_table(text: str, counts: dict[str, dict[str, int]]) -> str:
    """``text`` (DESIGN.md) with the table between its markers replaced; unchanged without them."""
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    if start < 0 or end < start:
        return text
    head = text[: start + len(TABLE_START)]
    return head + "\n" + design_table(counts) + "\n\n  " + text[end:]


def load_budgets() -> dict[str, object] | None:
    try:
        data = json.loads(BUDGETS.read_text())
    except FileNotFoundError:
        return None
    assert isinstance(data, dict)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--update", action="store_true", help="measure twice (the counts must agree), then rewrite the budgets")
    parser.add_argument("--only", action="append", metavar="CALL", help="measure only this call (repeatable; budgets not written)")
    parser.add_argument("--child", nargs=3, metavar=("MODULE", "LOOPS", "WARMUP"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        module, loops, warmup = args.child
        print(json.dumps(child(module, int(loops), int(warmup))))
        return 0

    if args.only:
        if args.update:
            parser.error("--update measures every call: not with --only")
        os.environ[ONLY_VARIABLE] = ",".join(args.only)
    counts = measure()
    if args.update:
        again = measure()
        moved = repeat_differences(counts, again)
        if any(abs(b / a - 1) > REPEAT_TOLERANCE for a, b in moved.values()):
            print(f"instructions: the counts moved more than {REPEAT_TOLERANCE:.1%} between two runs, "
                  f"budgets not written: {moved}", file=sys.stderr)
            return 1
        if moved:
            print(f"not exactly repeated (within {REPEAT_TOLERANCE:.1%}; the budget keeps the higher): {moved}")
        counts = {m: {k: max(v, again[m][k]) for k, v in c.items()} for m, c in counts.items()}
        BUDGETS.write_text(budgets_text(counts))
        if DESIGN.exists():  # its Speed section shows these numbers
            DESIGN.write_text(with_design_table(DESIGN.read_text(), counts))
    budgets = load_budgets()
    table = rows(counts, budgets)
    print(f"instructions per call ({LOOPS} calls a loop, empty loop subtracted; callgrind, {interpreter()})")
    print(format_table(table))
    if args.update:
        print(f"wrote {BUDGETS.relative_to(HERE.parent)} and the table in DESIGN.md")
        return 0
    if budgets is None:
        print(f"no budgets yet: run {COMMAND}")
        return 0
    if budgets.get("interpreter") != interpreter():
        print(f"budgets are for {budgets.get('interpreter')}: not checked under this interpreter")
        return 0
    over = [row.name for row in table if row.over_budget]
    if over:
        print(f"over budget (more than {TOLERANCE:.0%} above benchmarks/instructions.json): {', '.join(over)}")
        return 1
    print(f"every sockcore count within {TOLERANCE:.0%} of its budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
