"""sockcore.testing and sockcore.plugin: the kit catches what it promises to catch.

A toy family (number 250, no kernel has it) with a good codec, then with the
mistakes plugin authors make: a codec that crashes on a short body, a
misspelt hook, a constant that is not an int, a name another plugin owns.
"""

from __future__ import annotations

import socket as std_socket
import struct
import subprocess
import sys
import warnings
from typing import Any, NamedTuple

import pytest

import sockcore
from sockcore import registry
from sockcore.plugin import (
    SOCK_DGRAM,
    U32,
    Family,
    Probe,
    StaticPlugin,
    hookimpl,
    option_table,
    u8,
    u16,
    u32,
)
from sockcore.testing import FakeSocket, PluginCheckError, check_codec, check_plugin

AF_KIT = 250


class KitAddress(NamedTuple):
    node: int
    port: int


class KitCodec:
    family = AF_KIT
    proto: int | None = None

    def encode(self, address: Any, sock: Any) -> bytes:
        if not isinstance(address, tuple) or len(address) != 2:
            raise TypeError("AF_KIT address must be a (node, port) tuple")
        return struct.pack("=BH", u8(address[0], "node"), u16(address[1], "port"))

    def decode(self, body: bytes, sock: Any) -> KitAddress:
        node, port = struct.unpack_from("=BH", body.ljust(3, b"\0"))
        return KitAddress(node, port)

    def stable(self, address: Any) -> bool:
        return type(address) is KitAddress


class CrashingCodec(KitCodec):
    def decode(self, body: bytes, sock: Any) -> KitAddress:
        return KitAddress(*struct.unpack("=BH", body))  # struct.error on a short body


def kit_plugin(**changes: Any) -> StaticPlugin:
    tables: dict[str, Any] = {
        "families": [Family("AF_KIT", AF_KIT, probe=Probe(SOCK_DGRAM, 0))],
        "codecs": [KitCodec()],
        "constants": {"AF_KIT": AF_KIT, "KIT_MTU": 7},
    }
    tables.update(changes)
    return StaticPlugin(**tables)


def test_check_codec_passes_a_good_codec() -> None:
    check_codec(KitCodec(), [KitAddress(0, 0), KitAddress(255, 65535)], max_examples=50)


def test_check_codec_reports_a_crash_on_a_short_body() -> None:
    with pytest.raises(AssertionError, match="decode of 0 bytes"):
        check_codec(CrashingCodec(), [KitAddress(1, 2)], max_examples=10)


def test_check_codec_reports_an_undocumented_exception() -> None:
    class Leaky(KitCodec):
        def encode(self, address: Any, sock: Any) -> bytes:
            return bytes([address[0]])  # IndexError, KeyError ... on junk

    with pytest.raises(Exception) as info:
        check_codec(Leaky(), [KitAddress(1, 2)], max_examples=50)
    assert not isinstance(info.value, (TypeError, ValueError, OverflowError))


def test_check_plugin_passes_a_good_plugin() -> None:
    report = check_plugin(kit_plugin(), distribution="sockcore-kit", static_modules=["sockcore.plugin"])
    assert not report.problems
    assert any("static names" in line for line in report.checked)
    assert any("no spec and table" in line for line in report.skipped)  # says what it did not check
    assert registry.tables().family_name(AF_KIT) is None  # unregistered afterwards


def test_check_plugin_reports_a_misspelt_hook() -> None:
    class Misspelt(StaticPlugin):
        @hookimpl
        def sockcore_familes(self) -> list[Family]:
            return []

    with pytest.raises(PluginCheckError, match="sockcore_familes is not a sockcore hook"), warnings.catch_warnings():
        warnings.simplefilter("ignore", registry.PluginLoadWarning)
        check_plugin(Misspelt(families=[Family("AF_KIT", AF_KIT)], constants={"AF_KIT": AF_KIT}))


def test_check_plugin_reports_bad_records_and_conflicts() -> None:
    report = check_plugin(
        kit_plugin(constants={"AF_KIT": AF_KIT, "KIT_NAME": 1.5, "SOCK_STREAM": 1}), raise_on_problems=False
    )
    text = "\n".join(report.problems)
    assert "KIT_NAME is float, not int or str" in text
    assert "conflict" in text and "SOCK_STREAM" in text


def test_check_plugin_reports_a_heavy_static_import() -> None:
    report = check_plugin(kit_plugin(), static_modules=["sockcore.records"], raise_on_problems=False)
    assert report.problems == ["import sockcore.records loads attrs (static modules must not)"]


def test_register_warns_about_a_misspelt_hook_with_the_distribution() -> None:
    class Plugin:
        @hookimpl
        def sockcore_constans(self) -> dict[str, int]:
            return {"KIT_X": 1}

    with pytest.warns(registry.PluginLoadWarning, match=r"sockcore-kit.*sockcore_constans .*did you mean sockcore_constants"):
        registry.register(Plugin(), "kit", distribution="sockcore-kit")
    try:
        assert registry.hook_errors["kit"]
    finally:
        registry.unregister(name="kit")


def test_an_entry_point_with_a_misspelt_hook_warns(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    class Dist:
        metadata = {"Name": "sockcore-kit"}
        version = "1.2"

    class EntryPoint:
        name = "kit-ep"
        value = "sockcore_kit.hooks:plugin"
        dist = Dist()

        def load(self) -> object:
            return Unmarked()

    class Unmarked(StaticPlugin):
        def sockcore_uri_scheme(self) -> list[Any]:  # no marker, misspelt: pluggy would ignore it
            return []

    monkeypatch.setattr(metadata, "entry_points", lambda group: [EntryPoint()])
    pm = registry.plugin_manager()
    with pytest.warns(registry.PluginLoadWarning, match=r"'kit-ep' from sockcore-kit 1\.2: sockcore_uri_scheme .*sockcore_uri_schemes"):
        registry._load_entry_points(pm)
    pm.unregister(name="kit-ep")
    registry._plugin_info.pop("kit-ep", None)


def test_plugin_module_loads_neither_pluggy_nor_attrs() -> None:
    code = "import sys, sockcore.plugin as p; p.u32; p.SOCK_STREAM; print(sorted({'pluggy', 'attrs'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("check", "value", "error"),
    [(u8, 256, OverflowError), (u16, -1, OverflowError), (u32, 2**32, OverflowError), (u32, 1.0, TypeError), (u8, "1", TypeError)],
)
def test_field_helpers(check: Any, value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        check(value, "field")


def test_field_helpers_accept_the_range_ends() -> None:
    assert (u8(255, "x"), u16(0, "x"), u32(2**32 - 1, "x")) == (255, 0, 2**32 - 1)
    assert u32(True, "x") == 1  # an int subclass, as the stdlib's "I" takes it


def test_option_table_takes_optnames_from_the_constants() -> None:
    opt = option_table("AF_KIT", 280, {"KIT_MTU": 7})
    mtu = opt("KIT_MTU", U32, "the MTU", "r")
    assert (mtu.level, mtu.optname, mtu.access, mtu.family) == (280, 7, "r", "AF_KIT")
    other = opt("KIT_OTHER", U32, "x", level=1, optname=9)
    assert (other.level, other.optname) == (1, 9)


def test_fake_socket_is_socket_info() -> None:
    sock = FakeSocket(AF_KIT, SOCK_DGRAM)
    assert (sock.family, sock.type, sock.proto, sock.fileno()) == (AF_KIT, SOCK_DGRAM, 0, -1)


def test_first_party_plugins_import_no_private_core_module() -> None:
    import re
    from pathlib import Path

    private = re.compile(r"^\s*(from sockcore\._\w+ import|import sockcore\._|from sockcore import _)", re.M)
    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in sorted(root.glob("plugins/*/src/**/*.py"))
        if private.search(path.read_text())
    ]
    assert offenders == [], "import these names from sockcore.plugin instead"


@pytest.mark.parametrize("module", [std_socket, sockcore], ids=["stdlib", "sockcore"])
def test_fill_and_drain_leave_the_mode_and_account_for_every_byte(module: Any) -> None:
    from sockcore.testing import drain, fill

    a, b = module.socketpair()
    with a, b:
        a.settimeout(2.5)
        sent = fill(a)
        assert a.gettimeout() == 2.5
        a.setblocking(False)
        with pytest.raises(BlockingIOError):
            a.send(b"x")  # not even one byte fits
        b.settimeout(None)
        assert len(drain(b)) == sent
        assert b.gettimeout() is None
        assert drain(b) == b""


def test_bounded_call_reports_a_call_that_waits_too_long() -> None:
    from sockcore.testing import Blocked, bounded_call

    a, b = sockcore.socketpair()
    with a, b:
        assert bounded_call(lambda: b.recv(1), lambda: a.send(b"x"), seconds=0.05).__class__ is Blocked
        a.send(b"y")
        assert bounded_call(lambda: b.recv(1), lambda: None) == b"y"
        b.settimeout(0.01)
        assert isinstance(bounded_call(lambda: b.recv(1), lambda: None), TimeoutError)
