"""Typed inet socket options: one table line per option.

Levels: IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE.
Use them as ``sock.getopt(options.TCP_NODELAY)`` / ``sock.setopt(options.IP_TTL, 5)``.
SO_REUSEPORT belongs to every family and is the core's (``sockcore.options.SO_REUSEPORT``).
"""

from __future__ import annotations

import struct
import sys
from typing import Any

from sockcore.sockopt import BOOL, INT, U32, Cstring, SockOpt

from . import _constants as C
from .convert import inet_ntop, inet_pton
from .records import IpMreq, IpMreqn, Ipv6Mreq, TcpInfo

__all__ = ["INET_OPTIONS", "InAddrCodec", "Ipv6MreqCodec", "MembershipCodec", "TcpInfoCodec"]


class InAddrCodec:
    """``struct in_addr`` shown as a dotted quad (IP_MULTICAST_IF)."""

    size = 4
    type_name = "str"

    def pack(self, value: str) -> bytes:
        return inet_pton(C.AF_INET, value)

    def unpack(self, data: bytes) -> str:
        if len(data) != 4:
            raise OSError(f"getsockopt returned {len(data)} bytes for an in_addr, expected 4")
        return inet_ntop(C.AF_INET, data)


class MembershipCodec:
    """IP_ADD/DROP_MEMBERSHIP: an :class:`IpMreq` (8 bytes) or an :class:`IpMreqn` (12 bytes)."""

    size = 12
    type_name = "IpMreq | IpMreqn"

    def pack(self, value: IpMreq | IpMreqn) -> bytes:
        if isinstance(value, IpMreq):
            return inet_pton(C.AF_INET, value.multiaddr) + inet_pton(C.AF_INET, value.interface)
        if isinstance(value, IpMreqn):
            return (
                inet_pton(C.AF_INET, value.multiaddr)
                + inet_pton(C.AF_INET, value.address)
                + struct.pack("=i", value.ifindex)
            )
        raise TypeError(f"an IpMreq or IpMreqn is required, not {type(value).__name__}")

    def unpack(self, data: bytes) -> IpMreq | IpMreqn:
        if len(data) == 8:
            return IpMreq(inet_ntop(C.AF_INET, data[:4]), inet_ntop(C.AF_INET, data[4:]))
        if len(data) == 12:
            (ifindex,) = struct.unpack_from("=i", data, 8)
            return IpMreqn(inet_ntop(C.AF_INET, data[:4]), inet_ntop(C.AF_INET, data[4:8]), ifindex)
        raise OSError(f"getsockopt returned {len(data)} bytes for an ip_mreq, expected 8 or 12")


class Ipv6MreqCodec:
    """``struct ipv6_mreq`` as :class:`Ipv6Mreq` (IPV6_JOIN_GROUP/LEAVE_GROUP)."""

    size = 20
    type_name = "Ipv6Mreq"

    def pack(self, value: Ipv6Mreq) -> bytes:
        if not isinstance(value, Ipv6Mreq):
            raise TypeError(f"an Ipv6Mreq is required, not {type(value).__name__}")
        return inet_pton(C.AF_INET6, value.multiaddr) + struct.pack("=I", value.interface)

    def unpack(self, data: bytes) -> Ipv6Mreq:
        if len(data) != 20:
            raise OSError(f"getsockopt returned {len(data)} bytes for an ipv6_mreq, expected 20")
        return Ipv6Mreq(inet_ntop(C.AF_INET6, data[:16]), struct.unpack_from("=I", data, 16)[0])


#: struct tcp_info up to tcpi_total_rto_time (Linux 6.7); the 8 u8 fields hold two bitfield bytes
_TCP_INFO = struct.Struct("=8B24I4Q6I4Q2I2Q4I2I2HI")
#: the oldest struct a kernel returns (up to tcpi_total_retrans, Linux 2.6)
_TCP_INFO_MIN = 104


class TcpInfoCodec:
    """``struct tcp_info`` as :class:`TcpInfo`; older kernels' shorter structs leave zeros."""

    size = _TCP_INFO.size
    type_name = "TcpInfo"

    def pack(self, value: TcpInfo) -> bytes:
        raise OSError("TCP_INFO is read-only")

    def unpack(self, data: bytes) -> TcpInfo:
        if len(data) < _TCP_INFO_MIN:
            raise OSError(f"getsockopt returned {len(data)} bytes for tcp_info, expected >= {_TCP_INFO_MIN}")
        data = bytes(data[: self.size]).ljust(self.size, b"\0")
        fields = list(_TCP_INFO.unpack(data))
        wscale, flags = fields[6], fields[7]
        # bitfields, allocated from the low bit on little-endian ABIs
        if sys.byteorder == "little":
            bits = [wscale & 0xF, wscale >> 4, flags & 1, (flags >> 1) & 3]
        else:
            bits = [wscale >> 4, wscale & 0xF, flags >> 7, (flags >> 5) & 3]
        return TcpInfo(*fields[:6], *bits, *fields[8:])


def _ip(name: str, codec: Any, doc: str, access: str = "rw") -> SockOpt[Any]:
    return SockOpt(name, C.IPPROTO_IP, getattr(C, name), codec, access, doc, family="inet")  # type: ignore[arg-type]


def _ip6(name: str, codec: Any, doc: str, access: str = "rw") -> SockOpt[Any]:
    return SockOpt(name, C.IPPROTO_IPV6, getattr(C, name), codec, access, doc, family="inet")  # type: ignore[arg-type]


def _tcp(name: str, codec: Any, doc: str, access: str = "rw") -> SockOpt[Any]:
    return SockOpt(name, C.IPPROTO_TCP, getattr(C, name), codec, access, doc, family="inet")  # type: ignore[arg-type]


def _udp(name: str, codec: Any, doc: str, access: str = "rw") -> SockOpt[Any]:
    return SockOpt(name, C.IPPROTO_UDP, getattr(C, name), codec, access, doc, family="inet")  # type: ignore[arg-type]


def _udplite(name: str, codec: Any, doc: str, access: str = "rw") -> SockOpt[Any]:
    return SockOpt(name, C.IPPROTO_UDPLITE, getattr(C, name), codec, access, doc, family="inet")  # type: ignore[arg-type]


# One line per option: name, value codec, what it does, access.
INET_OPTIONS: tuple[SockOpt[Any], ...] = (
    _ip("IP_TOS", INT, "type-of-service byte of outgoing packets"),
    _ip("IP_TTL", INT, "time-to-live of outgoing unicast packets"),
    _ip("IP_MULTICAST_TTL", INT, "time-to-live of outgoing multicast packets"),
    _ip("IP_MULTICAST_LOOP", BOOL, "multicast packets sent are looped back to local listeners"),
    _ip("IP_MULTICAST_IF", InAddrCodec(), "local address of the interface for outgoing multicast"),
    _ip("IP_MULTICAST_ALL", BOOL, "receive from every group joined by any socket"),
    _ip("IP_ADD_MEMBERSHIP", MembershipCodec(), "join a multicast group", "w"),
    _ip("IP_DROP_MEMBERSHIP", MembershipCodec(), "leave a multicast group", "w"),
    _ip("IP_PKTINFO", BOOL, "receive IP_PKTINFO ancillary data"),
    _ip("IP_RECVTTL", BOOL, "receive the TTL as IP_TTL ancillary data"),
    _ip("IP_RECVTOS", BOOL, "receive the TOS byte as IP_TOS ancillary data"),
    _ip("IP_RECVERR", BOOL, "queue extended errors (read with MSG_ERRQUEUE)"),
    _ip("IP_RECVORIGDSTADDR", BOOL, "receive the original destination (IP_ORIGDSTADDR)"),
    _ip("IP_MTU_DISCOVER", INT, "path MTU discovery mode (IP_PMTUDISC_*)"),
    _ip("IP_MTU", INT, "the path MTU of a connected socket", "r"),
    _ip("IP_FREEBIND", BOOL, "bind to addresses that are not (yet) local"),
    _ip("IP_TRANSPARENT", BOOL, "transparent proxying (CAP_NET_ADMIN)"),
    _ip("IP_BIND_ADDRESS_NO_PORT", BOOL, "bind the address now, the port at connect()"),
    _ip("IP_MINTTL", INT, "drop packets with a smaller TTL"),
    _ip("IP_HDRINCL", BOOL, "the application supplies the IP header (raw sockets)"),
    _ip6("IPV6_V6ONLY", BOOL, "restrict the socket to IPv6 (no IPv4-mapped peers)"),
    _ip6("IPV6_UNICAST_HOPS", INT, "hop limit of outgoing unicast packets (-1: route default)"),
    _ip6("IPV6_MULTICAST_HOPS", INT, "hop limit of outgoing multicast packets"),
    _ip6("IPV6_MULTICAST_LOOP", BOOL, "multicast packets sent are looped back"),
    _ip6("IPV6_MULTICAST_IF", INT, "interface index for outgoing multicast"),
    _ip6("IPV6_JOIN_GROUP", Ipv6MreqCodec(), "join an IPv6 multicast group", "w"),
    _ip6("IPV6_LEAVE_GROUP", Ipv6MreqCodec(), "leave an IPv6 multicast group", "w"),
    _ip6("IPV6_RECVPKTINFO", BOOL, "receive IPV6_PKTINFO ancillary data"),
    _ip6("IPV6_RECVHOPLIMIT", BOOL, "receive the hop limit as IPV6_HOPLIMIT ancillary data"),
    _ip6("IPV6_RECVTCLASS", BOOL, "receive the traffic class as IPV6_TCLASS ancillary data"),
    _ip6("IPV6_TCLASS", INT, "traffic class of outgoing packets"),
    _ip6("IPV6_RECVERR", BOOL, "queue extended errors (read with MSG_ERRQUEUE)"),
    _ip6("IPV6_MTU_DISCOVER", INT, "path MTU discovery mode (IPV6_PMTUDISC_*)"),
    _ip6("IPV6_MTU", INT, "the path MTU of a connected socket"),
    _ip6("IPV6_DONTFRAG", BOOL, "do not fragment outgoing packets"),
    _ip6("IPV6_FREEBIND", BOOL, "bind to addresses that are not (yet) local"),
    _tcp("TCP_NODELAY", BOOL, "send segments at once (no Nagle)"),
    _tcp("TCP_MAXSEG", INT, "maximum segment size"),
    _tcp("TCP_CORK", BOOL, "hold partial frames until uncorked"),
    _tcp("TCP_KEEPIDLE", INT, "seconds idle before keep-alive probes start"),
    _tcp("TCP_KEEPINTVL", INT, "seconds between keep-alive probes"),
    _tcp("TCP_KEEPCNT", INT, "probes lost before the connection is dropped"),
    _tcp("TCP_SYNCNT", INT, "SYN retransmits before connect() gives up"),
    _tcp("TCP_LINGER2", INT, "lifetime of orphaned FIN_WAIT2 sockets"),
    _tcp("TCP_DEFER_ACCEPT", INT, "seconds accept() waits for data"),
    _tcp("TCP_WINDOW_CLAMP", INT, "bound on the advertised window"),
    _tcp("TCP_INFO", TcpInfoCodec(), "connection state and statistics", "r"),
    _tcp("TCP_QUICKACK", BOOL, "send ACKs at once (not persistent)"),
    _tcp("TCP_CONGESTION", Cstring(16), "congestion-control algorithm"),
    _tcp("TCP_USER_TIMEOUT", U32, "milliseconds unacknowledged data may wait before the connection drops"),
    _tcp("TCP_NOTSENT_LOWAT", U32, "unsent bytes before the socket stops being writable"),
    _tcp("TCP_FASTOPEN", INT, "queue length of TCP Fast Open requests (listeners)"),
    _tcp("TCP_FASTOPEN_CONNECT", BOOL, "send data in the SYN on connect()"),
    _tcp("TCP_INQ", BOOL, "receive the queued byte count as TCP_CM_INQ ancillary data"),
    _tcp("TCP_THIN_LINEAR_TIMEOUTS", BOOL, "linear timeouts for thin streams"),
    _tcp("TCP_TX_DELAY", INT, "microseconds added to every transmit (testing)"),
    _udp("UDP_CORK", BOOL, "hold datagrams until uncorked"),
    _udp("UDP_SEGMENT", INT, "GSO segment size of sent datagrams"),
    _udp("UDP_GRO", BOOL, "receive coalesced datagrams (UDP_GRO ancillary data)"),
    _udplite("UDPLITE_SEND_CSCOV", INT, "bytes of each sent datagram the checksum covers (0: all)"),
    _udplite("UDPLITE_RECV_CSCOV", INT, "minimum checksum coverage accepted on receive"),
)
