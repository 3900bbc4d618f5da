"""sockcore-netlink: AF_NETLINK for sockcore.

Static names, usable without the plugin machinery::

    from sockcore_netlink import NETLINK_ROUTE, NetlinkAddress
    from sockcore_netlink.message import iter_messages, pack_message
    from sockcore_netlink.rtnetlink import getlink_request, parse_links
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .records import NetlinkAddress, NlPktinfo

__all__ = ["CONSTANTS", "NetlinkAddress", "NlPktinfo", *CONSTANTS]
