"""Fixtures for sockcore-unix's tests."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator

import pytest


@pytest.fixture
def short_dir() -> Iterator[str]:
    """A directory with a short name, so paths stay under UNIX_PATH_MAX."""
    path = tempfile.mkdtemp(prefix="sku")
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def in_short_dir(short_dir: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Work inside ``short_dir``, so relative names land there."""
    monkeypatch.chdir(short_dir)
    return short_dir
