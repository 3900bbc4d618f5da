"""sockcore-can: AF_CAN for sockcore (CAN_RAW, CAN_BCM, CAN_ISOTP, CAN_J1939).

Static imports work without the registry (``from sockcore_can import CAN_RAW``);
``import sockcore`` exposes the same names once the plugin is installed.
"""

from __future__ import annotations

from typing import Any

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .address import CanAddress, IsotpAddress, J1939Address
from .cmsg import J1939Ancillary, J1939DestAddr, J1939DestName, J1939Prio, j1939_ancillary
from .frames import BcmMsgHead, CanFdFrame, CanFrame, unpack_frame
from .options import CanFilter, IsotpFcOptions, IsotpLlOptions, IsotpOptions, J1939Filter

#: the record types and helpers the plugin adds to the ``sockcore`` module
EXPORTS: dict[str, Any] = {
    "CanAddress": CanAddress,
    "IsotpAddress": IsotpAddress,
    "J1939Address": J1939Address,
    "CanFrame": CanFrame,
    "CanFdFrame": CanFdFrame,
    "BcmMsgHead": BcmMsgHead,
    "CanFilter": CanFilter,
    "J1939Filter": J1939Filter,
    "IsotpOptions": IsotpOptions,
    "IsotpFcOptions": IsotpFcOptions,
    "IsotpLlOptions": IsotpLlOptions,
    "J1939Ancillary": J1939Ancillary,
}

__all__ = [
    "CONSTANTS",
    "EXPORTS",
    "BcmMsgHead",
    "CanAddress",
    "CanFdFrame",
    "CanFilter",
    "CanFrame",
    "IsotpAddress",
    "IsotpFcOptions",
    "IsotpLlOptions",
    "IsotpOptions",
    "J1939Address",
    "J1939Ancillary",
    "J1939DestAddr",
    "J1939DestName",
    "J1939Filter",
    "J1939Prio",
    "j1939_ancillary",
    "unpack_frame",
]
__all__ += list(CONSTANTS)
