"""AF_XDP's socket options (level SOL_XDP): one table line each."""

from __future__ import annotations

from typing import Any

from sockcore.sockopt import INT, U32, SockOpt, Struct

from ._constants import CONSTANTS, SOL_XDP
from .records import UmemReg, XdpStatistics

__all__ = ["XDP_OPTIONS_TABLE"]


def _opt(name: str, codec: Any, doc: str, access: str = "rw") -> SockOpt[Any]:
    return SockOpt(name, SOL_XDP, CONSTANTS[name], codec, access, doc, family="AF_XDP")  # type: ignore[arg-type]


# One line per option: name, value codec, what it does, access.
XDP_OPTIONS_TABLE: tuple[SockOpt[Any], ...] = (
    _opt("XDP_UMEM_REG", Struct("=QQII", UmemReg), "register the UMEM frames are copied to and from", "w"),
    _opt("XDP_UMEM_FILL_RING", INT, "entries of the fill ring (a power of two)", "w"),
    _opt("XDP_UMEM_COMPLETION_RING", INT, "entries of the completion ring (a power of two)", "w"),
    _opt("XDP_RX_RING", INT, "entries of the receive ring (a power of two)", "w"),
    _opt("XDP_TX_RING", INT, "entries of the transmit ring (a power of two)", "w"),
    _opt("XDP_STATISTICS", Struct("=QQQQQQ", XdpStatistics, min_size=24), "drop and error counters", "r"),
    _opt("XDP_OPTIONS", U32, "XDP_OPTIONS_ZEROCOPY when the socket runs zero-copy", "r"),
)
