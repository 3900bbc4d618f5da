"""CPython's own test suites for its TLS clients, run with sockcore installed (``python -m sockcore.install``).

These suites drive ``ssl.SSLSocket`` the ways the stdlib's clients and its
tests rely on: asyncore servers that select() then read 8 KiB, unwrap() in
the middle of a connection, non-blocking handshakes, isinstance checks.
With sockcore installed every socket in them is sockcore's and every TLS
socket is ``sockcore.tls.TLSSocket``.

test_ssl (~40 s) and test_imaplib (~50 s) run when
``SOCKCORE_STDLIB_SUITES=all``.  They run through ``unittest``, not
``python -m test``: regrtest calls ``ctypes._reset_cache()`` between tests.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

FAST = ("test_ftplib", "test_poplib", "test_smtplib", "test_httplib")
SLOW = ("test_ssl", "test_imaplib")


@pytest.mark.parametrize(
    "suite",
    [
        *FAST,
        *(pytest.param(name, marks=[pytest.mark.slow, pytest.mark.skipif(
            os.environ.get("SOCKCORE_STDLIB_SUITES") != "all", reason="SOCKCORE_STDLIB_SUITES=all runs it")])
          for name in SLOW),
    ],
)
def test_suite_passes_with_sockcore_installed(suite: str) -> None:
    if importlib.util.find_spec(f"test.{suite}") is None:
        pytest.skip(f"this Python has no test.{suite} (Debian ships it in libpython3-testsuite)")
    result = subprocess.run(
        [sys.executable, "-m", "sockcore.install", "-m", "unittest", f"test.{suite}"],
        capture_output=True, text=True, timeout=600, check=False,
    )
    tail = result.stderr[-3000:]
    assert result.returncode == 0, tail
    assert "\nOK" in result.stderr, tail
