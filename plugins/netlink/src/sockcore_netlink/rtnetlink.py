"""Listing network interfaces over NETLINK_ROUTE: an RTM_GETLINK dump, parsed.

A worked example of :mod:`sockcore_netlink.message`, and a useful one: it
gives the same ``(index, name)`` pairs as ``if_nameindex()``, plus what the
kernel says about each link.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import NamedTuple

from ._constants import NLM_F_DUMP, NLM_F_REQUEST, NLMSG_DONE
from .message import Message, check_error, iter_attributes, pack_message

__all__ = ["IFLA_IFNAME", "IFLA_MTU", "RTM_GETLINK", "RTM_NEWLINK", "Link", "getlink_request", "parse_links"]

# linux/rtnetlink.h and linux/if_link.h define these as enum members, which the
# constants generator (macros only) cannot see; they are fixed kernel ABI.
RTM_NEWLINK = 16
RTM_GETLINK = 18
IFLA_MTU = 4
IFLA_IFNAME = 3

_IFINFOMSG = struct.Struct("=BxHiII")  # family, pad, type, index, flags, change


class Link(NamedTuple):
    """One interface of an RTM_NEWLINK message."""

    ifindex: int
    name: str
    type: int  # ARPHRD_*
    flags: int  # IFF_*
    mtu: int


def getlink_request(seq: int = 1) -> bytes:
    """An RTM_GETLINK dump request for every interface (send it to the kernel, ``(0, 0)``)."""
    return pack_message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, _IFINFOMSG.pack(0, 0, 0, 0, 0))


def parse_links(messages: Iterable[Message]) -> tuple[list[Link], bool]:
    """The links in ``messages`` and whether the dump is complete (NLMSG_DONE seen).

    An NLMSG_ERROR message raises its OSError.
    """
    links: list[Link] = []
    for msg in messages:
        check_error(msg)
        if msg.type == NLMSG_DONE:
            return links, True
        if msg.type != RTM_NEWLINK or len(msg.payload) < _IFINFOMSG.size:
            continue
        _family, type, index, flags, _change = _IFINFOMSG.unpack_from(msg.payload)
        name, mtu = "", 0
        for attr in iter_attributes(msg.payload[_IFINFOMSG.size :]):
            if attr.type == IFLA_IFNAME:
                name = attr.payload.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
            elif attr.type == IFLA_MTU and len(attr.payload) >= 4:
                (mtu,) = struct.unpack_from("=I", attr.payload)
        links.append(Link(index, name, type, flags, mtu))
    return links, False
