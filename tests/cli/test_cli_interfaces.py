"""`sockcore interfaces`: sockcore.getifaddrs() as text and JSON, run as the real command."""

from __future__ import annotations

import json
import socket

import pytest

from .conftest import Cli, one_line_error


def test_help_has_examples(real_cli: Cli) -> None:
    proc = real_cli.run("interfaces", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "examples:" in proc.stdout.decode() and "sockcore interfaces" in proc.stdout.decode()


@pytest.mark.qemu("qemu-user does not byte-swap the rtnetlink attributes it does not know for a big-endian guest", arches=("s390x",))
def test_json_lists_every_interface(real_cli: Cli) -> None:
    proc = real_cli.run("interfaces", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [(i["ifindex"], i["name"]) for i in data] == sorted(socket.if_nameindex())
    (lo,) = [i for i in data if "LOOPBACK" in i["flags"]]
    assert {"family": "AF_INET", "address": "127.0.0.1", "netmask": "255.0.0.0", "prefixlen": 8,
            "broadcast": None, "peer": None, "label": lo["name"]} in lo["addresses"]


@pytest.mark.qemu("qemu-user does not byte-swap the rtnetlink attributes it does not know for a big-endian guest", arches=("s390x",))
def test_text_for_named_interfaces(real_cli: Cli) -> None:
    (index, name), *_ = sorted(socket.if_nameindex())
    proc = real_cli.run("interfaces", name, str(index))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert lines[0].startswith(f"{index}: {name} <") and " mtu " in lines[0]
    assert sum(not line.startswith(" ") for line in lines) == 1  # one interface, asked for twice
    assert all(line.startswith("    ") for line in lines[1:])


@pytest.mark.qemu("qemu-user does not byte-swap the rtnetlink attributes it does not know for a big-endian guest", arches=("s390x",))
def test_unknown_interface(real_cli: Cli) -> None:
    one_line_error(real_cli.run("interfaces", "no-such-interface0"), "no such interface: no-such-interface0")


def test_without_the_netlink_plugin(cli: Cli) -> None:
    one_line_error(cli.run("interfaces"), "getifaddrs is provided by sockcore-netlink, which is not installed")
