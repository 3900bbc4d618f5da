"""sockcore-inet: AF_INET, AF_INET6, UDP-Lite and name resolution for sockcore.

Static imports work without the plugin machinery::

    from sockcore_inet import IPPROTO_TCP, TCP_NODELAY, getaddrinfo, IPv4Address
"""

from __future__ import annotations

from ._constants import *  # noqa: F403 - the constant table is the public API
from ._constants import CONSTANTS
from .exports import *  # noqa: F403
from .exports import EXPORTS

__all__ = sorted({*CONSTANTS, *EXPORTS})
