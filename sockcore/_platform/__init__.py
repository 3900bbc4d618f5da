"""What differs between operating systems below the socket API, one small module per OS.

Each module (``linux``, ``darwin``, ``bsd``) is plain data: the C layouts of
the sockaddr header, ``struct msghdr``, ``struct iovec`` and ``struct cmsghdr``
as ``struct`` type codes, the cmsg alignment, and where the C library is.
:mod:`sockcore._syscalls.libc` loads the C library it names,
:mod:`sockcore._messages.libc` turns the msghdr layouts into ctypes (checked
against ``struct``), and :mod:`sockcore._sockaddr` and :mod:`sockcore.cmsg`
turn the rest into struct formats; the
sizes and offsets come from this interpreter's ABI through ``struct``'s native
mode, so no offset is written down anywhere.  :data:`current` is the running
OS's module; tests select another one with :func:`for_platform`.
"""

from __future__ import annotations

import struct
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["Layout", "current", "for_platform"]

#: sys.platform prefixes and the module that describes them
_MODULES = (
    ("linux", "linux"),
    ("darwin", "darwin"),
    ("freebsd", "bsd"),
    ("netbsd", "bsd"),
    ("openbsd", "bsd"),
    ("dragonfly", "bsd"),
)


def for_platform(platform: str) -> ModuleType:
    """The module describing ``platform`` (a ``sys.platform`` value); ImportError if there is none."""
    import importlib

    for prefix, name in _MODULES:
        if platform.startswith(prefix):
            return importlib.import_module(f"{__name__}.{name}")
    raise ImportError(f"sockcore has no platform layer for {platform!r} (it knows Linux, macOS and the BSDs)")


class Layout:
    """A C struct laid out as this ABI's compiler lays it out: field offsets from native ``struct``.

    ``fields`` are ``(name, code)`` pairs with ``struct`` type codes ("P"
    pointer, "N" size_t, "I" socklen_t/unsigned, "i" int, ...).
    """

    __slots__ = ("codes", "fields", "format", "offsets", "size")

    def __init__(self, fields: tuple[tuple[str, str], ...]) -> None:
        self.fields = fields
        self.codes = "".join(code for _, code in fields)
        self.format = "@" + self.codes
        offsets = {}
        for i, (name, code) in enumerate(fields):
            # a prefix followed by a zero-count field ends where that field starts (native alignment)
            offsets[name] = struct.calcsize("@" + self.codes[:i] + "0" + code)
        self.offsets = offsets
        # sizeof: padded to the struct's alignment, its strictest member's
        # ("c0X" is one byte then padding to X's alignment: the alignment)
        alignment = max(struct.calcsize("@c0" + code) for code in self.codes)
        self.size = -(-struct.calcsize(self.format) // alignment) * alignment

    def reader(self, *names: str) -> struct.Struct:
        """A Struct that unpacks just ``names`` (in layout order) from a whole struct."""
        parts = ["@"]
        position = 0
        for name, code in self.fields:
            if name in names:
                offset = self.offsets[name]
                if offset > position:
                    parts.append(f"{offset - position}x")
                parts.append(code)
                position = offset + struct.calcsize("@" + code)
        return struct.Struct("".join(parts))


current = for_platform(sys.platform)
