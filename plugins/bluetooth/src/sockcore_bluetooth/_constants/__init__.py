"""sockcore-bluetooth's constants: the generated platform table plus the address strings."""

from __future__ import annotations

import sys

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as _TABLE
else:  # pragma: no cover - only the Linux (BlueZ) headers are read so far
    _TABLE: dict[str, int] = {}

# <bluetooth/bluetooth.h> defines these as bdaddr_t compound literals; the
# stdlib exports them as address strings.
BDADDR_ANY = "00:00:00:00:00:00"
BDADDR_LOCAL = "00:00:00:FF:FF:FF"
BDADDR_ALL = "FF:FF:FF:FF:FF:FF"

HAND_WRITTEN: dict[str, str] = {"BDADDR_ANY": BDADDR_ANY, "BDADDR_LOCAL": BDADDR_LOCAL, "BDADDR_ALL": BDADDR_ALL}

# the generated table (CONSTANTS, star-imported above) plus the hand-written names
ALL_CONSTANTS: dict[str, int | str] = {**_TABLE, **HAND_WRITTEN} if _TABLE else {}
