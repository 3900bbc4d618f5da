"""sockcore-vsock's hook implementations: AF_VSOCK for the sockcore registry."""

from __future__ import annotations

from sockcore.plugin import Family, StaticPlugin

from . import get_local_cid
from ._constants import AF_VSOCK, CONSTANTS
from .codec import CODEC
from .options import VSOCK_OPTIONS
from .records import ConnectTimeout, VsockAddress
from .uri import VSOCK_SCHEME

_SOCK_STREAM = 1

plugin = StaticPlugin(
    families=[
        Family(
            "AF_VSOCK",
            AF_VSOCK,
            probe=(_SOCK_STREAM, 0),
            address_format="(cid, port)",
            platform_note="Linux >= 4.8; needs a vsock transport (virtio, vmci, hyperv or vsock_loopback)",
            option_int_size=8,  # every AF_VSOCK option is a u64 to getsockopt/setsockopt
        )
    ],
    codecs=[CODEC],
    constants=CONSTANTS,
    exports={"VsockAddress": VsockAddress, "ConnectTimeout": ConnectTimeout, "get_local_cid": get_local_cid},
    sockopts=VSOCK_OPTIONS,
    uri_schemes=[VSOCK_SCHEME],
)
