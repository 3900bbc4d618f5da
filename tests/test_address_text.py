"""str() and repr() of every address are exactly the stdlib tuple's text.

Log lines, messages built with ``%s`` or f-strings (asyncio's "error while
attempting to bind on address ..."), doctests and golden files compare these
strings.  The NamedTuple fields stay (``.host``, ``.port``): only the text is
the plain tuple's.

Differential tests read the same kernel socket through both modules
(``socket.socket(fileno=dup)``) or receive the same datagram; codec-level
tests cover the families this kernel lacks, and every ``*Address`` class a
plugin defines is found by walking the plugins, so a new one cannot be missed.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import socket as std
import struct
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

import sockcore

PLUGINS = [
    "sockcore_alg", "sockcore_bluetooth", "sockcore_can", "sockcore_hyperv", "sockcore_inet",
    "sockcore_netlink", "sockcore_packet", "sockcore_qipcrtr", "sockcore_rds", "sockcore_system",
    "sockcore_tipc", "sockcore_unix", "sockcore_vsock",
]


def _texts(address: Any) -> tuple[str, str, str, str]:
    return str(address), repr(address), f"{address}", "%s" % (address,)  # noqa: UP031 - the %-form is what is tested


def _assert_same_text(ours: Any, theirs: Any) -> None:
    assert ours == theirs
    assert _texts(ours) == _texts(theirs)


def _same_socket(sock: sockcore.socket) -> std.socket:
    """The stdlib's socket object over a duplicate of ``sock``'s descriptor."""
    return std.socket(fileno=os.dup(sock.fileno()))


#: records named *Address that are not socket addresses (getifaddrs' rows print as `ip addr` does)
NOT_SOCKET_ADDRESSES = {"sockcore_netlink.ifaddrs.InterfaceAddress"}


def _address_classes() -> Iterator[type]:
    for name in PLUGINS:
        try:
            package = importlib.import_module(name)
        except ImportError:
            continue
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            if "._constants" in info.name:
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type) and issubclass(value, tuple) and hasattr(value, "_fields")
                    and value.__name__.endswith("Address") and value.__module__ == info.name
                    and f"{info.name}.{value.__name__}" not in NOT_SOCKET_ADDRESSES
                ):
                    yield value


ADDRESS_CLASSES = sorted(set(_address_classes()), key=lambda cls: cls.__qualname__)


def test_every_plugin_address_class_is_found() -> None:
    names = {cls.__name__ for cls in ADDRESS_CLASSES}
    assert {"IPv4Address", "IPv6Address", "PacketAddress", "NetlinkAddress", "VsockAddress"} <= names
    assert len(ADDRESS_CLASSES) >= 17


@pytest.mark.parametrize("cls", ADDRESS_CLASSES, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_address_class_prints_as_a_tuple(cls: type) -> None:
    fields = cls._fields  # type: ignore[attr-defined]
    values = tuple(f"v{i}" if i % 2 else i for i in range(len(fields)))
    address = cls(*values)
    _assert_same_text(address, values)
    assert getattr(address, fields[0]) == values[0]  # the fields stay


def test_raw_address_prints_as_a_tuple() -> None:
    _assert_same_text(sockcore.RawAddress(99, b"\x01\x02"), (99, b"\x01\x02"))


def test_fields_stay() -> None:
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        address = sock.getsockname()
        assert (address.host, address.port) == tuple(address)
        assert repr(address) == f"('127.0.0.1', {address.port})"
        assert f"laddr={address}" in repr(sock)


# -- differential: the same kernel socket through both modules -------------------------------


@pytest.mark.parametrize(
    ("family", "kind", "address"),
    [
        ("AF_INET", "SOCK_DGRAM", ("127.0.0.1", 0)),
        ("AF_INET", "SOCK_STREAM", ("127.0.0.1", 0)),
        ("AF_INET6", "SOCK_DGRAM", ("::1", 0)),
        ("AF_INET6", "SOCK_STREAM", ("::1", 0, 0, 0)),
        ("AF_UNIX", "SOCK_DGRAM", b"\0sockcore-address-text"),
        ("AF_UNIX", "SOCK_STREAM", ""),
        ("AF_NETLINK", "SOCK_RAW", (0, 0)),
        ("AF_VSOCK", "SOCK_STREAM", None),  # never connected: getsockname of a fresh socket only
    ],
)
def test_getsockname_text(family: str, kind: str, address: Any) -> None:
    try:
        sock = sockcore.socket(getattr(sockcore, family), getattr(sockcore, kind))
    except OSError as exc:
        pytest.skip(f"{family} unavailable here: {exc}")
    with sock, _same_socket(sock) as theirs:
        if address is not None:
            sock.bind(address)
        _assert_same_text(sock.getsockname(), theirs.getsockname())


@pytest.mark.root
def test_packet_getsockname_text() -> None:
    with sockcore.socket(sockcore.AF_PACKET, sockcore.SOCK_RAW) as sock, _same_socket(sock) as theirs:
        sock.bind(("lo", 0x0800))
        _assert_same_text(sock.getsockname(), theirs.getsockname())


def test_getpeername_and_accept_text() -> None:
    with sockcore.socket(sockcore.AF_INET6, sockcore.SOCK_STREAM) as server:
        server.bind(("::1", 0))
        server.listen()
        with sockcore.create_connection(server.getsockname()[:2]) as client, _same_socket(client) as theirs:
            _assert_same_text(client.getpeername(), theirs.getpeername())
            conn, accepted = server.accept()
            with conn:
                _assert_same_text(accepted, theirs.getsockname())


@pytest.mark.parametrize(("family", "host"), [("AF_INET", "127.0.0.1"), ("AF_INET6", "::1")])
def test_recvfrom_text(family: str, host: str) -> None:
    with (
        std.socket(getattr(std, family), std.SOCK_DGRAM) as sender,
        std.socket(getattr(std, family), std.SOCK_DGRAM) as stdlib_receiver,
        sockcore.socket(getattr(sockcore, family), sockcore.SOCK_DGRAM) as receiver,
    ):
        sender.bind((host, 0))
        stdlib_receiver.bind((host, 0))
        receiver.bind((host, 0))
        sender.sendto(b"x", stdlib_receiver.getsockname())
        sender.sendto(b"x", receiver.getsockname())
        _assert_same_text(receiver.recvfrom(16)[1], stdlib_receiver.recvfrom(16)[1])
        sender.sendto(b"y", receiver.getsockname())
        sender.sendto(b"y", stdlib_receiver.getsockname())
        _assert_same_text(receiver.recvmsg(16)[3], stdlib_receiver.recvmsg(16)[3])


def test_netlink_recvfrom_text() -> None:
    """An RTM_GETLINK dump: the kernel's address (0, 0) as both modules return it."""
    request = struct.pack("=IHHIIBxxxiII", 32, 18, 0x301, 1, 0, 0, 0, 0, 0)  # nlmsghdr + ifinfomsg
    with (
        std.socket(std.AF_NETLINK, std.SOCK_RAW, 0) as stdlib_sock,
        sockcore.socket(sockcore.AF_NETLINK, sockcore.SOCK_RAW, 0) as sock,
    ):
        for s in (stdlib_sock, sock):
            s.bind((0, 0))
            s.send(request)
        _assert_same_text(sock.recvfrom(65536)[1], stdlib_sock.recvfrom(65536)[1])


@pytest.mark.root
def test_packet_recvfrom_text() -> None:
    """Both modules capture the loopback datagrams; every sockcore address prints as the stdlib's would."""
    eth_p_ip = 0x0800
    with (
        std.socket(std.AF_PACKET, std.SOCK_DGRAM, std.htons(eth_p_ip)) as stdlib_capture,
        sockcore.socket(sockcore.AF_PACKET, sockcore.SOCK_DGRAM, sockcore.htons(eth_p_ip)) as capture,
        std.socket(std.AF_INET, std.SOCK_DGRAM) as sender,
    ):
        stdlib_capture.bind(("lo", eth_p_ip))
        capture.bind(("lo", eth_p_ip))
        stdlib_capture.settimeout(5)
        capture.settimeout(5)
        sender.sendto(b"sockcore address text", ("127.0.0.1", 9))  # discard port on loopback
        theirs = {repr(stdlib_capture.recvfrom(2048)[1]) for _ in range(2)}
        ours = [capture.recvfrom(2048)[1] for _ in range(2)]
        for address in ours:
            assert str(address) == repr(address) == repr(tuple(address))
        assert {repr(address) for address in ours} & theirs


def test_unix_recvfrom_text() -> None:
    name = f"\0sockcore-text-{uuid.uuid4().hex}".encode()
    with (
        std.socket(std.AF_UNIX, std.SOCK_DGRAM) as sender,
        std.socket(std.AF_UNIX, std.SOCK_DGRAM) as stdlib_receiver,
        sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_DGRAM) as receiver,
    ):
        sender.bind(name)
        stdlib_receiver.bind(b"")
        receiver.bind(b"")
        sender.sendto(b"x", stdlib_receiver.getsockname())
        sender.sendto(b"x", receiver.getsockname())
        _assert_same_text(receiver.recvfrom(16)[1], stdlib_receiver.recvfrom(16)[1])


# -- codec level: what the kernel returns, decoded, for the families this kernel lacks ------------


class _Info:
    family = 0
    type = 0
    proto = 0

    def fileno(self) -> int:
        return -1


def _codec(module: str, name: str) -> Any:
    pytest.importorskip(module)
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize(
    ("module", "codec", "body", "expected"),
    [
        ("sockcore_qipcrtr.codec", "QrtrAddressCodec", struct.pack("=2xII", 1, 0x4000), (1, 0x4000)),
        ("sockcore_tipc.codec", "TipcAddressCodec", struct.pack("=BbIII", 1, 2, 1000, 1, 5), (1, 1000, 1, 5, 2)),
        ("sockcore_alg.address", "AlgCodec", struct.pack("=14sII64s", b"hash", 0, 0, b"sha256"), ("hash", "sha256", 0, 0)),
        ("sockcore_vsock.codec", "VsockAddressCodec", struct.pack("=HIIB3x", 0, 1234, 3, 0), (3, 1234)),
    ],
)
def test_decoded_address_text(module: str, codec: str, body: bytes, expected: tuple[Any, ...]) -> None:
    address = _codec(module, codec)().decode(body, _Info())
    _assert_same_text(address, expected)


def test_can_and_bluetooth_decoded_text() -> None:
    can = pytest.importorskip("sockcore_can.address")
    info = _Info()
    _assert_same_text(can.CanCodec().decode(bytes(22), info), ("",))
    _assert_same_text(can.IsotpCodec().decode(struct.pack("=2xiII8x", 0, 0x123, 0x456), info), ("", 0x123, 0x456))
    _assert_same_text(can.J1939Codec().decode(struct.pack("=2xiQIB3x", 0, 7, 0x1F000, 0x80), info), ("", 7, 0x1F000, 0x80))
    bt = pytest.importorskip("sockcore_bluetooth.address")
    _assert_same_text(bt.RfcommCodec().decode(bytes(6) + b"\x03\x00", info), ("00:00:00:00:00:00", 3))
    _assert_same_text(bt.HciCodec().decode(struct.pack("=HH", 0, 1), info), (0, 1))
