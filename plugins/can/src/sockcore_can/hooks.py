"""sockcore-can's hook implementations: AF_CAN, its codecs, names, options and URI scheme."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore._constants import CONSTANTS as _CORE
from sockcore.plugin import AddressCodec, CmsgCodec, Family, SockOpt, UriScheme, hookimpl

from . import EXPORTS
from ._constants import AF_CAN, CAN_RAW, CONSTANTS
from .address import CODECS
from .cmsg import J1939_CMSG_CODECS
from .options import CAN_OPTIONS
from .uri import CAN_SCHEME


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        Family(
            "AF_CAN",
            AF_CAN,
            probe=(_CORE["SOCK_RAW"], CAN_RAW),
            address_format="(interface,) | ISOTP (interface, rx_addr, tx_addr) | J1939 (interface, name, pgn, addr)",
            platform_note="Linux: modules can, can_raw, can_bcm, can_isotp, can_j1939",
        )
    ]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return CODECS


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return EXPORTS


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return CAN_OPTIONS


@hookimpl
def sockcore_cmsg_codecs() -> Sequence[CmsgCodec]:
    return J1939_CMSG_CODECS


@hookimpl
def sockcore_uri_schemes() -> Sequence[UriScheme]:
    return [CAN_SCHEME]
