"""`doctor`: does every plugin load, agree with the others, and match this machine's headers?"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import warnings
from importlib import metadata
from pathlib import Path
from types import ModuleType

from .. import registry

__all__ = ["cmd_doctor"]

class Report:
    def __init__(self) -> None:
        self.problems = 0

    def ok(self, message: str) -> None:
        print(f"ok    {message}")

    def skip(self, message: str) -> None:
        print(f"skip  {message}")

    def fail(self, message: str) -> None:
        self.problems += 1
        print(f"FAIL  {message}")


def _check_entry_points(report: Report) -> None:
    """Import every plugin on its own, so one broken plugin is named, not just the first."""
    if os.environ.get("SOCKCORE_DISABLE_PLUGIN_AUTOLOAD"):
        report.skip("entry-point plugins: SOCKCORE_DISABLE_PLUGIN_AUTOLOAD is set")
        return
    eps = list(metadata.entry_points(group=registry.ENTRY_POINT_GROUP))
    wanted = os.environ.get("SOCKCORE_PLUGINS")
    if wanted:
        names = {n.strip() for n in wanted.split(",") if n.strip()}
        skipped = sorted(ep.name for ep in eps if ep.name not in names)
        if skipped:
            report.skip(f"plugins left out by SOCKCORE_PLUGINS: {', '.join(skipped)}")
        eps = [ep for ep in eps if ep.name in names]
    if not eps:
        report.ok("no family plugin is installed (only the core)")
    for ep in sorted(eps, key=lambda e: e.name):
        dist = f"{ep.dist.metadata['Name']} {ep.dist.version}" if ep.dist is not None else "unknown distribution"
        try:
            ep.load()
        except Exception as exc:
            report.fail(f"plugin {ep.name!r} ({dist}): import {ep.value} failed: {type(exc).__name__}: {exc}")
        else:
            report.ok(f"plugin {ep.name!r} ({dist}) imports")


def _check_hooks(report: Report) -> bool:
    """Call every hook of every plugin; then build the tables (which checks for conflicts)."""
    try:
        with warnings.catch_warnings():  # a plugin that fails to import was reported above
            warnings.simplefilter("ignore")
            pm = registry.plugin_manager()
    except Exception as exc:
        report.fail(f"loading the plugins failed: {type(exc).__name__}: {exc}")
        return False
    for name, plugin in pm.list_name_plugin():
        for caller in pm.get_hookcallers(plugin) or []:
            for impl in caller.get_hookimpls():
                if impl.plugin is not plugin:
                    continue
                try:
                    impl.function()
                except Exception as exc:
                    report.fail(f"plugin {name!r}: hook {caller.name} raised {type(exc).__name__}: {exc}")
    try:
        t = registry.tables()
    except registry.PluginConflictError as exc:
        report.fail(f"conflict: {exc}")
        return False
    except Exception as exc:
        report.fail(f"building the tables failed: {type(exc).__name__}: {exc}")
        return False
    for name, problems in sorted(registry.hook_errors.items()):
        for problem in problems:
            report.fail(f"plugin {name!r}: {problem}: it is never called")
    report.ok(
        f"no conflicts: {len(t.plugins)} plugins, {len(t.families)} families, {len(t.constants)} constants, "
        f"{len(t.sockopts)} options, {len(t.uri_schemes)} URI schemes"
    )
    return True


def _check_constants(report: Report) -> None:
    """Every installed table (the core's, each plugin's) against this machine's headers.

    Each table records the spec section it was generated from, so this works
    in a plain install: no source tree, only a C compiler and the headers.
    """
    from ..gen_constants import GenerationError, SpecError, ToolchainMissing, check

    packages = {"sockcore": "sockcore"}
    for ep in metadata.entry_points(group=registry.ENTRY_POINT_GROUP):
        packages.setdefault(ep.name, ep.value.split(":")[0].split(".")[0])
    agreed = []
    for name, package in sorted(packages.items()):
        try:
            table = importlib.import_module(f"{package}._constants")
        except ImportError:
            continue  # a plugin that does not load: said by the plugin checks above
        try:
            differences = check(None, table)
        except ToolchainMissing as exc:
            report.skip(f"constant tables vs C headers: {exc}")
            return
        except (GenerationError, SpecError) as exc:  # a header this machine lacks (Bluetooth's, say)
            report.skip(f"constant table of {name}: {' '.join(str(exc).split())}")
            continue
        if len(differences) == 1 and differences[0].endswith("nothing to compare on this OS"):
            report.skip(f"constant table of {name}: generated for other systems only")
        elif differences:
            report.fail(f"constant table of {name}: " + "; ".join(differences[:5]))
        else:
            agreed.append(name)
    if agreed:
        report.ok(f"generated constant tables agree with this machine's headers: {', '.join(agreed)}")


def _spec_beside(package: Path, distribution: str) -> Path | None:
    """The plugin's constants.toml: in the package, above a src/ layout, or where pip installed it from."""
    for candidate in (package / "constants.toml", package.parent.parent / "constants.toml"):
        if candidate.is_file():
            return candidate
    try:  # `pip install ./path` records the source directory (PEP 610)
        import json

        text = metadata.distribution(distribution).read_text("direct_url.json")
        url = json.loads(text or "{}").get("url", "")
    except (metadata.PackageNotFoundError, ValueError):
        return None
    if url.startswith("file://"):
        candidate = Path(url.removeprefix("file://")) / "constants.toml"
        if candidate.is_file():
            return candidate
    return None


def check_one_plugin(name: str, report: Report) -> None:
    """``doctor --plugin NAME``: the contract checks of sockcore.testing on one installed plugin."""
    from ..testing.contract import check_plugin

    eps = {ep.name: ep for ep in metadata.entry_points(group=registry.ENTRY_POINT_GROUP)}
    by_dist = {ep.dist.metadata["Name"]: ep for ep in eps.values() if ep.dist is not None}
    ep = eps.get(name) or by_dist.get(name) or by_dist.get(f"sockcore-{name}")
    if ep is None:
        report.fail(f"no installed plugin is named {name!r} (installed: {', '.join(sorted(eps)) or 'none'})")
        return
    dist = ep.dist.metadata["Name"] if ep.dist is not None else "unknown"
    try:
        with warnings.catch_warnings():  # what a warning would say is reported below
            warnings.simplefilter("ignore", registry.PluginLoadWarning)
            plugin = ep.load()
            registry.plugin_manager()
    except Exception as exc:
        report.fail(f"plugin {ep.name!r} ({dist}): import {ep.value} failed: {type(exc).__name__}: {exc}")
        return
    misspelt = registry.hook_errors.get(ep.name, [])
    for line in misspelt:
        report.fail(f"{ep.name} ({dist}): {line}: it is never called")
    package_name = ep.value.split(":")[0].split(".")[0]
    package = importlib.import_module(package_name)
    table: ModuleType | None = None
    with contextlib.suppress(ImportError):
        table = importlib.import_module(f"{package_name}._constants")
    spec = _spec_beside(Path(package.__file__ or ".").parent, dist)
    result = check_plugin(
        plugin, name=ep.name, distribution=dist, static_modules=[package_name],
        spec=spec, table=table if spec is not None else None,
        raise_on_problems=False,
    )
    for line in result.checked:
        report.ok(f"{ep.name}: {line}")
    for line in result.skipped:
        report.skip(f"{ep.name}: {line}")
    if spec is None:
        report.skip(f"{ep.name}: the generated table against the headers: constants.toml was not found "
                    "beside the installed package or its source directory")
    for line in result.problems:
        if not any(line.startswith(hook.split()[0] + " ") for hook in misspelt):  # said above, with the distribution
            report.fail(f"{ep.name}: {line}")


def cmd_doctor(args: argparse.Namespace) -> int:
    report = Report()
    if getattr(args, "plugin", None):
        check_one_plugin(args.plugin, report)
        return _summary(report)
    from .. import libc

    report.ok(f"C library: {libc.describe_libc()}")
    _check_entry_points(report)
    _check_hooks(report)
    if args.skip_headers:
        report.skip("constant tables vs C headers: --skip-headers")
    else:
        _check_constants(report)
    return _summary(report)


def _summary(report: Report) -> int:
    if report.problems:
        print(f"\n{report.problems} problem(s) found.")
        return 1
    print("\nAll checks passed (see the skip lines for what was not checked).")
    return 0
