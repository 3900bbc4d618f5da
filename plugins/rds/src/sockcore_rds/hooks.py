"""sockcore-rds's hook implementations: AF_RDS's family, codec, names and options."""

from __future__ import annotations

from sockcore.plugin import Family, StaticPlugin

from ._constants import CONSTANTS
from .codec import RdsAddressCodec
from .options import RDS_OPTIONS
from .records import RdsAddress, RdsAddress6

_PRESENT = "AF_RDS" in CONSTANTS  # Linux only

plugin = StaticPlugin(
    families=[
        Family(
            "AF_RDS",
            CONSTANTS["AF_RDS"],
            probe=(5, 0),  # SOCK_SEQPACKET: the only type RDS has
            address_format="(host, port)",
            platform_note="Linux >= 2.6.30; needs the rds module (rds_tcp or loopback transport)",
        )
    ]
    if _PRESENT
    else [],
    codecs=[RdsAddressCodec()] if _PRESENT else [],
    constants=CONSTANTS,
    sockopts=RDS_OPTIONS,
    exports={"RdsAddress": RdsAddress, "RdsAddress6": RdsAddress6},
)
