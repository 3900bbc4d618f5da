"""Run the real `sockcore` command in subprocesses, with fake plugin distributions when needed."""

from __future__ import annotations

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

#: fake distributions: name -> (module file, entry-point name)
FAKE_PLUGINS = {
    "clitest": "clitest_plugin.py",
    "clibroken": "broken_plugin.py",
    "cliconflict": "conflict_plugin.py",
}


def _make_fake_site(where: Path) -> Path:
    """A directory with one dist-info per fake plugin: importlib.metadata finds them on sys.path."""
    for name, source in FAKE_PLUGINS.items():
        module = f"sockcore_{name}_plugin"
        shutil.copy(HERE / source, where / f"{module}.py")
        info = where / f"sockcore_{name}-0.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: sockcore-{name}\nVersion: 0.0\n")
        (info / "entry_points.txt").write_text(f"[sockcore]\n{name} = {module}\n")
    return where


@pytest.fixture(scope="session")
def fake_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_fake_site(tmp_path_factory.mktemp("fake-site"))


def env_for(fake_site: Path | None, plugins: str | None) -> dict[str, str]:
    """The subprocess environment: the repo importable, the fake plugins on the path, a plugin filter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCKCORE_")}
    paths = [str(ROOT)] + ([str(fake_site)] if fake_site else [])
    env["PYTHONPATH"] = os.pathsep.join(paths + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    if plugins is not None:
        env["SOCKCORE_PLUGINS"] = plugins
    return env


class Cli:
    """Runs ``python -m sockcore`` with one environment."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "sockcore", *args]

    def run(self, *args: str, input: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(self.argv(*args), input=input, capture_output=True, env=self.env, timeout=timeout)

    def spawn(self, *args: str, stdout: Any = subprocess.PIPE) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.argv(*args), stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE, env=self.env,
            preexec_fn=_default_sigint,
        )


def _default_sigint() -> None:
    """The command's SIGINT as a terminal would deliver it, even when this run ignores SIGINT.

    A test run started in the background by a shell without job control
    inherits SIGINT ignored, and Python then installs no KeyboardInterrupt
    handler: the signal tests would wait for a command that cannot hear them.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="session")
def cli(fake_site: Path) -> Cli:
    """The command with only the core and the test schemes (test-tcp, test-udp, test-unix)."""
    return Cli(env_for(fake_site, "clitest"))


@pytest.fixture(scope="session")
def real_cli() -> Cli:
    """The command with every installed plugin, as a user runs it."""
    return Cli(env_for(None, None))


@pytest.fixture(scope="session")
def real_schemes(real_cli: Cli) -> frozenset[str]:
    """The URI schemes the installed plugins register (empty if loading them fails)."""
    code = "from sockcore.registry import tables; print(' '.join(tables().uri_schemes))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, env=real_cli.env, text=True, timeout=60)
    return frozenset(proc.stdout.split()) if proc.returncode == 0 else frozenset()


def wait_for_line(proc: subprocess.Popen[bytes], needle: bytes, timeout: float = 30) -> bytes:
    """Read the process's stderr until a line contains ``needle`` (the server is ready)."""
    assert proc.stderr is not None
    fd = proc.stderr.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise AssertionError(f"no {needle!r} on stderr within {timeout} s; got {seen!r}")
        chunk = os.read(fd, 4096)
        if not chunk:
            raise AssertionError(f"process ended before {needle!r}: {seen!r}, exit {proc.wait()}")
        seen += chunk
    return seen


def finish(proc: subprocess.Popen[bytes], timeout: float = 60) -> tuple[int, bytes, bytes]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(cli: Cli) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts in the background; killed if still running at the end."""
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def one_line_error(proc: subprocess.CompletedProcess[bytes], *needles: str) -> str:
    """The process failed with exactly one line on stderr (no traceback) containing ``needles``."""
    err = proc.stderr.decode()
    assert proc.returncode != 0, (proc.returncode, err)
    assert "Traceback" not in err, err
    assert err.count("\n") == 1 and err.startswith("sockcore: error: "), err
    for needle in needles:
        assert needle in err, (needle, err)
    return err


def skip_without(schemes: frozenset[str], needed: Sequence[str]) -> None:
    missing = [s for s in needed if s not in schemes]
    if missing:
        pytest.skip(f"needs the URI scheme(s) {', '.join(s + ':' for s in missing)}, which no installed plugin registers yet")
