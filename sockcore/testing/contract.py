"""check_plugin: a plugin object against the contract in DESIGN.md, with no test framework.

``sockcore doctor --plugin NAME`` runs it on an installed plugin; the test kit
(:mod:`sockcore.testing`) runs it in a plugin's own tests.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from .. import registry
from ..plugin import SOCK_STREAM, AddressCodec

__all__ = [
    "FakeSocket",
    "PluginCheckError",
    "PluginReport",
    "check_plugin",
    "registered",
    "static_import_problems",
]


class FakeSocket:
    """What a codec sees of a socket (``SocketInfo``), with no descriptor behind it."""

    __slots__ = ("family", "fd", "proto", "type")

    def __init__(self, family: int, type: int = SOCK_STREAM, proto: int = 0, fd: int = -1) -> None:
        self.family = family
        self.type = type
        self.proto = proto
        self.fd = fd

    def fileno(self) -> int:
        return self.fd

    def __repr__(self) -> str:
        return f"FakeSocket(family={self.family}, type={self.type}, proto={self.proto})"


class PluginCheckError(AssertionError):
    """check_plugin found problems; the message lists each."""


class PluginReport:
    """What :func:`check_plugin` checked, what it could not check and why, what was wrong."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.checked: list[str] = []
        self.skipped: list[str] = []
        self.problems: list[str] = []

    def __str__(self) -> str:
        lines = [f"plugin {self.name}:"]
        lines += [f"  ok       {line}" for line in self.checked]
        lines += [f"  skipped  {line}" for line in self.skipped]
        lines += [f"  PROBLEM  {line}" for line in self.problems]
        return "\n".join(lines)


def _answers(plugin: object) -> dict[str, Any]:
    """Each hook's answer, read straight from the plugin object (no registry)."""
    answers: dict[str, Any] = {}
    for hook in ("families", "address_codecs", "constants", "exports", "sockopts", "cmsg_codecs", "uri_schemes"):
        method = getattr(plugin, f"sockcore_{hook}", None)
        answers[hook] = method() if method is not None else None
    return answers


def _check_records(answers: Mapping[str, Any], report: PluginReport) -> None:
    from ..records import CmsgCodec, Family, UriScheme
    from ..sockopt import SockOpt

    problems = report.problems
    families = list(answers["families"] or ())
    constants = dict(answers["constants"] or {})
    numbers = {f.number for f in families if isinstance(f, Family)}
    for fam in families:
        if not isinstance(fam, Family):
            problems.append(f"sockcore_families returned {fam!r}, not a Family")
            continue
        if not (fam.name.startswith("AF_") and 0 <= fam.number <= 0xFFFF):
            problems.append(f"family {fam.name}={fam.number}: the name starts with AF_ and the number is a u16")
        if constants and constants.get(fam.name, fam.number) != fam.number:
            problems.append(f"family {fam.name} is {fam.number} but the constants say {constants[fam.name]}")
        if fam.probe is not None and not (len(fam.probe) == 2 and all(isinstance(x, int) for x in fam.probe)):
            problems.append(f"family {fam.name}: probe {fam.probe!r} is not a (type, proto) pair of ints")
    for codec in answers["address_codecs"] or ():
        if not isinstance(codec, AddressCodec):
            problems.append(f"codec {codec!r} lacks family, proto, encode or decode")
        elif numbers and getattr(codec, "sa_family", codec.family) not in numbers and codec.family not in numbers:
            problems.append(f"codec {type(codec).__name__} serves family {codec.family}, which the plugin does not declare")
    for name, value in constants.items():
        if not (isinstance(name, str) and name.isidentifier() and name[:1].isupper()):
            problems.append(f"constant name {name!r} is not an upper-case identifier")
        elif not isinstance(value, (int, str)):  # str: the stdlib's BDADDR_ANY, HV_GUID_ZERO ...
            problems.append(f"constant {name} is {type(value).__name__}, not int or str")
    for opt in answers["sockopts"] or ():
        if not isinstance(opt, SockOpt):
            problems.append(f"sockcore_sockopts returned {opt!r}, not a SockOpt")
        elif opt.name in constants and constants[opt.name] != opt.optname:
            problems.append(f"option {opt.name}: optname {opt.optname}, but the constant is {constants[opt.name]}")
    for cmsg in answers["cmsg_codecs"] or ():
        if not isinstance(cmsg, CmsgCodec):
            problems.append(f"sockcore_cmsg_codecs returned {cmsg!r}, not a CmsgCodec")
    for scheme in answers["uri_schemes"] or ():
        if not isinstance(scheme, UriScheme):
            problems.append(f"sockcore_uri_schemes returned {scheme!r}, not a UriScheme")
    for name in answers["exports"] or {}:
        if name in constants:
            problems.append(f"{name} is both a constant and an export")
    report.checked.append(
        f"records: {len(families)} families, {len(constants)} constants, "
        f"{len(answers['sockopts'] or ())} options, {len(answers['exports'] or {})} exports"
    )


@contextlib.contextmanager
def registered(plugin: object, name: str, distribution: str = "<test>") -> Iterator[bool]:
    """The plugin in the registry for the block: True if this call registered it.

    A plugin the registry already holds (installed: its entry point loaded it) is left as it is.
    """
    pm = registry.plugin_manager()
    if pm.is_registered(plugin):
        yield False
        return
    registry.register(plugin, name, distribution=distribution)
    try:
        yield True
    finally:
        registry.unregister(name=name)


def _check_runtime_names(answers: Mapping[str, Any], report: PluginReport) -> None:
    import sockcore

    tables = registry.tables()
    wrong = []
    for kind, table in (("constant", tables.constants), ("export", tables.exports)):
        for name, value in (answers[f"{kind}s"] or {}).items():
            runtime = table.get(name)
            if runtime is None or not (runtime is value or runtime == value):
                wrong.append(f"{kind} {name}: static {value!r}, registry {runtime!r}")
            elif getattr(sockcore, name, None) is not runtime and getattr(sockcore, name, None) != value:
                wrong.append(f"{kind} {name}: sockcore.{name} is not the plugin's")
    report.problems.extend(wrong)
    report.checked.append("static names equal the registry's and sockcore's")


def _check_options(answers: Mapping[str, Any], report: PluginReport) -> None:
    import errno

    import sockcore

    families = {f.name: f for f in answers["families"] or ()}
    done, refused, unavailable = 0, [], set()
    for opt in answers["sockopts"] or ():
        fam = families.get(opt.family) if opt.family else None
        if fam is None or fam.probe is None or opt.access != "rw":
            continue
        try:
            sock = sockcore.socket(fam.number, *fam.probe)
        except OSError:
            unavailable.add(fam.name)
            continue
        with sock:
            try:
                value = sock.getopt(opt)
                sock.setopt(opt, value)
                again = sock.getopt(opt)
            except OSError as exc:
                # the kernel's word: the option needs another socket type, a bound socket, root ...
                refused.append(f"{opt.name} ({errno.errorcode.get(exc.errno or 0, exc.errno)})")
                continue
            if again != value and not opt.kernel_adjusts:
                report.problems.append(f"option {opt.name}: set {value!r}, got back {again!r}")
            done += 1
    report.checked.append(f"{done} typed options round-trip get -> set -> get")
    if refused:
        report.skipped.append("options the kernel refused on the probe socket: " + ", ".join(refused))
    if unavailable:
        report.skipped.append("option round trips: this kernel has no " + ", ".join(sorted(unavailable)))


def static_import_problems(modules: Sequence[str], forbidden: Sequence[str] = ("pluggy", "attrs")) -> list[str]:
    """Import each module in a fresh interpreter; which forbidden modules came with it."""
    problems = []
    for module in modules:
        code = (
            f"import sys, {module}\n"
            f"print(' '.join(m for m in {list(forbidden)!r} if m in sys.modules))"
        )
        # the same import path as this process: a plugin run from its source tree is found too
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)
        if proc.returncode != 0:
            problems.append(f"import {module} failed: {proc.stderr.strip().splitlines()[-1:]}")
        elif proc.stdout.strip():
            problems.append(f"import {module} loads {proc.stdout.strip()} (static modules must not)")
    return problems


def _check_table(spec: str | os.PathLike[str], table: str | os.PathLike[str] | ModuleType, report: PluginReport) -> None:
    what = "the generated table against this machine's headers"
    try:
        gen = importlib.import_module("sockcore.gen_constants")
    except ImportError:
        report.skipped.append(f"{what}: sockcore.gen_constants is not installed")
        return
    try:
        differences = gen.check(Path(spec), table if isinstance(table, ModuleType) else Path(table))
    except Exception as exc:  # no compiler, a missing header, a spec that does not parse
        report.skipped.append(f"{what}: {type(exc).__name__}: {exc}")
        return
    report.problems.extend(f"generated table: {line}" for line in differences)
    if not differences:
        report.checked.append(f"{what}: they agree")


def check_plugin(
    plugin: object,
    *,
    name: str | None = None,
    distribution: str = "<under test>",
    static_modules: Sequence[str] = (),
    static_may_load: Sequence[str] = (),
    spec: str | os.PathLike[str] | None = None,
    table: str | os.PathLike[str] | ModuleType | None = None,
    options: bool = True,
    raise_on_problems: bool = True,
) -> PluginReport:
    """Check a plugin object (what its entry point names) against the contract.

    - its records are well formed (``Family``, codecs, int constants, options whose
      optname is the constant's value ...);
    - it registers beside the installed plugins without a conflict;
    - static names equal runtime names (``registry``, ``sockcore.NAME``);
    - every read-write typed option round-trips get -> set -> get on the family's
      probe socket, where this kernel has the family and allows it (``options=False``
      to leave this out);
    - importing each of ``static_modules`` (``"sockcore_x"``) loads neither pluggy
      nor attrs, but for ``static_may_load``;
    - with ``spec`` (``constants.toml``) and ``table`` (the ``_constants`` package or
      its directory): the generated table equals what this machine's headers give
      (needs a C compiler; said plainly in ``skipped`` when there is none).

    Returns the :class:`PluginReport`; raises :class:`PluginCheckError` when it holds
    problems, unless ``raise_on_problems`` is False (``sockcore doctor --plugin``).
    """
    answers = _answers(plugin)
    label = name or ", ".join(f.name for f in answers["families"] or ()) or repr(plugin)
    report = PluginReport(label)
    _check_records(answers, report)
    try:
        with registered(plugin, name or f"check-{id(plugin)}", distribution):
            report.checked.append("no conflict with the installed plugins")
            _check_runtime_names(answers, report)
            if options:
                _check_options(answers, report)
    except registry.PluginConflictError as exc:
        report.problems.append(f"conflict: {exc}")
    report.problems.extend(_misspelt(plugin))
    forbidden = [m for m in ("pluggy", "attrs") if m not in static_may_load]
    if static_modules:
        found = static_import_problems(static_modules, forbidden)
        report.problems.extend(found)
        if not found:
            report.checked.append(f"importing {', '.join(static_modules)} loads no {' or '.join(forbidden)}")
    else:
        report.skipped.append("static imports: no static_modules named")
    if spec is not None and table is not None:
        _check_table(spec, table, report)
    else:
        report.skipped.append("generated table against the headers: no spec and table given")
    if report.problems and raise_on_problems:
        raise PluginCheckError(str(report))
    return report


def _misspelt(plugin: object) -> list[str]:
    """``sockcore_*`` attributes that are not hooks (the registry warns about these too)."""
    import difflib

    hookspecs = importlib.import_module("sockcore.hookspecs")
    known = sorted(n for n in dir(hookspecs) if n.startswith("sockcore_"))
    problems = []
    for attr in dir(plugin):
        if attr.startswith("sockcore_") and attr not in known and callable(getattr(plugin, attr, None)):
            near = difflib.get_close_matches(attr, known, n=1)
            problems.append(f"{attr} is not a sockcore hook" + (f" (did you mean {near[0]}?)" if near else "")
                            + ": it is never called")
    return problems
