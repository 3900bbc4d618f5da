"""AF_XDP's socket options (level SOL_XDP): one table line each."""

from __future__ import annotations

from sockcore.plugin import INT, U32, Struct, option_table

from ._constants import CONSTANTS, SOL_XDP
from .records import UmemReg, XdpStatistics

__all__ = ["XDP_OPTIONS_TABLE"]

opt = option_table("AF_XDP", SOL_XDP, CONSTANTS)

# One line per option: name, value codec, what it does, access.
XDP_OPTIONS_TABLE = (
    opt("XDP_UMEM_REG", Struct("=QQII", UmemReg), "register the UMEM frames are copied to and from", "w"),
    opt("XDP_UMEM_FILL_RING", INT, "entries of the fill ring (a power of two)", "w"),
    opt("XDP_UMEM_COMPLETION_RING", INT, "entries of the completion ring (a power of two)", "w"),
    opt("XDP_RX_RING", INT, "entries of the receive ring (a power of two)", "w"),
    opt("XDP_TX_RING", INT, "entries of the transmit ring (a power of two)", "w"),
    opt("XDP_STATISTICS", Struct("=QQQQQQ", XdpStatistics, min_size=24), "drop and error counters", "r"),
    opt("XDP_OPTIONS", U32, "XDP_OPTIONS_ZEROCOPY when the socket runs zero-copy", "r"),
)
