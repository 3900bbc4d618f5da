"""sockcore-qipcrtr's hook implementations: AF_QIPCRTR's family, codec and names."""

from __future__ import annotations

from sockcore.plugin import Family, StaticPlugin

from ._constants import CONSTANTS
from .codec import QrtrAddressCodec
from .records import QrtrAddress, QrtrCtrlPacket

_PRESENT = "AF_QIPCRTR" in CONSTANTS  # Linux only

plugin = StaticPlugin(
    families=[
        Family(
            "AF_QIPCRTR",
            CONSTANTS["AF_QIPCRTR"],
            probe=(2, 0),  # SOCK_DGRAM: the only type QIPCRTR has
            address_format="(node, port)",
            platform_note="Linux >= 4.7; needs the qrtr kernel module",
        )
    ]
    if _PRESENT
    else [],
    codecs=[QrtrAddressCodec()] if _PRESENT else [],
    constants=CONSTANTS,
    exports={"QrtrAddress": QrtrAddress, "QrtrCtrlPacket": QrtrCtrlPacket},
)
