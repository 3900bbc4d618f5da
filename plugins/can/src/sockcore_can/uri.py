"""The ``can://`` URI scheme for the ``sockcore`` command.

Forms::

    can://vcan0                          CAN_RAW on vcan0 (SOCK_RAW)
    can://                               CAN_RAW on every interface
    can://vcan0?proto=bcm                CAN_BCM (SOCK_DGRAM), connected to vcan0
    can://vcan0?proto=isotp&rx=0x7e8&tx=0x7e0
    can://vcan0?proto=j1939&addr=0x20[&name=N][&pgn=P]

Numbers may be decimal or 0x-prefixed hexadecimal.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from sockcore.plugin import CORE_CONSTANTS as _CORE
from sockcore.records import UriScheme, UriTarget

from ._constants import (
    AF_CAN,
    CAN_BCM,
    CAN_ISOTP,
    CAN_J1939,
    CAN_RAW,
    J1939_NO_ADDR,
    J1939_NO_NAME,
    J1939_NO_PGN,
)
from .address import IFNAMSIZ, CanAddress, IsotpAddress, J1939Address

__all__ = ["CAN_SCHEME", "parse_can"]

#: proto= value -> (socket type, protocol, the query keys it takes)
PROTOCOLS = {
    "raw": (_CORE["SOCK_RAW"], CAN_RAW, set()),
    "bcm": (_CORE["SOCK_DGRAM"], CAN_BCM, set()),
    "isotp": (_CORE["SOCK_DGRAM"], CAN_ISOTP, {"rx", "tx"}),
    "j1939": (_CORE["SOCK_DGRAM"], CAN_J1939, {"name", "pgn", "addr"}),
}


def _number(text: str, key: str, uri: str) -> int:
    try:
        return int(text, 0)
    except ValueError:
        raise ValueError(f"{key}= must be a number, not {text!r}: {uri!r}") from None


def parse_can(uri: str) -> UriTarget:
    """The socket and address a ``can://`` URI names."""
    parts = urlsplit(uri)
    if parts.scheme != "can":
        raise ValueError(f"not a can:// URI: {uri!r}")
    interface = parts.netloc
    if len(interface.encode()) >= IFNAMSIZ:
        raise ValueError(f"interface name too long (max {IFNAMSIZ - 1} bytes): {uri!r}")
    if parts.path not in ("", "/"):
        raise ValueError(f"a can:// URI names an interface only, not a path: {uri!r}")
    query = dict(parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query)))
    proto_name = query.pop("proto", "raw")
    if proto_name not in PROTOCOLS:
        raise ValueError(f"unknown proto {proto_name!r} in {uri!r}; use one of {', '.join(PROTOCOLS)}")
    kind, proto, keys = PROTOCOLS[proto_name]
    unknown = set(query) - keys
    if unknown:
        raise ValueError(f"unknown query parameter(s) {', '.join(sorted(unknown))} for proto={proto_name}: {uri!r}")
    numbers = {key: _number(value, key, uri) for key, value in query.items()}
    address: CanAddress | IsotpAddress | J1939Address
    if proto == CAN_ISOTP:
        if not {"rx", "tx"} <= set(numbers):
            raise ValueError(f"proto=isotp needs rx= and tx=: {uri!r}")
        address = IsotpAddress(interface, numbers["rx"], numbers["tx"])
    elif proto == CAN_J1939:
        address = J1939Address(
            interface,
            numbers.get("name", J1939_NO_NAME),
            numbers.get("pgn", J1939_NO_PGN),
            numbers.get("addr", J1939_NO_ADDR),
        )
    else:
        address = CanAddress(interface)
    return UriTarget(AF_CAN, kind, proto, address)


CAN_SCHEME = UriScheme(
    "can",
    parse_can,
    example="can://vcan0",
    doc="a CAN interface; ?proto=raw (default), bcm, isotp&rx=&tx=, or j1939&addr=",
)
