"""sockcore-can's hook implementations: AF_CAN, its codecs, names, options and URI scheme."""

from __future__ import annotations

from sockcore.plugin import CORE_CONSTANTS as _CORE
from sockcore.plugin import Family, StaticPlugin

from . import EXPORTS
from ._constants import AF_CAN, CAN_RAW, CONSTANTS
from .address import CODECS
from .cmsg import J1939_CMSG_CODECS
from .options import CAN_OPTIONS
from .uri import CAN_SCHEME

plugin = StaticPlugin(
    families=[
        Family(
            "AF_CAN",
            AF_CAN,
            probe=(_CORE["SOCK_RAW"], CAN_RAW),
            address_format="(interface,) | ISOTP (interface, rx_addr, tx_addr) | J1939 (interface, name, pgn, addr)",
            platform_note="Linux: modules can, can_raw, can_bcm, can_isotp, can_j1939",
        )
    ],
    codecs=CODECS,
    constants=CONSTANTS,
    exports=EXPORTS,
    sockopts=CAN_OPTIONS,
    cmsg_codecs=J1939_CMSG_CODECS,
    uri_schemes=[CAN_SCHEME],
)
