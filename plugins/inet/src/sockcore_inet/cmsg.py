"""Typed ancillary data of IPv4 and IPv6 sockets (one CmsgCodec per (level, type))."""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterable
from typing import Any

from sockcore.records import CmsgCodec

from . import _constants as C
from .codec import IPv4Address, IPv6Address, decode_inet4, decode_inet6
from .convert import inet_ntop, inet_pton
from .records import In6Pktinfo, InPktinfo, SockExtendedErr

__all__ = ["INET_CMSG_CODECS", "split_gro"]

_INT = struct.Struct("=i")
_U16 = struct.Struct("=H")
_IN_PKTINFO = struct.Struct("=i4s4s")
_IN6_PKTINFO = struct.Struct("=16sI")
_EXTENDED_ERR = struct.Struct("=IBBBxII")


def _length(data: bytes, want: int, what: str) -> None:
    if len(data) < want:
        raise ValueError(f"{what}: {len(data)} bytes of ancillary data, expected {want}")


def decode_int(data: bytes) -> int:
    """A C int payload (IP_TTL, IPV6_HOPLIMIT, IPV6_TCLASS)."""
    _length(data, 4, "int")
    return int(_INT.unpack_from(data)[0])


def encode_int(value: int) -> bytes:
    return _INT.pack(value)


def decode_tos(data: bytes) -> int:
    """IP_TOS arrives as one byte."""
    _length(data, 1, "IP_TOS")
    return data[0]


def decode_in_pktinfo(data: bytes) -> InPktinfo:
    _length(data, _IN_PKTINFO.size, "in_pktinfo")
    ifindex, spec_dst, addr = _IN_PKTINFO.unpack_from(data)
    return InPktinfo(ifindex, inet_ntop(C.AF_INET, spec_dst), inet_ntop(C.AF_INET, addr))


def encode_in_pktinfo(value: InPktinfo) -> bytes:
    return _IN_PKTINFO.pack(value.ifindex, inet_pton(C.AF_INET, value.spec_dst), inet_pton(C.AF_INET, value.addr))


def decode_in6_pktinfo(data: bytes) -> In6Pktinfo:
    _length(data, _IN6_PKTINFO.size, "in6_pktinfo")
    addr, ifindex = _IN6_PKTINFO.unpack_from(data)
    return In6Pktinfo(inet_ntop(C.AF_INET6, addr), ifindex)


def encode_in6_pktinfo(value: In6Pktinfo) -> bytes:
    return _IN6_PKTINFO.pack(inet_pton(C.AF_INET6, value.addr), value.ifindex)


def _sockaddr(raw: bytes) -> IPv4Address | IPv6Address | None:
    if len(raw) < 2:
        return None
    family = int.from_bytes(raw[:2], sys.byteorder)
    if family == C.AF_INET:
        return decode_inet4(raw[2:16])
    if family == C.AF_INET6:
        return decode_inet6(raw[2:28])
    return None


def decode_extended_err(data: bytes) -> SockExtendedErr:
    """``struct sock_extended_err`` followed by the offender's sockaddr (SO_EE_OFFENDER)."""
    _length(data, _EXTENDED_ERR.size, "sock_extended_err")
    err, origin, icmp_type, code, info, extra = _EXTENDED_ERR.unpack_from(data)
    offender: Any = _sockaddr(data[_EXTENDED_ERR.size :])
    return SockExtendedErr(err, origin, icmp_type, code, info, extra, offender)


def decode_segment_size(data: bytes) -> int:
    """UDP_SEGMENT: the GSO segment size, a u16 (the kernel also takes it from a longer item)."""
    _length(data, 2, "UDP_SEGMENT")
    return int(_U16.unpack_from(data)[0])


def encode_segment_size(value: int) -> bytes:
    return _U16.pack(value)


def split_gro(data: bytes, ancdata: int | Iterable[tuple[int, int, bytes]]) -> list[bytes]:
    """The datagrams a UDP_GRO receive coalesced into ``data``.

    ``ancdata`` is recvmsg's ancillary data (the UDP_GRO item gives the
    segment size: every datagram but the last has that length) or the size
    itself.  Data that came without a UDP_GRO item is one datagram.
    """
    if isinstance(ancdata, int):
        size: int | None = ancdata
    else:
        size = None
        for level, kind, payload in ancdata:
            if level == C.SOL_UDP and kind == C.UDP_GRO:
                size = decode_int(payload)
    if data.__class__ is not bytes:
        data = memoryview(data).tobytes()
    if size is None or size >= len(data):
        return [data]
    if size <= 0:
        raise ValueError(f"UDP_GRO segment size must be positive, not {size}")
    return [data[i : i + size] for i in range(0, len(data), size)]  # bytes slices: the cheapest copy


def decode_origdstaddr(data: bytes) -> Any:
    """IP_ORIGDSTADDR / IPV6_ORIGDSTADDR: the datagram's original destination."""
    return _sockaddr(data)


INET_CMSG_CODECS: tuple[CmsgCodec, ...] = (
    CmsgCodec("IP_PKTINFO", C.IPPROTO_IP, C.IP_PKTINFO, decode_in_pktinfo, encode_in_pktinfo,
              "arrival interface and addresses (InPktinfo)"),
    CmsgCodec("IP_TTL", C.IPPROTO_IP, C.IP_TTL, decode_int, encode_int, "the datagram's TTL"),
    CmsgCodec("IP_TOS", C.IPPROTO_IP, C.IP_TOS, decode_tos, encode_int, "the datagram's TOS byte"),
    CmsgCodec("IP_RECVERR", C.IPPROTO_IP, C.IP_RECVERR, decode_extended_err, None,
              "an extended error from the error queue (SockExtendedErr)"),
    CmsgCodec("IP_ORIGDSTADDR", C.IPPROTO_IP, C.IP_ORIGDSTADDR, decode_origdstaddr, None,
              "the original destination address"),
    CmsgCodec("IPV6_PKTINFO", C.IPPROTO_IPV6, C.IPV6_PKTINFO, decode_in6_pktinfo, encode_in6_pktinfo,
              "destination address and interface (In6Pktinfo)"),
    CmsgCodec("IPV6_HOPLIMIT", C.IPPROTO_IPV6, C.IPV6_HOPLIMIT, decode_int, encode_int, "the packet's hop limit"),
    CmsgCodec("IPV6_TCLASS", C.IPPROTO_IPV6, C.IPV6_TCLASS, decode_int, encode_int, "the packet's traffic class"),
    CmsgCodec("IPV6_RECVERR", C.IPPROTO_IPV6, C.IPV6_RECVERR, decode_extended_err, None,
              "an extended error from the error queue (SockExtendedErr)"),
    CmsgCodec("IPV6_ORIGDSTADDR", C.IPPROTO_IPV6, C.IPV6_ORIGDSTADDR, decode_origdstaddr, None,
              "the original destination address"),
    CmsgCodec("UDP_SEGMENT", C.SOL_UDP, C.UDP_SEGMENT, decode_segment_size, encode_segment_size,
              "GSO: send this message as datagrams of this many bytes (the last may be shorter)"),
    CmsgCodec("UDP_GRO", C.SOL_UDP, C.UDP_GRO, decode_int, encode_int,
              "GRO: the size of the datagrams coalesced into this message (split_gro splits them)"),
)
