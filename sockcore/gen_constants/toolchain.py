"""Compilers for a target: the host's ``cc``, Debian's cross compilers, or ``zig cc`` for macOS and the BSDs.

Nothing here runs a compiled program: values are read from an object file
(:mod:`.evaluate`), so any target whose compiler and headers are installed
can be generated on this machine.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["DEFAULT_TARGETS", "Target", "ToolchainMissing", "host_triple", "target"]

#: the targets whose tables sockcore ships, per OS
DEFAULT_TARGETS = {
    "linux": (
        "x86_64-linux-gnu", "i686-linux-gnu", "aarch64-linux-gnu", "arm-linux-gnueabihf",
        "s390x-linux-gnu", "mips64el-linux-gnuabi64",
    ),
    "darwin": ("x86_64-macos", "aarch64-macos"),
    "freebsd": ("x86_64-freebsd", "aarch64-freebsd"),
}

#: Debian's package name of each cross triple's architecture
_DEBIAN_ARCH = {
    "x86_64-linux-gnu": "amd64", "i686-linux-gnu": "i386", "aarch64-linux-gnu": "arm64",
    "arm-linux-gnueabihf": "armhf", "s390x-linux-gnu": "s390x", "mips64el-linux-gnuabi64": "mips64el",
}


class ToolchainMissing(RuntimeError):
    """No compiler for the target is installed; the message says how to install one."""


@dataclass(frozen=True)
class Target:
    triple: str  # "mips64el-linux-gnuabi64", "x86_64-macos"
    os: str  # a spec section: "linux", "darwin", "freebsd"
    compiler: tuple[str, ...]  # argv before the compiler's own options

    @property
    def prelude(self) -> str:
        """Source lines before the headers: glibc hides much without _GNU_SOURCE."""
        return "#define _GNU_SOURCE 1\n" if self.os == "linux" else ""

    @property
    def cpu(self) -> str:
        return self.triple.split("-")[0]


def os_of(triple: str) -> str:
    for word, os_name in (("linux", "linux"), ("macos", "darwin"), ("darwin", "darwin"), ("freebsd", "freebsd")):
        if word in triple.split("-"):
            return os_name
    raise ToolchainMissing(f"unknown OS in target {triple!r}: expected one with linux, macos or freebsd")


@functools.cache
def host_triple() -> str:
    """``cc -dumpmachine``: the triple the host compiler targets (``x86_64-linux-gnu``)."""
    cc = os.environ.get("CC", "cc")
    try:
        proc = subprocess.run([cc, "-dumpmachine"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        raise ToolchainMissing(f"no C compiler ({cc}): install one (apt-get install gcc) or set CC") from None
    return proc.stdout.strip()


def _zig() -> tuple[str, ...] | None:
    if zig := os.environ.get("ZIG"):
        return (zig,)
    if importlib.util.find_spec("ziglang") is not None:
        return (sys.executable, "-m", "ziglang")
    return None


def target(triple: str | None = None) -> Target:
    """The compiler for ``triple`` (default: the host's). Raises :class:`ToolchainMissing`."""
    if triple is None or triple == "host":
        return Target(host_triple(), os_of(host_triple()), (os.environ.get("CC", "cc"),))
    os_name = os_of(triple)
    if os_name == "linux":
        cross = f"{triple}-gcc"
        if shutil.which(cross):
            return Target(triple, os_name, (cross,))
        if triple == host_triple():
            return Target(triple, os_name, (os.environ.get("CC", "cc"),))
        arch = _DEBIAN_ARCH.get(triple, "<arch>")
        raise ToolchainMissing(
            f"no cross compiler for {triple}: apt-get install gcc-{triple} libc6-dev-{arch}-cross linux-libc-dev-{arch}-cross"
        )
    zig = _zig()
    if zig is None:
        raise ToolchainMissing(f"no compiler for {triple}: pip install ziglang (its zig cc has the {os_name} headers)")
    return Target(triple, os_name, (*zig, "cc", "-target", triple))
