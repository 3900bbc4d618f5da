"""The AF_PACKET codec without sockets: round trips, errors, constants, URIs."""

from __future__ import annotations

import atexit
import contextlib
import socket as stdlib
import sys

import pytest
import sockcore_packet
from hypothesis import given
from hypothesis import strategies as st
from sockcore_packet import codec as codec_module
from sockcore_packet import hooks
from sockcore_packet.cmsg import decode_auxdata, encode_auxdata
from sockcore_packet.codec import CODEC
from sockcore_packet.options import FANOUT, PACKET_OPTIONS
from sockcore_packet.records import AuxData, Fanout, PacketAddress, PacketMreq
from sockcore_packet.uri import parse_packet_uri

import sockcore.address
from sockcore import registry
from sockcore.testing import CODEC_ERRORS, FakeSocket, check_codec, check_plugin

# The codec resolves interface names with an ioctl on the socket's descriptor, as
# CPython does; any socket's descriptor answers SIOCGIFINDEX, so a datagram
# socket of this process stands in for the packet socket (no root needed).
_IOCTL_SOCKET = stdlib.socket(stdlib.AF_UNIX, stdlib.SOCK_DGRAM)
atexit.register(_IOCTL_SOCKET.close)
SOCK = FakeSocket(sockcore_packet.AF_PACKET, stdlib.SOCK_RAW, fd=_IOCTL_SOCKET.fileno())
INTERFACES = [name for _, name in stdlib.if_nameindex()]

addresses = st.builds(
    PacketAddress,
    st.sampled_from(INTERFACES),
    st.integers(0, 0xFFFF),
    st.integers(0, 0xFF),
    st.integers(0, 0xFFFF),
    st.binary(max_size=8),
)


@given(addresses)
def test_round_trip(address: PacketAddress) -> None:
    body = CODEC.encode(address, SOCK)
    assert len(body) == 18  # sizeof(struct sockaddr_ll) - sizeof(sa_family_t)
    decoded = CODEC.decode(body, SOCK)
    assert decoded == address
    assert decoded == tuple(address)  # equal to the stdlib's plain tuple


@given(addresses, st.integers(2, 5))
def test_short_forms_take_the_stdlib_defaults(address: PacketAddress, length: int) -> None:
    short = tuple(address)[:length]
    decoded = CODEC.decode(CODEC.encode(short, SOCK), SOCK)
    assert decoded[:length] == short
    assert decoded[length:] == (stdlib.PACKET_HOST, 0, b"")[length - 2 :]


def test_protocol_is_in_network_byte_order() -> None:
    body = CODEC.encode(("lo", 0x86DD), SOCK)
    assert body[:2] == b"\x86\xdd"


def test_decode_of_a_short_body_and_an_unknown_index() -> None:
    assert CODEC.decode(b"", SOCK) == ("", 0, 0, 0, b"")
    body = bytearray(CODEC.encode(("lo", 1), SOCK))
    body[2:6] = (2**31 - 1).to_bytes(4, sys.byteorder)  # sll_ifindex: a C int in host order
    assert CODEC.decode(bytes(body), SOCK).ifname == ""


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("lo", TypeError),
        (("lo",), TypeError),
        (("lo", 1, 0, 0, b"", 6), TypeError),
        ((b"lo", 1), TypeError),
        (("lo", 1.0), TypeError),
        (("lo", 1, 0, 0, "ab"), TypeError),
        (("lo", 2**31), OverflowError),
        (("lo", -1), OverflowError),
        (("lo", 0x10000), OverflowError),
        (("lo", 1, 0, 0, b"123456789"), ValueError),
        (("lo\0", 1), ValueError),
        (("lo\udcff", 1), UnicodeEncodeError),
        (("no-such-if", 1), OSError),
        (("x" * 40, 1), OSError),  # the stdlib would look up its first 15 bytes
    ],
)
def test_bad_addresses(address: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        CODEC.encode(address, SOCK)


@pytest.mark.parametrize(("pkttype", "hatype"), [(256, 0), (-1, 0), (0, 0x10000), (0, -1), (2**31 - 1, -(2**31))])
def test_truncated_as_the_stdlib_and_strict_refuses(pkttype: int, hatype: int) -> None:
    """CPython stores pkttype in a byte and hatype in 16 bits; sockcore.strict() raises instead."""
    wrapped = CODEC.encode(("lo", 1, pkttype & 0xFF, hatype & 0xFFFF), SOCK)
    assert CODEC.encode(("lo", 1, pkttype, hatype), SOCK) == wrapped
    with sockcore.address.strict(), pytest.raises(OverflowError):
        CODEC.encode(("lo", 1, pkttype, hatype), SOCK)


def test_long_interface_name_is_cut_as_the_stdlib_and_strict_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    """CPython copies the name into the 16-byte ifr_name and ends it at 15 bytes."""
    asked: list[bytes] = []
    monkeypatch.setattr(codec_module, "ifindex", lambda name, fd: asked.append(name) or 1)
    CODEC.encode(("a" * 15 + "bcd", 1), SOCK)
    assert asked == [b"a" * 15]
    with sockcore.address.strict():
        CODEC.encode(("a" * 15 + "bcd", 1), SOCK)
    assert asked[-1] == b"a" * 15 + b"bcd"  # whole: the lookup fails with ENODEV


def test_codec_contract() -> None:
    # OSError: an interface name this machine lacks
    valid = [PacketAddress("lo", 0x0800, 0, 0, b""), PacketAddress("lo", 0xFFFF, 255, 0xFFFF, b"\x01" * 8)]
    check_codec(CODEC, valid, sock=SOCK, errors=(*CODEC_ERRORS, OSError))


@given(st.binary(max_size=40))
def test_any_kernel_body_decodes(body: bytes) -> None:
    decoded = CODEC.decode(body, SOCK)
    assert isinstance(decoded, PacketAddress)


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_packet"])
    for name, value in sockcore_packet.CONSTANTS.items():
        assert getattr(sockcore_packet, name) == value


def test_constants_match_the_stdlib() -> None:
    shared = [name for name in sockcore_packet.CONSTANTS if hasattr(stdlib, name)]
    assert {"AF_PACKET", "PF_PACKET", "PACKET_HOST", "PACKET_OUTGOING"} <= set(shared)
    for name in shared:
        assert sockcore_packet.CONSTANTS[name] == getattr(stdlib, name), name


def test_names_the_stdlib_gained_after_3_11() -> None:
    # socket.ETH_P_ALL and ETHERTYPE_* arrived in Python 3.12.
    assert sockcore_packet.ETH_P_ALL == 3
    assert sockcore_packet.ETHERTYPE_ARP == 0x0806
    assert sockcore_packet.ETHERTYPE_IP == 0x0800
    assert sockcore_packet.ETHERTYPE_IPV6 == 0x86DD
    assert sockcore_packet.ETHERTYPE_VLAN == 0x8100


def test_registry_has_the_family_codec_options_cmsg_and_scheme() -> None:
    t = registry.tables()
    assert t.family_name(stdlib.AF_PACKET) == "AF_PACKET"
    assert t.codec_for(stdlib.AF_PACKET, 0x300) is CODEC
    for opt in PACKET_OPTIONS:
        assert t.sockopts[opt.name] is opt
    assert t.cmsg_codecs[(sockcore_packet.SOL_PACKET, sockcore_packet.PACKET_AUXDATA)].decode is decode_auxdata
    assert "packet" in t.uri_schemes


@given(st.tuples(*[st.integers(0, 2**32 - 1)] * 3, *[st.integers(0, 0xFFFF)] * 4))
def test_auxdata_round_trip(fields: tuple[int, ...]) -> None:
    aux = AuxData(*fields)
    assert decode_auxdata(encode_auxdata(aux)) == aux


@given(st.binary(max_size=30))
def test_auxdata_bad_payload(data: bytes) -> None:
    try:
        assert isinstance(decode_auxdata(data), AuxData)
    except ValueError:
        assert len(data) < 20


@given(st.integers(0, 0xFFFF), st.integers(0, 0xFF))
def test_fanout_round_trip(group_id: int, mode: int) -> None:
    assert FANOUT.unpack(FANOUT.pack(Fanout(group_id, mode))) == (group_id, mode, 0)


@given(st.integers(), st.integers(), st.integers())
def test_fanout_bad_values(group_id: int, mode: int, flags: int) -> None:
    with contextlib.suppress(OverflowError):
        FANOUT.pack(Fanout(group_id, mode, flags))


def test_packet_mreq_codec() -> None:
    codec = next(o for o in PACKET_OPTIONS if o.name == "PACKET_ADD_MEMBERSHIP").codec
    mreq = PacketMreq(1, sockcore_packet.PACKET_MR_MULTICAST, b"\x01\x00\x5e\x00\x00\x01")
    data = codec.pack(mreq)
    assert len(data) == 16
    assert codec.unpack(data) == mreq
    with pytest.raises(ValueError):
        codec.pack(PacketMreq(1, 0, b"123456789"))


@pytest.mark.parametrize(
    ("uri", "type_name", "proto", "address"),
    [
        # the socket's protocol is the ethertype in network byte order
        ("packet://lo", "SOCK_RAW", stdlib.htons(3), ("lo", 3)),
        ("packet://eth0/0x88b5?type=dgram", "SOCK_DGRAM", stdlib.htons(0x88B5), ("eth0", 0x88B5)),
        ("packet://eth0/ETHERTYPE_ARP", "SOCK_RAW", stdlib.htons(0x0806), ("eth0", 0x0806)),
    ],
)
def test_packet_uri(uri: str, type_name: str, proto: int, address: tuple[str, int]) -> None:
    target = parse_packet_uri(uri)
    assert (target.family, target.type, target.proto) == (stdlib.AF_PACKET, getattr(stdlib, type_name), stdlib.htons(address[1]))
    assert target.proto == proto
    assert target.address[:2] == address


@pytest.mark.parametrize("uri", ["packet://", "tcp://lo", "packet://lo/0x10000", "packet://lo/ip", "packet://lo?type=stream"])
def test_bad_packet_uri(uri: str) -> None:
    with pytest.raises(ValueError):
        parse_packet_uri(uri)
