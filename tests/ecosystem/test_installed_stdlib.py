"""The stdlib's socket users, run with sockcore installed process-wide.

Each scenario in ``scenarios/`` is a real exchange over loopback (servers it
starts itself) run in a fresh interpreter by ``python -m sockcore.install``,
asserting on bytes and results; each ends by checking that every socket the
process created (the ``socket.__new__`` audit event) was a sockcore socket.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIOS = Path(__file__).parent / "scenarios"
NAMES = sorted(p.stem for p in SCENARIOS.glob("*.py") if not p.name.startswith("_"))


def run_installed(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONWARNINGS="error::ResourceWarning", PYTHONDEVMODE="1")
    return subprocess.run(
        [sys.executable, "-m", "sockcore.install", *args],
        capture_output=True, text=True, timeout=timeout, env=env, check=False,
    )


@pytest.mark.parametrize("name", NAMES)
def test_scenario(name: str) -> None:
    pytest.importorskip("trustme")
    result = run_installed(str(SCENARIOS / f"{name}.py"))
    assert result.returncode == 0, result.stderr[-4000:]
    assert "all-sockcore" in result.stdout
    assert "ResourceWarning" not in result.stderr, result.stderr[-4000:]


def test_scenarios_cover_the_issue_list() -> None:
    text = "".join(p.read_text() for p in SCENARIOS.glob("*.py"))
    for module in (
        "selectors", "asyncio", "socketserver", "http.client", "http.server", "urllib.request", "xmlrpc",
        "smtplib", "ftplib", "poplib", "imaplib", "telnetlib", "wsgiref", "logging.handlers",
        "multiprocessing.connection", "ForkingTCPServer", "ThreadingTCPServer", "SysLogHandler",
        "DatagramHandler", "SocketHandler", "starttls", "FTP_TLS", "HTTPSConnection",
    ):
        assert module in text, module


def test_runner_module_and_code_forms() -> None:
    code = "import socket, sockcore; assert socket is sockcore; import sys; print(sys.argv)"
    result = run_installed("-c", code, "x", "y")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['-c', 'x', 'y']"
    result = run_installed("-m", "json.tool", "--help")
    assert result.returncode == 0 and "usage" in result.stdout
    assert run_installed().returncode == 2
    assert run_installed("-x").returncode == 2
