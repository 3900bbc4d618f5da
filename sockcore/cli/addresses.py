"""`address`: a family's address as the kernel sees it (the whole sockaddr, in hex)."""

from __future__ import annotations

import argparse
import ast
import string
from typing import Any

import attrs

from ..address import RAW_CODEC, AddressCodec, join_sockaddr, split_sockaddr
from .errors import CliError
from .lookup import (
    family_label,
    format_address,
    literal_address,
    resolve_family,
    resolve_type,
    resolve_uri,
    tables,
)

__all__ = ["cmd_address"]


@attrs.frozen
class _Info:
    """The SocketInfo a codec sees when no socket exists yet."""

    family: int
    type: int
    proto: int

    def fileno(self) -> int:
        return -1


def parse_address_literal(text: str) -> Any:
    """A Python literal (``('127.0.0.1', 80)``, ``b'...'``, ``5``) or else the text itself (a path)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


def _codec(info: _Info) -> AddressCodec:
    return tables().codec_for(info.family, info.proto) or RAW_CODEC


def _default_type(family: int) -> int:
    entry = tables().families.get(family)
    if entry is not None and entry.family.probe is not None:
        return entry.family.probe[0]
    return int(tables().constants["SOCK_STREAM"])


def _encode(args: argparse.Namespace) -> tuple[_Info, bytes]:
    if args.address is None:  # one argument: a URI
        if ":" not in args.family:
            raise CliError(f"missing the ADDRESS after {args.family} (or give a URI: see sockcore address --help)")
        _, target = resolve_uri(args.family)
        info = _Info(target.family, target.type, target.proto)
        address = target.address
    else:
        family = resolve_family(args.family)
        info = _Info(family, resolve_type(args.type, _default_type(family)), args.proto)
        address = parse_address_literal(args.address)
    try:
        body = _codec(info).encode(address, info)
    except (TypeError, ValueError, OverflowError, UnicodeError) as exc:
        raise CliError(f"cannot encode {format_address(address)} as {family_label(info.family)}: {exc}") from None
    except OSError as exc:
        raise CliError(f"cannot encode {format_address(address)}: {exc.strerror or exc}") from None
    return info, join_sockaddr(info.family, body)


def _decode(args: argparse.Namespace) -> tuple[int, Any]:
    text = "".join(c for c in args.decode if c not in string.whitespace + ":-")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise CliError(f"not a hex string: {args.decode!r}") from None
    family, body = split_sockaddr(raw)
    if not raw or len(raw) < len(join_sockaddr(family, b"")):
        raise CliError("a sockaddr needs at least its family header")
    info = _Info(family, resolve_type(args.type, _default_type(family)), args.proto)
    try:
        return family, _codec(info).decode(body, info)
    except (TypeError, ValueError, OverflowError, UnicodeError, OSError) as exc:
        raise CliError(f"cannot decode a {family_label(family)} address from {len(raw)} bytes: {exc}") from None


def cmd_address(args: argparse.Namespace) -> int:
    if args.decode is not None:
        if args.family is not None:
            raise CliError("--decode takes only the hex string, no family or address")
        family, address = _decode(args)
        print(f"{family_label(family)} {literal_address(address)}")
        return 0
    if args.family is None:
        raise CliError("give FAMILY ADDRESS, a URI, or --decode HEX (see sockcore address --help)")
    info, raw = _encode(args)
    if args.verbose:
        print(f"{family_label(info.family)}, {len(raw)} bytes:")
    print(raw.hex())
    return 0
