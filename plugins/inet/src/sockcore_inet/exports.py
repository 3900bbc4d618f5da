"""The module-level names sockcore-inet adds to ``sockcore`` (functions, records, flags)."""

from __future__ import annotations

from typing import Any

from .cmsg import split_gro
from .codec import IPv4Address, IPv6Address
from .connect import create_connection, create_server, has_dualstack_ipv6, has_ipv6
from .convert import inet_aton, inet_ntoa, inet_ntop, inet_pton
from .records import In6Pktinfo, InPktinfo, IpMreq, IpMreqn, Ipv6Mreq, SockExtendedErr, TcpInfo
from .resolver import (
    getaddrinfo,
    getfqdn,
    gethostbyaddr,
    gethostbyname,
    gethostbyname_ex,
    getnameinfo,
    getprotobyname,
    getservbyname,
    getservbyport,
)

EXPORTS: dict[str, Any] = {
    "getaddrinfo": getaddrinfo,
    "getnameinfo": getnameinfo,
    "gethostbyname": gethostbyname,
    "gethostbyname_ex": gethostbyname_ex,
    "gethostbyaddr": gethostbyaddr,
    "getfqdn": getfqdn,
    "getprotobyname": getprotobyname,
    "getservbyname": getservbyname,
    "getservbyport": getservbyport,
    "inet_aton": inet_aton,
    "inet_ntoa": inet_ntoa,
    "inet_pton": inet_pton,
    "inet_ntop": inet_ntop,
    "create_connection": create_connection,
    "create_server": create_server,
    "has_dualstack_ipv6": has_dualstack_ipv6,
    "has_ipv6": has_ipv6,
    "IPv4Address": IPv4Address,
    "IPv6Address": IPv6Address,
    "IpMreq": IpMreq,
    "IpMreqn": IpMreqn,
    "Ipv6Mreq": Ipv6Mreq,
    "InPktinfo": InPktinfo,
    "In6Pktinfo": In6Pktinfo,
    "SockExtendedErr": SockExtendedErr,
    "TcpInfo": TcpInfo,
    "split_gro": split_gro,
}
