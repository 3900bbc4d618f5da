"""sockcore-hyperv's constants.

AF_HYPERV is Windows-only, so the only table is the hand-written Windows one
(:mod:`.windows`).  It is used on every platform: the names stay importable
and the codec works everywhere (for tools that build or parse SOCKADDR_HV
bytes), while creating a socket needs Windows (see :mod:`..codec`).

A platform vendor replaces this table by shipping a distribution with its
own ``_constants`` module and plugin (see the README).
"""

from .windows import *  # noqa: F403
from .windows import CONSTANTS

NATIVE_PLATFORM = "win32"  # where AF_HYPERV sockets exist
