"""Bluetooth socket options: SOL_HCI, SOL_L2CAP, SOL_RFCOMM, SOL_SCO and SOL_BLUETOOTH, one line each."""

from __future__ import annotations

from typing import Any

import attrs

from sockcore.plugin import BOOL, INT, U16, U32, IntCodec, SockOpt, Struct, option_table

from ._constants import (
    CONSTANTS,
    SOL_BLUETOOTH,
    SOL_HCI,
    SOL_L2CAP,
    SOL_RFCOMM,
    SOL_SCO,
)

__all__ = ["BLUETOOTH_OPTIONS", "BtConninfo", "BtSecurity", "HciFilter", "L2capOptions"]


@attrs.frozen
class HciFilter:
    """``struct hci_filter``: which packet types (bit per type) and events (64-bit mask) a raw HCI socket sees.

    ``opcode`` limits command-complete/status events to one command (0 = all).
    """

    type_mask: int = 0
    event_mask: int = 0
    opcode: int = 0

    @classmethod
    def from_words(cls, type_mask: int, event_low: int, event_high: int, opcode: int) -> HciFilter:
        return cls(type_mask, event_low | event_high << 32, opcode)

    def words(self) -> tuple[int, int, int, int]:
        return (self.type_mask, self.event_mask & 0xFFFFFFFF, self.event_mask >> 32, self.opcode)

    def with_packet_type(self, packet_type: int) -> HciFilter:
        """This filter letting packets of ``packet_type`` (HCI_EVENT_PKT ...) through too."""
        return attrs.evolve(self, type_mask=self.type_mask | 1 << (packet_type & 31))

    def with_event(self, event: int) -> HciFilter:
        """This filter letting ``event`` (EVT_CMD_COMPLETE ...) through too."""
        return attrs.evolve(self, event_mask=self.event_mask | 1 << (event & 63))


@attrs.frozen
class L2capOptions:
    """``struct l2cap_options``: MTUs, flush timeout, mode, FCS, retransmissions, TX window."""

    omtu: int
    imtu: int
    flush_to: int
    mode: int
    fcs: int
    max_tx: int
    txwin_size: int


@attrs.frozen
class BtSecurity:
    """``struct bt_security``: BT_SECURITY_* level and the encryption key size."""

    level: int
    key_size: int = 0


@attrs.frozen
class BtConninfo:
    """``struct l2cap_conninfo`` / ``rfcomm_conninfo`` / ``sco_conninfo``: HCI handle and class of device."""

    hci_handle: int
    dev_class: bytes


U8_BOOL = IntCodec("=B", "bool", as_bool=True)
U8 = IntCodec("=B")
CONNINFO = Struct("=H3sx", BtConninfo)


_opt = option_table("AF_BLUETOOTH", SOL_HCI, CONSTANTS)


# One line per option: name, value codec, what it does, access (and the level where it is not SOL_HCI).
BLUETOOTH_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("HCI_FILTER", Struct("=IIIH2x", HciFilter.from_words, HciFilter.words), "the packets and events a raw HCI socket receives"),
    _opt("HCI_DATA_DIR", BOOL, "receive HCI_CMSG_DIR (incoming/outgoing) with each packet"),
    _opt("HCI_TIME_STAMP", BOOL, "receive HCI_CMSG_TSTAMP with each packet"),
    _opt("L2CAP_OPTIONS", Struct("=HHHBBBxH", L2capOptions), "MTUs, mode and flow control of a BR/EDR L2CAP channel", level=SOL_L2CAP),
    _opt("L2CAP_LM", INT, "link mode: L2CAP_LM_* flags", level=SOL_L2CAP),
    _opt("L2CAP_CONNINFO", CONNINFO, "the connection's HCI handle and class of device", "r", level=SOL_L2CAP),
    _opt("RFCOMM_LM", INT, "link mode: RFCOMM_LM_* flags", level=SOL_RFCOMM),
    _opt("RFCOMM_CONNINFO", CONNINFO, "the connection's HCI handle and class of device", "r", level=SOL_RFCOMM),
    _opt("SCO_OPTIONS", Struct("=H", int), "the SCO MTU", "r", level=SOL_SCO),
    _opt("SCO_CONNINFO", CONNINFO, "the connection's HCI handle and class of device", "r", level=SOL_SCO),
    _opt("BT_SECURITY", Struct("=BB", BtSecurity), "security level and key size", level=SOL_BLUETOOTH),
    _opt("BT_DEFER_SETUP", IntCodec("=I", "bool", as_bool=True), "accept() returns before the peer is authorized", level=SOL_BLUETOOTH),
    _opt("BT_FLUSHABLE", IntCodec("=I", "bool", as_bool=True), "outgoing L2CAP packets may be flushed", level=SOL_BLUETOOTH),
    _opt("BT_POWER", U8_BOOL, "force the link active (no sniff mode) while sending", level=SOL_BLUETOOTH),
    _opt("BT_CHANNEL_POLICY", U32, "BT_CHANNEL_POLICY_*: BR/EDR or AMP", level=SOL_BLUETOOTH),
    _opt("BT_VOICE", U16, "SCO voice setting (BT_VOICE_*)", level=SOL_BLUETOOTH),
    _opt("BT_SNDMTU", U16, "the send MTU", "r", level=SOL_BLUETOOTH),
    _opt("BT_RCVMTU", U16, "the receive MTU", level=SOL_BLUETOOTH),
    _opt("BT_PHY", U32, "the PHYs in use: BT_PHY_* bits", "r", level=SOL_BLUETOOTH),
    _opt("BT_MODE", U8, "L2CAP mode: BT_MODE_*", level=SOL_BLUETOOTH),
)
