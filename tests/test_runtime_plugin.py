"""A plugin registered at run time (``sockcore.registry.register``) adds a family and round-trips an address."""

from __future__ import annotations

import errno
import os
import struct
import types
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import pytest

import sockcore
from sockcore import registry
from sockcore.address import join_sockaddr, split_sockaddr
from sockcore.plugin import Family, hookimpl

AF_TEST = 250  # no kernel family and no first-party plugin has this number


class ExampleAddress(NamedTuple):
    node: int
    port: int


class ExampleCodec:
    """``(node, port)`` as two native u32s."""

    family = AF_TEST
    proto: int | None = None

    def encode(self, address: Any, sock: Any) -> bytes:
        if not isinstance(address, tuple) or len(address) != 2:
            raise TypeError("AF_TEST address must be a (node, port) tuple")
        try:
            return struct.pack("=II", *address)
        except struct.error as exc:
            raise OverflowError(str(exc)) from None

    def decode(self, body: bytes, sock: Any) -> ExampleAddress:
        return ExampleAddress(*struct.unpack("=II", body[:8]))


class ExamplePlugin:
    """A plugin as any object with hook methods."""

    @hookimpl
    def sockcore_families(self) -> Sequence[Family]:
        return [Family("AF_SOCKCORE_TEST", AF_TEST, address_format="(node, port)")]

    @hookimpl
    def sockcore_address_codecs(self) -> Sequence[Any]:
        return [ExampleCodec()]

    @hookimpl
    def sockcore_constants(self) -> Mapping[str, Any]:
        return {"AF_SOCKCORE_TEST": AF_TEST, "SOCKCORE_TEST_MAGIC": 4242}

    @hookimpl
    def sockcore_exports(self) -> Mapping[str, Any]:
        return {"sockcore_test_hello": lambda: "hello"}


class FakeSock:
    family = AF_TEST
    type = 2
    proto = 0

    def fileno(self) -> int:
        return -1


@pytest.fixture
def plugin() -> Iterator[str]:
    name = registry.register(ExamplePlugin(), name="sockcore-test-plugin")
    try:
        yield name
    finally:
        registry.unregister(name=name)


def test_names_appear_and_disappear(plugin: str) -> None:
    assert sockcore.AF_SOCKCORE_TEST == AF_TEST
    assert sockcore.SOCKCORE_TEST_MAGIC == 4242
    assert sockcore.sockcore_test_hello() == "hello"
    assert sockcore.AddressFamily(AF_TEST).name == "AF_SOCKCORE_TEST"
    assert registry.tables().families[AF_TEST].plugin.distribution == "<runtime>"
    registry.unregister(name=plugin)
    try:
        with pytest.raises(AttributeError):
            _ = sockcore.SOCKCORE_TEST_MAGIC
        assert AF_TEST not in registry.tables().families
    finally:
        registry.register(ExamplePlugin(), name=plugin)


def test_address_round_trips_through_the_registry(plugin: str) -> None:
    codec = registry.tables().codec_for(AF_TEST, 0)
    assert codec is not None
    for address in [(0, 0), (1, 2), (2**32 - 1, 12345)]:
        raw = join_sockaddr(AF_TEST, codec.encode(address, FakeSock()))
        family, body = split_sockaddr(raw)
        assert family == AF_TEST
        decoded = codec.decode(body, FakeSock())
        assert decoded == address
        assert isinstance(decoded, ExampleAddress)
    with pytest.raises(TypeError):
        codec.encode("nope", FakeSock())
    with pytest.raises(OverflowError):
        codec.encode((2**32, 0), FakeSock())


def test_the_kernel_still_decides(plugin: str) -> None:
    with pytest.raises(OSError) as info:
        sockcore.socket(AF_TEST, sockcore.SOCK_DGRAM)
    assert info.value.errno == errno.EAFNOSUPPORT


def test_a_conflicting_plugin_is_refused_and_the_registry_unchanged(plugin: str) -> None:
    clash = types.SimpleNamespace(sockcore_constants=hookimpl(lambda: {"SOCKCORE_TEST_MAGIC": 1}))
    before = dict(registry.tables().constants)
    with pytest.raises(registry.PluginConflictError) as info:
        registry.register(clash, name="sockcore-test-clash")
    assert "SOCKCORE_TEST_MAGIC" in str(info.value)
    assert "<runtime>" in str(info.value)
    assert registry.tables().constants == before


def test_a_protocol_codec_beats_the_family_codec_on_a_real_socket(tmp_path: Any) -> None:
    """A runtime codec for (AF_UNIX, protocol 1): addresses become ('unix', path) tuples on those sockets only."""

    class TaggedUnixCodec:
        family = sockcore.AF_UNIX
        proto: int | None = 1  # PF_UNIX: the one protocol number AF_UNIX accepts besides 0

        def encode(self, address: Any, sock: Any) -> bytes:
            tag, path = address
            if tag != "unix":
                raise ValueError("not a tagged unix address")
            return os.fsencode(path) + b"\0"

        def decode(self, body: bytes, sock: Any) -> tuple[str, str]:
            return ("unix", os.fsdecode(body.split(b"\0", 1)[0]))

    tagged = types.SimpleNamespace(sockcore_address_codecs=hookimpl(lambda: [TaggedUnixCodec()]))
    name = registry.register(tagged, name="sockcore-test-tagged")
    try:
        path = str(tmp_path / "s")
        with sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_DGRAM, 1) as s:
            s.bind(("unix", path))
            assert s.getsockname() == ("unix", path)
        os.unlink(path)
        with sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_DGRAM, 0) as plain:
            plain.bind(path)
            assert plain.getsockname() == path
    finally:
        registry.unregister(name=name)


def test_sockets_made_after_a_change_use_the_new_codec() -> None:
    """Sockets cache their family's codec per (family, proto); registering a plugin must reach new sockets."""
    from sockcore._sockaddr import RAW_CODEC

    def codec_of_new_socket() -> Any:
        a, b = sockcore.socketpair()
        b.close()
        with sockcore.socket(AF_TEST, sockcore.SOCK_STREAM, 0, fileno=a.detach()) as s:
            return s._codec

    assert codec_of_new_socket() is RAW_CODEC
    name = registry.register(ExamplePlugin(), name="sockcore-test-plugin")
    try:
        assert isinstance(codec_of_new_socket(), ExampleCodec)
    finally:
        registry.unregister(name=name)
    assert codec_of_new_socket() is RAW_CODEC


def test_a_plugin_takes_over_an_unserved_family_name() -> None:
    """The core keeps AF_X25's number only until a plugin declares the family: no conflict."""
    from sockcore.plugin import StaticPlugin

    x25 = sockcore.AF_X25
    assert registry.tables().owners["AF_X25"].distribution == "sockcore"
    name = registry.register(
        StaticPlugin(families=[Family("AF_X25", int(x25))], constants={"AF_X25": int(x25), "X25_TEST": 7}),
        name="sockcore-x25-test",
        distribution="sockcore-x25-test",
    )
    try:
        assert registry.tables().owners["AF_X25"].distribution == "sockcore-x25-test"
        assert sockcore.AF_X25 is sockcore.AddressFamily.AF_X25
        assert sockcore.X25_TEST == 7
    finally:
        registry.unregister(name=name)
    assert registry.tables().owners["AF_X25"].distribution == "sockcore"
    assert x25 == sockcore.AF_X25
