"""sockcore-unix's constants for this platform (generated tables, chosen at import).

The headers define everything this plugin owns, so nothing is added by hand.
"""

import sys

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS
else:  # pragma: no cover - only Linux tables are generated so far
    raise ImportError(f"sockcore-unix has no constant table for {sys.platform}; run tools/gen_constants.py there")

__all__ = ["CONSTANTS"]
