"""sockcore/options.pyi: up to date with the option tables, and mypy reads each option's value type."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> object:
    spec = importlib.util.spec_from_file_location("gen_options_stub", ROOT / "tools" / "gen_options_stub.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_stub_is_up_to_date() -> None:
    gen = _generator()
    assert gen.main(["--check"]) == 0, "run: python tools/gen_options_stub.py"  # type: ignore[attr-defined]


def test_the_stub_names_the_documented_examples() -> None:
    text = (ROOT / "sockcore" / "options.pyi").read_text()
    for line in ("SO_RCVBUF: SockOpt[int]", "SO_LINGER: SockOpt[Linger]", "TCP_INFO: SockOpt[TcpInfo]"):
        assert line in text.splitlines()


@pytest.mark.slow
def test_mypy_strict_sees_each_value_type(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is not installed (the platform lane's venv has only the test tools)")
    program = tmp_path / "typed_options.py"
    program.write_text(textwrap.dedent("""
        from typing import assert_type

        import sockcore
        from sockcore.structs import Linger
        from sockcore_inet.records import TcpInfo


        def check(sock: sockcore.socket) -> None:
            assert_type(sock.getopt(sockcore.options.SO_RCVBUF), int)
            assert_type(sock.getopt(sockcore.options.SO_LINGER), Linger)
            assert_type(sock.getopt(sockcore.options.TCP_INFO), TcpInfo)
            sock.setopt(sockcore.options.SO_RCVBUF, "big")  # the one error mypy must report
    """))
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), str(program)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    errors = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1 and '"setopt"' in errors[0] and ":13:" in errors[0], proc.stdout
