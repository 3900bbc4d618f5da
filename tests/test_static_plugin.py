"""StaticPlugin: a plugin declared as fixed tables, registered like any other."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import metadata
from typing import Any

import pytest

import sockcore
from sockcore import registry
from sockcore.plugin import INT, Family, SockOpt, StaticPlugin, hookimpl

AF_STATIC = 251  # no kernel family and no first-party plugin has this number


class StaticCodec:
    family = AF_STATIC
    proto: int | None = None

    def encode(self, address: Any, sock: Any) -> bytes:
        return bytes(address)

    def decode(self, body: bytes, sock: Any) -> bytes:
        return body


def make_plugin() -> StaticPlugin:
    return StaticPlugin(
        families=[Family("AF_SOCKCORE_STATIC", AF_STATIC, address_format="bytes")],
        codecs=[StaticCodec()],
        constants={"AF_SOCKCORE_STATIC": AF_STATIC, "SOCKCORE_STATIC_MAGIC": 4343},
        exports={"sockcore_static_hello": lambda: "hello"},
        socket_methods={"sockcore_static_method": lambda sock: "method"},
        sockopts=[SockOpt("SOCKCORE_STATIC_OPT", 1, 7, INT, doc="static")],
    )


def test_a_static_plugin_registers_and_unregisters() -> None:
    name = registry.register(make_plugin(), name="sockcore-test-static")
    try:
        t = registry.tables()
        assert t.families[AF_STATIC].family.name == "AF_SOCKCORE_STATIC"
        assert t.families[AF_STATIC].plugin.distribution == "<runtime>"
        assert isinstance(t.codec_for(AF_STATIC, 0), StaticCodec)
        assert t.constants["SOCKCORE_STATIC_MAGIC"] == 4343
        assert sockcore.SOCKCORE_STATIC_MAGIC == 4343
        assert sockcore.AddressFamily(AF_STATIC).name == "AF_SOCKCORE_STATIC"
        assert sockcore.sockcore_static_hello() == "hello"
        assert "sockcore_static_method" in t.methods
        assert "SOCKCORE_STATIC_OPT" in t.sockopts
    finally:
        registry.unregister(name=name)
    t = registry.tables()
    assert AF_STATIC not in t.families
    assert "SOCKCORE_STATIC_MAGIC" not in t.constants
    with pytest.raises(AttributeError):
        _ = sockcore.SOCKCORE_STATIC_MAGIC


def test_the_tables_are_returned_as_given() -> None:
    constants = {"SOCKCORE_STATIC_MAGIC": 1}
    plugin = StaticPlugin(constants=constants)
    assert plugin.sockcore_constants() is constants
    assert "StaticPlugin" in repr(plugin)


def test_an_empty_static_plugin_adds_nothing() -> None:
    plugin = StaticPlugin()
    for hook in ("families", "address_codecs", "constants", "exports", "socket_methods", "sockopts", "cmsg_codecs", "uri_schemes"):
        assert len(getattr(plugin, f"sockcore_{hook}")()) == 0
    before = registry.tables()
    name = registry.register(plugin, name="sockcore-test-static-empty")
    try:
        after = registry.tables()
        assert after.constants == before.constants
        assert after.families == before.families
        assert after.exports == before.exports
    finally:
        registry.unregister(name=name)


def test_a_subclass_computes_one_hook_at_build_time() -> None:
    """The documented way to mix fixed tables with an answer computed on every rebuild."""
    calls: list[int] = []

    class Counting(StaticPlugin):
        @hookimpl
        def sockcore_exports(self) -> Mapping[str, Any]:
            calls.append(1)
            return {"sockcore_static_builds": len(calls)}

    name = registry.register(Counting(constants={"SOCKCORE_STATIC_MAGIC": 1}), name="sockcore-test-static-sub")
    try:
        assert registry.tables().exports["sockcore_static_builds"] == len(calls) >= 1
        assert registry.tables().constants["SOCKCORE_STATIC_MAGIC"] == 1
    finally:
        registry.unregister(name=name)


def test_first_party_entry_points_name_static_plugins() -> None:
    eps = [ep for ep in metadata.entry_points(group=registry.ENTRY_POINT_GROUP) if ep.value.startswith("sockcore_")]
    if not eps:
        pytest.skip("no first-party plugin is installed")
    for ep in eps:
        assert ep.value.endswith(".hooks:plugin"), ep
        assert isinstance(ep.load(), StaticPlugin), ep
