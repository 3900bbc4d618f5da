"""sockcore-system's constants.

PF_SYSTEM is macOS-only, so the only table is the hand-written macOS one
(:mod:`.darwin`).  It is used on every platform: the names stay importable
and the codec works everywhere (for tools that build or parse sockaddr_ctl
bytes), while creating a socket needs macOS (see :mod:`..codec`).

A platform vendor replaces this table by shipping a distribution with its
own ``_constants`` module and plugin (see the README).
"""

from .darwin import *  # noqa: F403
from .darwin import CONSTANTS

NATIVE_PLATFORM = "darwin"  # where PF_SYSTEM sockets exist
