"""Shared fixtures and markers for the core's and every plugin's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

IN_KERNEL_LANE = os.environ.get("KERNEL_LANE_GUEST") == "1"
IS_ROOT = os.geteuid() == 0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Kernel tests run only inside the kernel lane; root tests only as root."""
    skip_kernel = pytest.mark.skip(reason="needs the kernel lane (KERNEL_LANE_GUEST=1): see ../shared/tools/KERNEL-LANE.md")
    skip_root = pytest.mark.skip(reason="needs root")
    for item in items:
        if "kernel" in item.keywords and not IN_KERNEL_LANE:
            item.add_marker(skip_kernel)
        if "root" in item.keywords and not IS_ROOT:
            item.add_marker(skip_root)


def _open_fds() -> set[int]:
    return {int(n) for n in os.listdir("/proc/self/fd")}


@pytest.fixture(autouse=True, scope="module")
def no_fd_leaks() -> Iterator[None]:
    """Every test module closes every descriptor it opens."""
    import gc

    before = _open_fds()
    yield
    gc.collect()
    leaked = _open_fds() - before
    # the listing of /proc/self/fd itself may show up once
    leaked = {fd for fd in leaked if os.path.exists(f"/proc/self/fd/{fd}")}
    assert not leaked, f"descriptors leaked by this module: {sorted(leaked)} -> " + ", ".join(
        os.readlink(f"/proc/self/fd/{fd}") for fd in sorted(leaked) if os.path.exists(f"/proc/self/fd/{fd}")
    )
