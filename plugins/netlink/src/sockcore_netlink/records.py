"""The typed values of AF_NETLINK."""

from __future__ import annotations

from typing import NamedTuple

from sockcore.address import tuple_text

__all__ = ["NetlinkAddress", "NlPktinfo"]


@tuple_text
class NetlinkAddress(NamedTuple):
    """``struct sockaddr_nl`` as the stdlib shows it: ``(pid, groups)``.

    ``pid`` is the port ID (0 = the kernel, or "assign one" in bind);
    ``groups`` the bit mask of the first 32 multicast groups.
    """

    pid: int
    groups: int


class NlPktinfo(NamedTuple):
    """``struct nl_pktinfo``: the NETLINK_PKTINFO message, the multicast group a message came from."""

    group: int
