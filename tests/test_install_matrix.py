"""A fresh venv with only the core, then with the unix plugin: the missing family fails clearly, then works.

Slow (it builds a venv and installs from PyPI: pluggy, attrs and the build
backend), so marked ``slow``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

CREATE_UNIX_SOCKET = textwrap.dedent(
    """
    import sockcore
    try:
        s = sockcore.socket(1)
    except Exception as exc:
        print("FAILED", type(exc).__name__, exc)
    else:
        with s:
            print("OK", s.family.name, s.type.name)
    try:
        a, b = sockcore.socketpair()
    except Exception as exc:
        print("PAIR FAILED", type(exc).__name__, exc)
    else:
        with a, b:
            a.send(b"ping")
            print("PAIR", b.recv(4).decode())
    try:
        print("AF_UNIX", int(sockcore.AF_UNIX))
    except AttributeError as exc:
        print("ATTR FAILED", exc)
    """
)


def run(cmd: list[str], **kwargs: object) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=600, **kwargs)  # type: ignore[call-overload]
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"
    return str(proc.stdout)


@pytest.fixture(scope="module")
def core_only_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "core-only"
    run([sys.executable, "-m", "venv", str(venv)])
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    run([*pip, "install", "pluggy", "attrs"])
    run([*pip, "install", "--no-deps", "-e", str(ROOT)])
    return venv


def test_core_only_names_the_missing_plugin(core_only_venv: Path) -> None:
    python = str(core_only_venv / "bin" / "python")
    out = run([python, "-c", CREATE_UNIX_SOCKET], cwd="/")
    lines = out.splitlines()
    assert lines[0].startswith("FAILED"), out
    assert "sockcore-unix" in lines[0]
    assert lines[1].startswith("PAIR FAILED") and "sockcore-unix" in lines[1], out
    assert lines[2].startswith("ATTR FAILED") and "sockcore-unix" in lines[2], out


def test_with_the_plugin_it_works(core_only_venv: Path) -> None:
    python = str(core_only_venv / "bin" / "python")
    run([python, "-m", "pip", "--disable-pip-version-check", "-q", "install", "--no-deps", "-e", str(ROOT / "plugins" / "unix")])
    out = run([python, "-c", CREATE_UNIX_SOCKET], cwd="/")
    assert out.splitlines() == ["OK AF_UNIX SOCK_STREAM", "PAIR ping", "AF_UNIX 1"]
