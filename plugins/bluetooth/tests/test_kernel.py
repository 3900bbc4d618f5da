"""Bluetooth sockets in the kernel lane: a virtual controller (hci_vhci), each protocol bound, HCI_FILTER.

getsockname results are compared with Debian's /usr/bin/python3, the
Bluetooth-enabled stdlib on this machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sockcore_bluetooth as bt
from sockcore_bluetooth import BtSecurity, HciFilter, L2capOptions
from sockcore_bluetooth.options import BLUETOOTH_OPTIONS

import sockcore

pytestmark = pytest.mark.kernel

OPT = {opt.name: opt for opt in BLUETOOTH_OPTIONS}
ANY = bt.BDADDR_ANY


@pytest.fixture(scope="module")
def controller() -> Iterator[int]:
    """A virtual controller: writing ``ff 00`` to /dev/vhci creates hciN (a BR/EDR controller)."""
    before = set(os.listdir("/sys/class/bluetooth")) if os.path.isdir("/sys/class/bluetooth") else set()
    fd = os.open("/dev/vhci", os.O_RDWR)
    try:
        os.write(fd, b"\xff\x00")
        os.read(fd, 4)  # the vendor event that announces the new index
        created = sorted(set(os.listdir("/sys/class/bluetooth")) - before)
        assert created, "hci_vhci created no controller"
        yield int(created[0].removeprefix("hci"))
    finally:
        os.close(fd)


# (protocol, socket type, address to bind)
BINDS = [
    ("L2CAP", sockcore.SOCK_SEQPACKET, (ANY, 0)),
    ("RFCOMM", sockcore.SOCK_STREAM, (ANY, 0)),
    ("SCO", sockcore.SOCK_SEQPACKET, ANY.encode()),
]

DEBIAN_BINDS = r"""
import json, socket
out = {}
for proto, kind, address in %r:
    with socket.socket(socket.AF_BLUETOOTH, kind, getattr(socket, "BTPROTO_" + proto)) as s:
        s.bind(address)
        out[proto] = s.getsockname()
with socket.socket(socket.AF_BLUETOOTH, socket.SOCK_RAW, socket.BTPROTO_HCI) as s:
    s.bind((%d,))
    out["HCI"] = s.getsockname()
print(json.dumps(out))
"""


def test_bind_each_protocol_and_getsockname_equals_debians(controller: int, debian: Callable[[str], Any]) -> None:
    ours: dict[str, Any] = {}
    for proto, kind, address in BINDS:
        with sockcore.socket(bt.AF_BLUETOOTH, kind, getattr(bt, "BTPROTO_" + proto)) as sock:
            sock.bind(address)
            ours[proto] = sock.getsockname()
    with sockcore.socket(bt.AF_BLUETOOTH, sockcore.SOCK_RAW, bt.BTPROTO_HCI) as sock:
        sock.bind((controller,))
        ours["HCI"] = sock.getsockname()
    theirs = debian(DEBIAN_BINDS % ([(p, int(k), a) for p, k, a in BINDS], controller))
    # JSON turns tuples into lists
    assert {k: list(v) if isinstance(v, tuple) else v for k, v in ours.items()} == theirs
    assert ours["HCI"] == controller
    assert ours["L2CAP"][0] == ANY  # the kernel picks a dynamic PSM for psm 0


def test_hci_filter_round_trip(controller: int) -> None:
    with sockcore.socket(bt.AF_BLUETOOTH, sockcore.SOCK_RAW, bt.BTPROTO_HCI) as sock:
        sock.bind((controller,))
        wanted = HciFilter().with_packet_type(bt.HCI_EVENT_PKT).with_event(0x0E).with_event(0x3E)
        sock.setopt(OPT["HCI_FILTER"], wanted)
        assert sock.getopt(OPT["HCI_FILTER"]) == wanted
        # the same bytes through the stdlib-style call
        raw = sock.getsockopt(bt.SOL_HCI, bt.HCI_FILTER, 16)
        assert isinstance(raw, bytes)
        assert OPT["HCI_FILTER"].codec.unpack(raw) == wanted
        for name in ("HCI_DATA_DIR", "HCI_TIME_STAMP"):
            sock.setopt(OPT[name], True)
            assert sock.getopt(OPT[name]) is True


def test_l2cap_and_rfcomm_options() -> None:
    with sockcore.socket(bt.AF_BLUETOOTH, sockcore.SOCK_SEQPACKET, bt.BTPROTO_L2CAP) as sock:
        options = sock.getopt(OPT["L2CAP_OPTIONS"])
        assert isinstance(options, L2capOptions) and options.imtu > 0
        sock.setopt(OPT["L2CAP_LM"], bt.L2CAP_LM_AUTH)
        assert sock.getopt(OPT["L2CAP_LM"]) & bt.L2CAP_LM_AUTH
        sock.setopt(OPT["BT_SECURITY"], BtSecurity(bt.BT_SECURITY_MEDIUM))
        assert sock.getopt(OPT["BT_SECURITY"]).level == bt.BT_SECURITY_MEDIUM
    with sockcore.socket(bt.AF_BLUETOOTH, sockcore.SOCK_STREAM, bt.BTPROTO_RFCOMM) as sock:
        sock.setopt(OPT["RFCOMM_LM"], bt.RFCOMM_LM_ENCRYPT)
        assert sock.getopt(OPT["RFCOMM_LM"]) & bt.RFCOMM_LM_ENCRYPT
