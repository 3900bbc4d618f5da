"""sockcore-bluetooth's hook implementations: AF_BLUETOOTH, its codecs, names and options."""

from __future__ import annotations

from sockcore.plugin import CORE_CONSTANTS as _CORE
from sockcore.plugin import Family, StaticPlugin

from . import EXPORTS
from ._constants import AF_BLUETOOTH, ALL_CONSTANTS, BTPROTO_RFCOMM
from .address import CODECS
from .options import BLUETOOTH_OPTIONS

plugin = StaticPlugin(
    families=[
        Family(
            "AF_BLUETOOTH",
            AF_BLUETOOTH,
            probe=(_CORE["SOCK_STREAM"], BTPROTO_RFCOMM),
            address_format="L2CAP (bdaddr, psm) | RFCOMM (bdaddr, channel) | HCI (device_id,) | SCO bdaddr",
            platform_note="Linux: module bluetooth (and hci_vhci for a virtual controller)",
        )
    ],
    codecs=CODECS,
    constants=ALL_CONSTANTS,
    exports=EXPORTS,
    sockopts=BLUETOOTH_OPTIONS,
)
