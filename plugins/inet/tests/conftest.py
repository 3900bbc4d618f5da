"""Fixtures for sockcore-inet's tests.

Resolution must use only this machine: names outside /etc/hosts would reach
the DNS server of /etc/resolv.conf.  Tests that resolve arbitrary names run
in a subprocess inside a private mount namespace whose /etc/resolv.conf
points at 127.0.0.1 (nothing listens there), so an unknown name fails at
once, for the stdlib and for sockcore alike, without leaving the machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

import pytest

HermeticRunner = Callable[[str, Any], Any]


@pytest.fixture(scope="session")
def hermetic() -> Iterator[HermeticRunner]:
    """``hermetic(code, data)``: run ``code`` with ``DATA`` bound, offline; returns its ``RESULT``."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare(1) for an offline /etc/resolv.conf")
    with tempfile.TemporaryDirectory() as tmp:
        resolv = os.path.join(tmp, "resolv.conf")
        with open(resolv, "w") as f:
            f.write("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")

        def run(code: str, data: Any) -> Any:
            program = (
                "import json, sys\nDATA = json.loads(sys.stdin.read())\nRESULT = None\n"
                + code
                + "\nprint(json.dumps(RESULT))\n"
            )
            proc = subprocess.run(
                ["unshare", "-m", "sh", "-c",
                 f'mount --bind "{resolv}" /etc/resolv.conf && exec "$0" -c "$1"', sys.executable, program],
                input=json.dumps(data), capture_output=True, text=True, timeout=300, check=False,
            )
            if proc.returncode != 0:
                if "unshare" in proc.stderr or "mount" in proc.stderr:
                    pytest.skip(f"no private mount namespace here: {proc.stderr.strip()[:200]}")
                raise AssertionError(proc.stderr)
            return json.loads(proc.stdout.splitlines()[-1])

        yield run


@pytest.fixture(autouse=True, scope="session")
def warm_registry() -> None:
    """Load the plugins once before any test, so no hypothesis example pays for it."""
    import sockcore

    sockcore.registry.tables()
    sockcore.getaddrinfo("127.0.0.1", 0)
