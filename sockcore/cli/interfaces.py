"""`interfaces`: the network interfaces and their addresses (``sockcore.getifaddrs()``, from a plugin)."""

from __future__ import annotations

import argparse
from typing import Any

from .errors import CliError
from .output import print_json

__all__ = ["cmd_interfaces"]


def _getifaddrs() -> Any:
    import sockcore

    try:
        return sockcore.getifaddrs
    except AttributeError as exc:  # its message names the distribution to install
        raise CliError(str(exc).split(": ", 1)[-1]) from None


def _as_json(interface: Any) -> dict[str, Any]:
    record: dict[str, Any] = interface._asdict()
    record["flags"] = [flag.name for flag in interface.flags if flag.name]
    record["addresses"] = [
        dict(address._asdict(), family=getattr(address.family, "name", address.family)) for address in interface.addresses
    ]
    return record


def cmd_interfaces(args: argparse.Namespace) -> int:
    interfaces = _getifaddrs()()
    if args.name:
        interfaces = [i for i in interfaces if i.name in args.name or str(i.ifindex) in args.name]
        unknown = set(args.name) - {i.name for i in interfaces} - {str(i.ifindex) for i in interfaces}
        if unknown:
            raise CliError(f"no such interface: {', '.join(sorted(unknown))}")
    if args.json:
        print_json([_as_json(i) for i in interfaces])
    else:
        for interface in interfaces:
            print(interface)
    return 0
