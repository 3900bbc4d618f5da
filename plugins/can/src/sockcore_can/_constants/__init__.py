"""sockcore-can's constants: the generated platform table plus hand-written names.

The hand-written names are C enum members (the generator reads macros only) and
the BCM names the stdlib exports with a ``CAN_BCM_`` prefix the headers lack.
Their values are kernel ABI and never change.
"""

from __future__ import annotations

import sys

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as _TABLE
else:  # pragma: no cover - only Linux ships the CAN socket headers
    _TABLE: dict[str, int] = {}

_BEFORE = set(globals())

# <linux/can/bcm.h>: the opcodes are an enum; the flags are unprefixed macros
# (SETTIMER, STARTTIMER ...) that the stdlib renames to CAN_BCM_*.

CAN_BCM_TX_SETUP = 1
CAN_BCM_TX_DELETE = 2
CAN_BCM_TX_READ = 3
CAN_BCM_TX_SEND = 4
CAN_BCM_RX_SETUP = 5
CAN_BCM_RX_DELETE = 6
CAN_BCM_RX_READ = 7
CAN_BCM_TX_STATUS = 8
CAN_BCM_TX_EXPIRED = 9
CAN_BCM_RX_STATUS = 10
CAN_BCM_RX_TIMEOUT = 11
CAN_BCM_RX_CHANGED = 12
CAN_BCM_SETTIMER = 0x0001
CAN_BCM_STARTTIMER = 0x0002
CAN_BCM_TX_COUNTEVT = 0x0004
CAN_BCM_TX_ANNOUNCE = 0x0008
CAN_BCM_TX_CP_CAN_ID = 0x0010
CAN_BCM_RX_FILTER_ID = 0x0020
CAN_BCM_RX_CHECK_DLC = 0x0040
CAN_BCM_RX_NO_AUTOTIMER = 0x0080
CAN_BCM_RX_ANNOUNCE_RESUME = 0x0100
CAN_BCM_TX_RESET_MULTI_IDX = 0x0200
CAN_BCM_RX_RTR_FRAME = 0x0400
CAN_BCM_CAN_FD_FRAME = 0x0800

# Enum members of <linux/can/raw.h> and <linux/can/j1939.h>.

# Enum members of <linux/can/raw.h> and <linux/can/j1939.h>.
CAN_RAW_FILTER = 1
CAN_RAW_ERR_FILTER = 2
CAN_RAW_LOOPBACK = 3
CAN_RAW_RECV_OWN_MSGS = 4
CAN_RAW_FD_FRAMES = 5
CAN_RAW_JOIN_FILTERS = 6
CAN_RAW_XL_FRAMES = 7
SCM_CAN_RAW_ERRQUEUE = 1
SO_J1939_FILTER = 1
SO_J1939_PROMISC = 2
SO_J1939_SEND_PRIO = 3
SO_J1939_ERRQUEUE = 4
SCM_J1939_DEST_ADDR = 1
SCM_J1939_DEST_NAME = 2
SCM_J1939_PRIO = 3
SCM_J1939_ERRQUEUE = 4
J1939_NLA_PAD = 0
J1939_NLA_BYTES_ACKED = 1
J1939_NLA_TOTAL_SIZE = 2
J1939_NLA_PGN = 3
J1939_NLA_SRC_NAME = 4
J1939_NLA_DEST_NAME = 5
J1939_NLA_SRC_ADDR = 6
J1939_NLA_DEST_ADDR = 7
J1939_EE_INFO_NONE = 0
J1939_EE_INFO_TX_ABORT = 1
J1939_EE_INFO_RX_RTS = 2
J1939_EE_INFO_RX_DPO = 3
J1939_EE_INFO_RX_ABORT = 4

HAND_WRITTEN: dict[str, int] = {
    name: value for name, value in dict(globals()).items() if name not in _BEFORE and name.isupper() and not name.startswith("_")
}

# the generated table plus the hand-written names
CONSTANTS = {**_TABLE, **HAND_WRITTEN} if _TABLE else {}
