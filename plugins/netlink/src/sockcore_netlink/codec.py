"""The AF_NETLINK address codec: ``(pid, groups)`` <-> ``struct sockaddr_nl``.

The body after ``nl_family`` is ``nl_pad`` (u16), ``nl_pid`` and
``nl_groups`` (u32 each).  Both are converted as the stdlib converts them
(its ``II`` format): any int, reduced modulo 2**32, and the kernel decides;
under :func:`sockcore.strict` a value out of range raises OverflowError.
"""

from __future__ import annotations

import operator
import struct
from typing import Any

from sockcore.address import SocketInfo, caller_error, wrap_unsigned

from ._constants import AF_NETLINK
from .records import NetlinkAddress

__all__ = ["CODEC", "NetlinkAddressCodec"]

_SOCKADDR_NL = struct.Struct("=HII")
_U32_MAX = 0xFFFFFFFF


class NetlinkAddressCodec:
    """sockaddr_nl for every netlink protocol."""

    family = AF_NETLINK
    proto: int | None = None

    def __init__(self) -> None:
        # Almost every address is (0, 0), the kernel: cache the encodings.
        self._cache: dict[tuple[int, int], bytes] = {}

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not isinstance(address, tuple):
            raise caller_error(TypeError(f"AF_NETLINK address must be tuple, not {type(address).__name__}"))
        if len(address) != 2:
            raise TypeError("AF_NETLINK address must be a pair (pid, groups)")
        pid, groups = address
        exact_ints = type(pid) is int and type(groups) is int  # 1.0 == 1 must not hit the cache
        if exact_ints:
            body = self._cache.get((pid, groups))
            if body is not None:
                return body
        # both types first, then both ranges: the stdlib's order of errors
        pid, groups = operator.index(pid), operator.index(groups)
        if exact_ints and 0 <= pid <= _U32_MAX and 0 <= groups <= _U32_MAX:
            body = _SOCKADDR_NL.pack(0, pid, groups)
            if len(self._cache) < 256:  # only in-range pairs: strict() must still see the others
                self._cache[(pid, groups)] = body
            return body
        return _SOCKADDR_NL.pack(0, wrap_unsigned(pid, 32, "AF_NETLINK pid"), wrap_unsigned(groups, 32, "AF_NETLINK groups"))

    def decode(self, body: bytes, sock: SocketInfo) -> NetlinkAddress:
        if len(body) < _SOCKADDR_NL.size:
            body = bytes(body) + bytes(_SOCKADDR_NL.size - len(body))
        _pad, pid, groups = _SOCKADDR_NL.unpack_from(body)
        return NetlinkAddress(pid, groups)


CODEC = NetlinkAddressCodec()
