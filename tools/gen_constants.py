#!/usr/bin/env python3
"""Generate sockcore's constant tables from this machine's C headers.

Like Go's ``mkerrors.sh``: for every table spec (``sockcore/constants.toml``
for the core, ``plugins/<name>/constants.toml`` for each plugin) it asks the C
preprocessor which macros the listed headers define (``cc -E -dM``), keeps
the names the spec claims, compiles one small C program that prints each
value, and writes ``_constants/<platform>.py`` beside the package with a
DO-NOT-EDIT line.  It also writes ``sockcore/catalogue.json``: which
distribution provides each name, for the "not installed" hints.

Usage::

    python tools/gen_constants.py            # regenerate every table
    python tools/gen_constants.py --check    # exit 1 if any table would change
    python tools/gen_constants.py can inet   # only these specs (the catalogue is always complete)

A spec::

    distribution = "sockcore-can"
    [linux]
    headers = ["sys/socket.h", "linux/can.h"]
    prefixes = ["CAN_", "SOL_CAN_"]        # every macro starting with one of these
    names = ["AF_CAN", "PF_CAN"]           # and these exact names
    exclude = ["^CAN_INV_FILTER$"]         # regexes of names to leave out
    unserved_families = ["AF_X25"]         # core only: numbers that yield to a plugin
    missing_hint = "apt-get install libbluetooth-dev"   # shown when a header is missing

Top-level ``extra_names`` (hand-written names beside the table) and
``uri_schemes`` (the plugin's URI schemes) go into the catalogue only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CC = os.environ.get("CC", "cc")
PLATFORM = "linux" if sys.platform.startswith("linux") else sys.platform
COMMAND = "python tools/gen_constants.py"
PRELUDE = "#define _GNU_SOURCE 1\n"


class GenerationError(Exception):
    pass


def spec_paths() -> dict[str, tuple[Path, Path]]:
    """``{spec name: (spec file, output module)}`` for the core and every plugin."""
    specs = {"core": (ROOT / "sockcore" / "constants.toml", ROOT / "sockcore" / "_constants" / f"{PLATFORM}.py")}
    for spec in sorted((ROOT / "plugins").glob("*/constants.toml")):
        name = spec.parent.name
        specs[name] = (spec, spec.parent / "src" / f"sockcore_{name}" / "_constants" / f"{PLATFORM}.py")
    return specs


def run(cmd: list[str], source: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, input=source, capture_output=True, text=True, check=False)


def check_headers(headers: list[str], hint: str | None) -> None:
    for header in headers:
        proc = run([CC, "-E", "-x", "c", "-"], f"{PRELUDE}#include <{header}>\n")
        if proc.returncode != 0:
            msg = f"header <{header}> is missing or broken on this machine"
            if hint:
                msg += f"; install it with: {hint}"
            raise GenerationError(msg + "\n" + proc.stderr.strip().splitlines()[0])


def macro_names(headers: list[str]) -> set[str]:
    source = PRELUDE + "".join(f"#include <{h}>\n" for h in headers)
    proc = run([CC, "-E", "-dM", "-x", "c", "-"], source)
    if proc.returncode != 0:
        raise GenerationError(proc.stderr)
    names = set()
    for line in proc.stdout.splitlines():
        m = re.match(r"#define ([A-Za-z_][A-Za-z0-9_]*)\s+\S", line)  # object-like, non-empty
        if m:
            names.add(m.group(1))
    return names


def select(names: set[str], table: dict[str, Any]) -> list[str]:
    prefixes = tuple(table.get("prefixes", []))
    exact = set(table.get("names", [])) | set(table.get("unserved_families", []))
    exclude = [re.compile(p) for p in table.get("exclude", [])]
    chosen = {n for n in names if (n in exact or (prefixes and n.startswith(prefixes)))}
    chosen = {n for n in chosen if not any(p.search(n) for p in exclude)}
    return sorted(chosen)


def evaluate(headers: list[str], names: list[str]) -> dict[str, int]:
    """Compile and run one program that prints every integer constant's value.

    A macro that is not an integer constant expression (a string, a type, an
    expression needing a variable) fails to compile: its line is dropped and
    the program compiled again.
    """
    remaining = list(names)
    with tempfile.TemporaryDirectory() as tmp:
        for _attempt in range(50):
            head = PRELUDE + "#include <stdio.h>\n" + "".join(f"#include <{h}>\n" for h in headers)
            head += (
                "#define P(n, v) _Generic((v), "
                "unsigned long long: printf(\"%s %llu\\n\", n, (unsigned long long)(v)), "
                "unsigned long: printf(\"%s %llu\\n\", n, (unsigned long long)(v)), "
                "unsigned int: printf(\"%s %llu\\n\", n, (unsigned long long)(v)), "
                "default: printf(\"%s %lld\\n\", n, (long long)(v)))\n"
                "int main(void) {\n"
            )
            first_line = head.count("\n") + 1
            body = "".join(
                # the static initializer rejects anything but a constant expression
                f'{{ static const long long c_{i} = (long long)({n}); (void)c_{i}; P("{n}", {n}); }}\n'
                for i, n in enumerate(remaining)
            )
            source = head + body + "return 0; }\n"
            c_file = Path(tmp) / "consts.c"
            c_file.write_text(source)
            exe = Path(tmp) / "consts"
            proc = subprocess.run([CC, "-w", "-o", str(exe), str(c_file)], capture_output=True, text=True, check=False)
            if proc.returncode == 0:
                out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
                values = {}
                for line in out.splitlines():
                    name, value = line.split()
                    values[name] = int(value)
                return values
            bad_lines = {
                int(m.group(1))
                for m in re.finditer(rf"{re.escape(str(c_file))}:(\d+):\d+: error", proc.stderr)
            }
            bad = {remaining[n - first_line] for n in bad_lines if 0 <= n - first_line < len(remaining)}
            if not bad:
                raise GenerationError("the constants program does not compile:\n" + proc.stderr[-3000:])
            remaining = [n for n in remaining if n not in bad]
    raise GenerationError("gave up after 50 compile rounds")


def render(spec_name: str, values: dict[str, int], headers: list[str], unserved: set[str]) -> str:
    lines = [
        f"# Code generated by {COMMAND}; DO NOT EDIT.",
        f"# Regenerate with: {COMMAND} {spec_name}",
        f"# Platform: {PLATFORM}. Headers: {', '.join(headers)}.",
        "",
    ]
    for name in sorted(values):
        lines.append(f"{name} = {values[name]}")
    lines.append("")
    lines.append("CONSTANTS: dict[str, int] = {")
    for name in sorted(set(values) - unserved):
        lines.append(f"    {name!r}: {name},")
    lines.append("}")
    lines.append("")
    if unserved:
        lines.append("# families no first-party plugin serves; the registry yields each to a plugin that declares it")
        lines.append("UNSERVED_FAMILIES: dict[str, int] = {")
        for name in sorted(unserved & set(values)):
            lines.append(f"    {name!r}: {name},")
        lines.append("}")
        lines.append("")
    return "\n".join(lines)


def generate(spec_file: Path) -> tuple[str, dict[str, int], dict[str, Any]]:
    spec = tomllib.loads(spec_file.read_text())
    table = spec.get(PLATFORM)
    if table is None:
        return "", {}, spec
    headers = list(table["headers"])
    check_headers(headers, table.get("missing_hint"))
    names = select(macro_names(headers), table)
    values = evaluate(headers, names) if names else {}
    unserved = set(table.get("unserved_families", []))
    missing = sorted((set(table.get("names", [])) | unserved) - set(values))
    if missing and table.get("strict_names", True):
        raise GenerationError(f"{spec_file}: the headers define no integer value for {', '.join(missing)}")
    spec_name = spec_file.parent.name if spec_file.parent.parent.name == "plugins" else "core"
    return render(spec_name, values, headers, unserved), values, spec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="*", help="spec names (core, inet, can ...); default: all")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a table is out of date")
    args = parser.parse_args(argv)

    specs = spec_paths()
    unknown = set(args.specs) - set(specs)
    if unknown:
        parser.error(f"unknown spec(s): {', '.join(sorted(unknown))}; known: {', '.join(specs)}")

    stale: list[str] = []
    catalogue: dict[str, Any] = {
        "generated_by": COMMAND, "platform": PLATFORM, "names": {}, "families": {}, "uri_schemes": {},
    }
    for name, (spec_file, output) in specs.items():
        try:
            text, values, spec = generate(spec_file)
        except GenerationError as exc:
            print(f"gen_constants: {name}: {exc}", file=sys.stderr)
            return 2
        dist = spec.get("distribution", "sockcore")
        for const, value in values.items():
            catalogue["names"][const] = dist
            if const.startswith("AF_") and name != "core":
                catalogue["families"].setdefault(str(value), {"name": const, "distribution": dist})
        for extra in spec.get("extra_names", []):  # hand-written names beside the table
            catalogue["names"][extra] = dist
        for scheme in spec.get("uri_schemes", []):
            catalogue["uri_schemes"][scheme] = dist
        if not text or (args.specs and name not in args.specs):
            continue
        if output.exists() and output.read_text() == text:
            continue
        stale.append(str(output.relative_to(ROOT)))
        if not args.check:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text)

    cat_path = ROOT / "sockcore" / "catalogue.json"
    cat_text = json.dumps(catalogue, indent=1, sort_keys=True) + "\n"
    if not cat_path.exists() or cat_path.read_text() != cat_text:
        stale.append(str(cat_path.relative_to(ROOT)))
        if not args.check:
            cat_path.write_text(cat_text)

    if args.check and stale:
        print("gen_constants: out of date (run " + COMMAND + "):\n  " + "\n  ".join(stale), file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
