"""sockcore-vsock's hook implementations: AF_VSOCK for the sockcore registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, Family, SockOpt, UriScheme, hookimpl

from . import get_local_cid
from ._constants import AF_VSOCK, CONSTANTS
from .codec import CODEC
from .options import VSOCK_OPTIONS
from .records import ConnectTimeout, VsockAddress
from .uri import VSOCK_SCHEME

_SOCK_STREAM = 1


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        Family(
            "AF_VSOCK",
            AF_VSOCK,
            probe=(_SOCK_STREAM, 0),
            address_format="(cid, port)",
            platform_note="Linux >= 4.8; needs a vsock transport (virtio, vmci, hyperv or vsock_loopback)",
            option_int_size=8,  # every AF_VSOCK option is a u64 to getsockopt/setsockopt
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
    return {"VsockAddress": VsockAddress, "ConnectTimeout": ConnectTimeout, "get_local_cid": get_local_cid}


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return VSOCK_OPTIONS


@hookimpl
def sockcore_uri_schemes() -> Sequence[UriScheme]:
    return [VSOCK_SCHEME]
