"""sockcore-bluetooth: AF_BLUETOOTH for sockcore (L2CAP, RFCOMM, HCI, SCO on Linux/BlueZ).

``from sockcore_bluetooth import BTPROTO_RFCOMM`` works without the registry.
"""

from __future__ import annotations

from typing import Any

from ._constants import *  # noqa: F403
from ._constants import ALL_CONSTANTS
from .address import (
    HciAddress,
    L2capAddress,
    L2capCidAddress,
    L2capLeAddress,
    RfcommAddress,
    format_bdaddr,
    parse_bdaddr,
)
from .options import BtConninfo, BtSecurity, HciFilter, L2capOptions

#: the record types the plugin adds to the ``sockcore`` module
EXPORTS: dict[str, Any] = {
    "HciFilter": HciFilter,
    "L2capOptions": L2capOptions,
    "BtSecurity": BtSecurity,
    "BtConninfo": BtConninfo,
    "L2capAddress": L2capAddress,
    "L2capCidAddress": L2capCidAddress,
    "L2capLeAddress": L2capLeAddress,
    "RfcommAddress": RfcommAddress,
    "HciAddress": HciAddress,
}

__all__ = [
    "ALL_CONSTANTS",
    "EXPORTS",
    "BtConninfo",
    "BtSecurity",
    "HciAddress",
    "HciFilter",
    "L2capAddress",
    "L2capCidAddress",
    "L2capLeAddress",
    "L2capOptions",
    "RfcommAddress",
    "format_bdaddr",
    "parse_bdaddr",
]
__all__ += list(ALL_CONSTANTS)
