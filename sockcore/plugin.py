"""Everything a plugin author needs, in one import.

A plugin module looks like this::

    from sockcore.plugin import Family, hookimpl

    @hookimpl
    def sockcore_families():
        return [Family("AF_EXAMPLE", 99, address_format="(node, port)")]

and is announced by an entry point in the ``sockcore`` group::

    [project.entry-points.sockcore]
    example = "sockcore_example.hooks"
"""

from __future__ import annotations

import pluggy

from . import libc
from .address import AddressCodec, RawAddress, SocketInfo, join_sockaddr, split_sockaddr
from .records import CmsgCodec, Family, UriScheme, UriTarget
from .sockopt import BOOL, INT, U8, U16, U32, U64, Bytes, Cstring, IntCodec, SockOpt, Struct

hookimpl = pluggy.HookimplMarker("sockcore")

__all__ = [
    "BOOL",
    "INT",
    "U8",
    "U16",
    "U32",
    "U64",
    "AddressCodec",
    "Bytes",
    "CmsgCodec",
    "Cstring",
    "Family",
    "IntCodec",
    "RawAddress",
    "SockOpt",
    "SocketInfo",
    "Struct",
    "UriScheme",
    "UriTarget",
    "hookimpl",
    "join_sockaddr",
    "libc",
    "split_sockaddr",
]
