"""The values of C macros for a target, read from an object file compiled for it (never run).

The macros come from the preprocessor (``cc -E -dM``).  Every claimed name
becomes one line of a constant struct initializer, with a magic string in
front and the sizes of ``long`` and ``void *``; the object file holds those
bytes as they are, so they are found by the magic and read in the byte order
the struct itself announces.  A name that is not an integer constant
expression (a string, a type, a compound literal, a macro whose base lives in
a header that was not included) fails to compile on its own line: it is
dropped, reported, and the struct compiled again.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .toolchain import Target

__all__ = ["Evaluation", "GenerationError", "evaluate", "macro_names", "to_c_long"]

_MAGIC = b"SOCKCORE_CONSTS\0"
_ORDER = 0x0102030405060708
_MAX_ROUNDS = 30


class GenerationError(Exception):
    """The headers or the compiler failed in a way no retry can fix."""


@dataclass(frozen=True)
class Evaluation:
    """What a target's compiler says about the claimed names."""

    values: dict[str, int]  # as C computes them (unsigned ones positive)
    unevaluable: tuple[str, ...]  # claimed macros that are not integer constant expressions
    long_bits: int
    pointer_bits: int


def _run(cmd: list[str], source: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, input=source, capture_output=True, text=True, check=False)


def _includes(target: Target, headers: tuple[str, ...]) -> str:
    return target.prelude + "".join(f"#include <{h}>\n" for h in headers)


def _header_error(target: Target, headers: tuple[str, ...], hint: str | None, stderr: str) -> GenerationError:
    for header in headers:
        proc = _run([*target.compiler, "-E", "-x", "c", "-"], _includes(target, (header,)))
        if proc.returncode != 0:
            msg = f"header <{header}> is missing or broken for {target.triple}"
            if hint:
                msg += f"; install it with: {hint}"
            return GenerationError(msg + "\n" + (proc.stderr.strip().splitlines() or [""])[0])
    return GenerationError(f"the headers do not preprocess together for {target.triple}:\n{stderr[-2000:]}")


def macro_names(target: Target, headers: tuple[str, ...], hint: str | None = None) -> set[str]:
    """Every object-like macro with a non-empty body the headers define."""
    proc = _run([*target.compiler, "-E", "-dM", "-x", "c", "-"], _includes(target, headers))
    if proc.returncode != 0:
        raise _header_error(target, headers, hint, proc.stderr)
    return set(re.findall(r"^#define ([A-Za-z_]\w*)[ \t]+\S", proc.stdout, re.MULTILINE))


def to_c_long(value: int, long_bits: int) -> int:
    """``value`` as CPython's socket module shows it: converted to C ``long`` (PyModule_AddIntMacro).

    On a 32-bit ABI ``INADDR_BROADCAST`` (0xffffffff) becomes -1 and
    ``CAN_EFF_FLAG`` (0x80000000) -2147483648.
    """
    half = 1 << (long_bits - 1)
    return (value + half) % (1 << long_bits) - half


def _source(target: Target, headers: tuple[str, ...], names: list[str]) -> tuple[str, int]:
    head = _includes(target, headers) + (
        "struct sockcore_entry { unsigned long long value, negative; };\n"
        "const struct {\n"
        "    char magic[16];\n"
        "    unsigned long long order, long_size, pointer_size, count;\n"
        f"    struct sockcore_entry entries[{len(names) + 1}];\n"
        "} sockcore_constants = {\n"
        f'    "{_MAGIC[:-1].decode()}", {_ORDER:#x}ULL, sizeof(long), sizeof(void *), {len(names)}ULL, {{\n'
    )
    first_line = head.count("\n") + 1
    # `| 0` accepts integers only (no pointer, string or struct); a static
    # initializer accepts constant expressions only
    body = "".join(f"{{ (unsigned long long)(({n}) | 0), (({n}) | 0) < 0 }},\n" for n in names)
    return head + body + "{ 0, 0 } } };\n", first_line


def _read_object(data: bytes, names: list[str]) -> tuple[dict[str, int], int, int]:
    start = data.find(_MAGIC)
    if start < 0:
        raise GenerationError("the compiled object holds no constant table (unexpected object format)")
    order: Literal["big", "little"] = "big" if data[start + 16 : start + 24] == _ORDER.to_bytes(8, "big") else "little"

    def word(offset: int) -> int:
        return int.from_bytes(data[start + offset : start + offset + 8], order)

    long_size, pointer_size, count = word(24), word(32), word(40)
    if count != len(names):
        raise GenerationError(f"the compiled table holds {count} values, expected {len(names)}")
    values = {}
    for i, name in enumerate(names):
        value, negative = word(48 + 16 * i), word(56 + 16 * i)
        values[name] = value - (1 << 64) if negative else value
    return values, long_size * 8, pointer_size * 8


def evaluate(target: Target, headers: tuple[str, ...], names: list[str]) -> Evaluation:
    """Compile the claimed names for ``target`` and read their values back."""
    remaining = list(names)
    dropped: list[str] = []
    extra = ["-ferror-limit=0"] if "zig" in " ".join(target.compiler) else []
    with tempfile.TemporaryDirectory(prefix="sockcore-gen-") as tmp:
        c_file, obj = Path(tmp) / "constants.c", Path(tmp) / "constants.o"
        for _round in range(_MAX_ROUNDS):
            source, first_line = _source(target, headers, remaining)
            c_file.write_text(source)
            proc = _run([*target.compiler, "-w", *extra, "-c", "-o", str(obj), str(c_file)])
            if proc.returncode == 0:
                values, long_bits, pointer_bits = _read_object(obj.read_bytes(), remaining)
                return Evaluation(values, tuple(sorted(dropped)), long_bits, pointer_bits)
            # an error inside a macro's body names the header's line; the
            # "in expansion of macro" note (gcc) or the error itself (clang) names ours
            lines = {int(n) for n in re.findall(rf"{re.escape(str(c_file))}:(\d+):\d+:", proc.stderr)}
            bad = {remaining[n - first_line] for n in lines if 0 <= n - first_line < len(remaining)}
            if not bad:
                raise GenerationError(f"the constants do not compile for {target.triple}:\n{proc.stderr[-3000:]}")
            dropped.extend(bad)
            remaining = [n for n in remaining if n not in bad]
    raise GenerationError(f"gave up after {_MAX_ROUNDS} compile rounds for {target.triple}")
