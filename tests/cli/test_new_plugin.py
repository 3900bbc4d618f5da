"""`sockcore new-plugin` writes a distribution that passes its own checks; the tools report its mistakes.

The scaffold is written once (AF_MCTP, <linux/mctp.h>) and copied for each
mistake an author makes: a corrupted generated table, a misspelt hook, a
prefix that matches a macro which does not compile.  Each is run in a
subprocess with entry-point loading limited to the plugin under test.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sockcore.cli.scaffold import write_plugin

from .conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("cc") is None, reason="the scaffold generates its table with a C compiler")


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root, notes = write_plugin("mctp", 45, "linux/mctp.h", tmp_path_factory.mktemp("scaffold"))
    assert notes == [], notes
    return root


def _copy(scaffold: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(scaffold, tmp_path / scaffold.name))


def _installed(plugin: Path, site: Path) -> dict[str, str]:
    """An environment in which ``plugin`` is installed as the only sockcore plugin (a dist-info on the path)."""
    info = site / "sockcore_mctp-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sockcore-mctp\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text("[sockcore]\nmctp = sockcore_mctp.hooks:plugin\n")
    return {
        "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
        "PYTHONPATH": f"{plugin / 'src'}:{site}:{ROOT}",
        "SOCKCORE_PLUGINS": "mctp",
    }


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_scaffold_passes_its_own_checks(scaffold: Path, tmp_path: Path) -> None:
    env = _installed(scaffold, tmp_path / "site")
    names = {p.relative_to(scaffold).as_posix() for p in scaffold.rglob("*") if p.is_file()}
    assert {"pyproject.toml", "constants.toml", "ci.sh", "README.md", "tests/test_mctp.py",
            "src/sockcore_mctp/codec.py", "src/sockcore_mctp/hooks.py", "src/sockcore_mctp/_constants/linux.py"} <= names
    tests = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], scaffold, env)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "2 passed" in tests.stdout
    lint = _run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], scaffold, env)
    assert lint.returncode == 0, lint.stdout
    types = _run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "src", "tests"], scaffold, env)
    assert types.returncode == 0, types.stdout
    doctor = _run([sys.executable, "-m", "sockcore", "doctor", "--plugin", "mctp"], scaffold, env)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "the generated table against this machine's headers: they agree" in doctor.stdout


def test_doctor_reports_a_corrupted_table(scaffold: Path, tmp_path: Path) -> None:
    plugin = _copy(scaffold, tmp_path)
    table = plugin / "src" / "sockcore_mctp" / "_constants" / "linux.py"
    table.write_text(table.read_text().replace("MCTP_ADDR_ANY = 255", "MCTP_ADDR_ANY = 254"))
    env = _installed(plugin, tmp_path / "site")
    doctor = _run([sys.executable, "-m", "sockcore", "doctor", "--plugin", "mctp"], plugin, env)
    assert doctor.returncode == 1
    assert "FAIL  mctp: generated table: MCTP_ADDR_ANY: the table has 254, the headers define 255" in doctor.stdout
    # the whole-install doctor checks every installed table too, without a source tree
    everything = _run([sys.executable, "-m", "sockcore", "doctor"], plugin, env)
    assert everything.returncode == 1
    assert "FAIL  constant table of mctp: MCTP_ADDR_ANY: the table has 254, the headers define 255" in everything.stdout


def test_doctor_reports_a_misspelt_hook(scaffold: Path, tmp_path: Path) -> None:
    plugin = _copy(scaffold, tmp_path)
    hooks = plugin / "src" / "sockcore_mctp" / "hooks.py"
    hooks.write_text(hooks.read_text().replace("plugin = StaticPlugin(", "class Plugin(StaticPlugin):\n"
                     "    def sockcore_famillies(self) -> list[Family]:\n        return []\n\n\nplugin = Plugin("))
    doctor = _run([sys.executable, "-m", "sockcore", "doctor", "--plugin", "mctp"], plugin, _installed(plugin, tmp_path / "site"))
    assert doctor.returncode == 1
    assert "FAIL  mctp (sockcore-mctp): sockcore_famillies is not a sockcore hook (did you mean sockcore_families?)" in doctor.stdout


def test_a_constant_that_does_not_compile_fails_the_strict_check(scaffold: Path, tmp_path: Path) -> None:
    plugin = _copy(scaffold, tmp_path)
    spec = plugin / "constants.toml"
    # SIOCMCTPALLOCTAG is SIOCPROTOPRIVATE + 0, whose header (linux/sockios.h) the spec does not list
    spec.write_text(spec.read_text().replace('prefixes = ["MCTP_"]', 'prefixes = ["MCTP_", "SIOCMCTP"]'))
    argv = [sys.executable, "-m", "sockcore.gen_constants", "constants.toml", "--out", "src/sockcore_mctp/_constants"]
    gen = _run([*argv, "--check", "--strict"], plugin, {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert gen.returncode == 1
    assert "SIOCMCTPALLOCTAG" in gen.stderr and "--strict" in gen.stderr
    relaxed = _run([*argv, "--check"], plugin, {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert "SIOCMCTPALLOCTAG" in relaxed.stderr  # said even without --strict: never dropped silently


def test_bad_arguments(tmp_path: Path) -> None:
    from sockcore.cli.errors import CliError

    for name, family in (("Bad-Name", 45), ("ok", 0), ("ok", 70000)):
        with pytest.raises(CliError):
            write_plugin(name, family, "linux/mctp.h", tmp_path)
