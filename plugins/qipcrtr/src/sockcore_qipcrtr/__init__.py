"""sockcore-qipcrtr: AF_QIPCRTR (Qualcomm IPC router) for sockcore.

Static imports work without the registry::

    from sockcore_qipcrtr import AF_QIPCRTR, QRTR_PORT_CTRL, QrtrAddress

Importing this package does not import pluggy; the hooks live in
:data:`sockcore_qipcrtr.hooks.plugin`, a :class:`~sockcore.plugin.StaticPlugin`.
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .codec import QrtrAddressCodec, decode_qrtr, encode_qrtr
from .records import QrtrAddress, QrtrCtrlPacket

__all__ = [
    "CONSTANTS",
    "QrtrAddress",
    "QrtrAddressCodec",
    "QrtrCtrlPacket",
    "decode_qrtr",
    "encode_qrtr",
    *CONSTANTS,
]
