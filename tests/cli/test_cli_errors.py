"""Every failure is one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

from .conftest import ROOT, Cli, env_for, finish, free_port, one_line_error, wait_for_line


def test_not_a_uri(cli: Cli) -> None:
    one_line_error(cli.run("connect", "nonsense"), "is not a URI", "test-tcp:")


def test_unknown_scheme_lists_the_installed_ones(cli: Cli) -> None:
    one_line_error(cli.run("connect", "gopher://127.0.0.1:70"), "unknown URI scheme 'gopher'", "test-tcp:")


def test_missing_plugin_scheme_names_the_distribution(cli: Cli) -> None:
    """tcp: comes from sockcore-inet (the catalogue says so), which this run does not load."""
    catalogue = json.loads((ROOT / "sockcore" / "catalogue.json").read_text())
    assert catalogue["uri_schemes"]["tcp"] == "sockcore-inet"
    one_line_error(cli.run("connect", "tcp://127.0.0.1:9"), "pip install sockcore-inet")


def test_malformed_uri_shows_the_scheme_example(cli: Cli) -> None:
    one_line_error(cli.run("connect", "test-tcp://localhost"), "bad URI", "test-tcp://127.0.0.1:8000")


def test_connection_refused(cli: Cli) -> None:
    port = free_port()
    one_line_error(cli.run("connect", f"test-tcp://127.0.0.1:{port}"), "cannot connect", "Connection refused")


def test_no_such_socket_file(cli: Cli, tmp_path: Path) -> None:
    one_line_error(cli.run("connect", f"test-unix:{tmp_path}/none.sock"), "No such file or directory")


def test_address_in_use(cli: Cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        one_line_error(cli.run("listen", f"test-tcp://127.0.0.1:{port}", "--once"), "cannot listen", "Address already in use")


def test_accept_timeout(cli: Cli) -> None:
    proc = cli.run("listen", f"test-tcp://127.0.0.1:{free_port()}", "--once", "-t", "0.3")
    one_line_error(proc, "no client connected", "within 0.3 s")


def test_relay_target_refused(cli: Cli) -> None:
    port, dead = free_port(), free_port()
    with subprocess.Popen(
        cli.argv("relay", "--once", "-v", f"test-tcp://127.0.0.1:{port}", f"test-tcp://127.0.0.1:{dead}"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli.env,
    ) as proc:
        wait_for_line(proc, b"listening on")
        with socket.create_connection(("127.0.0.1", port)) as client:
            assert client.recv(1) == b""  # the relay hangs up on us
        code, _, err = finish(proc)
    assert code == 1 and b"Traceback" not in err
    assert err.decode().splitlines()[-1].startswith("sockcore: error: cannot connect to test-tcp")


def test_missing_family_plugin(cli: Cli) -> None:
    catalogue = json.loads((ROOT / "sockcore" / "catalogue.json").read_text())["families"]
    number, entry = next((n, e) for n, e in catalogue.items() if int(n) not in (socket.AF_INET, socket.AF_UNIX))
    one_line_error(cli.run("address", entry["name"], "x"), f"pip install {entry['distribution']}")
    one_line_error(cli.run("address", number, "x"), f"pip install {entry['distribution']}")


def test_unknown_family(cli: Cli) -> None:
    one_line_error(cli.run("address", "AF_NOPE", "x"), "unknown address family")


def test_bad_hex(cli: Cli) -> None:
    one_line_error(cli.run("address", "--decode", "zz"), "not a hex string")


def test_address_of_the_wrong_shape(cli: Cli) -> None:
    one_line_error(cli.run("address", "AF_INET", "[1, 2, 3]"), "cannot encode")


def test_broken_plugin_is_one_warning_line(fake_site: Path) -> None:
    proc = Cli(env_for(fake_site, "clitest,clibroken")).run("families")
    err = proc.stderr.decode()
    assert "Traceback" not in err
    if proc.returncode == 0:  # the other plugins still work
        assert err.count("\n") == 1 and err.startswith("sockcore: warning: "), err
        assert b"AF_INET" in proc.stdout
    else:
        one_line_error(proc)
    assert "broken on purpose" in err and "sockcore doctor" in err


def test_conflict_is_one_line(fake_site: Path) -> None:
    proc = Cli(env_for(fake_site, "clitest,cliconflict")).run("constants")
    one_line_error(proc, "test-tcp", "sockcore-clitest", "sockcore-cliconflict")


def test_usage_errors_exit_2(cli: Cli) -> None:
    for argv in (["relay", "test-tcp://127.0.0.1:1"], ["connect", "test-tcp://127.0.0.1:1", "-t", "-1"], ["frobnicate"]):
        proc = cli.run(*argv)
        assert proc.returncode == 2
        assert b"Traceback" not in proc.stderr and b"usage:" in proc.stderr


def test_closed_stdout_is_not_an_error(cli: Cli) -> None:
    proc = subprocess.run(
        f"{' '.join(cli.argv('constants'))} | head -1", shell=True, capture_output=True, env=cli.env, timeout=60
    )
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr and b"Exception" not in proc.stderr
