"""Generate a distribution's constant tables from C headers: ``sockcore gen-constants``.

Like Go's ``mkerrors.sh``: for a spec (``constants.toml``, see
:mod:`.spec`) it asks the target's preprocessor which macros the listed
headers define, keeps the names the spec claims, compiles them for the
target and reads the values from the object file (nothing is run, so any
installed cross compiler or ``zig cc`` works), converts them as CPython does
(to C ``long``), and writes the ``_constants`` package: one module of the
values an OS's ABIs share, one per ABI with its differences, and the
``__init__.py`` that picks them at import and adds the spec's hand-written
``[extra_constants]``.  Every file says it is generated and how to
regenerate it.

::

    sockcore gen-constants constants.toml --out src/sockcore_x/_constants
    sockcore gen-constants constants.toml --out src/sockcore_x/_constants --target aarch64-linux-gnu --check
    python -m sockcore.gen_constants ...   # the same

Targets not named in a run keep the values the committed files hold, so
regenerating one never drops another.  :func:`check` compares a table with
this machine's headers (``sockcore doctor --plugin``).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from ..abi import abi_name
from .evaluate import GenerationError, evaluate, macro_names, to_c_long
from .render import GENERATED, Tables, read_section, read_tables, render_init, render_os
from .spec import OsSection, SpecError, load
from .toolchain import DEFAULT_TARGETS, Target, ToolchainMissing, host_triple, target

__all__ = [
    "DEFAULT_TARGETS", "GenerationError", "Result", "SpecError", "ToolchainMissing",
    "add_arguments", "check", "generate", "main", "run", "table_for",
]


@dataclass
class Result:
    """What one run did."""

    files: dict[str, str]  # file name in the output directory: text
    stale: list[Path]  # files that differ from what was generated (written unless --check)
    tables: dict[str, Tables]  # every OS's tables, the regenerated and the kept ones
    unevaluable: dict[str, tuple[str, ...]] = field(default_factory=dict)  # target: claimed macros without a value
    skipped: list[str] = field(default_factory=list)  # targets kept from the committed files, and why


def table_for(section: OsSection, tgt: Target) -> tuple[str, dict[str, int], tuple[str, ...]]:
    """``(abi, {name: value as CPython shows it}, unevaluable names)`` of one OS section for one target."""
    with tempfile.TemporaryDirectory(prefix="sockcore-host-headers-") as borrowed:
        if section.host_headers and tgt.triple != host_triple():
            # searched after the target's own headers: only what the target lacks is borrowed
            for name in section.host_headers:
                (Path(borrowed) / name).symlink_to(Path("/usr/include") / name)
            tgt = dataclasses.replace(tgt, compiler=(*tgt.compiler, "-idirafter", borrowed))
        names = section.select(macro_names(tgt, section.headers, section.missing_hint))
        ev = evaluate(tgt, section.headers, names)
    missing = sorted(section.required() - set(ev.values))
    if missing:
        raise GenerationError(f"the {tgt.triple} headers define no integer value for {', '.join(missing)}")
    values = {n: to_c_long(v, ev.long_bits) for n, v in ev.values.items()}
    return abi_name(tgt.cpu, ev.pointer_bits), values, ev.unevaluable


def _out_of_tree_command(spec_path: Path, out_dir: Path, triples: Sequence[str] = ()) -> str:
    """The command that regenerates ``triples``, relative to the spec's directory."""
    out = os.path.relpath(out_dir.resolve(), spec_path.resolve().parent)
    targets = "".join(f" --target {t}" for t in sorted(triples))
    return f"sockcore gen-constants {spec_path.name} --out {out}{targets}"


def generate(
    spec_path: Path,
    out_dir: Path,
    triples: Sequence[str] | None = None,
    *,
    check: bool = False,
    command: str | None = None,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> Result:
    """Regenerate ``out_dir`` (a ``_constants`` package) from ``spec_path`` for ``triples`` (default: the host).

    With ``check`` nothing is written and a missing compiler skips its target
    (its committed values are kept, with a ``log`` line).  ``command`` is the
    regenerate command written in each header (default: the ``sockcore
    gen-constants`` call for every target in the tables).
    """
    spec = load(spec_path)
    all_tables = {os_name: read_tables(out_dir, os_name) for os_name in spec.sections}
    result = Result({}, [], all_tables)
    chosen: list[Target] = []
    requested: list[str | None] = list(triples) if triples else [None]  # None: this machine
    for triple in requested:
        try:
            tgt = target(triple)
        except ToolchainMissing as exc:
            if not check:
                raise
            result.skipped.append(f"{triple}: {exc}; its committed table is kept unchecked")
            continue
        if tgt.os in spec.sections:
            chosen.append(tgt)
        else:
            result.skipped.append(f"{tgt.triple}: the spec has no [{tgt.os}] section")
    # the compilers run in parallel: a target's time is almost all waiting for them
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        runs = [(tgt, pool.submit(table_for, spec.sections[tgt.os], tgt)) for tgt in chosen]
        for tgt, run in runs:
            abi, values, unevaluable = run.result()
            all_tables[tgt.os][abi] = (tgt.triple, values)
            if unevaluable:
                result.unevaluable[tgt.triple] = unevaluable
    for line in result.skipped:
        log(f"gen-constants: skipped {line}")
    for triple, names in result.unevaluable.items():
        log(f"gen-constants: {spec.distribution} {triple}: no integer value for {len(names)} matched macro(s): {', '.join(names)}")
    every_triple = [t for tables in all_tables.values() for t, _ in tables.values()]
    where = f"  (in {spec_path.name}'s directory)"
    regenerate = command or _out_of_tree_command(spec_path, out_dir, every_triple) + where
    for os_name, tables in all_tables.items():
        if tables:
            result.files.update(render_os(os_name, tables, spec.sections[os_name], regenerate))
    generic = command or _out_of_tree_command(spec_path, out_dir)
    result.files["__init__.py"] = render_init(spec, all_tables, regenerate, generic)
    # generated modules of a table that is gone (an ABI whose values became the shared ones)
    for old in sorted(out_dir.glob("*.py")) if out_dir.is_dir() else []:
        if old.name not in result.files and old.read_text().startswith(GENERATED):
            result.stale.append(old)
            if not check:
                old.unlink()
    for name, text in result.files.items():
        path = out_dir / name
        if not path.exists() or path.read_text() != text:
            result.stale.append(path)
            if not check:
                out_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    return result


def check(spec: Path | None, table: Path | ModuleType) -> list[str]:
    """The differences between a generated table and this machine's headers; empty when they agree.

    ``spec`` is the distribution's ``constants.toml``, or None for the spec
    section the table records (an installed plugin ships no spec); ``table``
    its ``_constants`` package, as a directory or an imported module.  Only this
    machine's OS and ABI are compared (with the host compiler, ``$CC`` or
    ``cc``), one line per difference: a value that differs, a name only the
    headers define, a name only the table has, or no table for this ABI.
    Raises :class:`ToolchainMissing` without a C compiler,
    :class:`GenerationError` when a header is missing, :class:`SpecError`
    for a malformed spec.  Used by ``sockcore doctor --plugin NAME``.
    """
    out_dir = Path(table.__file__).parent if isinstance(table, ModuleType) and table.__file__ else Path(str(table))
    tgt = target()
    section = load(spec).sections.get(tgt.os) if spec is not None else read_section(out_dir, tgt.os)
    if section is None:
        return [f"{spec or out_dir} has no {tgt.os} section: nothing to compare on this OS"]
    abi, fresh, _ = table_for(section, tgt)
    tables = read_tables(out_dir, tgt.os)
    if abi not in tables:
        return [f"{out_dir} has no {tgt.os} table for the {abi} ABI (it has {', '.join(sorted(tables)) or 'none'})"]
    committed = tables[abi][1]
    lines = []
    for name in sorted(set(fresh) | set(committed)):
        if name not in committed:
            lines.append(f"{name}: the headers define {fresh[name]}, the table lacks it")
        elif name not in fresh:
            lines.append(f"{name}: the table has {committed[name]}, the headers define no such value")
        elif fresh[name] != committed[name]:
            lines.append(f"{name}: the table has {committed[name]}, the headers define {fresh[name]}")
    return lines


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``sockcore gen-constants`` and ``python -m sockcore.gen_constants``."""
    parser.add_argument("spec", type=Path, metavar="SPEC.toml", help="the spec: headers, prefixes and names per OS")
    parser.add_argument("--out", type=Path, required=True, metavar="PATH", help="the _constants package directory")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a matched macro has no integer value")
    parser.add_argument(
        "--target", action="append", metavar="TRIPLE",
        help="a cross target (repeatable): " + ", ".join(t for ts in DEFAULT_TARGETS.values() for t in ts)
        + "; default: this machine",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sockcore.gen_constants",
        description="generate a _constants package from a constants.toml spec and C headers",
    )
    add_arguments(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    try:
        result = generate(args.spec, args.out, args.target, check=args.check)
    except (SpecError, GenerationError, ToolchainMissing) as exc:
        print(f"gen-constants: {exc}", file=sys.stderr)
        return 2
    verb = "out of date" if args.check else "wrote"
    for path in result.stale:
        print(f"{verb}: {path}", file=sys.stderr if args.check else sys.stdout)
    if args.strict and result.unevaluable:
        print("gen-constants: --strict: exclude the macros above in the spec, or add the header that defines them",
              file=sys.stderr)
        return 1
    return 1 if args.check and result.stale else 0


def main(argv: list[str] | None = None) -> int:
    return run(build_parser().parse_args(argv))
