"""sockcore-alg: AF_ALG (the Linux kernel crypto API) for sockcore.

``from sockcore_alg import ALG_OP_ENCRYPT`` works without the registry;
``sock.sendmsg_afalg(...)`` reaches every sockcore socket through it.
"""

from __future__ import annotations

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .address import AlgAddress
from .afalg import afalg_control, sendmsg_afalg
from .options import AuthSize

__all__ = ["CONSTANTS", "AlgAddress", "AuthSize", "afalg_control", "sendmsg_afalg"]
__all__ += list(CONSTANTS)
