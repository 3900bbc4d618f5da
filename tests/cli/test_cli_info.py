"""`families`, `constants`, `options`, `address`, `doctor` and `--help`, run as the real command."""

from __future__ import annotations

import json
import socket
import struct
from pathlib import Path

import pytest

from .conftest import ROOT, Cli, env_for

SUBCOMMANDS = ["families", "constants", "options", "address", "connect", "listen", "relay", "doctor"]


def test_python_dash_m_and_help(cli: Cli) -> None:
    proc = cli.run("--help")
    assert proc.returncode == 0
    for name in SUBCOMMANDS:
        assert name in proc.stdout.decode()


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help_with_examples(cli: Cli, name: str) -> None:
    proc = cli.run(name, "--help")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "examples:" in out and "sockcore " + name in out


def test_uri_commands_list_the_installed_schemes(cli: Cli) -> None:
    out = cli.run("connect", "--help").stdout.decode()
    assert "test-tcp://127.0.0.1:8000" in out and "test-unix:" in out


def test_families_table(cli: Cli) -> None:
    proc = cli.run("families")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    inet = next(line for line in lines if line.startswith("AF_INET "))
    assert str(socket.AF_INET) in inet.split()
    assert "sockcore-clitest 0.0" in inet
    assert "yes" in inet  # this kernel creates AF_INET sockets


def test_families_json_lists_installed_and_installable(cli: Cli) -> None:
    proc = cli.run("families", "--json")
    data = json.loads(proc.stdout)
    installed = {f["name"]: f for f in data["installed"]}
    assert installed["AF_UNIX"]["number"] == socket.AF_UNIX
    assert installed["AF_UNIX"]["kernel"] == "yes"
    catalogue = json.loads((ROOT / "sockcore" / "catalogue.json").read_text())["families"]
    expected = {int(n) for n in catalogue} - {socket.AF_INET, socket.AF_UNIX}
    assert {f["number"] for f in data["not_installed"]} == expected
    for f in data["not_installed"]:
        assert f["install"] == f"pip install {f['distribution']}"


def test_constants_match_the_stdlib(cli: Cli) -> None:
    proc = cli.run("constants", "SO_RCV", "--json")
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert rows["SO_RCVBUF"]["value"] == socket.SO_RCVBUF
    assert rows["SO_RCVBUF"]["owner"].startswith("sockcore ")
    assert all("SO_RCV" in name for name in rows)


def test_constants_glob_and_table(cli: Cli) -> None:
    proc = cli.run("constants", "msg_*")
    assert proc.returncode == 0
    names = [line.split()[0] for line in proc.stdout.decode().splitlines()[2:]]
    assert "MSG_PEEK" in names and all(n.startswith("MSG_") for n in names)


def test_constants_no_match(cli: Cli) -> None:
    proc = cli.run("constants", "NO_SUCH_NAME_AT_ALL")
    assert proc.returncode == 1 and b"No constant" in proc.stdout


def test_options(cli: Cli) -> None:
    proc = cli.run("options", "socket", "--json")
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert rows["SO_REUSEADDR"]["level"] == socket.SOL_SOCKET
    assert rows["SO_REUSEADDR"]["level_name"] == "SOL_SOCKET"
    assert rows["SO_REUSEADDR"]["optname"] == socket.SO_REUSEADDR
    assert rows["SO_REUSEADDR"]["type"] == "bool"
    table = cli.run("options").stdout.decode()
    assert "SO_LINGER" in table and "Linger" in table


def test_address_round_trip_through_the_raw_codec(cli: Cli) -> None:
    body = struct.pack("!H4s8x", 80, socket.inet_aton("127.0.0.1"))
    proc = cli.run("address", "AF_INET", repr((int(socket.AF_INET), body)))
    assert proc.returncode == 0, proc.stderr
    raw = bytes.fromhex(proc.stdout.decode().strip())
    assert raw == struct.pack("=H", socket.AF_INET) + body
    back = cli.run("address", "--decode", raw.hex())
    assert back.returncode == 0, back.stderr
    assert back.stdout.decode().startswith("AF_INET RawAddress(family=2")


def test_address_from_a_uri(cli: Cli) -> None:
    proc = cli.run("address", "test-unix:/tmp/x.sock")
    raw = bytes.fromhex(proc.stdout.decode().strip())
    assert raw == struct.pack("=H", socket.AF_UNIX) + b"/tmp/x.sock\0"


def test_address_with_the_unix_plugin(real_cli: Cli, real_schemes: frozenset[str]) -> None:
    if "unix" not in real_schemes:
        pytest.skip("needs sockcore-unix")
    proc = real_cli.run("address", "unix", "/run/x.sock")
    raw = bytes.fromhex(proc.stdout.decode().strip())
    assert raw[2:] == b"/run/x.sock\0"
    back = real_cli.run("address", "-d", raw.hex())
    assert back.stdout.decode().strip() == "AF_UNIX '/run/x.sock'"


def test_doctor_passes_on_a_clean_install(cli: Cli) -> None:
    proc = cli.run("doctor", "--skip-headers")
    assert proc.returncode == 0, proc.stdout
    assert b"no conflicts" in proc.stdout


def test_doctor_checks_the_generated_tables_or_says_it_skipped(cli: Cli) -> None:
    out = cli.run("doctor").stdout.decode()
    assert "constant tables" in out


def test_doctor_names_a_broken_plugin(fake_site: Path) -> None:
    proc = Cli(env_for(fake_site, "clitest,clibroken")).run("doctor", "--skip-headers")
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert "FAIL  plugin 'clibroken' (sockcore-clibroken 0.0)" in out and "broken on purpose" in out
    assert "Traceback" not in out + proc.stderr.decode()


def test_doctor_reports_conflicts(fake_site: Path) -> None:
    proc = Cli(env_for(fake_site, "clitest,cliconflict")).run("doctor", "--skip-headers")
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert "FAIL  conflict" in out and "sockcore-clitest" in out and "sockcore-cliconflict" in out
