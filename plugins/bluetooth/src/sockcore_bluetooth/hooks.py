"""sockcore-bluetooth's hook implementations: AF_BLUETOOTH, its codecs, names and options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore._constants import CONSTANTS as _CORE
from sockcore.plugin import AddressCodec, Family, SockOpt, hookimpl

from . import EXPORTS
from ._constants import AF_BLUETOOTH, ALL_CONSTANTS, BTPROTO_RFCOMM
from .address import CODECS
from .options import BLUETOOTH_OPTIONS


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        Family(
            "AF_BLUETOOTH",
            AF_BLUETOOTH,
            probe=(_CORE["SOCK_STREAM"], BTPROTO_RFCOMM),
            address_format="L2CAP (bdaddr, psm) | RFCOMM (bdaddr, channel) | HCI (device_id,) | SCO bdaddr",
            platform_note="Linux: module bluetooth (and hci_vhci for a virtual controller)",
        )
    ]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return CODECS


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return ALL_CONSTANTS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return EXPORTS


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return BLUETOOTH_OPTIONS
