"""sockcore-packet's hook implementations: AF_PACKET for the sockcore registry."""

from __future__ import annotations

from sockcore.plugin import Family, StaticPlugin

from . import records
from ._constants import AF_PACKET, CONSTANTS
from .cmsg import AUXDATA
from .codec import CODEC
from .options import PACKET_OPTIONS
from .uri import PACKET_SCHEME

_SOCK_RAW = 3  # probe with SOCK_RAW, protocol 0: creates a socket that receives nothing

plugin = StaticPlugin(
    families=[
        Family(
            "AF_PACKET",
            AF_PACKET,
            probe=(_SOCK_RAW, 0),
            address_format="(ifname, proto[, pkttype[, hatype[, addr]]])",
            platform_note="Linux; creating a socket needs CAP_NET_RAW",
        )
    ],
    codecs=[CODEC],
    constants=CONSTANTS,
    exports={name: getattr(records, name) for name in records.__all__},
    sockopts=PACKET_OPTIONS,
    cmsg_codecs=[AUXDATA],
    uri_schemes=[PACKET_SCHEME],
)
