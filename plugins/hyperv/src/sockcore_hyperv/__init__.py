"""sockcore-hyperv: AF_HYPERV (Windows Hyper-V sockets) for sockcore.

Static imports work on every platform::

    from sockcore_hyperv import AF_HYPERV, HV_GUID_PARENT, encode_hyperv

Sockets need Windows; elsewhere the codec and constants serve tools that build
or parse ``SOCKADDR_HV`` bytes.  Importing this package does not import
pluggy; the hooks live in :data:`sockcore_hyperv.hooks.plugin`, a
:class:`~sockcore.plugin.StaticPlugin`.
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .codec import (
    HyperVAddressCodec,
    decode_hyperv,
    encode_hyperv,
    guid_from_bytes,
    guid_to_bytes,
    needs_windows_error,
)
from .records import HyperVAddress

__all__ = [
    "CONSTANTS",
    "HyperVAddress",
    "HyperVAddressCodec",
    "decode_hyperv",
    "encode_hyperv",
    "guid_from_bytes",
    "guid_to_bytes",
    "needs_windows_error",
    *CONSTANTS,
]
