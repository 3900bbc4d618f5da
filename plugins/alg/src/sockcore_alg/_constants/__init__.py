"""sockcore-alg's constants: the generated platform table plus documented names the headers lack."""

from __future__ import annotations

import sys

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as _TABLE
else:  # pragma: no cover - AF_ALG is Linux-only
    _TABLE: dict[str, int] = {}

# The stdlib defines these (values from a proposed akcipher interface); Linux's
# <linux/if_alg.h> never gained them, so they are written here.
ALG_OP_SIGN = 2
ALG_OP_VERIFY = 3
ALG_SET_PUBKEY = 6

HAND_WRITTEN: dict[str, int] = {
    "ALG_OP_SIGN": ALG_OP_SIGN,
    "ALG_OP_VERIFY": ALG_OP_VERIFY,
    "ALG_SET_PUBKEY": ALG_SET_PUBKEY,
}

# the generated table plus the hand-written names
CONSTANTS = {**_TABLE, **HAND_WRITTEN} if _TABLE else {}
