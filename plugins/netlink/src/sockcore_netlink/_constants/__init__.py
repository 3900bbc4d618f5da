"""sockcore-netlink's constants for this platform (generated tables, chosen at import)."""

import sys as _sys

if _sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as CONSTANTS
else:  # pragma: no cover - AF_NETLINK is Linux-only
    raise ImportError(f"sockcore-netlink has no constant table for {_sys.platform}: AF_NETLINK is Linux-only")
