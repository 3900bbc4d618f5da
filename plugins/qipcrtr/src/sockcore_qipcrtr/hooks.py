"""sockcore-qipcrtr's hook implementations: AF_QIPCRTR's family, codec and names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, Family, hookimpl

from ._constants import CONSTANTS
from .codec import QrtrAddressCodec
from .records import QrtrAddress, QrtrCtrlPacket

_PRESENT = "AF_QIPCRTR" in CONSTANTS  # Linux only


@hookimpl
def sockcore_families() -> Sequence[Family]:
    if not _PRESENT:
        return []
    return [
        Family(
            "AF_QIPCRTR",
            CONSTANTS["AF_QIPCRTR"],
            probe=(2, 0),  # SOCK_DGRAM: the only type QIPCRTR has
            address_format="(node, port)",
            platform_note="Linux >= 4.7; needs the qrtr kernel module",
        )
    ]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return [QrtrAddressCodec()] if _PRESENT else []


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return {"QrtrAddress": QrtrAddress, "QrtrCtrlPacket": QrtrCtrlPacket}
