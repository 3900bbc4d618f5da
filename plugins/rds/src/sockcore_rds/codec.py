"""AF_RDS addresses: ``(host, port)`` <-> ``struct sockaddr_in``.

RDS sockets use the IPv4 ``sockaddr_in`` (the stdlib parses them with its
AF_INET code, and the kernel reports them with ``sa_family == AF_INET``), so
the rules are AF_INET's: ``''`` is INADDR_ANY, ``'<broadcast>'`` is
INADDR_BROADCAST, numeric addresses take a fast path, and other names go to
the inet plugin's resolver (``gethostbyname``) when sockcore-inet is installed.
Checks run in the stdlib's order, so the same bad address fails the same way.
"""

from __future__ import annotations

import operator
import struct
from typing import Any

from sockcore.address import SocketInfo, caller_error
from sockcore.plugin import INT_MAX as _INT_MAX

from ._constants import CONSTANTS
from .records import RdsAddress, RdsAddress6

__all__ = ["RdsAddressCodec", "decode_rds", "encode_rds", "parse_ipv4"]

AF_RDS = CONSTANTS.get("AF_RDS", 21)
_SIN = struct.Struct("!H4s8x")  # sin_port, sin_addr, sin_zero (network order)
_SIN6 = struct.Struct("!HI16sI")  # sin6_port, sin6_flowinfo, sin6_addr, sin6_scope_id (scope is host order; fixed below)
_EAI_NONAME = -2
_CACHE_MAX = 1024
_cache: dict[tuple[Any, Any], bytes] = {}


def parse_ipv4(text: str) -> bytes | None:
    """The 4 bytes of a dotted-quad address, exactly as inet_pton(AF_INET) accepts it, else None."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    out = bytearray()
    for part in parts:
        # inet_pton: 1-3 ASCII digits, no leading zero, at most 255
        if not (0 < len(part) <= 3 and part.isascii() and part.isdigit()) or (part[0] == "0" and len(part) > 1):
            return None
        value = int(part)
        if value > 255:
            return None
        out.append(value)
    return bytes(out)


def _host_text(host: Any) -> str:
    """The host as the stdlib's idna converter sees it, as text."""
    if isinstance(host, str):
        if host.isascii():
            text = host
        else:
            try:
                text = host.encode("idna").decode("ascii")
            except UnicodeError:
                raise TypeError("encoding of hostname failed") from None
    elif isinstance(host, (bytes, bytearray)):
        text = bytes(host).decode("latin-1")
    else:
        raise TypeError(f"str, bytes or bytearray expected, not {type(host).__name__}")
    if "\0" in text:
        raise TypeError("host name must not contain null character")
    return text


def _resolve(text: str) -> bytes:
    if text == "":
        return bytes(4)  # INADDR_ANY
    if text == "<broadcast>":
        return b"\xff\xff\xff\xff"  # INADDR_BROADCAST
    packed = parse_ipv4(text)
    if packed is not None:
        return packed
    from sockcore import registry
    from sockcore.plugin import gaierror

    gethostbyname = registry.tables().exports.get("gethostbyname")
    if gethostbyname is None:
        raise gaierror(
            _EAI_NONAME,
            f"cannot resolve host name {text!r}: name resolution is provided by sockcore-inet, "
            "which is not installed (pip install sockcore-inet); use a numeric address",
        )
    resolved = parse_ipv4(gethostbyname(text.encode("latin-1")))  # the host's own bytes, as the stdlib passes them
    if resolved is None:  # pragma: no cover - gethostbyname returns a dotted quad
        raise gaierror(_EAI_NONAME, f"cannot resolve host name {text!r}")
    return resolved


def encode_rds(address: Any) -> bytes:
    """The sockaddr_in body (without the family) for an RDS ``(host, port)``."""
    # the cache holds only (str, int) keys: 1.0 == 1, but a float port is a TypeError
    if type(address) is tuple and len(address) == 2 and type(address[0]) is str and type(address[1]) is int:
        cached = _cache.get(address)
        if cached is not None:
            return cached
    if not isinstance(address, tuple):
        # CPython parses RDS addresses as AF_INET ones, with the same messages
        raise caller_error(TypeError(f"AF_INET address must be tuple, not {type(address).__name__}"))
    if len(address) != 2:
        raise TypeError("AF_INET address must be a pair (host, port)")
    host, port = address
    text = _host_text(host)
    port = operator.index(port)  # the stdlib's TypeError for floats, str ...
    if not -_INT_MAX - 1 <= port <= _INT_MAX:
        raise caller_error(OverflowError("port must be 0-65535."))
    packed = _resolve(text)
    if not 0 <= port <= 0xFFFF:
        raise caller_error(OverflowError("port must be 0-65535."))
    body = _SIN.pack(port, packed)
    if type(host) is str and type(address[1]) is int and (text == "" or parse_ipv4(text) is not None):
        # only numeric hosts: a name may resolve differently later
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[address] = body
    return body


def decode_rds(body: bytes) -> RdsAddress | RdsAddress6:
    """The address in a sockaddr_in body (or a sockaddr_in6 one, by its length)."""
    if len(body) >= _SIN6.size:
        import ipaddress

        port, flowinfo, addr, _ = _SIN6.unpack_from(body)
        (scope_id,) = struct.unpack_from("=I", body, 22)
        return RdsAddress6(str(ipaddress.IPv6Address(addr)), port, flowinfo, scope_id)
    if len(body) < _SIN.size:
        body = bytes(body) + bytes(_SIN.size - len(body))
    port, addr = _SIN.unpack_from(body)
    return RdsAddress(".".join(map(str, addr)), port)


class RdsAddressCodec:
    """The AddressCodec of every AF_RDS socket.

    ``sa_family``: the kernel wants ``sin_family == AF_INET`` in the sockaddr
    of an AF_RDS socket (rds_bind / rds_sendmsg return EINVAL otherwise), and
    reports addresses with AF_INET too.  The core writes this number into the
    sockaddr header instead of the socket's family (see DESIGN.md, Addresses).
    """

    family = AF_RDS
    proto: int | None = None
    sa_family = 2  # AF_INET on Linux, the only platform with RDS

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        return encode_rds(address)

    def decode(self, body: bytes, sock: SocketInfo) -> RdsAddress | RdsAddress6:
        return decode_rds(body)
