"""sockcore-tipc's names: static == runtime, equal to the stdlib's, every stdlib TIPC name present."""

from __future__ import annotations

import socket as stdlib

import sockcore_tipc
from sockcore_tipc import hooks

from sockcore.testing import check_plugin


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_tipc"])
    for name, value in sockcore_tipc.CONSTANTS.items():
        assert getattr(sockcore_tipc, name) == value


def test_every_stdlib_tipc_name_with_the_stdlib_value() -> None:
    names = [n for n in dir(stdlib) if n.startswith("TIPC_") or n in ("AF_TIPC", "SOL_TIPC")]
    assert names
    for name in names:
        assert getattr(sockcore_tipc, name) == getattr(stdlib, name), name


def test_options_table() -> None:
    from sockcore.registry import tables

    opts = tables().sockopts
    assert opts["TIPC_IMPORTANCE"].level == stdlib.SOL_TIPC
    assert opts["TIPC_CONN_TIMEOUT"].optname == stdlib.TIPC_CONN_TIMEOUT
