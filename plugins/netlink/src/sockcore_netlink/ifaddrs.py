"""``getifaddrs()``: every interface with its flags and addresses, from two NETLINK_ROUTE dumps.

The stdlib has no such call; programs parse ``ip`` or install psutil.  This
asks the kernel directly, as glibc's ``getifaddrs(3)`` does: one RTM_GETLINK
dump (index, name, flags, MTU, link-layer address) and one RTM_GETADDR dump
(the IPv4 and IPv6 addresses), over a sockcore AF_NETLINK socket::

    >>> for interface in sockcore.getifaddrs():
    ...     print(interface)
    1: lo <UP,LOOPBACK,RUNNING,LOWER_UP> mtu 65536
        packet 00:00:00:00:00:00 brd 00:00:00:00:00:00
        inet 127.0.0.1/8 netmask 255.0.0.0
        inet6 ::1/128 netmask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff

A dump the kernel marks interrupted (an interface or address changed while
it was being read: NLM_F_DUMP_INTR) is read again.
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Iterable
from typing import NamedTuple

from ._constants import (
    AF_NETLINK,
    NETLINK_ROUTE,
    NLM_F_DUMP,
    NLM_F_DUMP_INTR,
    NLM_F_REQUEST,
    NLMSG_DONE,
)
from .message import Message, check_error, iter_attributes, iter_messages, pack_message
from .rtnetlink import IFLA_IFNAME, IFLA_MTU, RTM_NEWLINK, getlink_request

__all__ = ["Interface", "InterfaceAddress", "InterfaceFlag", "getifaddrs", "parse_addresses", "parse_interfaces"]

# Fixed kernel ABI (linux/rtnetlink.h, linux/if_addr.h, linux/if_link.h, linux/socket.h);
# enum members there, which the constants generator (macros only) cannot see.
RTM_NEWADDR = 20
RTM_GETADDR = 22
IFLA_ADDRESS = 1
IFLA_BROADCAST = 2
IFA_ADDRESS = 1
IFA_LOCAL = 2
IFA_LABEL = 3
IFA_BROADCAST = 4
_AF_UNSPEC, _AF_INET, _AF_INET6, _AF_PACKET = 0, 2, 10, 17
_SOCK_RAW = 3

_IFINFOMSG = struct.Struct("=BxHiII")  # family, pad, type, index, flags, change
_IFADDRMSG = struct.Struct("=BBBBI")  # family, prefixlen, flags, scope, index
_DONE_ERROR = struct.Struct("=i")
_BUFSIZE = 65536  # a dump datagram is at most 32 KiB (the kernel's cap); room to spare
_DUMP_ATTEMPTS = 8
_ADDRESS_BITS = {_AF_INET: 32, _AF_INET6: 128}
_FAMILY_WORDS = {_AF_INET: "inet", _AF_INET6: "inet6", _AF_PACKET: "packet"}


class InterfaceFlag(enum.IntFlag):
    """``IFF_*`` of linux/if.h: an interface's ``ifi_flags`` (``ip link`` shows them by these names)."""

    UP = 0x1
    BROADCAST = 0x2
    DEBUG = 0x4
    LOOPBACK = 0x8
    POINTOPOINT = 0x10
    NOTRAILERS = 0x20
    RUNNING = 0x40
    NOARP = 0x80
    PROMISC = 0x100
    ALLMULTI = 0x200
    MASTER = 0x400
    SLAVE = 0x800
    MULTICAST = 0x1000
    PORTSEL = 0x2000
    AUTOMEDIA = 0x4000
    DYNAMIC = 0x8000
    LOWER_UP = 0x10000
    DORMANT = 0x20000
    ECHO = 0x40000

    def __str__(self) -> str:
        names = [member.name for member in self if member.name]
        unknown = self.value & ~sum(member.value for member in self)
        return ",".join(names + ([hex(unknown)] if unknown else []))


class InterfaceAddress(NamedTuple):
    """One address of an interface, as text.

    ``family`` is AF_INET, AF_INET6 or AF_PACKET (the link-layer address, as
    colon-separated hex).  ``netmask`` and ``prefixlen`` are None for
    AF_PACKET; ``peer`` is the other end of a point-to-point address;
    ``label`` the IPv4 label (``eth0:1``), None for the others.
    """

    family: int
    address: str
    netmask: str | None = None
    prefixlen: int | None = None
    broadcast: str | None = None
    peer: str | None = None
    label: str | None = None

    def __str__(self) -> str:
        words = [_FAMILY_WORDS.get(self.family, str(int(self.family))), self.address]
        if self.peer is not None:
            words += ["peer", self.peer]
        if self.prefixlen is not None:
            words[-1] += f"/{self.prefixlen}"
        if self.broadcast is not None:
            words += ["brd", self.broadcast]
        if self.netmask is not None:
            words += ["netmask", self.netmask]
        if self.label is not None:
            words += ["label", self.label]
        return " ".join(words)


class Interface(NamedTuple):
    """One network interface: ifindex, name, IFF_* flags, MTU, and its addresses (link-layer first)."""

    ifindex: int
    name: str
    flags: InterfaceFlag
    mtu: int
    addresses: tuple[InterfaceAddress, ...] = ()

    def __str__(self) -> str:
        head = f"{self.ifindex}: {self.name} <{self.flags}> mtu {self.mtu}"
        return "\n".join([head, *(f"    {address}" for address in self.addresses)])


def getifaddrs() -> list[Interface]:
    """Every interface of this network namespace, by index, with its link-layer, IPv4 and IPv6 addresses."""
    import sockcore

    with sockcore.socket(AF_NETLINK, _SOCK_RAW, NETLINK_ROUTE) as sock:
        sock.connect((0, 0))  # the kernel
        for attempt in range(_DUMP_ATTEMPTS):
            seq = 2 * attempt + 1  # new numbers each attempt: nothing stale can pass for an answer
            links, links_whole = _dump(sock, getlink_request(seq), seq)
            addrs, addrs_whole = _dump(sock, _getaddr_request(seq + 1), seq + 1)
            if links_whole and addrs_whole:
                break
    family = _family_enum()
    interfaces = parse_interfaces(links, family)
    by_index: dict[int, list[InterfaceAddress]] = {}
    for index, address in parse_addresses(addrs, family):
        by_index.setdefault(index, []).append(address)
    return [
        interface._replace(addresses=interface.addresses + tuple(by_index.get(interface.ifindex, ())))
        for interface in sorted(interfaces, key=lambda interface: interface.ifindex)
    ]


def _getaddr_request(seq: int) -> bytes:
    """An RTM_GETADDR dump request for every address of every family."""
    return pack_message(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, _IFADDRMSG.pack(_AF_UNSPEC, 0, 0, 0, 0))


def _dump(sock: _Socket, request: bytes, seq: int) -> tuple[list[Message], bool]:
    """The messages of one dump, and whether the kernel read it without interruption."""
    sock.send(request)
    messages: list[Message] = []
    whole = True
    while True:
        for message in iter_messages(sock.recv(_BUFSIZE)):
            if message.seq != seq:
                continue  # a stale answer to an earlier request
            check_error(message)
            whole = whole and not message.flags & NLM_F_DUMP_INTR
            if message.type == NLMSG_DONE:
                _check_done(message)
                return messages, whole
            messages.append(message)


def _check_done(message: Message) -> None:
    """NLMSG_DONE may carry the error that cut a dump short (a negative errno)."""
    if len(message.payload) >= _DONE_ERROR.size:
        (error,) = _DONE_ERROR.unpack_from(message.payload)
        if error < 0:
            import os

            raise OSError(-error, os.strerror(-error))


def parse_interfaces(messages: Iterable[Message], family: _Family = int) -> list[Interface]:
    """The interfaces of RTM_NEWLINK messages, each with its link-layer address (if it has one)."""
    interfaces: list[Interface] = []
    for message in messages:
        if message.type != RTM_NEWLINK or len(message.payload) < _IFINFOMSG.size:
            continue
        _family, _type, index, flags, _change = _IFINFOMSG.unpack_from(message.payload)
        name, mtu, hwaddr, broadcast = "", 0, None, None
        for attr in iter_attributes(message.payload[_IFINFOMSG.size :]):
            if attr.type == IFLA_IFNAME:
                name = _text(attr.payload)
            elif attr.type == IFLA_MTU and len(attr.payload) >= 4:
                (mtu,) = struct.unpack_from("=I", attr.payload)
            elif attr.type == IFLA_ADDRESS:
                hwaddr = _hex(attr.payload)
            elif attr.type == IFLA_BROADCAST:
                broadcast = _hex(attr.payload)
        link = () if hwaddr is None else (InterfaceAddress(family(_AF_PACKET), hwaddr, broadcast=broadcast),)
        interfaces.append(Interface(index, name, InterfaceFlag(flags), mtu, link))
    return interfaces


def parse_addresses(messages: Iterable[Message], family: _Family = int) -> list[tuple[int, InterfaceAddress]]:
    """``(interface index, address)`` of each IPv4 and IPv6 RTM_NEWADDR message (other families are skipped)."""
    found: list[tuple[int, InterfaceAddress]] = []
    for message in messages:
        if message.type != RTM_NEWADDR or len(message.payload) < _IFADDRMSG.size:
            continue
        number, prefixlen, _flags, _scope, index = _IFADDRMSG.unpack_from(message.payload)
        bits = _ADDRESS_BITS.get(number)
        if bits is None:
            continue
        attrs: dict[int, bytes] = {}
        for attr in iter_attributes(message.payload[_IFADDRMSG.size :]):
            attrs.setdefault(attr.type, attr.payload)
        # IFA_LOCAL is this end when the kernel sends it; IFA_ADDRESS is then the
        # peer of a point-to-point address (and equal to IFA_LOCAL otherwise).
        local, address = attrs.get(IFA_LOCAL), attrs.get(IFA_ADDRESS)
        if local is None:
            local, address = address, None
        if local is None or len(local) * 8 != bits:
            continue
        peer = _ip_text(address) if address is not None and address != local and len(address) == len(local) else None
        broadcast = attrs.get(IFA_BROADCAST)
        label = attrs.get(IFA_LABEL)
        found.append((index, InterfaceAddress(
            family(number),
            _ip_text(local),
            _ip_text(_netmask(prefixlen, bits)),
            prefixlen,
            _ip_text(broadcast) if broadcast is not None and len(broadcast) == len(local) else None,
            peer,
            _text(label) if label is not None else None,
        )))
    return found


def _netmask(prefixlen: int, bits: int) -> bytes:
    prefixlen = min(prefixlen, bits)
    return (((1 << prefixlen) - 1) << (bits - prefixlen)).to_bytes(bits // 8, "big")


def _ip_text(packed: bytes) -> str:
    """inet_ntop's text: dotted quad, or RFC 5952 IPv6 (IPv4-mapped ones with a dotted tail)."""
    if len(packed) == 4:
        return ".".join(map(str, packed))
    if packed[:12] == bytes(10) + b"\xff\xff":
        return "::ffff:" + ".".join(map(str, packed[12:]))
    import ipaddress  # only here: the plugin loads with every sockcore program

    return ipaddress.IPv6Address(packed).compressed


def _hex(data: bytes) -> str:
    return ":".join(f"{byte:02x}" for byte in data)


def _text(data: bytes) -> str:
    return data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _family_enum() -> _Family:
    """sockcore.AddressFamily where it knows the number (its plugins may not all be installed), else int."""
    from sockcore import registry

    enum_type = registry.tables().enums.get("AddressFamily")
    if enum_type is None:
        return int

    def family(number: int) -> int:
        try:
            member: int = enum_type(number)
        except ValueError:
            return number
        return member

    return family


TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from sockcore import socket as _Socket

    _Family = Callable[[int], int]
