"""The plugin registry: runtime registration, conflicts, lookups, entry-point switches."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest

import sockcore
from sockcore import registry
from sockcore.plugin import Family, RawAddress, SockOpt, hookimpl
from sockcore.sockopt import INT

FAKE_FAMILY = 250  # no real family uses this number


class FakeCodec:
    family = FAKE_FAMILY
    proto = None

    def encode(self, address: Any, sock: Any) -> bytes:
        if not isinstance(address, int):
            raise TypeError("fake address must be an int")
        return address.to_bytes(4, "little")

    def decode(self, body: bytes, sock: Any) -> int:
        return int.from_bytes(body[:4], "little")


def make_plugin(name: str, family: int = FAKE_FAMILY, constant: str = "AF_FAKEFAMILY") -> types.SimpleNamespace:
    @hookimpl
    def sockcore_families() -> list[Family]:
        return [Family(constant, family, address_format="int")]

    @hookimpl
    def sockcore_constants() -> dict[str, int]:
        return {constant: family, f"{constant}_MAGIC": 42}

    @hookimpl
    def sockcore_address_codecs() -> list[FakeCodec]:
        return [FakeCodec()]

    @hookimpl
    def sockcore_exports() -> dict[str, Any]:
        return {f"{name}_hello": lambda: "hello"}

    @hookimpl
    def sockcore_socket_methods() -> dict[str, Any]:
        return {f"{name}_method": lambda sock, x: (sock.fileno(), x)}

    @hookimpl
    def sockcore_sockopts() -> list[SockOpt[int]]:
        return [SockOpt(f"{constant}_OPT", 1, 7, INT, doc="fake")]

    return types.SimpleNamespace(
        sockcore_families=sockcore_families,
        sockcore_constants=sockcore_constants,
        sockcore_address_codecs=sockcore_address_codecs,
        sockcore_exports=sockcore_exports,
        sockcore_socket_methods=sockcore_socket_methods,
        sockcore_sockopts=sockcore_sockopts,
    )


@pytest.fixture
def fake() -> Iterator[types.SimpleNamespace]:
    plugin = make_plugin("fake")
    registry.register(plugin, name="fake")
    try:
        yield plugin
    finally:
        registry.unregister(plugin)


def test_runtime_plugin_adds_names(fake: types.SimpleNamespace) -> None:
    t = registry.tables()
    assert t.families[FAKE_FAMILY].family.name == "AF_FAKEFAMILY"
    assert t.families[FAKE_FAMILY].plugin.distribution == "<runtime>"
    assert sockcore.AF_FAKEFAMILY == FAKE_FAMILY
    assert sockcore.AF_FAKEFAMILY_MAGIC == 42
    assert sockcore.fake_hello() == "hello"
    assert sockcore.AddressFamily(FAKE_FAMILY).name == "AF_FAKEFAMILY"
    assert sockcore.options.AF_FAKEFAMILY_OPT.optname == 7


def test_runtime_plugin_codec_round_trip(fake: types.SimpleNamespace) -> None:
    codec = registry.tables().codec_for(FAKE_FAMILY, 0)
    assert codec is not None
    assert codec.decode(codec.encode(123456, None), None) == 123456


def test_unregister_removes_names(fake: types.SimpleNamespace) -> None:
    assert sockcore.AF_FAKEFAMILY == FAKE_FAMILY
    registry.unregister(fake)
    try:
        with pytest.raises(AttributeError):
            sockcore.AF_FAKEFAMILY  # noqa: B018
        assert FAKE_FAMILY not in registry.tables().families
    finally:
        registry.register(fake, name="fake")


def test_conflict_names_both_plugins(fake: types.SimpleNamespace) -> None:
    twin = make_plugin("twin")
    with pytest.raises(registry.PluginConflictError, match=r"both .*fake.* and .*twin"):
        registry.register(twin, name="twin")
    # the failed registration left everything as it was
    assert registry.plugin_manager().get_plugin("twin") is None
    assert sockcore.AF_FAKEFAMILY == FAKE_FAMILY


def test_conflicting_constant_only(fake: types.SimpleNamespace) -> None:
    @hookimpl
    def sockcore_constants() -> dict[str, int]:
        return {"SOL_SOCKET": 1}

    other = types.SimpleNamespace(sockcore_constants=sockcore_constants)
    with pytest.raises(registry.PluginConflictError, match="SOL_SOCKET is provided by both sockcore"):
        registry.register(other, name="other")


def test_extra_socket_method(fake: types.SimpleNamespace) -> None:
    a, b = sockcore.socketpair()
    with a, b:
        assert a.fake_method("x") == (a.fileno(), "x")


def test_raw_address_for_unknown_family() -> None:
    """A family no plugin knows round-trips its whole sockaddr body as RawAddress."""
    codec = sockcore._sockaddr.RAW_CODEC
    sock = types.SimpleNamespace(family=249, type=1, proto=0, fileno=lambda: -1)
    body = bytes(range(40))
    assert codec.encode(RawAddress(249, body), sock) == body
    assert codec.decode(body, sock) == RawAddress(249, body)
    with pytest.raises(TypeError, match="no installed plugin"):
        codec.encode("not raw", sock)
    with pytest.raises(ValueError, match="too long"):
        codec.encode(RawAddress(249, bytes(200)), sock)


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    return subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, env=full_env, check=False)


def test_disable_autoload() -> None:
    out = _run(
        "import sockcore.registry as r; print(sorted(p.name for p in r.tables().plugins))",
        SOCKCORE_DISABLE_PLUGIN_AUTOLOAD="1",
    )
    assert out.stdout.strip() == "['sockcore']", out.stderr


def test_select_plugins() -> None:
    out = _run(
        "import sockcore.registry as r; print(sorted(p.name for p in r.tables().plugins))",
        SOCKCORE_PLUGINS="unix",
    )
    assert out.stdout.strip() == "['sockcore', 'unix']", out.stderr


def test_import_loads_no_plugin_machinery() -> None:
    out = _run("import sys, sockcore; print(sorted(m for m in ('pluggy', 'attrs', 'typing', 'importlib.metadata') if m in sys.modules))")
    assert out.stdout.strip() == "[]", out.stderr


def test_missing_family_hint() -> None:
    out = _run(
        "import sockcore\ntry:\n    sockcore.socket(1)\nexcept OSError as e:\n    print(e.errno, e.strerror)",
        SOCKCORE_DISABLE_PLUGIN_AUTOLOAD="1",
    )
    assert "provided by sockcore-unix, which is not installed" in out.stdout, out.stderr
