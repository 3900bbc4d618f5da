"""sockcore-packet's hook implementations: AF_PACKET for the sockcore registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, CmsgCodec, Family, SockOpt, UriScheme, hookimpl

from . import records
from ._constants import AF_PACKET, CONSTANTS
from .cmsg import AUXDATA
from .codec import CODEC
from .options import PACKET_OPTIONS
from .uri import PACKET_SCHEME

_SOCK_RAW = 3  # probe with SOCK_RAW, protocol 0: creates a socket that receives nothing


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        Family(
            "AF_PACKET",
            AF_PACKET,
            probe=(_SOCK_RAW, 0),
            address_format="(ifname, proto[, pkttype[, hatype[, addr]]])",
            platform_note="Linux; creating a socket needs CAP_NET_RAW",
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
    return {name: getattr(records, name) for name in records.__all__}


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return PACKET_OPTIONS


@hookimpl
def sockcore_cmsg_codecs() -> Sequence[CmsgCodec]:
    return [AUXDATA]


@hookimpl
def sockcore_uri_schemes() -> Sequence[UriScheme]:
    return [PACKET_SCHEME]
