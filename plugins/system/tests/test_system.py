"""PF_SYSTEM: sockaddr_ctl layout, round trips, bad input, names, the "needs macOS" refusal."""

from __future__ import annotations

import errno
import struct
import sys
from typing import Any

import pytest
import sockcore_system
from hypothesis import given
from hypothesis import strategies as st
from sockcore_system import (
    AF_SYS_CONTROL,
    PF_SYSTEM,
    SYSPROTO_CONTROL,
    ControlAddress,
    ControlAddressCodec,
    decode_control,
    encode_control,
    hooks,
)

import sockcore
import sockcore.address
from sockcore.testing import CODEC_ERRORS, FakeSocket, check_codec, check_plugin

u32 = st.integers(0, 2**32 - 1)
CODEC = ControlAddressCodec(native=True)  # the macOS behaviour, testable anywhere


SOCK = FakeSocket(PF_SYSTEM, 2, SYSPROTO_CONTROL)


def test_layout_matches_sockaddr_ctl() -> None:
    # after sc_len, sc_family: u16 ss_sysaddr, u32 sc_id, u32 sc_unit, u32 sc_reserved[5]
    body = encode_control((7, 3))
    assert len(body) == 30  # sizeof(struct sockaddr_ctl) - 2
    assert body == struct.pack("=HII20x", AF_SYS_CONTROL, 7, 3)


@given(u32, u32)
def test_round_trip(ctl_id: int, unit: int) -> None:
    back = decode_control(encode_control((ctl_id, unit)))
    assert isinstance(back, ControlAddress)
    assert back == (ctl_id, unit)


def test_control_names_are_looked_up() -> None:
    ids = {b"com.apple.net.utun_control": 9}
    assert decode_control(encode_control("com.apple.net.utun_control", ids.get)) == (9, 0)
    with pytest.raises(OSError, match="cannot find kernel control"):
        encode_control("com.example.none", ids.get)
    with pytest.raises(ValueError, match="too long"):
        encode_control("x" * 97, ids.get)


def test_codec_contract() -> None:
    # OSError: a control name is looked up with an ioctl, which fails on no descriptor
    check_codec(CODEC, [ControlAddress(0, 0), ControlAddress(2**32 - 1, 7)], sock=SOCK, errors=(*CODEC_ERRORS, OSError))


@pytest.mark.parametrize("address", [None, 1, b"x", (1,), (1, 2, 3), (1.0, 2), [1, 2], ("a", 1)], ids=repr)
def test_wrong_shapes_are_type_errors(address: Any) -> None:
    with pytest.raises(TypeError, match=r"PF_SYSTEM address must be a str or a pair \(id, unit\)"):
        encode_control(address)


@pytest.mark.parametrize("address", [(-1, 0), (0, 2**32), (2**64 + 3, -(2**33))])
def test_out_of_range_wraps_as_the_stdlib_and_strict_refuses(address: Any) -> None:
    """The stdlib's "II" masks to 32 bits; sockcore.strict() raises instead."""
    assert encode_control(address) == encode_control(tuple(x & 0xFFFFFFFF for x in address))
    with sockcore.address.strict(), pytest.raises(OverflowError):
        encode_control(address)


def test_other_protocols_are_refused() -> None:
    events = FakeSocket(PF_SYSTEM, 2, sockcore_system.SYSPROTO_EVENT)
    with pytest.raises(OSError, match="unsupported PF_SYSTEM protocol"):
        CODEC.encode((1, 2), events)
    with pytest.raises(ValueError, match="Invalid address type"):
        CODEC.decode(bytes(30), events)


@pytest.mark.skipif(sys.platform == "darwin", reason="the refusal is for other platforms")
def test_the_registered_codec_says_it_needs_macos() -> None:
    codec = ControlAddressCodec()
    for call in (lambda: codec.encode((1, 2), SOCK), lambda: codec.decode(bytes(30), SOCK)):
        with pytest.raises(OSError, match="needs macOS") as info:
            call()
        assert info.value.errno == errno.EAFNOSUPPORT


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_system"])


def test_the_family_says_it_needs_macos() -> None:
    from sockcore.registry import tables

    entry = tables().families[PF_SYSTEM]
    assert "macOS" in entry.family.platform_note
    if sys.platform != "darwin":
        assert entry.family.probe is None


def test_ioctl_numbers_are_the_expanded_macros() -> None:
    def ioc(direction: int, group: str, number: int, size: int) -> int:
        return direction | ((size & 0x1FFF) << 16) | (ord(group) << 8) | number

    assert ioc(0x40000000, "N", 2, 4) == sockcore_system.CTLIOCGCOUNT  # _IOR('N', 2, int)
    assert ioc(0xC0000000, "N", 3, 4 + 96) == sockcore_system.CTLIOCGINFO  # _IOWR('N', 3, struct ctl_info)


@pytest.mark.skipif(sys.platform == "darwin", reason="the refusal is for other platforms")
def test_creating_a_socket_fails_clearly() -> None:
    with pytest.raises(OSError) as info:
        sockcore.socket(PF_SYSTEM, 2, SYSPROTO_CONTROL).close()
    assert info.value.errno == errno.EAFNOSUPPORT
    assert "macOS" in str(info.value)
