"""UMEM memory: a page-aligned buffer and its address, the one thing AF_XDP needs ctypes for."""

from __future__ import annotations

import ctypes
import mmap

from .records import UmemReg

__all__ = ["Umem"]


class Umem:
    """Anonymous page-aligned memory to register with XDP_UMEM_REG.

    ``with Umem(16 * 4096) as umem: sock.setopt(XDP_UMEM_REG, umem.reg(4096))``.
    The kernel pins the pages until every socket using them is closed.
    """

    def __init__(self, size: int) -> None:
        self._map = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        self._anchor: ctypes.c_char | None = ctypes.c_char.from_buffer(self._map)
        self.address = ctypes.addressof(self._anchor)
        self.size = size

    def reg(self, chunk_size: int = 4096, headroom: int = 0) -> UmemReg:
        """The XDP_UMEM_REG value for this memory."""
        return UmemReg(self.address, self.size, chunk_size, headroom)

    def close(self) -> None:
        self._anchor = None  # release the buffer export before unmapping
        self._map.close()

    def __enter__(self) -> Umem:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
