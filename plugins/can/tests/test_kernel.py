"""CAN sockets on vcan0 (the kernel lane): raw and FD frames, filters, BCM, ISO-TP, J1939.

Each receive has a timeout so a lost frame fails the test instead of hanging it.
"""

from __future__ import annotations

import socket as stdlib
from collections.abc import Iterator
from typing import Any

import pytest
import sockcore_can
from sockcore_can import (
    BcmMsgHead,
    CanFdFrame,
    CanFilter,
    CanFrame,
    IsotpFcOptions,
    IsotpLlOptions,
    IsotpOptions,
    J1939Ancillary,
    J1939Filter,
    j1939_ancillary,
    unpack_frame,
)
from sockcore_can.options import CAN_OPTIONS

import sockcore

pytestmark = pytest.mark.kernel

IFACE = "vcan0"
OPT = {opt.name: opt for opt in CAN_OPTIONS}
WAIT = 10.0  # seconds: only bounds a lost frame; emulated code is slow


def raw_socket() -> Any:
    sock = sockcore.socket(sockcore.AF_CAN, sockcore.SOCK_RAW, sockcore.CAN_RAW)
    sock.settimeout(WAIT)
    sock.bind((IFACE,))
    return sock


@pytest.fixture
def pair() -> Iterator[tuple[Any, Any]]:
    with raw_socket() as tx, raw_socket() as rx:
        yield tx, rx


def test_raw_frame_and_getsockname_equal_the_stdlib(pair: tuple[Any, Any]) -> None:
    tx, rx = pair
    frame = CanFrame(0x123, b"\x01\x02\x03")
    assert tx.send(frame.pack()) == sockcore.CAN_MTU
    data, address = rx.recvfrom(sockcore.CANFD_MTU)
    assert unpack_frame(data) == frame
    with stdlib.socket(stdlib.AF_CAN, stdlib.SOCK_RAW, stdlib.CAN_RAW) as std:
        std.bind((IFACE,))
        assert rx.getsockname() == std.getsockname() == (IFACE,)
        assert address == (IFACE,)


def test_canfd_frames(pair: tuple[Any, Any]) -> None:
    tx, rx = pair
    for sock in pair:
        sock.setopt(OPT["CAN_RAW_FD_FRAMES"], True)
        assert sock.getopt(OPT["CAN_RAW_FD_FRAMES"]) is True
    frame = CanFdFrame(0x456 | sockcore.CAN_EFF_FLAG, bytes(range(64)), sockcore.CANFD_BRS)
    tx.send(frame.pack())
    data = rx.recv(sockcore.CANFD_MTU)
    assert len(data) == sockcore.CANFD_MTU
    received = unpack_frame(data)
    assert isinstance(received, CanFdFrame)
    assert (received.can_id, received.data) == (frame.can_id, frame.data)
    assert received.flags & sockcore.CANFD_BRS


def test_raw_filter(pair: tuple[Any, Any]) -> None:
    tx, rx = pair
    assert rx.getopt(OPT["CAN_RAW_FILTER"]) == [CanFilter(0, 0)]  # the kernel's "everything"
    wanted = [CanFilter(0x123, sockcore.CAN_SFF_MASK), CanFilter(0x200, 0x700)]
    rx.setopt(OPT["CAN_RAW_FILTER"], wanted)
    assert rx.getopt(OPT["CAN_RAW_FILTER"]) == wanted
    for can_id in (0x124, 0x300, 0x123, 0x2AB):
        tx.send(CanFrame(can_id, b"x").pack())
    assert [unpack_frame(rx.recv(72)).can_id for _ in range(2)] == [0x123, 0x2AB]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CAN_RAW_ERR_FILTER", 0x1FFFFFFF),
        ("CAN_RAW_LOOPBACK", False),
        ("CAN_RAW_RECV_OWN_MSGS", True),
        ("CAN_RAW_JOIN_FILTERS", True),
    ],
)
def test_raw_options_set_then_get(name: str, value: Any) -> None:
    with sockcore.socket(sockcore.AF_CAN, sockcore.SOCK_RAW, sockcore.CAN_RAW) as sock:
        sock.setopt(OPT[name], value)
        assert sock.getopt(OPT[name]) == value


def test_bcm_tx_send_and_rx_setup(pair: tuple[Any, Any]) -> None:
    tx, rx = pair
    with sockcore.socket(sockcore.AF_CAN, sockcore.SOCK_DGRAM, sockcore.CAN_BCM) as bcm:
        bcm.settimeout(WAIT)
        bcm.connect((IFACE,))
        # TX_SEND: the broadcast manager sends one frame at once
        bcm.send(BcmMsgHead(sockcore.CAN_BCM_TX_SEND, frames=[CanFrame(0x321, b"bcm")]).pack())
        assert unpack_frame(rx.recv(72)) == CanFrame(0x321, b"bcm")
        # RX_SETUP: subscribe to 0x42 and hear about it when it arrives
        bcm.send(BcmMsgHead(sockcore.CAN_BCM_RX_SETUP, sockcore.CAN_BCM_RX_FILTER_ID, can_id=0x42).pack())
        tx.send(CanFrame(0x42, b"hello").pack())
        message = BcmMsgHead.unpack(bcm.recv(4096))
        assert message.opcode == sockcore.CAN_BCM_RX_CHANGED
        assert message.can_id == 0x42
        assert message.frames == (CanFrame(0x42, b"hello"),)


def test_isotp_multi_frame_transfer_and_options() -> None:
    payload = bytes(range(256)) * 2  # 512 bytes: first frame + consecutive frames with flow control
    with sockcore.socket(sockcore.AF_CAN, sockcore.SOCK_DGRAM, sockcore.CAN_ISOTP) as a, sockcore.socket(
        sockcore.AF_CAN, sockcore.SOCK_DGRAM, sockcore.CAN_ISOTP
    ) as b:
        options = IsotpOptions(flags=sockcore.CAN_ISOTP_TX_PADDING, txpad_content=0xAA)
        a.setopt(OPT["CAN_ISOTP_OPTS"], options)
        assert a.getopt(OPT["CAN_ISOTP_OPTS"]) == options
        b.setopt(OPT["CAN_ISOTP_RECV_FC"], IsotpFcOptions(bs=4, stmin=0, wftmax=0))
        assert b.getopt(OPT["CAN_ISOTP_RECV_FC"]) == IsotpFcOptions(4, 0, 0)
        assert a.getopt(OPT["CAN_ISOTP_LL_OPTS"]) == IsotpLlOptions()
        a.setopt(OPT["CAN_ISOTP_TX_STMIN"], 0)
        assert a.getopt(OPT["CAN_ISOTP_TX_STMIN"]) == 0
        a.bind((IFACE, 0x7E8, 0x7E0))
        b.bind((IFACE, 0x7E0, 0x7E8))
        b.settimeout(WAIT)
        assert a.getsockname() == (IFACE, 0x7E8, 0x7E0)
        assert a.send(payload) == len(payload)
        assert b.recv(4096) == payload


NO_NAME, NO_PGN = stdlib.J1939_NO_NAME, stdlib.J1939_NO_PGN
J1939_PGN = 0x12300  # PDU1: destination-specific


def j1939_exchange(module: Any) -> tuple[Any, ...]:
    """Send from address 0x20 to 0x30 with priority 3; what the receiver gets."""
    with module.socket(module.AF_CAN, module.SOCK_DGRAM, module.CAN_J1939) as src, module.socket(
        module.AF_CAN, module.SOCK_DGRAM, module.CAN_J1939
    ) as dst:
        src.bind((IFACE, NO_NAME, NO_PGN, 0x20))
        dst.bind((IFACE, NO_NAME, NO_PGN, 0x30))
        dst.settimeout(WAIT)
        # the stdlib lacks these two names; the values are the kernel's
        src.setsockopt(sockcore_can.SOL_CAN_J1939, sockcore_can.SO_J1939_SEND_PRIO, 3)
        assert src.getsockname() == (IFACE, NO_NAME, NO_PGN, 0x20)
        assert src.sendto(b"j1939 data", (IFACE, NO_NAME, J1939_PGN, 0x30)) == 10
        data, ancdata, _flags, address = dst.recvmsg(64, module.CMSG_SPACE(8) * 4)
        return data, sorted(ancdata), address


def test_j1939_addressed_send_receive_with_ancillary_data() -> None:
    data, ancdata, address = j1939_exchange(sockcore)
    assert data == b"j1939 data"
    assert address[1:] == (NO_NAME, J1939_PGN, 0x20)
    assert j1939_ancillary(ancdata) == J1939Ancillary(dest_addr=0x30, dest_name=None, prio=3)
    assert (data, ancdata, address) == j1939_exchange(stdlib)


def test_j1939_options() -> None:
    with sockcore.socket(sockcore.AF_CAN, sockcore.SOCK_DGRAM, sockcore.CAN_J1939) as sock:
        sock.setopt(OPT["SO_J1939_SEND_PRIO"], 5)
        assert sock.getopt(OPT["SO_J1939_SEND_PRIO"]) == 5
        sock.setopt(OPT["SO_J1939_PROMISC"], True)
        assert sock.getopt(OPT["SO_J1939_PROMISC"]) is True
        sock.setopt(OPT["SO_J1939_FILTER"], [J1939Filter(pgn=J1939_PGN, pgn_mask=sockcore.J1939_PGN_PDU1_MAX)])
