"""sockcore-netlink's hook implementations: AF_NETLINK for the sockcore registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, CmsgCodec, Family, SockOpt, hookimpl

from ._constants import AF_NETLINK, CONSTANTS, NETLINK_ROUTE
from .cmsg import PKTINFO
from .codec import CODEC
from .options import NETLINK_OPTIONS
from .records import NetlinkAddress, NlPktinfo

_SOCK_RAW = 3


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        Family(
            "AF_NETLINK",
            AF_NETLINK,
            probe=(_SOCK_RAW, NETLINK_ROUTE),
            address_format="(pid, groups)",
            platform_note="Linux",
        )
    ]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return [CODEC]


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return {"NetlinkAddress": NetlinkAddress, "NlPktinfo": NlPktinfo}


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return NETLINK_OPTIONS


@hookimpl
def sockcore_cmsg_codecs() -> Sequence[CmsgCodec]:
    return [PKTINFO]
