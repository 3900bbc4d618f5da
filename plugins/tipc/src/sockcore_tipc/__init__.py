"""sockcore-tipc: AF_TIPC for sockcore.

Static imports work without the registry::

    from sockcore_tipc import AF_TIPC, TIPC_ADDR_NAME, TipcAddress

Importing this package does not import pluggy; the hooks live in
:data:`sockcore_tipc.hooks.plugin`, a :class:`~sockcore.plugin.StaticPlugin`.
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .codec import TipcAddressCodec, decode_tipc, encode_tipc
from .records import GroupRequest, TipcAddress

__all__ = [
    "CONSTANTS",
    "GroupRequest",
    "TipcAddress",
    "TipcAddressCodec",
    "decode_tipc",
    "encode_tipc",
    *CONSTANTS,
]
