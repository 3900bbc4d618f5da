"""sockcore-tipc's hook implementations: AF_TIPC's family, codec, names and options."""

from __future__ import annotations

from sockcore.plugin import Family, StaticPlugin

from ._constants import CONSTANTS
from .codec import TipcAddressCodec
from .options import TIPC_OPTIONS
from .records import GroupRequest, TipcAddress

_PRESENT = "AF_TIPC" in CONSTANTS  # Linux only

plugin = StaticPlugin(
    families=[
        Family(
            "AF_TIPC",
            CONSTANTS["AF_TIPC"],
            probe=(1, 0),  # SOCK_STREAM: every TIPC kernel has it
            address_format="(addr_type, v1, v2, v3[, scope])",
            platform_note="Linux; needs the tipc kernel module",
        )
    ]
    if _PRESENT
    else [],
    codecs=[TipcAddressCodec()] if _PRESENT else [],
    constants=CONSTANTS,
    sockopts=TIPC_OPTIONS,
    exports={"TipcAddress": TipcAddress, "TipcGroupRequest": GroupRequest},
)
