"""Everything a plugin author needs, in one import, and none of it loads pluggy.

A plugin whose contributions are fixed tables is one :class:`StaticPlugin`::

    from sockcore.plugin import SOCK_DGRAM, Family, Probe, StaticPlugin

    plugin = StaticPlugin(
        families=[Family("AF_EXAMPLE", 99, probe=Probe(SOCK_DGRAM, 0), address_format="(node, port)")],
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

What is here, by kind:

- the core's generic constants a plugin needs: ``SOCK_*``, ``SOL_SOCKET``,
  ``SCM_*``, ``SO_REUSE*``, ``AF_UNSPEC`` (and all of them in ``CORE_CONSTANTS``);
- the errors the stdlib's module raises: ``error``, ``gaierror``, ``herror``;
- address fields, range-checked as codecs must: ``u8``, ``u16``, ``u32``,
  ``u64``, ``c_int``; ``SocketInfo``, ``AddressCodec``, ``RawAddress``;
- records the hooks return (``Family``, ``Probe``, ``CmsgCodec``, ``UriScheme``,
  ``UriTarget``) and option tables (``SockOpt``, ``Access``, the value codecs
  ``INT``/``U32``/``Struct`` ..., and :func:`option_table`);
- ``StaticPlugin`` and ``hookimpl``, ``libc`` and ``Socket`` (the socket class).

Importing this module loads neither pluggy nor attrs: a plugin's static
modules (its ``__init__``, codec and records) may import from here, and
``from sockcore_x import X_CONSTANT`` stays cheap.  The records, option
codecs and ``Socket`` are imported on first use (PEP 562).
"""

from __future__ import annotations

import importlib
import operator
from collections import namedtuple
from types import MappingProxyType

from . import _args
from ._constants import CONSTANTS as _CORE_TABLE
from ._errors import error, gaierror, herror
from .address import AddressCodec, RawAddress, SocketInfo, join_sockaddr, split_sockaddr

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from typing import Any, NamedTuple, TypeVar

    from . import libc as libc
    from ._socket import socket as Socket
    from .records import CmsgCodec, Family, UriScheme, UriTarget
    from .sockopt import (
        BOOL,
        INT,
        U8,
        U16,
        U32,
        U64,
        Access,
        Bytes,
        Cstring,
        IntCodec,
        SockOpt,
        Struct,
        ValueCodec,
    )

    _F = TypeVar("_F", bound=Callable[..., Any])

__all__ = [
    "AF_UNSPEC",
    "BOOL",
    "CORE_CONSTANTS",
    "INT",
    "INT_MAX",
    "INT_MIN",
    "LONG_MAX",
    "LONG_MIN",
    "SCM_CREDENTIALS",
    "SCM_RIGHTS",
    "SOCK_DGRAM",
    "SOCK_RAW",
    "SOCK_RDM",
    "SOCK_SEQPACKET",
    "SOCK_STREAM",
    "SOL_SOCKET",
    "SO_REUSEADDR",
    "SO_REUSEPORT",
    "SSIZE_MAX",
    "U8",
    "U16",
    "U32",
    "U64",
    "Access",
    "AddressCodec",
    "Bytes",
    "CmsgCodec",
    "Cstring",
    "Family",
    "IntCodec",
    "OptionTable",
    "Probe",
    "RawAddress",
    "SockOpt",
    "Socket",
    "SocketInfo",
    "StaticPlugin",
    "Struct",
    "UriScheme",
    "UriTarget",
    "ValueCodec",
    "c_int",
    "error",
    "gaierror",
    "herror",
    "hookimpl",
    "join_sockaddr",
    "libc",
    "option_table",
    "split_sockaddr",
    "u8",
    "u16",
    "u32",
    "u64",
]

#: the core's generated constants (SOCK_*, SOL_SOCKET, SO_*, MSG_* ...), read-only
CORE_CONSTANTS: Mapping[str, int] = MappingProxyType(_CORE_TABLE)
SOCK_STREAM: int = _CORE_TABLE["SOCK_STREAM"]
SOCK_DGRAM: int = _CORE_TABLE["SOCK_DGRAM"]
SOCK_RAW: int = _CORE_TABLE["SOCK_RAW"]
SOCK_RDM: int = _CORE_TABLE["SOCK_RDM"]
SOCK_SEQPACKET: int = _CORE_TABLE["SOCK_SEQPACKET"]
SOL_SOCKET: int = _CORE_TABLE["SOL_SOCKET"]
SCM_RIGHTS: int = _CORE_TABLE["SCM_RIGHTS"]
SCM_CREDENTIALS: int = _CORE_TABLE["SCM_CREDENTIALS"]
SO_REUSEADDR: int = _CORE_TABLE["SO_REUSEADDR"]
SO_REUSEPORT: int = _CORE_TABLE["SO_REUSEPORT"]
AF_UNSPEC: int = _CORE_TABLE["AF_UNSPEC"]

# Names served on first use, by the module that defines them: these load attrs (records,
# option codecs) or the socket class, which a plugin's static modules must not pay for.
_LAZY = {
    **dict.fromkeys(("CmsgCodec", "Family", "UriScheme", "UriTarget"), "sockcore.records"),
    **dict.fromkeys(
        ("BOOL", "INT", "U8", "U16", "U32", "U64", "Access", "Bytes", "Cstring", "IntCodec", "SockOpt", "Struct", "ValueCodec"),
        "sockcore.sockopt",
    ),
    "libc": "sockcore",
    "Socket": "sockcore._socket",
}
_LAZY_ALIASES = {"Socket": "socket", "libc": "libc"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sockcore.plugin' has no attribute {name!r}")
    if name == "libc":
        value = importlib.import_module("sockcore.libc")
    else:
        value = getattr(importlib.import_module(module), _LAZY_ALIASES.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


# -------------------------------------------------------------------------
# Records that need no attrs
# -------------------------------------------------------------------------

if TYPE_CHECKING:

    class Probe(NamedTuple):
        type: int
        proto: int

else:
    Probe = namedtuple("Probe", "type proto")
    Probe.__doc__ = """``Family.probe``: the ``(type, proto)`` that ``sockcore families`` creates to
    ask whether this kernel supports the family."""


# -------------------------------------------------------------------------
# Address fields: range checks with the stdlib's exception types
# -------------------------------------------------------------------------


def _unsigned(bits: int) -> Callable[[object, str], int]:
    top = (1 << bits) - 1

    def check(value: object, what: str) -> int:
        number: int = operator.index(value)  # type: ignore[arg-type]  # TypeError for a float, str, None
        if not 0 <= number <= top:
            raise OverflowError(f"{what} must be 0-{top}, not {number}")
        return number

    check.__name__ = check.__qualname__ = f"u{bits}"
    check.__doc__ = f"``value`` as a C uint{bits}_t: TypeError if not an integer, OverflowError out of range."
    return check


u8 = _unsigned(8)
u16 = _unsigned(16)
u32 = _unsigned(32)
u64 = _unsigned(64)


#: ``value`` as a C int, with CPython's TypeError and OverflowError messages
c_int = _args.c_int
#: this ABI's C int, C long and Py_ssize_t limits (long and Py_ssize_t are 32-bit on i386 and armhf)
INT_MAX, INT_MIN = _args.INT_MAX, _args.INT_MIN
LONG_MAX, LONG_MIN = _args.LONG_MAX, _args.LONG_MIN
SSIZE_MAX = _args.SSIZE_MAX


# -------------------------------------------------------------------------
# Options: one table line each
# -------------------------------------------------------------------------


class OptionTable:
    """Builds one family's ``SockOpt`` lines: the level, family and optnames are said once.

    ::

        opt = option_table("AF_EXAMPLE", SOL_EXAMPLE, CONSTANTS)
        EXAMPLE_OPTIONS = (
            opt("EXAMPLE_MTU", U32, "the link MTU", "r"),
            opt("EXAMPLE_FLAGS", U32, "link flags", level=SOL_OTHER),
        )

    ``optname`` defaults to ``constants[name]``: the generated table is the
    one place an option's number is written.
    """

    def __init__(self, family: str, level: int, constants: Mapping[str, Any]) -> None:
        self.family = family
        self.level = level
        self.constants = constants

    def __call__(
        self,
        name: str,
        codec: Any,
        doc: str,
        access: Access = "rw",
        *,
        level: int | None = None,
        optname: int | None = None,
        kernel_adjusts: bool = False,
    ) -> SockOpt[Any]:
        from .sockopt import SockOpt

        number = self.constants[name] if optname is None else optname
        return SockOpt(
            name,
            self.level if level is None else level,
            number,
            codec,
            access,
            doc,
            family=self.family,
            kernel_adjusts=kernel_adjusts,
        )


def option_table(family: str, level: int, constants: Mapping[str, Any]) -> OptionTable:
    """The :class:`OptionTable` for one family and its default level."""
    return OptionTable(family, level, constants)


# -------------------------------------------------------------------------
# StaticPlugin and the hookimpl marker (pluggy reads the marker; it need not write it)
# -------------------------------------------------------------------------


def hookimpl(
    function: _F | None = None,
    *,
    wrapper: bool = False,
    hookwrapper: bool = False,
    optionalhook: bool = False,
    tryfirst: bool = False,
    trylast: bool = False,
    specname: str | None = None,
) -> Any:
    """Mark a hook implementation: ``@hookimpl`` or ``@hookimpl(tryfirst=True)``.

    The same marker as ``pluggy.HookimplMarker("sockcore")``, written without
    importing pluggy: it sets the ``sockcore_impl`` attribute pluggy reads.
    """
    opts = {
        "wrapper": wrapper,
        "hookwrapper": hookwrapper,
        "optionalhook": optionalhook,
        "tryfirst": tryfirst,
        "trylast": trylast,
        "specname": specname,
    }

    def mark(func: _F) -> _F:
        func.sockcore_impl = dict(opts)  # type: ignore[attr-defined]
        return func

    return mark if function is None else mark(function)


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
