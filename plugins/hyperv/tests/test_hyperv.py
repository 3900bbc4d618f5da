"""AF_HYPERV: SOCKADDR_HV layout, round trips, bad input, names, the "needs Windows" refusal."""

from __future__ import annotations

import errno
import sys
import uuid
from typing import Any

import pytest
import sockcore_hyperv
from hypothesis import given
from hypothesis import strategies as st
from sockcore_hyperv import (
    AF_HYPERV,
    HV_GUID_LOOPBACK,
    HV_GUID_PARENT,
    HV_PROTOCOL_RAW,
    HyperVAddress,
    HyperVAddressCodec,
    decode_hyperv,
    encode_hyperv,
    hooks,
)

import sockcore
from sockcore.testing import CODEC_ERRORS, FakeSocket, check_codec, check_plugin

CODEC = HyperVAddressCodec(native=True)  # the Windows behaviour, testable anywhere
guids = st.uuids().map(str) | st.uuids().map(lambda u: str(u).upper())


SOCK = FakeSocket(AF_HYPERV, 1, HV_PROTOCOL_RAW)


def test_layout_matches_sockaddr_hv() -> None:
    # USHORT Reserved; GUID VmId; GUID ServiceId (GUID = u32, u16, u16 little-endian + 8 bytes)
    body = encode_hyperv((HV_GUID_PARENT, HV_GUID_LOOPBACK))
    assert len(body) == 34  # sizeof(SOCKADDR_HV) - sizeof(ADDRESS_FAMILY)
    assert body[:2] == b"\0\0"
    assert body[2:18] == bytes.fromhex("da7c2ea43fd00c489cc2a4de20abb878")
    assert body[18:] == uuid.UUID(HV_GUID_LOOPBACK).bytes_le


@given(guids, guids)
def test_round_trip(vm_id: str, service_id: str) -> None:
    back = CODEC.decode(CODEC.encode((vm_id, service_id), SOCK), SOCK)
    assert isinstance(back, HyperVAddress)
    # UuidToStringW writes lower case, so does the stdlib on Windows
    assert back == (vm_id.lower(), service_id.lower())


@given(st.binary(min_size=34, max_size=34))
def test_decode_encode_round_trip(body: bytes) -> None:
    body = b"\0\0" + body[2:]
    assert encode_hyperv(decode_hyperv(body)) == body


def test_codec_contract() -> None:
    addresses = [HyperVAddress(HV_GUID_PARENT.lower(), HV_GUID_LOOPBACK.lower()), HyperVAddress(str(uuid.UUID(int=2**128 - 1)), str(uuid.UUID(int=0)))]
    check_codec(CODEC, addresses, sock=SOCK, errors=(*CODEC_ERRORS, OSError))


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("x", TypeError),
        ([HV_GUID_PARENT, HV_GUID_PARENT], TypeError),
        ((HV_GUID_PARENT,), TypeError),
        ((HV_GUID_PARENT, 1), TypeError),
        ((b"x", HV_GUID_PARENT), TypeError),
        (("not-a-guid", HV_GUID_PARENT), ValueError),
        ((HV_GUID_PARENT, "{" + HV_GUID_PARENT + "}"), ValueError),
        ((HV_GUID_PARENT, HV_GUID_PARENT.replace("-", "")), ValueError),
        ((HV_GUID_PARENT, HV_GUID_PARENT[:-1] + "g"), ValueError),
        ((HV_GUID_PARENT, HV_GUID_PARENT[:-1] + "\0"), ValueError),
    ],
    ids=repr,
)
def test_stdlib_errors(address: Any, error: type[Exception]) -> None:
    # the exceptions of CPython's getsockaddrarg for AF_HYPERV (Modules/socketmodule.c)
    with pytest.raises(error):
        CODEC.encode(address, SOCK)


def test_other_protocols_are_refused() -> None:
    with pytest.raises(OSError, match="unsupported AF_HYPERV protocol: 0"):
        CODEC.encode((HV_GUID_PARENT, HV_GUID_PARENT), FakeSocket(AF_HYPERV, 1, 0))


@pytest.mark.skipif(sys.platform == "win32", reason="the refusal is for other platforms")
def test_the_registered_codec_says_it_needs_windows() -> None:
    codec = HyperVAddressCodec()
    for call in (lambda: codec.encode((HV_GUID_PARENT, HV_GUID_PARENT), SOCK), lambda: codec.decode(bytes(34), SOCK)):
        with pytest.raises(OSError, match="needs Windows") as info:
            call()
        assert info.value.errno == errno.EAFNOSUPPORT


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_hyperv"])


def test_the_family_says_it_needs_windows() -> None:
    from sockcore.registry import tables

    entry = tables().families[AF_HYPERV]
    assert entry.family.name == "AF_HYPERV"
    assert "Windows" in entry.family.platform_note
    if sys.platform != "win32":
        assert entry.family.probe is None
        assert "HVSOCKET_CONNECT_TIMEOUT" not in tables().sockopts  # would be SO_DEBUG here


def test_documented_values() -> None:
    # the values CPython 3.12+ exports on Windows (and its documentation lists)
    assert (AF_HYPERV, HV_PROTOCOL_RAW) == (34, 1)
    assert sockcore_hyperv.HVSOCKET_CONNECT_TIMEOUT == 1
    assert sockcore_hyperv.HVSOCKET_CONNECT_TIMEOUT_MAX == 300000
    assert sockcore_hyperv.HVSOCKET_CONNECTED_SUSPEND == 4
    assert sockcore_hyperv.HVSOCKET_ADDRESS_FLAG_PASSTHRU == 1
    assert sockcore_hyperv.HV_GUID_ZERO == sockcore_hyperv.HV_GUID_WILDCARD == str(uuid.UUID(int=0))
    assert sockcore_hyperv.HV_GUID_BROADCAST == "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"
    for name in ("HV_GUID_CHILDREN", "HV_GUID_LOOPBACK", "HV_GUID_PARENT"):
        value = getattr(sockcore_hyperv, name)
        assert str(uuid.UUID(value)).upper() == value


@pytest.mark.skipif(sys.platform == "win32", reason="the refusal is for other platforms")
def test_creating_a_socket_fails_clearly() -> None:
    with pytest.raises(OSError) as info:
        sockcore.socket(AF_HYPERV, 1, HV_PROTOCOL_RAW).close()
    assert info.value.errno == errno.EAFNOSUPPORT
    assert "Windows" in str(info.value)
