"""The typed values of AF_PACKET: its address and the structs of its options."""

from __future__ import annotations

from typing import NamedTuple

from sockcore.address import tuple_text

__all__ = ["AuxData", "Fanout", "PacketAddress", "PacketMreq", "PacketStats"]


@tuple_text
class PacketAddress(NamedTuple):
    """``struct sockaddr_ll`` as the stdlib shows it: ``(ifname, proto, pkttype, hatype, addr)``.

    ``proto`` is the Ethernet protocol number in host byte order (ETH_P_ALL,
    an ETHERTYPE_* value ...); ``addr`` is the hardware address (at most 8 bytes).
    """

    ifname: str
    proto: int
    pkttype: int = 0
    hatype: int = 0
    addr: bytes = b""


class PacketMreq(NamedTuple):
    """``struct packet_mreq``: PACKET_ADD_MEMBERSHIP / PACKET_DROP_MEMBERSHIP.

    ``type`` is a PACKET_MR_* value; ``address`` the multicast hardware
    address for PACKET_MR_MULTICAST (its length is ``mr_alen``).
    """

    ifindex: int
    type: int
    address: bytes = b""


class PacketStats(NamedTuple):
    """``struct tpacket_stats`` (``_v3`` adds ``freeze_q_cnt``): PACKET_STATISTICS.

    Reading the option resets the kernel's counters.
    """

    packets: int
    drops: int
    freeze_q_cnt: int = 0


class AuxData(NamedTuple):
    """``struct tpacket_auxdata``: the PACKET_AUXDATA ancillary message of each received frame."""

    status: int
    len: int
    snaplen: int
    mac: int
    net: int
    vlan_tci: int
    vlan_tpid: int


class Fanout(NamedTuple):
    """PACKET_FANOUT's value: the fanout group id, its PACKET_FANOUT_* mode and flags.

    ``flags`` are the PACKET_FANOUT_FLAG_* bits.  The kernel does not report
    them back when the option is read, so a read value has ``flags == 0``.
    """

    group_id: int
    mode: int
    flags: int = 0
