"""The plugin as the registry sees it: family, codec, constants, exports, cmsg codecs, URI schemes."""

from __future__ import annotations

import socket as std

import sockcore_unix
from sockcore_unix import hooks

from sockcore import registry
from sockcore.testing import check_plugin


def test_the_family_is_registered_as_socketpairs_default() -> None:
    t = registry.tables()
    entry = t.families[std.AF_UNIX]
    assert entry.family.name == "AF_UNIX"
    assert entry.plugin.distribution == "sockcore-unix"
    assert t.defaults["socketpair"] == std.AF_UNIX
    assert "socket" not in entry.family.default_for


def test_the_codec_serves_every_protocol() -> None:
    t = registry.tables()
    assert t.codec_for(std.AF_UNIX, 0) is sockcore_unix.UNIX_CODEC
    assert t.codec_for(std.AF_UNIX, 7) is sockcore_unix.UNIX_CODEC


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_unix"])
    t = registry.tables()
    for name, value in sockcore_unix.CONSTANTS.items():
        assert value == getattr(sockcore_unix, name)
        assert t.owners[name].distribution == "sockcore-unix"


def test_constants_match_the_stdlib() -> None:
    for name, value in sockcore_unix.CONSTANTS.items():
        if hasattr(std, name):
            assert getattr(std, name) == value, name
    assert int(std.AF_UNIX) == sockcore_unix.AF_UNIX


def test_af_unix_is_an_address_family_member() -> None:
    family = registry.tables().enums["AddressFamily"](std.AF_UNIX)
    assert family.name == "AF_UNIX"
    assert registry.tables().constants["AF_UNIX"] is family


def test_exports() -> None:
    t = registry.tables()
    assert t.exports["send_fds"] is sockcore_unix.send_fds
    assert t.exports["recv_fds"] is sockcore_unix.recv_fds


def test_cmsg_codecs_are_keyed_by_the_core_constants() -> None:
    t = registry.tables()
    assert t.cmsg_codecs[(std.SOL_SOCKET, std.SCM_RIGHTS)].name == "SCM_RIGHTS"
    assert t.cmsg_codecs[(std.SOL_SOCKET, std.SCM_CREDENTIALS)].name == "SCM_CREDENTIALS"


def test_uri_schemes() -> None:
    t = registry.tables()
    assert set(t.uri_schemes) >= {"unix", "unix-abstract"}
    assert t.uri_schemes["unix"].parse("unix:/x").address == "/x"


def test_the_plugin_owns_no_core_name() -> None:
    from sockcore._constants import CONSTANTS as core

    assert not set(core) & set(sockcore_unix.CONSTANTS)
    assert not set(core) & set(hooks.plugin.sockcore_exports())
