"""sockcore-tipc's hook implementations: AF_TIPC's family, codec, names and options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, Family, SockOpt, hookimpl

from ._constants import CONSTANTS
from .codec import TipcAddressCodec
from .options import TIPC_OPTIONS
from .records import GroupRequest, TipcAddress

_PRESENT = "AF_TIPC" in CONSTANTS  # Linux only


@hookimpl
def sockcore_families() -> Sequence[Family]:
    if not _PRESENT:
        return []
    return [
        Family(
            "AF_TIPC",
            CONSTANTS["AF_TIPC"],
            probe=(1, 0),  # SOCK_STREAM: every TIPC kernel has it
            address_format="(addr_type, v1, v2, v3[, scope])",
            platform_note="Linux; needs the tipc kernel module",
        )
    ]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return [TipcAddressCodec()] if _PRESENT else []


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return TIPC_OPTIONS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return {"TipcAddress": TipcAddress, "TipcGroupRequest": GroupRequest}
