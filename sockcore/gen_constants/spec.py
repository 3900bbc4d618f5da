"""A constant table spec (``constants.toml``): which macros of which headers a distribution owns.

::

    distribution = "sockcore-can"
    extra_names = ["CanAddress"]        # hand-written classes/functions, for the catalogue
    uri_schemes = ["can"]               # for the "not installed" hint of `sockcore connect`
    off_platform = "empty"              # an OS without a section: "error" (ImportError) or "empty"

    [extra_constants]                   # documented names no header defines, written once here
    CAN_BCM_TX_SETUP = 1

    [linux]                             # one section per OS: linux, darwin, freebsd
    headers = ["sys/socket.h", "linux/can.h"]
    prefixes = ["CAN_", "SOL_CAN_"]     # every macro starting with one of these
    names = ["AF_CAN", "PF_CAN"]        # and these exact names (missing ones are an error)
    exclude = ["^CAN_INV_FILTER$"]      # regexes of names to leave out
    unserved_families = ["AF_X25"]      # core only: numbers that yield to a plugin
    missing_hint = "apt-get install libbluetooth-dev"   # shown when a header is missing
    host_headers = ["bluetooth"]        # /usr/include dirs cross targets borrow from this machine
                                        # (architecture-independent headers without a cross package)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["OS_NAMES", "OsSection", "Spec", "SpecError", "load"]

#: the OS sections a spec may have, in the order the generated switch tests them
OS_NAMES = ("linux", "darwin", "freebsd")


class SpecError(ValueError):
    """The spec file is malformed."""


@dataclass(frozen=True)
class OsSection:
    """What to read from one OS's headers."""

    os: str
    headers: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    unserved_families: tuple[str, ...] = ()
    missing_hint: str | None = None
    host_headers: tuple[str, ...] = ()

    def select(self, macros: set[str]) -> list[str]:
        """The macro names this section claims, sorted."""
        exact = set(self.names) | set(self.unserved_families)
        patterns = [re.compile(p) for p in self.exclude]
        chosen = {m for m in macros if m in exact or (self.prefixes and m.startswith(self.prefixes))}
        return sorted(m for m in chosen if not any(p.search(m) for p in patterns))

    def required(self) -> set[str]:
        """Names that must have a value: a missing one is an error, not a warning."""
        return set(self.names) | set(self.unserved_families)


@dataclass(frozen=True)
class Spec:
    path: Path
    distribution: str
    sections: dict[str, OsSection]
    extra_constants: dict[str, int | str] = field(default_factory=dict)
    extra_names: tuple[str, ...] = ()
    uri_schemes: tuple[str, ...] = ()
    off_platform: str = "error"


def _strings(data: dict[str, object], key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def load(path: Path) -> Spec:
    """Read and validate a spec file."""
    try:
        data = tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SpecError(f"{path}: {exc}") from None
    where = str(path)
    distribution = data.get("distribution")
    if not isinstance(distribution, str):
        raise SpecError(f"{where}: distribution = \"...\" is required")
    sections = {}
    for os_name in OS_NAMES:
        table = data.get(os_name)
        if table is None:
            continue
        w = f"{where} [{os_name}]"
        hint = table.get("missing_hint")
        sections[os_name] = OsSection(
            os=os_name,
            headers=_strings(table, "headers", w),
            prefixes=_strings(table, "prefixes", w),
            names=_strings(table, "names", w),
            exclude=_strings(table, "exclude", w),
            unserved_families=_strings(table, "unserved_families", w),
            missing_hint=hint if isinstance(hint, str) else None,
            host_headers=_strings(table, "host_headers", w),
        )
    extra = data.get("extra_constants", {})
    if not all(isinstance(v, int | str) and not isinstance(v, bool) for v in extra.values()):
        raise SpecError(f"{where}: [extra_constants] values must be integers or strings")
    off_platform = data.get("off_platform", "error")
    if off_platform not in ("error", "empty"):
        raise SpecError(f"{where}: off_platform must be \"error\" or \"empty\"")
    return Spec(
        path=path,
        distribution=distribution,
        sections=sections,
        extra_constants=dict(extra),
        extra_names=_strings(data, "extra_names", where),
        uri_schemes=_strings(data, "uri_schemes", where),
        off_platform=off_platform,
    )
