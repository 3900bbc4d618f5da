"""`doctor`: does every plugin load, agree with the others, and match this machine's headers?"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import warnings
from importlib import metadata
from pathlib import Path

from .. import registry

__all__ = ["cmd_doctor"]

#: the generator lives in the source tree, beside the package: absent from an installed wheel
GENERATOR = Path(__file__).resolve().parents[2] / "tools" / "gen_constants.py"


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
    report.ok(
        f"no conflicts: {len(t.plugins)} plugins, {len(t.families)} families, {len(t.constants)} constants, "
        f"{len(t.sockopts)} options, {len(t.uri_schemes)} URI schemes"
    )
    return True


def _check_constants(report: Report) -> None:
    if not GENERATOR.is_file():
        report.skip("constant tables vs C headers: no source tree here (tools/gen_constants.py not found)")
        return
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        report.skip("constant tables vs C headers: no C compiler found")
        return
    proc = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, cwd=GENERATOR.parent.parent
    )
    if proc.returncode == 0:
        report.ok("generated constant tables agree with this machine's headers")
    else:
        detail = " ".join((proc.stderr or proc.stdout).split())
        report.fail(f"constant tables: {detail or f'gen_constants --check exited {proc.returncode}'}")


def cmd_doctor(args: argparse.Namespace) -> int:
    report = Report()
    from .. import libc

    report.ok(f"C library: {libc.describe_libc()}")
    _check_entry_points(report)
    _check_hooks(report)
    if args.skip_headers:
        report.skip("constant tables vs C headers: --skip-headers")
    else:
        _check_constants(report)
    if report.problems:
        print(f"\n{report.problems} problem(s) found.")
        return 1
    print("\nAll checks passed.")
    return 0
