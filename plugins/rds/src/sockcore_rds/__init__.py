"""sockcore-rds: AF_RDS (Reliable Datagram Sockets) for sockcore.

Static imports work without the registry::

    from sockcore_rds import AF_RDS, SOL_RDS, RDS_RECVERR, RdsAddress

Importing this package does not import pluggy; the hooks live in
:data:`sockcore_rds.hooks.plugin`, a :class:`~sockcore.plugin.StaticPlugin`.
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .codec import RdsAddressCodec, decode_rds, encode_rds, parse_ipv4
from .records import RdsAddress, RdsAddress6

__all__ = [
    "CONSTANTS",
    "RdsAddress",
    "RdsAddress6",
    "RdsAddressCodec",
    "decode_rds",
    "encode_rds",
    "parse_ipv4",
    *CONSTANTS,
]
