"""A plugin that claims the same scheme as clitest_plugin: a conflict `doctor` must report."""

from __future__ import annotations

from collections.abc import Sequence

from sockcore.plugin import UriScheme, UriTarget, hookimpl


def _parse(uri: str) -> UriTarget:
    raise ValueError("never used")


@hookimpl
def sockcore_uri_schemes() -> Sequence[UriScheme]:
    return [UriScheme("test-tcp", _parse)]
