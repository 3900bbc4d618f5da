"""sockcore-packet's constants for this platform (generated tables, chosen at import)."""

import sys

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS
else:  # pragma: no cover - AF_PACKET is Linux-only
    raise ImportError(f"sockcore-packet has no constant table for {sys.platform}: AF_PACKET is Linux-only")

__all__ = ["CONSTANTS", *CONSTANTS]
