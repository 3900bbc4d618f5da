"""sockcore-xdp's hook implementations: everything sockcore learns about AF_XDP."""

from __future__ import annotations

from sockcore.plugin import SOCK_RAW, Family, Probe, StaticPlugin

from ._constants import AF_XDP, CONSTANTS
from .codec import CODEC
from .libc import Umem
from .options import XDP_OPTIONS_TABLE
from .records import UmemReg, XdpAddress, XdpStatistics

plugin = StaticPlugin(
    families=[
        Family(
            "AF_XDP",
            AF_XDP,
            probe=Probe(SOCK_RAW, 0),
            address_format="(ifname, queue_id[, flags[, shared_umem_fd]])",
            platform_note="Linux >= 4.18; bind needs a registered UMEM and rings; no getsockname",
        )
    ],
    codecs=[CODEC],
    constants=CONSTANTS,
    exports={"XdpAddress": XdpAddress, "UmemReg": UmemReg, "XdpStatistics": XdpStatistics, "XdpUmem": Umem},
    sockopts=XDP_OPTIONS_TABLE,
)
