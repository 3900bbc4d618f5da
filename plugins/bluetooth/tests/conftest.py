"""Fixtures for the Bluetooth tests: Debian's /usr/bin/python3 (built with Bluetooth support) as the oracle."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

DEBIAN_PYTHON = "/usr/bin/python3"


def run_debian(code: str) -> Any:
    """Run ``code`` (which prints one JSON document) in Debian's Python and return the document."""
    if not os.path.exists(DEBIAN_PYTHON):
        pytest.skip("Debian's /usr/bin/python3 (the Bluetooth-enabled oracle) is not installed")
    proc = subprocess.run([DEBIAN_PYTHON, "-c", code], capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin"})
    if proc.returncode != 0:
        pytest.fail(f"Debian python3 failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


@pytest.fixture
def debian() -> Callable[[str], Any]:
    """``debian(code)``: run ``code`` in Debian's Python and return the JSON it prints."""
    return run_debian
