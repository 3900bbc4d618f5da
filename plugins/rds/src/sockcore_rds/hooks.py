"""sockcore-rds's hook implementations: AF_RDS's family, codec, names and options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, Family, SockOpt, hookimpl

from ._constants import CONSTANTS
from .codec import RdsAddressCodec
from .options import RDS_OPTIONS
from .records import RdsAddress, RdsAddress6

_PRESENT = "AF_RDS" in CONSTANTS  # Linux only


@hookimpl
def sockcore_families() -> Sequence[Family]:
    if not _PRESENT:
        return []
    return [
        Family(
            "AF_RDS",
            CONSTANTS["AF_RDS"],
            probe=(5, 0),  # SOCK_SEQPACKET: the only type RDS has
            address_format="(host, port)",
            platform_note="Linux >= 2.6.30; needs the rds module (rds_tcp or loopback transport)",
        )
    ]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return [RdsAddressCodec()] if _PRESENT else []


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return RDS_OPTIONS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return {"RdsAddress": RdsAddress, "RdsAddress6": RdsAddress6}
