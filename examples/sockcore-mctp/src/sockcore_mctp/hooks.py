"""sockcore-mctp's hooks: what the plugin declares to the sockcore registry."""

from __future__ import annotations

from sockcore.plugin import SOCK_DGRAM, Family, Probe, StaticPlugin

from . import EXPORTS
from ._constants import AF_MCTP, CONSTANTS
from .codec import CODEC
from .options import MCTP_OPTIONS

plugin = StaticPlugin(
    families=[
        Family(
            "AF_MCTP",
            AF_MCTP,
            probe=Probe(SOCK_DGRAM, 0),  # the socket `sockcore families` creates to ask the kernel
            address_format="(network, addr, type, tag[, ifindex, haddr])",
            platform_note="Linux >= 5.15 with CONFIG_MCTP",
        )
    ],
    codecs=[CODEC],
    constants=CONSTANTS,
    exports=EXPORTS,
    sockopts=MCTP_OPTIONS,
)
