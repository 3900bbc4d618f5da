"""Side-by-side timing: sockcore against the stdlib in the same run.

Each benchmark is a pair of callables doing the same work, one through the
stdlib ``socket`` and one through ``sockcore``.  Rounds alternate between the
two (so drift and noise on a shared machine hit both alike); the result is the
median of the per-round ratios sockcore/stdlib.  Timed tests are not used
anywhere: only ratios from one run mean anything here.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import NamedTuple

Work = Callable[[int], None]  # does the operation n times


class Result(NamedTuple):
    name: str
    stdlib_us: float
    sockcore_us: float
    ratio: float
    target: float | None

    @property
    def ok(self) -> bool:
        return self.target is None or self.ratio <= self.target


def _time(work: Work, n: int) -> float:
    start = time.perf_counter()
    work(n)
    return time.perf_counter() - start


def compare(name: str, stdlib: Work, sockcore: Work, *, n: int = 2000, rounds: int = 15,
            target: float | None = None) -> Result:
    """Median ratio sockcore/stdlib over alternating rounds of ``n`` operations."""
    stdlib(max(n // 10, 1))  # warm up both (caches, lazy tables)
    sockcore(max(n // 10, 1))
    ratios, std_times, core_times = [], [], []
    for i in range(rounds):
        if i % 2:
            t_core = _time(sockcore, n)
            t_std = _time(stdlib, n)
        else:
            t_std = _time(stdlib, n)
            t_core = _time(sockcore, n)
        ratios.append(t_core / t_std)
        std_times.append(t_std)
        core_times.append(t_core)
    return Result(
        name,
        statistics.median(std_times) / n * 1e6,
        statistics.median(core_times) / n * 1e6,
        statistics.median(ratios),
        target,
    )


def report(results: list[Result]) -> int:
    """Print the table; return 1 if any ratio misses its target."""
    print(f"{'benchmark':<44} {'stdlib us/op':>12} {'sockcore us/op':>15} {'ratio':>7} {'target':>7}")
    failed = 0
    for r in results:
        target = f"<={r.target:.2f}" if r.target else ""
        mark = "" if r.ok else "  MISSED"
        failed |= not r.ok
        print(f"{r.name:<44} {r.stdlib_us:>12.2f} {r.sockcore_us:>15.2f} {r.ratio:>7.3f} {target:>7}{mark}")
    return int(failed)
