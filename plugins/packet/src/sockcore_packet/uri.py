"""The ``packet://`` URI scheme of the sockcore command.

``packet://IFNAME[/PROTO][?type=raw|dgram]``: PROTO is ``all`` (the
default), a number (``0x88b5``) or a constant name (``ETH_P_IP``,
``ETHERTYPE_ARP``); ``type`` picks SOCK_RAW (whole frames, the default) or
SOCK_DGRAM (the kernel adds and strips the link header).
"""

from __future__ import annotations

import sys
from urllib.parse import parse_qs, urlsplit

from sockcore import registry
from sockcore.records import UriScheme, UriTarget

from ._constants import AF_PACKET, CONSTANTS, ETH_P_ALL
from .records import PacketAddress

__all__ = ["PACKET_SCHEME", "parse_packet_uri"]

_TYPES = {"raw": "SOCK_RAW", "dgram": "SOCK_DGRAM"}


def _ethertype(text: str) -> int:
    if text in ("", "all"):
        return ETH_P_ALL
    if text in CONSTANTS and text.startswith(("ETH_P_", "ETHERTYPE_")):
        return CONSTANTS[text]
    try:
        value = int(text, 0)
    except ValueError:
        raise ValueError(f"packet URI protocol must be 'all', a number or an ETH_P_*/ETHERTYPE_* name, not {text!r}") from None
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"packet URI protocol must be 0-65535, not {value}")
    return value


def parse_packet_uri(uri: str) -> UriTarget:
    """The socket and address ``packet://IFNAME[/PROTO][?type=raw|dgram]`` names."""
    parts = urlsplit(uri)
    if parts.scheme != "packet" or not parts.netloc:
        raise ValueError(f"not a packet URI (packet://IFNAME[/PROTO][?type=raw|dgram]): {uri!r}")
    query = parse_qs(parts.query)
    kind = query.pop("type", ["raw"])[-1]
    if kind not in _TYPES or query:
        raise ValueError(f"packet URI accepts only ?type=raw or ?type=dgram: {uri!r}")
    proto = _ethertype(parts.path.strip("/"))
    sock_type = registry.tables().constants[_TYPES[kind]]
    # packet(7): the socket's protocol is the ethertype in network byte order (htons).
    socket_proto = int.from_bytes(proto.to_bytes(2, "big"), sys.byteorder)
    return UriTarget(AF_PACKET, int(sock_type), socket_proto, PacketAddress(parts.netloc, proto))


PACKET_SCHEME = UriScheme(
    "packet",
    parse_packet_uri,
    example="packet://eth0/0x88b5?type=dgram",
    doc="link-layer frames on one interface (AF_PACKET; root or CAP_NET_RAW)",
)
