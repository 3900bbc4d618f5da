"""The typed values of AF_XDP."""

from __future__ import annotations

from typing import NamedTuple

from sockcore.address import tuple_text

__all__ = ["UmemReg", "XdpAddress", "XdpStatistics"]


@tuple_text
class XdpAddress(NamedTuple):
    """``struct sockaddr_xdp``: the interface and queue the socket attaches to.

    ``flags`` are XDP_COPY / XDP_ZEROCOPY / XDP_USE_NEED_WAKEUP /
    XDP_SHARED_UMEM; ``shared_umem_fd`` names the socket whose UMEM is shared.
    """

    ifname: str
    queue_id: int
    flags: int = 0
    shared_umem_fd: int = 0


class UmemReg(NamedTuple):
    """``struct xdp_umem_reg`` (its first version): XDP_UMEM_REG's value."""

    addr: int
    len: int
    chunk_size: int
    headroom: int = 0


class XdpStatistics(NamedTuple):
    """``struct xdp_statistics``; kernels before 5.9 return only the first three fields."""

    rx_dropped: int
    rx_invalid_descs: int
    tx_invalid_descs: int
    rx_ring_full: int = 0
    rx_fill_ring_empty_descs: int = 0
    tx_ring_empty_descs: int = 0
