"""The pytest side of the kit: markers, the descriptor-leak check, registry fixtures."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .. import registry
from ..plugin import SOCK_STREAM
from .contract import FakeSocket, registered

IN_KERNEL_LANE = os.environ.get("KERNEL_LANE_GUEST") == "1"

MARKERS = (
    "kernel: needs a family this kernel lacks; runs only inside the kernel lane (KERNEL_LANE_GUEST=1)",
    "root: needs root (packet sockets, network namespaces)",
    "netns: creates a network namespace",
    "slow: takes more than a few seconds",
    "family(number, type=SOCK_STREAM, proto=0): skip unless this kernel can create such a socket",
)


def family_available(family: int, type: int = SOCK_STREAM, proto: int = 0) -> bool:
    """Whether this kernel creates a ``(family, type, proto)`` socket."""
    from .. import socket

    try:
        socket(family, type, proto).close()
    except OSError:
        return False
    return True


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Kernel tests run only inside the kernel lane; root tests only as root; family tests where it exists."""
    skip_kernel = pytest.mark.skip(reason="needs the kernel lane (KERNEL_LANE_GUEST=1)")
    skip_root = pytest.mark.skip(reason="needs root")
    available: dict[tuple[Any, ...], bool] = {}
    for item in items:
        if "kernel" in item.keywords and not IN_KERNEL_LANE:
            item.add_marker(skip_kernel)
        if "root" in item.keywords and os.geteuid() != 0:
            item.add_marker(skip_root)
        for mark in item.iter_markers("family"):
            key = (*mark.args, *sorted(mark.kwargs.items()))
            if key not in available:
                available[key] = family_available(*mark.args, **mark.kwargs)
            if not available[key]:
                item.add_marker(pytest.mark.skip(reason=f"this kernel cannot create a socket of family {mark.args}"))


def _open_fds() -> set[int]:
    return {int(n) for n in os.listdir("/proc/self/fd")}


@pytest.fixture(autouse=True, scope="module")
def no_fd_leaks() -> Iterator[None]:
    """Every test module closes every descriptor it opens."""
    import gc

    if not os.path.isdir("/proc/self/fd"):
        yield
        return
    before = _open_fds()
    yield
    gc.collect()
    # numbers a close() kept for a call in flight in another thread, freed once those calls are done
    from sockcore._closing import reap

    reap()
    # the listing of /proc/self/fd itself may show up once
    leaked = sorted(fd for fd in _open_fds() - before if os.path.exists(f"/proc/self/fd/{fd}"))
    targets = []
    for fd in leaked:
        with contextlib.suppress(OSError):
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
    assert not leaked, f"descriptors leaked by this module: {leaked} -> " + ", ".join(targets)


class RegistryFixture:
    """Plugins registered for one test: ``isolated_registry.register(plugin)``, undone after."""

    def __init__(self) -> None:
        self._names: list[str] = []

    def register(self, plugin: object, name: str | None = None, *, distribution: str = "<test>") -> str:
        """Register ``plugin`` unless the registry already has it (installed: the entry point loaded it)."""
        if registry.plugin_manager().is_registered(plugin):
            return registry.plugin_manager().get_name(plugin) or ""
        registered = registry.register(plugin, name, distribution=distribution)
        self._names.append(registered)
        return registered

    def close(self) -> None:
        while self._names:
            registry.unregister(name=self._names.pop())


@pytest.fixture
def isolated_registry() -> Iterator[RegistryFixture]:
    """Register plugins for this test only; each is unregistered afterwards, whatever happens."""
    fixture = RegistryFixture()
    try:
        yield fixture
    finally:
        fixture.close()


def plugin_fixture(plugin: object, name: str, distribution: str = "<test>") -> Any:
    """A module-wide autouse fixture that registers ``plugin`` unless it is installed::

        plugin = plugin_fixture(hooks.plugin, "xdp", "sockcore-xdp")
    """

    @pytest.fixture(scope="module", autouse=True)
    def registered_plugin() -> Iterator[None]:
        with registered(plugin, name, distribution):
            yield

    return registered_plugin


@pytest.fixture
def fake_socket() -> Callable[..., FakeSocket]:
    """``fake_socket(family, type=SOCK_STREAM, proto=0)``: a :class:`FakeSocket`."""
    return FakeSocket
