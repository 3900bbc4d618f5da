"""benchmarks/instructions.py: its callgrind parsing, arithmetic, budget rule and workloads (nothing timed or counted here)."""

from __future__ import annotations

import importlib.util
import json
import socket
import sys
from pathlib import Path
from types import ModuleType

import pytest

import sockcore

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "instructions.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_instructions", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # NamedTuple classes look their module up
    spec.loader.exec_module(module)
    return module


bench = _load()

CALLGRIND_DUMP = """\
# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 4242
cmd:  /usr/bin/python3 instructions.py --child sockcore 200 50
part: 3

desc: I1 cache:
positions: line
events: Ir
summary: 1234567

fn=(1) _operator_call
0 12
totals: 1234567
"""


def test_parse_totals() -> None:
    assert bench.parse_totals(CALLGRIND_DUMP) == 1234567
    assert bench.parse_totals("events: Ir\ntotals: 0\n") == 0
    with pytest.raises(ValueError):
        bench.parse_totals("events: Ir\nfn=(1) main\n0 5\n")


def test_per_call_subtracts_the_empty_loop() -> None:
    empty = 76_002
    totals = {w.name: empty + 200 * (1000 + i) + 37 for i, w in enumerate(bench.WORKLOADS)}
    counts = bench.per_call({bench.EMPTY.name: empty, **totals}, 200)
    assert list(counts) == [w.name for w in bench.WORKLOADS]
    assert list(counts.values()) == [1000 + i for i in range(len(bench.WORKLOADS))]  # the fixed 37 rounds away
    with pytest.raises(ValueError, match="empty loop"):
        bench.per_call(totals, 200)


def test_repeat_differences() -> None:
    second = _counts()
    second["socket"]["getaddrinfo"] = 999
    assert bench.repeat_differences(_counts(), _counts()) == {}
    assert bench.repeat_differences(_counts(), second) == {"socket getaddrinfo": (1000, 999)}


def test_budget_rule_is_five_percent() -> None:
    assert not bench.Row("x", 1000, 2100, 2000).over_budget  # exactly 5% over: still within
    assert bench.Row("x", 1000, 2101, 2000).over_budget
    assert not bench.Row("x", 1000, 1500, 2000).over_budget  # cheaper is always fine
    assert not bench.Row("x", 1000, 9999, None).over_budget  # a new call has no budget yet
    assert bench.Row("x", 1000, 2500, None).ratio == 2.5


def _counts(scale: float = 1.0) -> dict[str, dict[str, int]]:
    return {
        "socket": {w.name: 1000 for w in bench.WORKLOADS},
        "sockcore": {w.name: round(1500 * scale) for w in bench.WORKLOADS},
    }


def test_budgets_round_trip_into_the_table() -> None:
    budgets = json.loads(bench.budgets_text(_counts()))
    assert budgets["interpreter"] == bench.interpreter() and budgets["tolerance"] == 0.05
    table = bench.rows(_counts(1.2), budgets)
    assert all(row.budget == 1500 and row.over_budget for row in table)
    text = bench.format_table(table)
    assert "OVER by 20.0%" in text and "1.80" in text


@pytest.mark.parametrize(("scale", "interpreter", "status"), [
    (1.0, None, 0),
    (1.05, None, 0),
    (1.06, None, 1),
    (1.5, "CPython 0.0 elsewhere", 0),  # budgets of another build: shown, not checked
])
def test_main_exit_status(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                          scale: float, interpreter: str | None, status: int) -> None:
    budgets = json.loads(bench.budgets_text(_counts()))
    if interpreter:
        budgets["interpreter"] = interpreter
    path = tmp_path / "instructions.json"
    path.write_text(json.dumps(budgets))
    monkeypatch.setattr(bench, "BUDGETS", path)
    monkeypatch.setattr(bench, "measure", lambda: _counts(scale))
    assert bench.main([]) == status
    assert "send+recv" in capsys.readouterr().out


def test_update_refuses_counts_that_do_not_repeat(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "instructions.json"
    monkeypatch.setattr(bench, "BUDGETS", path)
    monkeypatch.setattr(bench, "DESIGN", tmp_path / "DESIGN.md")
    runs = iter([_counts(), _counts(1.03)])
    monkeypatch.setattr(bench, "measure", lambda: next(runs))
    assert bench.main(["--update"]) == 1 and not path.exists()
    runs = iter([_counts(), _counts()])
    monkeypatch.setattr(bench, "HERE", tmp_path)
    assert bench.main(["--update"]) == 0
    assert json.loads(path.read_text())["calls"]["send+recv"] == {"stdlib": 1000, "sockcore": 1500}


def test_update_keeps_the_higher_of_two_close_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "instructions.json"
    monkeypatch.setattr(bench, "BUDGETS", path)
    monkeypatch.setattr(bench, "HERE", tmp_path)
    design = tmp_path / "DESIGN.md"
    design.write_text(f"## Speed\n- Budgets:\n\n  {bench.TABLE_START}\n  old\n  {bench.TABLE_END}\n\n## Next\n")
    monkeypatch.setattr(bench, "DESIGN", design)
    second = _counts()
    second["sockcore"]["connect+accept"] += 15  # 1%: a loopback connection's handshake and ports
    runs = iter([_counts(), second])
    monkeypatch.setattr(bench, "measure", lambda: next(runs))
    assert bench.main(["--update"]) == 0
    assert json.loads(path.read_text())["calls"]["connect+accept"]["sockcore"] == 1515
    text = design.read_text()
    assert "old" not in text and "| connect+accept | 1,000 | 1,515 | 1.51 |" in text and text.endswith("\n\n## Next\n")


def test_design_table_is_replaced_between_its_markers_only() -> None:
    text = f"a\n  {bench.TABLE_START}\n  x\n  {bench.TABLE_END}\nb\n"
    once = bench.with_design_table(text, _counts())
    assert once.startswith("a\n") and once.endswith(f"  {bench.TABLE_END}\nb\n") and "| send+recv | 1,000 | 1,500 | 1.50 |" in once
    assert bench.with_design_table(once, _counts()) == once
    assert bench.with_design_table("no markers\n", _counts()) == "no markers\n"


def test_committed_budgets_cover_every_workload() -> None:
    budgets = bench.load_budgets()
    assert budgets is not None, "run python benchmarks/instructions.py --update"
    assert set(budgets["calls"]) == {w.name for w in bench.WORKLOADS}


@pytest.mark.parametrize("module", [socket, sockcore], ids=["stdlib", "sockcore"])
@pytest.mark.parametrize("workload", bench.WORKLOADS, ids=lambda w: w.name)
def test_every_workload_runs(module: ModuleType, workload: object) -> None:
    """The code the child runs under callgrind, run here a few times: it works with both modules."""
    bench._run(module, workload, warmup=3, measured=0)
