"""`--stats`: bytes moved and throughput, with a live line on a terminal."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from .pump import Direction

__all__ = ["Stats", "human_bytes"]

#: seconds between two refreshes of the live line
REFRESH = 0.25


def human_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


class Stats:
    """Counts the bytes of every direction it is given, for a final line and a live one."""

    def __init__(self, enabled: bool, out: TextIO | None = None) -> None:
        self.enabled = enabled
        self.out = out or sys.stderr
        self.live = enabled and self.out.isatty()
        self.directions: list[Direction] = []
        self.extra: dict[str, int] = {}  # bytes counted outside a Direction (datagram servers)
        self.start = time.monotonic()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def add(self, *directions: Direction) -> None:
        self.directions.extend(directions)

    def count(self, label: str, n: int) -> None:
        self.extra[label] = self.extra.get(label, 0) + n

    def totals(self) -> dict[str, int]:
        totals = dict(self.extra)
        for d in self.directions:
            totals[d.label] = totals.get(d.label, 0) + d.bytes
        return totals

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        totals = self.totals()
        moved = sum(totals.values())
        parts = [f"{label}: {n} bytes" for label, n in totals.items()] or ["0 bytes"]
        return f"{', '.join(parts)} in {elapsed:.2f} s ({human_bytes(moved / elapsed)}/s)"

    def _live_line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        totals = self.totals()
        moved = sum(totals.values())
        parts = [f"{label} {human_bytes(n)}" for label, n in totals.items()]
        return f"{'  '.join(parts)}  {elapsed:.1f} s  {human_bytes(moved / elapsed)}/s"

    def __enter__(self) -> Stats:
        if self.live:
            self._ticker = threading.Thread(target=self._tick, name="sockcore stats", daemon=True)
            self._ticker.start()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(REFRESH):
            self.out.write("\r\x1b[K" + self._live_line())
            self.out.flush()

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
            self.out.write("\r\x1b[K")
        if self.enabled:
            self.out.write(self.line() + "\n")
            self.out.flush()
