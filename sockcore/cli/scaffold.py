"""`new-plugin`: write a working plugin distribution for a new address family.

``sockcore new-plugin mctp --family 45 --header linux/mctp.h`` writes
``sockcore-mctp/``: a pyproject with the entry point and ruff/mypy/pytest
configuration, ``constants.toml`` and the table generated from it, a codec
skeleton with a NamedTuple address, the hooks, tests on ``sockcore.testing``,
a README and ``ci.sh``.  It passes its own tests before the author writes a
line; the author then edits the codec to the family's sockaddr.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from .errors import CliError

__all__ = ["cmd_new_plugin", "write_plugin"]

#: template (under templates/plugin) -> path in the new distribution
FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "ci.sh.tmpl": "ci.sh",
    "constants.toml.tmpl": "constants.toml",
    "src/__init__.py.tmpl": "src/sockcore_@name@/__init__.py",
    "src/codec.py.tmpl": "src/sockcore_@name@/codec.py",
    "src/hooks.py.tmpl": "src/sockcore_@name@/hooks.py",
    "tests/test_plugin.py.tmpl": "tests/test_@name@.py",
}


def _header_macros(header: str) -> set[str] | None:
    """The macros ``sys/socket.h`` and ``header`` define here; None without a compiler or the header."""
    try:
        from ..gen_constants.evaluate import macro_names
        from ..gen_constants.toolchain import target

        return macro_names(target(), ("sys/socket.h", header))
    except Exception:  # no compiler, no such header: the spec is written from the arguments alone
        return None


def _spec_fields(name: str, family: int, header: str) -> tuple[dict[str, str], list[str]]:
    """constants.toml's names, prefixes and [extra_constants], and notes for the author."""
    upper = name.upper()
    af = f"AF_{upper}"
    macros = _header_macros(header)
    notes = []
    names = [n for n in (af, f"PF_{upper}", f"SOL_{upper}") if macros and n in macros]
    extra = ""
    if af not in names:
        # the headers here do not define it: written once, by hand, in the spec
        extra = f"\n[extra_constants]\n{af} = {family}   # not in this machine's headers\n"
        notes.append(f"{af} is not defined by this machine's headers: written as {family} in [extra_constants]")
    prefixes = [f"{upper}_"]
    if macros is None:
        notes.append(f"could not read <{header}> (no C compiler or no such header): check prefixes and names")
    fields = {
        "names": ", ".join(f'"{n}"' for n in names),
        "prefixes": ", ".join(f'"{p}"' for p in prefixes),
        "extra": extra,
    }
    return fields, notes


def write_plugin(name: str, family: int, header: str, parent: Path) -> tuple[Path, list[str]]:
    """Write ``parent/sockcore-NAME`` and generate its table; returns it and notes for the author."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise CliError(f"plugin name {name!r}: use lower-case letters, digits and _ (it names sockcore_{name})")
    if not 0 < family <= 0xFFFF:
        raise CliError(f"--family {family}: an address family number is 1-65535")
    root = parent / f"sockcore-{name}"
    if root.exists():
        raise CliError(f"{root} exists: choose another directory with --dir, or remove it")
    fields, notes = _spec_fields(name, family, header)
    words = {
        "@name@": name,
        "@Name@": "".join(part.capitalize() for part in name.split("_")),
        "@AF@": f"AF_{name.upper()}",
        "@family@": str(family),
        "@header@": header,
        "@names@": fields["names"],
        "@prefixes@": fields["prefixes"],
        "@extra@": fields["extra"],
    }
    templates = resources.files("sockcore.cli") / "templates" / "plugin"
    for source, target_name in FILES.items():
        text = (templates / source).read_text(encoding="utf-8")
        path_name = target_name
        for word, value in words.items():
            text = text.replace(word, value)
            path_name = path_name.replace(word, value)
        path = root / path_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "ci.sh").chmod(0o755)
    (root / "src" / f"sockcore_{name}" / "py.typed").write_text("")
    notes.extend(_generate(root, name))
    return root, notes


def _generate(root: Path, name: str) -> list[str]:
    """Run the generator in the new distribution, as its README says to."""
    try:
        from ..gen_constants import generate
    except ImportError as exc:
        return [f"sockcore.gen_constants is not available ({exc}): run `sockcore gen-constants` yourself"]
    try:
        result = generate(root / "constants.toml", root / "src" / f"sockcore_{name}" / "_constants", log=lambda _line: None)
    except Exception as exc:  # no compiler, a missing header: the author sees why
        return [f"the constant table was not generated: {type(exc).__name__}: {exc}"]
    return [
        f"{triple}: these matched macros have no integer value (exclude them in constants.toml): {', '.join(names)}"
        for triple, names in result.unevaluable.items()
    ]


def cmd_new_plugin(args: argparse.Namespace) -> int:
    root, notes = write_plugin(args.name, args.family, args.header, Path(args.dir))
    print(f"wrote {root}")
    for note in notes:
        print(f"note: {note}")
    print(f"next: cd {root} && python -m pip install -e '.[dev]' && ./ci.sh")
    return 0


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], add: Callable[..., argparse.ArgumentParser]
) -> None:
    """``sockcore new-plugin``; ``add`` is the CLI's helper that makes a subcommand with examples."""
    p = add(
        sub, "new-plugin", "write a new family plugin distribution that passes its own tests",
        "  sockcore new-plugin mctp --family 45 --header linux/mctp.h\n"
        "  sockcore new-plugin xdp --family 44 --header linux/if_xdp.h --dir ~/src",
    )
    p.add_argument("name", metavar="NAME", help="the plugin name: sockcore-NAME, sockcore_NAME, AF_NAME")
    p.add_argument("--family", type=int, required=True, metavar="NUMBER", help="the address family number (AF_NAME)")
    p.add_argument("--header", required=True, metavar="HEADER", help="the C header of the family, e.g. linux/mctp.h")
    p.add_argument("--dir", default=".", metavar="DIR", help="where to write sockcore-NAME/ (default: here)")
    p.set_defaults(func=cmd_new_plugin)
