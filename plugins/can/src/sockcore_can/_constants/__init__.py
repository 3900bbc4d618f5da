"""sockcore-can's constants: the generated platform table plus hand-written names.

The hand-written names are C enum members (the generator reads macros only) and
the BCM names the stdlib exports with a ``CAN_BCM_`` prefix the headers lack.
Their values are kernel ABI and never change.
"""

from __future__ import annotations

import sys
from typing import Final

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as _TABLE
else:  # pragma: no cover - only Linux ships the CAN socket headers
    _TABLE: dict[str, int] = {}

_BEFORE = set(globals())

# <linux/can/bcm.h>: the opcodes are an enum; the flags are unprefixed macros
# (SETTIMER, STARTTIMER ...) that the stdlib renames to CAN_BCM_*.

CAN_BCM_TX_SETUP: Final = 1
CAN_BCM_TX_DELETE: Final = 2
CAN_BCM_TX_READ: Final = 3
CAN_BCM_TX_SEND: Final = 4
CAN_BCM_RX_SETUP: Final = 5
CAN_BCM_RX_DELETE: Final = 6
CAN_BCM_RX_READ: Final = 7
CAN_BCM_TX_STATUS: Final = 8
CAN_BCM_TX_EXPIRED: Final = 9
CAN_BCM_RX_STATUS: Final = 10
CAN_BCM_RX_TIMEOUT: Final = 11
CAN_BCM_RX_CHANGED: Final = 12
CAN_BCM_SETTIMER: Final = 0x0001
CAN_BCM_STARTTIMER: Final = 0x0002
CAN_BCM_TX_COUNTEVT: Final = 0x0004
CAN_BCM_TX_ANNOUNCE: Final = 0x0008
CAN_BCM_TX_CP_CAN_ID: Final = 0x0010
CAN_BCM_RX_FILTER_ID: Final = 0x0020
CAN_BCM_RX_CHECK_DLC: Final = 0x0040
CAN_BCM_RX_NO_AUTOTIMER: Final = 0x0080
CAN_BCM_RX_ANNOUNCE_RESUME: Final = 0x0100
CAN_BCM_TX_RESET_MULTI_IDX: Final = 0x0200
CAN_BCM_RX_RTR_FRAME: Final = 0x0400
CAN_BCM_CAN_FD_FRAME: Final = 0x0800

# Enum members of <linux/can/raw.h> and <linux/can/j1939.h>.

# Enum members of <linux/can/raw.h> and <linux/can/j1939.h>.
CAN_RAW_FILTER: Final = 1
CAN_RAW_ERR_FILTER: Final = 2
CAN_RAW_LOOPBACK: Final = 3
CAN_RAW_RECV_OWN_MSGS: Final = 4
CAN_RAW_FD_FRAMES: Final = 5
CAN_RAW_JOIN_FILTERS: Final = 6
CAN_RAW_XL_FRAMES: Final = 7
SCM_CAN_RAW_ERRQUEUE: Final = 1
SO_J1939_FILTER: Final = 1
SO_J1939_PROMISC: Final = 2
SO_J1939_SEND_PRIO: Final = 3
SO_J1939_ERRQUEUE: Final = 4
SCM_J1939_DEST_ADDR: Final = 1
SCM_J1939_DEST_NAME: Final = 2
SCM_J1939_PRIO: Final = 3
SCM_J1939_ERRQUEUE: Final = 4
J1939_NLA_PAD: Final = 0
J1939_NLA_BYTES_ACKED: Final = 1
J1939_NLA_TOTAL_SIZE: Final = 2
J1939_NLA_PGN: Final = 3
J1939_NLA_SRC_NAME: Final = 4
J1939_NLA_DEST_NAME: Final = 5
J1939_NLA_SRC_ADDR: Final = 6
J1939_NLA_DEST_ADDR: Final = 7
J1939_EE_INFO_NONE: Final = 0
J1939_EE_INFO_TX_ABORT: Final = 1
J1939_EE_INFO_RX_RTS: Final = 2
J1939_EE_INFO_RX_DPO: Final = 3
J1939_EE_INFO_RX_ABORT: Final = 4

HAND_WRITTEN: Final[dict[str, int]] = {
    name: value for name, value in dict(globals()).items() if name not in _BEFORE and name.isupper() and not name.startswith("_")
}

# the generated table (star-imported above, hence the ignore) plus the hand-written names
CONSTANTS = {**_TABLE, **HAND_WRITTEN} if _TABLE else {}  # type: ignore[misc]
