"""Bluetooth codecs, constants and options without a Bluetooth kernel.

The oracle is Debian's /usr/bin/python3 (pyenv's Pythons lack Bluetooth): a
socket object that claims AF_BLUETOOTH over a Unix socket's descriptor checks
an address before any system call, so error types compare on this host.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from typing import Any

import pytest
import sockcore_bluetooth as bt
from hypothesis import given
from hypothesis import strategies as st
from sockcore_bluetooth import HciFilter, L2capOptions, format_bdaddr, hooks, parse_bdaddr
from sockcore_bluetooth._constants import ALL_CONSTANTS
from sockcore_bluetooth.address import HciCodec, L2capCodec, RfcommCodec, ScoCodec
from sockcore_bluetooth.options import BLUETOOTH_OPTIONS

import sockcore.address
from sockcore import registry
from sockcore.testing import CODEC_ERRORS, FakeSocket, check_codec, check_plugin

OPT = {opt.name: opt for opt in BLUETOOTH_OPTIONS}


L2, RC, HCI, SCO = (FakeSocket(bt.AF_BLUETOOTH, 1, proto) for proto in (bt.BTPROTO_L2CAP, bt.BTPROTO_RFCOMM, bt.BTPROTO_HCI, bt.BTPROTO_SCO))
raw_bdaddrs = st.binary(min_size=6, max_size=6)


def test_constants_equal_debians(debian: Callable[[str], Any]) -> None:
    theirs = debian(
        "import socket, json; print(json.dumps({n: getattr(socket, n) for n in dir(socket) if n.startswith("
        "('BTPROTO_', 'BDADDR_', 'HCI_', 'SOL_HCI', 'AF_BLUETOOTH', 'L2CAP_', 'RFCOMM_', 'SCO_', 'BT_'))}))"
    )
    assert theirs, "Debian's Python has no Bluetooth constants"
    assert {n: ALL_CONSTANTS.get(n) for n in theirs} == theirs


def test_plugin_contract() -> None:
    # attrs: the plugin's own option records (BtSecurity, HciFilter ...) are attrs classes
    check_plugin(hooks.plugin, static_modules=["sockcore_bluetooth"], static_may_load=["attrs"])
    for name, value in ALL_CONSTANTS.items():
        assert getattr(bt, name) == value


def test_the_family_comes_from_the_plugin() -> None:

    entry = registry.tables().families[bt.AF_BLUETOOTH]
    assert (entry.family.name, entry.plugin.distribution) == ("AF_BLUETOOTH", "sockcore-bluetooth")


@given(raw_bdaddrs)
def test_bdaddr_round_trip(raw: bytes) -> None:
    text = format_bdaddr(raw)
    assert parse_bdaddr(text) == raw
    assert parse_bdaddr(text.lower()) == raw


def test_bdaddr_byte_order() -> None:
    assert parse_bdaddr("01:23:45:67:89:AB") == bytes([0xAB, 0x89, 0x67, 0x45, 0x23, 0x01])
    assert parse_bdaddr(bt.BDADDR_LOCAL) == b"\xff\xff\xff\x00\x00\x00"


@given(raw_bdaddrs, st.integers(0, 65535), st.integers(0, 65535), st.integers(0, 255))
def test_l2cap_round_trip(raw: bytes, psm: int, cid: int, kind: int) -> None:
    codec, text = L2capCodec(), format_bdaddr(raw)
    body = codec.encode((text, psm, cid, kind), L2)
    assert len(body) == 12  # sizeof(struct sockaddr_l2) - 2
    expected = (text, psm, cid, kind) if kind else ((text, psm, cid) if cid else (text, psm))
    assert codec.decode(body, L2) == expected
    assert codec.decode(codec.encode((text, psm), L2), L2) == (text, psm)


@given(raw_bdaddrs, st.integers(0, 255))
def test_rfcomm_round_trip(raw: bytes, channel: int) -> None:
    text = format_bdaddr(raw)
    body = RfcommCodec().encode((text, channel), RC)
    assert body == struct.pack("=6sBx", raw, channel)
    assert RfcommCodec().decode(body, RC) == (text, channel)


@given(st.integers(0, 65535), st.integers(0, 65535))
def test_hci_round_trip(dev: int, channel: int) -> None:
    codec = HciCodec()
    assert codec.decode(codec.encode((dev,), HCI), HCI) == dev
    assert codec.decode(codec.encode(dev, HCI), HCI) == dev
    assert codec.decode(codec.encode((dev, channel), HCI), HCI) == (dev if channel == 0 else (dev, channel))


@given(raw_bdaddrs)
def test_sco_round_trip(raw: bytes) -> None:
    text = format_bdaddr(raw)
    assert ScoCodec().decode(ScoCodec().encode(text.encode(), SCO), SCO) == text
    assert ScoCodec().encode(text, SCO) == raw


# (protocol name, address) pairs on which CPython 3.11 and the 3.14 docs agree
BAD = [
    ("L2CAP", "00:00:00:00:00:00"),
    ("L2CAP", ("00:00:00:00:00:00",)),
    ("L2CAP", ("00:00:00:00:00", 1)),
    ("L2CAP", ("00:00:00:00:00:00:00", 1)),
    ("L2CAP", ("00:00:00:00:00:0G", 1)),
    ("L2CAP", ("100:00:00:00:00:00", 1)),
    ("L2CAP", ("00:00:00:00:00:00 ", 1)),
    ("L2CAP", ("00-00-00-00-00-00", 1)),
    ("L2CAP", (b"00:00:00:00:00:00", 1)),
    ("L2CAP", ("00:00:00:00:00:00", "1")),
    ("L2CAP", ("00:00:00:00:00:00", 1.0)),
    ("L2CAP", (5, 1)),
    ("RFCOMM", ("00:00:00:00:00:00",)),
    ("RFCOMM", ("zz:00:00:00:00:00", 1)),
    ("RFCOMM", ["00:00:00:00:00:00", 1]),
    ("RFCOMM", ("00:00:00:00:00:00", None)),
    ("HCI", ("0",)),
    ("HCI", (None,)),
    ("HCI", ()),
    ("SCO", b"00:00:00:00:00"),
    ("SCO", b"00:00:00:00:00:00x"),
    ("SCO", 5),
]
# and well-formed ones, which both send to the (Unix) descriptor
GOOD = [
    ("L2CAP", ("01:23:45:67:89:ab", 0x1001)),
    ("L2CAP", (" 1:2:3:4:5:6", 1)),
    ("L2CAP", ("0x1:+2:-0:4:5:0X6", 1)),
    ("RFCOMM", ("00:00:00:FF:FF:FF", 3)),
    ("HCI", (0,)),
    ("SCO", b"01:02:03:04:05:06"),
]

DEBIAN_OUTCOMES = r"""
import json, socket
cases = json.loads(%r)
out = []
for proto, address in cases:
    address = eval(address)
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock = socket.socket(socket.AF_BLUETOOTH, socket.SOCK_STREAM, getattr(socket, "BTPROTO_" + proto), fileno=unix.fileno())
    try:
        sock.bind(address)
        out.append(None)
    except Exception as exc:
        out.append(type(exc).__name__)
    sock.detach(); unix.close()
print(json.dumps(out))
"""


def test_addresses_fail_as_in_debians_python(debian: Callable[[str], Any]) -> None:
    import socket as stdlib

    import sockcore

    cases = BAD + GOOD
    theirs = debian(DEBIAN_OUTCOMES % json.dumps([(p, repr(a)) for p, a in cases]))
    ours: list[str | None] = []
    for proto, address in cases:
        with stdlib.socket(stdlib.AF_UNIX, stdlib.SOCK_DGRAM) as unix:
            sock = sockcore.socket(bt.AF_BLUETOOTH, 1, getattr(bt, "BTPROTO_" + proto), fileno=unix.fileno())
            try:
                sock.bind(address)
                ours.append(None)
            except Exception as exc:  # comparing what each module raises
                ours.append(type(exc).__name__)
            finally:
                sock.detach()
    assert list(zip(cases, ours, strict=True)) == list(zip(cases, theirs, strict=True))


@pytest.mark.parametrize(
    ("codec", "sock", "address"),
    [(L2capCodec(), L2, ("00:00:00:00:00:00", 70000)), (RfcommCodec(), RC, ("00:00:00:00:00:00", 256)), (HciCodec(), HCI, -1)],
)
def test_out_of_range_fields_wrap_as_the_stdlib_and_strict_refuses(codec: Any, sock: Any, address: Any) -> None:
    """CPython's "H" and "B" codes keep the low 16 and 8 bits; sockcore.strict() raises instead."""
    if isinstance(address, tuple):
        bits = 8 if isinstance(codec, RfcommCodec) else 16
        wrapped: Any = (address[0], address[1] & ((1 << bits) - 1))
    else:
        wrapped = address & 0xFFFF
    assert codec.encode(address, sock) == codec.encode(wrapped, sock)
    with sockcore.address.strict(), pytest.raises(OverflowError):
        codec.encode(address, sock)


@pytest.mark.parametrize(
    ("codec", "sock", "simple"),
    [
        (L2capCodec(), L2, [("01:02:03:04:05:06", 1), ("00:00:00:00:00:00", 0x1001)]),
        (RfcommCodec(), RC, [("01:02:03:04:05:06", 1), ("AB:89:67:45:23:01", 30)]),
        (HciCodec(), HCI, [0, 1]),
        (ScoCodec(), SCO, ["01:02:03:04:05:06"]),
    ],
)
def test_codec_contract(codec: Any, sock: Any, simple: list[Any]) -> None:
    # the full forms the codec decodes to, from the short forms callers write
    check_codec(codec, [codec.decode(codec.encode(a, sock), sock) for a in simple], sock=sock, errors=(*CODEC_ERRORS, OSError))


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**64 - 1), st.integers(0, 65535))
def test_hci_filter_round_trip(type_mask: int, event_mask: int, opcode: int) -> None:
    codec = OPT["HCI_FILTER"].codec
    value = HciFilter(type_mask, event_mask, opcode)
    packed = codec.pack(value)
    assert packed == struct.pack("=IIIH2x", type_mask, event_mask & 0xFFFFFFFF, event_mask >> 32, opcode)
    assert codec.unpack(packed) == value


def test_hci_filter_helpers() -> None:
    f = HciFilter().with_packet_type(4).with_event(0x0E)
    assert f == HciFilter(1 << 4, 1 << 0x0E, 0)


def test_l2cap_options_layout() -> None:
    codec = OPT["L2CAP_OPTIONS"].codec
    value = L2capOptions(672, 672, 0xFFFF, 0, 1, 3, 63)
    assert len(codec.pack(value)) == 12  # sizeof(struct l2cap_options)
    assert codec.unpack(codec.pack(value)) == value
