"""AF_NETLINK's socket options (level SOL_NETLINK): one table line each."""

from __future__ import annotations

import struct
from typing import Any

import attrs

from sockcore.plugin import option_table
from sockcore.sockopt import BOOL, U32, SockOpt

from ._constants import CONSTANTS, SOL_NETLINK

__all__ = ["MEMBERSHIPS", "NETLINK_OPTIONS", "MembershipsCodec"]


@attrs.frozen
class MembershipsCodec:
    """NETLINK_LIST_MEMBERSHIPS: a bit mask of u32 words, shown as the sorted group numbers."""

    size: int = 32  # room for 256 groups; the kernel fills what fits
    type_name: str = "tuple[int, ...]"

    def pack(self, value: Any) -> bytes:
        raise OSError(92, "NETLINK_LIST_MEMBERSHIPS is read-only")  # ENOPROTOOPT, as the kernel says

    def unpack(self, data: bytes) -> tuple[int, ...]:
        groups: list[int] = []
        for word_index in range(len(data) // 4):
            (word,) = struct.unpack_from("=I", data, 4 * word_index)
            # bit n of word w is group 32 * w + n + 1
            groups.extend(32 * word_index + bit + 1 for bit in range(32) if word >> bit & 1)
        return tuple(groups)


MEMBERSHIPS = MembershipsCodec()


_opt = option_table("AF_NETLINK", SOL_NETLINK, CONSTANTS)


# One line per option: name, value codec, what it does, access.
NETLINK_OPTIONS: tuple[SockOpt[Any], ...] = (
    _opt("NETLINK_ADD_MEMBERSHIP", U32, "join a multicast group (by number, not mask)", "w"),
    _opt("NETLINK_DROP_MEMBERSHIP", U32, "leave a multicast group", "w"),
    _opt("NETLINK_LIST_MEMBERSHIPS", MEMBERSHIPS, "the groups this socket has joined", "r"),
    _opt("NETLINK_PKTINFO", BOOL, "receive a NETLINK_PKTINFO message (the group) with each message"),
    _opt("NETLINK_BROADCAST_ERROR", BOOL, "a failed delivery to this socket fails the kernel's broadcast"),
    _opt("NETLINK_NO_ENOBUFS", BOOL, "do not report ENOBUFS when the receive queue overflows"),
    _opt("NETLINK_LISTEN_ALL_NSID", BOOL, "receive multicasts from every peer network namespace"),
    _opt("NETLINK_CAP_ACK", BOOL, "acknowledgements do not echo the request's payload"),
    _opt("NETLINK_EXT_ACK", BOOL, "errors carry extended attributes (message, offset)"),
    _opt("NETLINK_GET_STRICT_CHK", BOOL, "the kernel checks dump requests strictly"),
)
