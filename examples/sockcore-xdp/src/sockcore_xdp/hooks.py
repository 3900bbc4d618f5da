"""sockcore-xdp's hook implementations: everything sockcore learns about AF_XDP."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, Family, SockOpt, hookimpl

from ._constants import AF_XDP, CONSTANTS
from .codec import CODEC
from .libc import Umem
from .options import XDP_OPTIONS_TABLE
from .records import UmemReg, XdpAddress, XdpStatistics

_SOCK_RAW = 3


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        Family(
            "AF_XDP",
            AF_XDP,
            probe=(_SOCK_RAW, 0),
            address_format="(ifname, queue_id[, flags[, shared_umem_fd]])",
            platform_note="Linux >= 4.18; bind needs a registered UMEM and rings; no getsockname",
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
    return {"XdpAddress": XdpAddress, "UmemReg": UmemReg, "XdpStatistics": XdpStatistics, "XdpUmem": Umem}


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return XDP_OPTIONS_TABLE
