"""sockcore: the Python socket module, as a small core plus one plugin per family.

``import sockcore as socket`` works for code written against the stdlib, on
the families whose plugins are installed.  The core defines the socket
object, the timeout engine and the syscall layer; names a family provides
(address families, ``getaddrinfo``, ``send_fds`` ...) come from its plugin and are
looked up here on first use.  Importing this module loads no plugin.
"""

import sys as _sys

# The stdlib's socket module imports these three, and code reaches them as socket.EAGAIN ...
from errno import EAGAIN as EAGAIN
from errno import EBADF as EBADF
from errno import EWOULDBLOCK as EWOULDBLOCK

from . import _args

# `import x as x` marks each name as re-exported (PEP 484), for mypy --strict users.
from . import libc as _libc
from ._constants import *  # noqa: F403 - the generated constants of this OS and ABI
from ._errors import error as error
from ._errors import gaierror as gaierror
from ._errors import herror as herror
from ._errors import timeout as timeout
from ._sockaddr import RawAddress as RawAddress
from ._socket import SocketType as SocketType
from ._socket import close as close
from ._socket import dup as dup
from ._socket import fromfd as fromfd
from ._socket import socket as socket
from ._socket import socketpair as socketpair
from ._strict import strict as strict
from .cmsg import CMSG_LEN as CMSG_LEN
from .cmsg import CMSG_SPACE as CMSG_SPACE
from .enums import MsgFlag as MsgFlag
from .enums import SocketKind as SocketKind
from .fileio import SocketIO as SocketIO
from .registry import on_change as _on_change
from .timeouts import default_timeout, set_default_timeout

TYPE_CHECKING = False  # typing is not imported at run time: it would double the import cost
if TYPE_CHECKING:
    import os
    from typing import Any

    from . import options as options  # its stub types each option: getopt(options.SO_RCVBUF) -> int

getdefaulttimeout = default_timeout
setdefaulttimeout = set_default_timeout
del default_timeout, set_default_timeout

#: the "use getdefaulttimeout()" marker create_connection() and the stdlib's clients pass
_GLOBAL_DEFAULT_TIMEOUT = object()

__version__ = "0.1.0"

_BYTEORDER = _sys.byteorder

# SOCK_* and MSG_* are enum members, as in the stdlib.
globals().update(SocketKind.__members__)
globals().update(MsgFlag.__members__)
# AF_* are AddressFamily members, which the registry builds: __getattr__ serves
# them. The generated module's tables are not names of the stdlib's module.
for _name in [n for n in globals() if n.startswith("AF_")] + ["CONSTANTS", "UNSERVED_FAMILIES"]:
    del globals()[_name]
del _name


def _fs_name(name: "Any") -> bytes:
    """A name as PyUnicode_FSConverter takes it: str, bytes or path-like, and never with a NUL in it
    (a C string would end there, so another name would be used)."""
    import os

    encoded = os.fsencode(name)
    if b"\0" in encoded:
        raise ValueError("embedded null byte")
    return encoded


def gethostname() -> str:
    """The host name of this machine."""
    _sys.audit("socket.gethostname")
    return _libc.gethostname()


def sethostname(name: "str | bytes", /) -> None:
    """Set the host name (needs CAP_SYS_ADMIN)."""
    # bytes pass whole (the "S" code); anything else goes through PyUnicode_FSConverter
    encoded = name if isinstance(name, bytes) else _fs_name(name)
    _sys.audit("socket.sethostname", name)
    _libc.sethostname(bytes(encoded))


def if_nameindex() -> list[tuple[int, str]]:
    """``[(index, name), ...]`` for every network interface."""
    return [(index, name.decode(errors="surrogateescape")) for index, name in _libc.if_nameindex()]


def if_nametoindex(if_name: "str | bytes | os.PathLike[str] | os.PathLike[bytes]", /) -> int:
    """The index of the interface named ``if_name`` (OSError if there is none).

    The name is converted as the stdlib converts it (PyUnicode_FSConverter):
    str, bytes or a path-like object.
    """
    return _libc.if_nametoindex(_fs_name(if_name))


def if_indextoname(if_index: int, /) -> str:
    """The name of the interface with index ``if_index`` (OSError if there is none)."""
    return _libc.if_indextoname(_args.if_index(if_index)).decode(errors="surrogateescape")


def ntohs(x: int, /) -> int:
    """16-bit network to host byte order."""
    return int.from_bytes(_args.uint16(x, "ntohs").to_bytes(2, "big"), _BYTEORDER)


def htons(x: int, /) -> int:
    """16-bit host to network byte order."""
    return int.from_bytes(_args.uint16(x, "htons").to_bytes(2, _BYTEORDER), "big")


def ntohl(x: int, /) -> int:
    """32-bit network to host byte order."""
    return int.from_bytes(_args.uint32(x).to_bytes(4, "big"), _BYTEORDER)


def htonl(x: int, /) -> int:
    """32-bit host to network byte order."""
    return int.from_bytes(_args.uint32(x).to_bytes(4, _BYTEORDER), "big")


def splice(src: "Any", dst: "Any", count: "int | None" = None) -> int:
    """Move ``count`` bytes (None: to end of input) from ``src`` to ``dst`` through a kernel pipe.

    Zero-copy with splice(2) between stream sockets, files and pipes, under
    the sockets' timeouts; see :mod:`sockcore.zerocopy` (imported on first use).
    """
    from .zerocopy import splice as _splice

    return _splice(src, dst, count)


# -- names the plugins provide ----------------------------------------------------

_SUBMODULES = frozenset(
    {"address", "cli", "cmsg", "enums", "fileio", "hookspecs", "libc", "options", "plugin",
     "records", "registry", "sendfile", "sockopt", "timeouts"}
)

#: the modules and classes socket.py imports, which are therefore attributes of the stdlib's module
#: (not in its __all__): each name and the module it comes from, imported on first use
_STDLIB_IMPORTS = {
    "array": "array", "errno": "errno", "io": "io", "os": "os", "selectors": "selectors", "sys": "sys",
    "IntEnum": "enum", "IntFlag": "enum",
}

#: names copied into this module's globals from the registry, dropped when it changes
_cached_names: set[str] = set()


def _forget_plugin_names() -> None:
    g = globals()
    for name in _cached_names:
        g.pop(name, None)
    _cached_names.clear()


_on_change(_forget_plugin_names)


def __getattr__(name: str) -> "Any":
    """Plugin names (constants, getaddrinfo, AddressFamily, options ...) on first use."""
    if name == "__all__":  # `from sockcore import *`: the core's names and every plugin's
        return _public_names()
    if name.startswith("_"):
        raise AttributeError(f"module 'sockcore' has no attribute {name!r}")
    if name in ("install", "uninstall"):  # sockcore/install.py: the process-wide swap
        import importlib

        installer = importlib.import_module("sockcore.install")  # a callable module
        return installer if name == "install" else installer.uninstall
    if name in _SUBMODULES:  # `sockcore.registry` without importing it first
        import importlib

        return importlib.import_module(f"sockcore.{name}")
    if name in _STDLIB_IMPORTS:  # what socket.py imported, as old code reaches it (socket.errno.EAGAIN)
        import importlib

        module = importlib.import_module(_STDLIB_IMPORTS[name])
        return module if module.__name__ == name else getattr(module, name)
    from . import registry

    t = registry.tables()
    if name in t.constants:
        value = t.constants[name]
    elif name in t.exports:
        value = t.exports[name]
    elif name in t.enums:
        value = t.enums[name]
    else:
        hint = registry.missing_name_hint(name)
        raise AttributeError(f"module 'sockcore' has no attribute {name!r}" + (f": {hint}" if hint else ""))
    globals()[name] = value
    _cached_names.add(name)
    return value


def _public_names() -> list[str]:
    from . import registry

    t = registry.tables()
    core = {n for n in globals() if not n.startswith("_") and n not in _SUBMODULES and n != "TYPE_CHECKING"}
    return sorted(core | set(t.constants) | set(t.exports) | set(t.enums))


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_public_names()) | set(_STDLIB_IMPORTS))
