"""The static constants equal the stdlib's and the registry's."""

from __future__ import annotations

import socket as stdlib

import sockcore_can
from sockcore_can import hooks
from sockcore_can._constants import CONSTANTS, HAND_WRITTEN

from sockcore.testing import check_plugin

PREFIXES = ("AF_CAN", "PF_CAN", "CAN_", "SOL_CAN_", "J1939_", "SCM_J1939_")


def test_every_stdlib_can_name_is_here_with_its_value() -> None:
    names = [n for n in dir(stdlib) if n.startswith(PREFIXES)]
    assert names, "this Python has no CAN constants to compare with"
    assert {n: CONSTANTS.get(n) for n in names} == {n: getattr(stdlib, n) for n in names}


def test_static_names_are_module_attributes() -> None:
    for name, value in CONSTANTS.items():
        assert getattr(sockcore_can, name) == value
    assert set(HAND_WRITTEN) <= set(CONSTANTS)


def test_plugin_contract() -> None:
    # attrs: the plugin's own frame and option records are attrs classes
    check_plugin(hooks.plugin, static_modules=["sockcore_can"], static_may_load=["attrs"])


def test_family_is_registered_with_a_probe() -> None:
    from sockcore import registry

    entry = registry.tables().families[sockcore_can.AF_CAN]
    assert entry.family.name == "AF_CAN"
    assert entry.family.probe == (stdlib.SOCK_RAW, sockcore_can.CAN_RAW)
    assert entry.plugin.distribution == "sockcore-can"
    assert "can" in registry.tables().uri_schemes
