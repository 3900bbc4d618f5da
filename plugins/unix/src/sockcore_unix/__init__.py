"""sockcore-unix: the AF_UNIX family for sockcore.

Static names, importable without the registry (and without pluggy)::

    from sockcore_unix import AF_UNIX, send_fds, recv_fds

The same names are attributes of ``sockcore`` once the plugin is installed.
"""

from ._constants import AF_UNIX, CONSTANTS, UNIX_PATH_MAX
from .codec import UNIX_CODEC, UnixAddressCodec, decode_address, encode_address
from .fds import recv_fds, send_fds

__all__ = [
    "AF_UNIX",
    "CONSTANTS",
    "UNIX_CODEC",
    "UNIX_PATH_MAX",
    "UnixAddressCodec",
    "decode_address",
    "encode_address",
    "recv_fds",
    "send_fds",
]
