"""The core's constants for this platform (generated tables, chosen at import)."""

import sys

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS, UNSERVED_FAMILIES
else:  # pragma: no cover - only Linux tables are generated so far
    raise ImportError(f"sockcore has no constant table for {sys.platform}; run tools/gen_constants.py there")

__all__ = ["CONSTANTS", "UNSERVED_FAMILIES"]
