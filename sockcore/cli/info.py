"""`families`, `constants` and `options`: what the installed plugins bring."""

from __future__ import annotations

import argparse
import errno
import fnmatch
import os
from typing import Any

from .. import registry
from .._syscalls import libc as syscalls
from ..registry import PluginInfo
from .lookup import tables
from .output import print_json, print_table

__all__ = ["cmd_constants", "cmd_families", "cmd_options", "probe_family"]


def probe_family(number: int, probe: tuple[int, int] | None) -> str:
    """Whether this kernel creates a socket of the family: ``yes`` or why not."""
    if probe is None:
        return "no (not on this platform)"
    fd = syscalls.socket(number, probe[0], probe[1])
    if fd < 0:
        if -fd in (errno.EPERM, errno.EACCES):
            return "needs privileges"
        return f"no ({os.strerror(-fd)})"
    os.close(fd)
    return "yes"


def _owner(info: PluginInfo | None) -> str:
    if info is None:
        return "?"
    return f"{info.distribution} {info.version}".strip()


def cmd_families(args: argparse.Namespace) -> int:
    t = tables()
    installed = []
    for number in sorted(t.families):
        entry = t.families[number]
        fam = entry.family
        installed.append(
            {
                "name": fam.name,
                "number": number,
                "distribution": entry.plugin.distribution,
                "version": entry.plugin.version,
                "address": fam.address_format,
                "kernel": probe_family(number, fam.probe),
            }
        )
    missing = []
    for number_text, entry in sorted(registry.catalogue().get("families", {}).items(), key=lambda kv: int(kv[0])):
        if int(number_text) not in t.families:
            dist = entry["distribution"]
            missing.append(
                {"name": entry["name"], "number": int(number_text), "distribution": dist, "install": f"pip install {dist}"}
            )
    if args.json:
        print_json({"installed": installed, "not_installed": missing})
        return 0
    if installed:
        print_table(
            ["FAMILY", "NUMBER", "PROVIDED BY", "KERNEL", "ADDRESS"],
            [
                [f["name"], f["number"], f"{f['distribution']} {f['version']}".strip(), f["kernel"], f["address"]]
                for f in installed
            ],
        )
    else:
        print("No address family plugin is installed.")
    if missing:
        print("\nKnown families that are not installed:")
        print_table(["FAMILY", "NUMBER", "INSTALL WITH"], [[f["name"], f["number"], f["install"]] for f in missing])
    return 0


def _matches(name: str, pattern: str | None) -> bool:
    if not pattern:
        return True
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(name.upper(), pattern.upper())
    return pattern.upper() in name.upper()


def _plain(value: Any) -> Any:
    """Enum members as plain ints, anything exotic as its repr (JSON and tables alike)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str | float) or value is None:
        return value
    return repr(value)


def cmd_constants(args: argparse.Namespace) -> int:
    t = tables()
    rows = [
        {"name": name, "value": _plain(value), "owner": _owner(t.owners.get(name))}
        for name, value in sorted(t.constants.items())
        if _matches(name, args.pattern)
    ]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        hint = registry.missing_name_hint(args.pattern.upper()) if args.pattern else None
        print(hint or f"No constant matches {args.pattern!r}.")
        return 1
    print_table(["NAME", "VALUE", "PROVIDED BY"], [[r["name"], r["value"], r["owner"]] for r in rows])
    return 0


def _level_name(level: int, constants: dict[str, Any]) -> str:
    """``SOL_SOCKET`` for 1: the SOL_* name first, then IPPROTO_*, else the number."""
    for prefix in ("SOL_", "IPPROTO_"):
        names = sorted(n for n, v in constants.items() if n.startswith(prefix) and v == level and not isinstance(v, bool))
        if names:
            return names[0]
    return str(level)


def _option_family_matches(wanted: str, family: str | None, owner: PluginInfo | None) -> bool:
    def norm(s: str) -> str:
        s = s.strip().upper()
        return s[3:] if s.startswith(("AF_", "PF_")) else s

    w = norm(wanted)
    if family is None and w in ("SOCKET", "SOL_SOCKET", "CORE", "SOCKCORE"):
        return True
    if family is not None and norm(family) == w:
        return True
    return owner is not None and (norm(owner.name) == w or norm(owner.distribution) == w)


def cmd_options(args: argparse.Namespace) -> int:
    t = tables()
    rows = []
    for name, opt in sorted(t.sockopts.items()):
        owner = t.owners.get(f"option {name}")
        if args.family and not _option_family_matches(args.family, opt.family, owner):
            continue
        rows.append(
            {
                "name": name,
                "level": opt.level,
                "level_name": _level_name(opt.level, t.constants),
                "optname": opt.optname,
                "type": opt.codec.type_name,
                "access": opt.access,
                "family": opt.family,
                "owner": _owner(owner),
                "doc": opt.doc,
            }
        )
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(f"No typed option belongs to {args.family!r}.")
        return 1
    print_table(
        ["OPTION", "LEVEL", "TYPE", "ACCESS", "DESCRIPTION"],
        [[r["name"], r["level_name"], r["type"], r["access"], r["doc"]] for r in rows],
    )
    return 0
