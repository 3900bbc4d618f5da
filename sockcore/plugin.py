"""Everything a plugin author needs, in one import.

A plugin whose contributions are fixed tables is one :class:`StaticPlugin`::

    from sockcore.plugin import Family, StaticPlugin

    plugin = StaticPlugin(
        families=[Family("AF_EXAMPLE", 99, address_format="(node, port)")],
        constants={"AF_EXAMPLE": 99},
    )

announced by an entry point in the ``sockcore`` group that names the object::

    [project.entry-points.sockcore]
    example = "sockcore_example.hooks:plugin"

A plugin that computes an answer when the tables are built is a module (or
any object) with hook functions instead::

    from sockcore.plugin import Family, hookimpl

    @hookimpl
    def sockcore_families():
        return [Family("AF_EXAMPLE", 99, address_format="(node, port)")]

and its entry point names the module: ``example = "sockcore_example.hooks"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

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
    "StaticPlugin",
    "Struct",
    "UriScheme",
    "UriTarget",
    "hookimpl",
    "join_sockaddr",
    "libc",
    "split_sockaddr",
]

# the shared default of the mapping arguments: read-only, so no plugin can fill another's
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class StaticPlugin:
    """A plugin that declares fixed tables: every hook returns what it was given.

    Use it when a plugin's contributions are known at import time (its
    generated constants, its codecs, its options table), which is what almost
    every family plugin declares.  When an answer must be computed each time
    the tables are built (it depends on state that changes after import),
    write that hook as a ``@hookimpl`` function, or subclass this class and
    override that one hook.

    The tables are kept as given, not copied.
    """

    def __init__(
        self,
        *,
        families: Sequence[Family] = (),
        codecs: Sequence[AddressCodec] = (),
        constants: Mapping[str, Any] = _EMPTY,
        exports: Mapping[str, Any] = _EMPTY,
        socket_methods: Mapping[str, Callable[..., Any]] = _EMPTY,
        sockopts: Sequence[SockOpt[Any]] = (),
        cmsg_codecs: Sequence[CmsgCodec] = (),
        uri_schemes: Sequence[UriScheme] = (),
    ) -> None:
        self.families = families
        self.codecs = codecs
        self.constants = constants
        self.exports = exports
        self.socket_methods = socket_methods
        self.sockopts = sockopts
        self.cmsg_codecs = cmsg_codecs
        self.uri_schemes = uri_schemes

    def __repr__(self) -> str:
        # pluggy and registry errors show the plugin: name its families, not an address
        names = ", ".join(f.name for f in self.families)
        return f"{type(self).__name__}(families=[{names}])"

    @hookimpl
    def sockcore_families(self) -> Sequence[Family]:
        return self.families

    @hookimpl
    def sockcore_address_codecs(self) -> Sequence[AddressCodec]:
        return self.codecs

    @hookimpl
    def sockcore_constants(self) -> Mapping[str, Any]:
        return self.constants

    @hookimpl
    def sockcore_exports(self) -> Mapping[str, Any]:
        return self.exports

    @hookimpl
    def sockcore_socket_methods(self) -> Mapping[str, Callable[..., Any]]:
        return self.socket_methods

    @hookimpl
    def sockcore_sockopts(self) -> Sequence[SockOpt[Any]]:
        return self.sockopts

    @hookimpl
    def sockcore_cmsg_codecs(self) -> Sequence[CmsgCodec]:
        return self.cmsg_codecs

    @hookimpl
    def sockcore_uri_schemes(self) -> Sequence[UriScheme]:
        return self.uri_schemes
