#!/usr/bin/env python3
"""Regenerate every constant table of this tree, for every target, and the catalogue.

A thin caller of :mod:`sockcore.gen_constants` (``sockcore gen-constants``):
the core's spec is ``sockcore/constants.toml``, each plugin's
``plugins/<name>/constants.toml``; each table goes to the package's
``_constants/``.  It also writes ``sockcore/catalogue.json``: which
distribution provides each name, for the "not installed" hints.

Usage::

    python tools/gen_constants.py                 # every spec, every target of sockcore.gen_constants.DEFAULT_TARGETS
    python tools/gen_constants.py --check         # exit 1 if a file would change (a missing cross compiler skips its target)
    python tools/gen_constants.py can inet --target s390x-linux-gnu
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sockcore.gen_constants import (  # noqa: E402
    DEFAULT_TARGETS,
    GenerationError,
    SpecError,
    ToolchainMissing,
    generate,
)
from sockcore.gen_constants.render import Tables, read_tables  # noqa: E402
from sockcore.gen_constants.spec import Spec, load  # noqa: E402

COMMAND = "python tools/gen_constants.py"


def spec_paths() -> dict[str, tuple[Path, Path]]:
    """``{spec name: (spec file, _constants directory)}`` for the core and every plugin."""
    specs = {"core": (ROOT / "sockcore" / "constants.toml", ROOT / "sockcore" / "_constants")}
    for spec in sorted((ROOT / "plugins").glob("*/constants.toml")):
        name = spec.parent.name
        specs[name] = (spec, spec.parent / "src" / f"sockcore_{name}" / "_constants")
    return specs


def add_to_catalogue(catalogue: dict[str, Any], name: str, spec: Spec, tables: dict[str, Tables]) -> None:
    dist = spec.distribution
    linux = tables.get("linux", {})  # the catalogue is Linux's: other OSes' names would be wrong hints here
    for _, values in linux.values():
        for const in values:
            catalogue["names"][const] = dist
    host = linux.get("x86_64") or next(iter(linux.values()), None)
    for const, value in sorted(host[1].items()) if host and name != "core" else []:
        if const.startswith("AF_"):
            catalogue["families"].setdefault(str(value), {"name": const, "distribution": dist})
    for extra in [*spec.extra_constants, *spec.extra_names]:  # hand-written names beside the table
        catalogue["names"][extra] = dist
    for scheme in spec.uri_schemes:
        catalogue["uri_schemes"][scheme] = dist


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="*", help="spec names (core, inet, can ...); default: all")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a table is out of date")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a matched macro has no integer value")
    parser.add_argument("--target", action="append", metavar="TRIPLE", help="only these targets (repeatable)")
    args = parser.parse_args(argv)

    specs = spec_paths()
    unknown = set(args.specs) - set(specs)
    if unknown:
        parser.error(f"unknown spec(s): {', '.join(sorted(unknown))}; known: {', '.join(specs)}")

    stale: list[Path] = []
    unevaluable = False
    skipped: set[str] = set()
    catalogue: dict[str, Any] = {"generated_by": COMMAND, "platform": "linux", "names": {}, "families": {}, "uri_schemes": {}}
    for name, (spec_file, out_dir) in specs.items():
        try:
            spec = load(spec_file)
            if spec.sections and (not args.specs or name in args.specs):
                targets = args.target or [t for os_name in spec.sections for t in DEFAULT_TARGETS[os_name]]
                result = generate(spec_file, out_dir, targets, check=args.check, command=f"{COMMAND} {name}",
                                  log=lambda line: None)
                stale += result.stale
                tables = result.tables
                skipped.update(line.split(":")[0] + ": " + line.split(": ", 1)[1] for line in result.skipped)
                for triple, names in result.unevaluable.items():
                    unevaluable = True
                    print(f"gen_constants: {name} {triple}: no integer value for {', '.join(names)}", file=sys.stderr)
            else:
                tables = {os_name: read_tables(out_dir, os_name) for os_name in spec.sections}
        except (SpecError, GenerationError, ToolchainMissing) as exc:
            print(f"gen_constants: {name}: {exc}", file=sys.stderr)
            return 2
        add_to_catalogue(catalogue, name, spec, tables)
    for line in sorted(skipped):
        print(f"gen_constants: skipped {line}", file=sys.stderr)

    cat_path = ROOT / "sockcore" / "catalogue.json"
    cat_text = json.dumps(catalogue, indent=1, sort_keys=True) + "\n"
    if not cat_path.exists() or cat_path.read_text() != cat_text:
        stale.append(cat_path)
        if not args.check:
            cat_path.write_text(cat_text)

    rel = [str(p.relative_to(ROOT)) for p in stale]
    if args.check and rel:
        print(f"gen_constants: out of date (run {COMMAND}):\n  " + "\n  ".join(rel), file=sys.stderr)
        return 1
    for path in rel:
        print(f"wrote {path}")
    return 1 if args.strict and unevaluable else 0


if __name__ == "__main__":
    sys.exit(main())
