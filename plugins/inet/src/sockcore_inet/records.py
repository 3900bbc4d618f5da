"""Typed values of inet socket options and ancillary data (attrs records)."""

from __future__ import annotations

import attrs

__all__ = ["In6Pktinfo", "InPktinfo", "IpMreq", "IpMreqn", "Ipv6Mreq", "SockExtendedErr", "TcpInfo"]


@attrs.frozen
class IpMreq:
    """``struct ip_mreq``: join ``multiaddr`` on the interface with address ``interface``."""

    multiaddr: str
    interface: str = "0.0.0.0"


@attrs.frozen
class IpMreqn:
    """``struct ip_mreqn``: join ``multiaddr`` on interface ``ifindex`` (or the one with ``address``)."""

    multiaddr: str
    address: str = "0.0.0.0"
    ifindex: int = 0


@attrs.frozen
class Ipv6Mreq:
    """``struct ipv6_mreq``: join the IPv6 group ``multiaddr`` on interface index ``interface``."""

    multiaddr: str
    interface: int = 0


@attrs.frozen
class InPktinfo:
    """``struct in_pktinfo`` (IP_PKTINFO): arrival interface, local address, header destination."""

    ifindex: int
    spec_dst: str
    addr: str


@attrs.frozen
class In6Pktinfo:
    """``struct in6_pktinfo`` (IPV6_PKTINFO): the packet's destination address and interface."""

    addr: str
    ifindex: int


@attrs.frozen
class SockExtendedErr:
    """``struct sock_extended_err`` (IP_RECVERR/IPV6_RECVERR) and the offender's address.

    ``origin`` is SO_EE_ORIGIN_* (2 = ICMP, 3 = ICMPv6, 1 = local); ``type`` and
    ``code`` are the ICMP type and code; ``offender`` is the address of the
    node that reported the error, or None.
    """

    errno: int
    origin: int
    type: int
    code: int
    info: int
    data: int
    offender: tuple[str, int] | tuple[str, int, int, int] | None = None


@attrs.frozen
class TcpInfo:
    """``struct tcp_info`` (TCP_INFO); fields a kernel does not report are 0."""

    state: int
    ca_state: int
    retransmits: int
    probes: int
    backoff: int
    options: int
    snd_wscale: int
    rcv_wscale: int
    delivery_rate_app_limited: int
    fastopen_client_fail: int
    rto: int
    ato: int
    snd_mss: int
    rcv_mss: int
    unacked: int
    sacked: int
    lost: int
    retrans: int
    fackets: int
    last_data_sent: int
    last_ack_sent: int
    last_data_recv: int
    last_ack_recv: int
    pmtu: int
    rcv_ssthresh: int
    rtt: int
    rttvar: int
    snd_ssthresh: int
    snd_cwnd: int
    advmss: int
    reordering: int
    rcv_rtt: int
    rcv_space: int
    total_retrans: int
    pacing_rate: int = 0
    max_pacing_rate: int = 0
    bytes_acked: int = 0
    bytes_received: int = 0
    segs_out: int = 0
    segs_in: int = 0
    notsent_bytes: int = 0
    min_rtt: int = 0
    data_segs_in: int = 0
    data_segs_out: int = 0
    delivery_rate: int = 0
    busy_time: int = 0
    rwnd_limited: int = 0
    sndbuf_limited: int = 0
    delivered: int = 0
    delivered_ce: int = 0
    bytes_sent: int = 0
    bytes_retrans: int = 0
    dsack_dups: int = 0
    reord_seen: int = 0
    rcv_ooopack: int = 0
    snd_wnd: int = 0
    rcv_wnd: int = 0
    rehash: int = 0
    total_rto: int = 0
    total_rto_recoveries: int = 0
    total_rto_time: int = 0
