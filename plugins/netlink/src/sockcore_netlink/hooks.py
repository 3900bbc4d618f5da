"""sockcore-netlink's hook implementations: AF_NETLINK for the sockcore registry."""

from __future__ import annotations

from sockcore.plugin import Family, StaticPlugin

from ._constants import AF_NETLINK, CONSTANTS, NETLINK_ROUTE
from .cmsg import PKTINFO
from .codec import CODEC
from .ifaddrs import Interface, InterfaceAddress, InterfaceFlag, getifaddrs
from .options import NETLINK_OPTIONS
from .records import NetlinkAddress, NlPktinfo

_SOCK_RAW = 3

plugin = StaticPlugin(
    families=[
        Family(
            "AF_NETLINK",
            AF_NETLINK,
            probe=(_SOCK_RAW, NETLINK_ROUTE),
            address_format="(pid, groups)",
            platform_note="Linux",
        )
    ],
    codecs=[CODEC],
    constants=CONSTANTS,
    exports={
        "NetlinkAddress": NetlinkAddress,
        "NlPktinfo": NlPktinfo,
        "getifaddrs": getifaddrs,
        "Interface": Interface,
        "InterfaceAddress": InterfaceAddress,
        "InterfaceFlag": InterfaceFlag,
    },
    sockopts=NETLINK_OPTIONS,
    cmsg_codecs=[PKTINFO],
)
