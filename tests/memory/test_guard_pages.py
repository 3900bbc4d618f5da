"""Guard pages: no receive, send, option, ancillary or codec path reads or writes past a buffer.

Every buffer the cases hand to sockcore sits flush against a PROT_NONE page,
first ending right before one, then starting right after one
(``guarded_cases.py``).  A user-space over-run is a SIGSEGV that kills the
case's subprocess (its last ``CASE`` line names the culprit); a kernel
over-run is EFAULT, which the comparison with the stdlib's outcome for the
same case catches.  Each group runs once per module in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
CASES = HERE / "guarded_cases.py"
GROUPS = ["recv", "send", "setsockopt", "getsockopt", "cmsg", "codecs"]
#: qemu-user copies option values and control messages between guest and host
#: itself, with its own idea of their lengths: there its translation, not the
#: kernel, meets the guard page (EFAULT where the kernel reads nothing), and
#: the cmsg group crashes inside qemu before its first case
_QEMU_COPIES = pytest.mark.qemu("qemu-user copies option and ancillary buffers itself: its translation meets the guard pages")


def run_group(group: str, module: str, placement: str) -> dict[str, str]:
    """The case -> outcome lines of one group; fails naming the case a crash happened in."""
    proc = subprocess.run(
        [sys.executable, str(CASES), group, module, placement],
        capture_output=True, text=True, timeout=240, env=os.environ.copy(),
    )
    outcomes: dict[str, str] = {}
    case = None
    for line in proc.stdout.splitlines():
        if line.startswith("CASE "):
            case = line[5:]
        elif line.startswith("= ") and case is not None:
            outcomes[case] = line[2:]
            case = None
    if proc.returncode != 0 or not proc.stdout.endswith("DONE\n"):
        signal_name = f" (signal {-proc.returncode})" if proc.returncode < 0 else ""
        pytest.fail(
            f"{module} {group} [{placement}] died with status {proc.returncode}{signal_name} "
            f"in case {case!r}\n{proc.stderr[-2000:]}"
        )
    return outcomes


@pytest.mark.parametrize("placement", ["end", "start"])
@pytest.mark.parametrize(
    "group", [pytest.param(g, marks=_QEMU_COPIES if g in ("setsockopt", "getsockopt", "cmsg") else ()) for g in GROUPS]
)
def test_guarded_buffers(group: str, placement: str) -> None:
    ours = run_group(group, "sockcore", placement)
    theirs = run_group(group, "stdlib", placement)
    assert ours, "no case ran"
    assert "EFAULT" not in "".join(ours.values()), [c for c, o in ours.items() if "EFAULT" in o][:5]
    missing = theirs.keys() - ours.keys()
    assert not missing, f"cases sockcore skipped: {sorted(missing)[:5]}"
    differing = {case: (ours[case], theirs[case]) for case in theirs if ours[case] != theirs[case]}
    assert not differing, "\n".join(f"{c}: sockcore {o} / stdlib {t}" for c, (o, t) in list(differing.items())[:10])


@_QEMU_COPIES
def test_descriptors_survive_every_ancillary_cut() -> None:
    """SCM_RIGHTS cut at every byte of ancbufsize leaves no descriptor open (sockcore and stdlib alike)."""
    for module in ("sockcore", "stdlib"):
        outcomes = run_group("cmsg", module, "end")
        leaks = {c: o for c, o in outcomes.items() if c.startswith("no descriptor") and o != "ok 0"}
        assert not leaks, f"{module}: {leaks}"


@pytest.mark.parametrize("placement", ["end", "start"])
def test_the_harness_names_the_case_that_crashed(placement: str) -> None:
    """A read one byte past (or before) a guarded buffer kills the subprocess, and the failure names it."""
    with pytest.raises(pytest.fail.Exception, match=r"signal 11\) in case 'read one byte past the buffer'"):
        run_group("selftest", "sockcore", placement)
