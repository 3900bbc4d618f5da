"""The core's and every in-tree plugin's tests use the plugin test kit: markers, the descriptor-leak check.

This file adds the platform lane's ``qemu`` marker, and the hypothesis profile
``./dev test`` asks for (``SOCKCORE_HYPOTHESIS_PROFILE=ci``): every property
test runs on the same examples each time, so a CI failure is reproducible and
never a coin toss; plain ``pytest`` and the campaigns keep searching anew.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

pytest_plugins = ["sockcore.testing"]

# on top of what is loaded already (the platform lane's own profile turns the deadline off)
settings.register_profile("ci", settings(), derandomize=True, database=None)
if os.environ.get("SOCKCORE_HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["SOCKCORE_HYPOTHESIS_PROFILE"])

#: the Debian architecture of the platform lane (../shared/tools/PLATFORM-LANE.md), or None outside it
LANE_ARCH = os.environ.get("PLATFORM_LANE_ARCH") if os.environ.get("PLATFORM_LANE_GUEST") == "1" else None
#: lane architectures this x86_64 host runs without qemu-user
_NATIVE_ARCHES = frozenset({"amd64", "i386"})


def _qemu_limitation(marker: pytest.Mark) -> pytest.MarkDecorator | None:
    """``@pytest.mark.qemu("what qemu-user does not do", arches=..., run=...)`` as an xfail in the lane.

    Outside the platform lane the marker does nothing. Inside it, it applies on
    the ``arches`` given (Debian names), or else on every emulated one, and
    the test is reported as an expected failure that names the limitation
    (``run=False`` for one that would hang): never skipped silently.
    """
    if LANE_ARCH is None:
        return None
    if not marker.args or not isinstance(marker.args[0], str):
        raise pytest.UsageError("@pytest.mark.qemu needs the limitation it works around as its first argument")
    arches = marker.kwargs.get("arches")
    if not (LANE_ARCH in arches if arches else LANE_ARCH not in _NATIVE_ARCHES):
        return None
    reason = f"qemu-user limitation on {LANE_ARCH}: {marker.args[0]}"
    return pytest.mark.xfail(reason=reason, run=marker.kwargs.get("run", True), strict=False)


#: the platform lane runs in a chroot whose / is no mount point: `ip netns` / `ip -n`
#: fail to remount it ("mount --make-rslave /" failed: Invalid argument)
_LANE_NETNS = pytest.mark.xfail(
    reason="platform lane: ip netns cannot remount / inside the lane's chroot (mount --make-rslave: EINVAL)",
    run=False, strict=False,
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Known qemu-user and lane limitations become named expected failures inside the platform lane."""
    for item in items:
        for marker in item.iter_markers("qemu"):
            limitation = _qemu_limitation(marker)
            if limitation is not None:
                item.add_marker(limitation)
        if LANE_ARCH is not None and ("netns" in item.keywords or "netns" in getattr(item, "fixturenames", ())):
            item.add_marker(_LANE_NETNS)
