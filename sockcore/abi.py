"""Which constant table this interpreter needs: the machine ABI, named as the generated tables name it.

Socket constants depend on the OS, on the CPU family (MIPS numbers
``SOCK_STREAM``, ``SOL_SOCKET`` and every ``SO_*`` its own way; PowerPC,
SPARC, Alpha and PA-RISC have their own ``SO_*``) and on the size of C
``long`` (CPython turns a constant of 2**31 or more into a negative number
where ``long`` has 32 bits).  Byte order does not matter.  The generated
``_constants`` packages of the core and of every plugin pick their table with
:data:`ABI`, and raise ImportError naming it when they have none.

Cheap at import: ``os.uname()`` and ``sys.maxsize``, no ``platform`` or
``sysconfig``.  The userland, not the kernel, decides: a 32-bit interpreter
on a 64-bit kernel (i386 on x86_64, armhf on arm64) gets the 32-bit table.
"""

from __future__ import annotations

import os
import sys

__all__ = ["ABI", "abi_name"]

#: CPU names (``uname -m``, the first part of the multiarch triple) by family
_FAMILIES = {
    "x86": ("x86_64", "amd64", "i386", "i486", "i586", "i686", "x86"),
    "arm": ("aarch64", "arm64", "armv8l", "armv7l", "armv6l", "armv5tel", "arm", "armhf", "armel"),
    "mips": ("mips64", "mips64el", "mips", "mipsel"),
    "s390": ("s390x", "s390"),
    "ppc": ("ppc64le", "ppc64", "ppc", "powerpc"),
}

#: (family, bits of a pointer) -> the table name the generator writes
_NAMES = {
    ("x86", 64): "x86_64",
    ("x86", 32): "i386",
    ("arm", 64): "aarch64",
    ("arm", 32): "arm",
    ("mips", 64): "mips64",
    ("mips", 32): "mips",
    ("s390", 64): "s390x",
    ("s390", 32): "s390",
    ("ppc", 64): "ppc64",
    ("ppc", 32): "ppc",
}


def abi_name(cpu: str, pointer_bits: int) -> str:
    """The table name for a CPU (``uname -m`` or a triple's first part) and a pointer size.

    An unknown CPU keeps its own name with the pointer size (``riscv64-64``),
    so a table for it can be generated and no other ABI's table is used.
    """
    cpu = cpu.lower()
    for family, cpus in _FAMILIES.items():
        if cpu in cpus or (family == "arm" and cpu.startswith("arm")):
            return _NAMES[(family, pointer_bits)]
    return f"{cpu}-{pointer_bits}"


def _current() -> str:
    # the interpreter's multiarch triple names its userland; some builds have none
    # or a bare OS name ("darwin"): then the kernel's machine name
    multiarch: str = getattr(sys.implementation, "_multiarch", "")
    cpu = multiarch.split("-")[0] if "-" in multiarch else os.uname().machine
    return abi_name(cpu, 64 if sys.maxsize > 2**32 else 32)


#: this interpreter's ABI: "x86_64", "i386", "aarch64", "arm", "mips64", "s390x" ...
ABI: str = _current()
