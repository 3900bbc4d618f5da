"""sockcore-xdp's constants for this platform (generated tables, chosen at import)."""

import sys as _sys

if _sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as CONSTANTS
else:  # pragma: no cover - AF_XDP is Linux-only
    raise ImportError(f"sockcore-xdp has no constant table for {_sys.platform}: AF_XDP is Linux-only")
