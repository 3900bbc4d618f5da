"""The ``soak`` marker: long mixed-call runs (tests/soak/soak.py); ``./dev soak`` runs the full one."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "soak: a mixed-call soak run (the CI-sized one; ./dev soak runs 10 million calls)")
