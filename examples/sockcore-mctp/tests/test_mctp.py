"""sockcore-mctp's tests: the kit's contract checks, the two sockaddr layouts, and sockets where the kernel has AF_MCTP.

No stdlib oracle: CPython's socket module has no AF_MCTP.  The layouts are
checked against <linux/mctp.h> as written there; socket tests run only on a
kernel with MCTP (``family`` marker), e.g. the kernel lane.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
import sockcore
from hypothesis import given
from hypothesis import strategies as st
from sockcore.testing import FakeSocket, check_codec, check_plugin, plugin_fixture

import sockcore_mctp
from sockcore_mctp import hooks
from sockcore_mctp.codec import CODEC, MctpAddress, MctpExtAddress

SPEC = Path(__file__).resolve().parent.parent / "constants.toml"
SOCK = FakeSocket(sockcore_mctp.AF_MCTP, sockcore.SOCK_DGRAM)
u8 = st.integers(0, 255)

# registers the plugin for this module when it is importable but not installed
registered = plugin_fixture(hooks.plugin, "mctp", "sockcore-mctp")


def test_codec_contract() -> None:
    addresses = [
        MctpAddress(0, 0, 0, 0),
        MctpAddress(2**32 - 1, 255, 255, 255),
        MctpExtAddress(1, 8, 1, 8, 2, b"\x01\x02"),
        MctpExtAddress(0, 0, 0, 0, -(2**31), bytes(range(32))),
    ]
    check_codec(CODEC, addresses)


def test_plugin_contract() -> None:
    check_plugin(
        hooks.plugin,
        distribution="sockcore-mctp",
        static_modules=["sockcore_mctp"],
        spec=SPEC if SPEC.is_file() else None,
        table=sockcore_mctp._constants,
    )


@given(st.integers(0, 2**32 - 1), u8, u8, u8)
def test_sockaddr_mctp_layout(network: int, addr: int, type_: int, tag: int) -> None:
    # smctp_family (the core's) | u16 pad | u32 network | u8 addr | u8 type | u8 tag | u8 pad
    body = CODEC.encode((network, addr, type_, tag), SOCK)
    assert body == struct.pack("=HIBBBB", 0, network, addr, type_, tag, 0)
    assert len(body) == 12 - 2  # sizeof(struct sockaddr_mctp) - sizeof(sa_family_t)


def test_sockaddr_mctp_ext_layout() -> None:
    body = CODEC.encode(MctpExtAddress(1, 9, 1, 8, 3, b"\xaa\xbb"), SOCK)
    assert len(body) == 52 - 2  # sizeof(struct sockaddr_mctp_ext) - sizeof(sa_family_t)
    assert body[10:] == struct.pack("=iB3x32s", 3, 2, b"\xaa\xbb")
    assert CODEC.decode(body, SOCK) == (1, 9, 1, 8, 3, b"\xaa\xbb")


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ((0, 256, 0, 0), OverflowError),
        ((-1, 0, 0, 0), OverflowError),
        ((0, 0, 0), TypeError),
        ((0, 0, 0, 0, 1), TypeError),
        ((0, 0, 0, 0, 1, "aa"), TypeError),
        ((0, 0, 0, 0, 1, bytes(33)), ValueError),
        ((0, 0, 0, 0, 2**31, b""), OverflowError),
        ((0.0, 0, 0, 0), TypeError),
    ],
)
def test_bad_addresses(address: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        CODEC.encode(address, SOCK)


@pytest.mark.family(sockcore_mctp.AF_MCTP, sockcore.SOCK_DGRAM)
def test_bind_any_and_the_extended_address_option() -> None:
    with sockcore.socket(sockcore.AF_MCTP, sockcore.SOCK_DGRAM) as sock:
        sock.bind(MctpAddress(sockcore.MCTP_NET_ANY, sockcore.MCTP_ADDR_ANY, 1, 0))
        assert sock.getopt(sockcore.options.MCTP_OPT_ADDR_EXT) is False
        sock.setopt(sockcore.options.MCTP_OPT_ADDR_EXT, True)
        assert sock.getopt(sockcore.options.MCTP_OPT_ADDR_EXT) is True
