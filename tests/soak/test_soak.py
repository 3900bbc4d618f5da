"""The CI-sized soak: tests/soak/soak.py with a million calls from 16 threads (about a minute).

It runs in a subprocess, so tracemalloc and the descriptor count see the
soak alone.  ``./dev soak [CALLS]`` runs the full one (10 million calls).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SOAK = Path(__file__).resolve().parent / "soak.py"
CALLS = 1_000_000
#: after warm-up: what tracemalloc and RSS may still grow by (flat, within allocator noise)
TRACED_GROWTH_LIMIT = 1 << 20
RSS_GROWTH_LIMIT = 16 << 20


@pytest.mark.slow
@pytest.mark.soak
def test_soak_ci_sized() -> None:
    proc = subprocess.run(
        [sys.executable, str(SOAK), "--calls", str(CALLS), "--json"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    report = json.loads(proc.stdout.splitlines()[-1])
    print(report)
    assert report["errors"] == []
    assert report["threads_alive"] == 0
    assert report["fds_after"] == report["fds_before"], "a descriptor was left open"
    assert report["calls"] >= CALLS * 0.9
    assert report["frames_checked"] > 0
    assert report["traced_growth"] < TRACED_GROWTH_LIMIT, report
    assert report["rss_growth"] < RSS_GROWTH_LIMIT, report
    assert proc.returncode == 0


def test_the_checker_catches_loss_reordering_and_corruption() -> None:
    """The soak's frame check fails on a skipped, repeated or corrupted frame (so a pass means something)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("soak_engine", SOAK)
    assert spec is not None and spec.loader is not None
    engine = importlib.util.module_from_spec(spec)
    sys.modules["soak_engine"] = engine
    try:
        spec.loader.exec_module(engine)
        soak = engine.Soak(None, 0, 1)
        expected: dict[int, int] = {}
        soak.check(3, 0, expected, engine.body(0, 10))
        with pytest.raises(engine.Failure, match="frame 2 where 1"):
            soak.check(3, 2, expected, engine.body(2, 10))  # frame 1 lost
        with pytest.raises(engine.Failure, match="frame 0 where 1"):
            soak.check(3, 0, expected, engine.body(0, 10))  # frame 0 again
        with pytest.raises(engine.Failure, match="corrupt"):
            soak.check(3, 1, expected, b"x" + engine.body(1, 10)[1:])
    finally:
        del sys.modules["soak_engine"]
