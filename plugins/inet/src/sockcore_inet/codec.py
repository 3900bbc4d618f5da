"""AF_INET and AF_INET6 addresses: typed tuples and their sockaddr codecs.

``encode`` follows CPython's ``getsockaddrarg``: the same shape checks, the
same range errors, hosts converted like its ``idna_converter`` and resolved
like its ``setipaddr`` (numeric addresses by inet_pton, never by the
resolver; names by :func:`sockcore_inet.resolver.setipaddr`).  Encodings of
numeric addresses are cached per address tuple, decodings per sockaddr body.
"""

from __future__ import annotations

import struct
from typing import Any, NamedTuple

from sockcore.address import SocketInfo, caller_error, tuple_text

from . import resolver
from ._args import c_int, c_uint_mask, host_arg
from ._constants import AF_INET, AF_INET6

__all__ = ["IPv4Address", "IPv6Address", "Inet4Codec", "Inet6Codec", "decode_inet4", "decode_inet6"]

#: entries kept per cache before it is emptied
CACHE_LIMIT = 1024

_PORT = struct.Struct("!H")
_new_tuple = tuple.__new__  # a NamedTuple without its Python-level __new__
# sockaddr_in6 after sa_family: port (BE), flowinfo (BE), addr, scope_id (native)
_IN6 = struct.Struct("=" + "2s4s16sI")
_ZERO8 = bytes(8)
# an IPv4 host's text, octet by octet: four indexings and three joins cost less than an f-string
_OCTET_DOT = tuple(f"{octet}." for octet in range(256))
_OCTET = tuple(str(octet) for octet in range(256))


@tuple_text
class IPv4Address(NamedTuple):
    """An AF_INET address: ``(host, port)``, equal to the stdlib's tuple."""

    host: str
    port: int


@tuple_text
class IPv6Address(NamedTuple):
    """An AF_INET6 address: ``(host, port, flowinfo, scope_id)``, equal to the stdlib's tuple."""

    host: str
    port: int
    flowinfo: int = 0
    scope_id: int = 0


def _port(value: Any) -> int:
    """The port as C int; CPython reports a C-int overflow as the port range error."""
    try:
        return c_int(value)
    except OverflowError:
        raise caller_error(OverflowError("port must be 0-65535.")) from None


def _check_port(port: int) -> None:
    if not 0 <= port <= 0xFFFF:
        raise caller_error(OverflowError("port must be 0-65535."))


def _caller_checks(address: Any, family_name: str) -> None:
    if not isinstance(address, tuple):
        raise caller_error(TypeError(f"{family_name} address must be tuple, not {type(address).__name__}"))


def _all_int(address: tuple[Any, ...]) -> bool:
    """Every field after the host is exactly an int (so equal floats never share a cache entry)."""
    for value in address[1:]:  # noqa: SIM110 - all() over a generator costs a frame per call
        if type(value) is not int:
            return False
    return True


def decode_inet4(body: bytes) -> IPv4Address:
    """A sockaddr_in body (after sa_family) as ``(host, port)``."""
    if len(body) < 6:
        body = bytes(body) + bytes(6 - len(body))
    return IPv4Address(_OCTET_DOT[body[2]] + _OCTET_DOT[body[3]] + _OCTET_DOT[body[4]] + _OCTET[body[5]], (body[0] << 8) | body[1])


def decode_inet6(body: bytes) -> IPv6Address:
    """A sockaddr_in6 body (after sa_family) as ``(host, port, flowinfo, scope_id)``."""
    if len(body) < 26:
        body = bytes(body) + bytes(26 - len(body))
    port, flowinfo, packed, scope_id = _IN6.unpack_from(body)
    from .convert import ntop6

    return IPv6Address(ntop6(packed), _PORT.unpack(port)[0], int.from_bytes(flowinfo, "big"), scope_id)


class Inet4Codec:
    """``(host, port)`` <-> sockaddr_in."""

    family = AF_INET
    proto: int | None = None

    def __init__(self) -> None:
        self._encoded: dict[Any, bytes] = {}
        self._decoded: dict[bytes, IPv4Address] = {}
        self._hosts: dict[bytes, str] = {}

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        try:
            body = self._encoded[address]
            # 1.0 == 1: a float port finds an int port's entry and must still fail
            if type(address[1]) is int:
                return body
        except (KeyError, TypeError, ValueError):  # ValueError: a writable memoryview does not hash
            pass
        _caller_checks(address, "AF_INET")
        if len(address) != 2:
            raise TypeError("AF_INET address must be a pair (host, port)")
        host, port_value = address
        name = host_arg(host)
        port = _port(port_value)
        packed, numeric = resolver.setipaddr(name, AF_INET)
        _check_port(port)
        body = _PORT.pack(port) + packed + _ZERO8
        # Only numeric hosts of exact types are cached: names must be resolved
        # every time, and 1.0 == 1 must not find the encoding of an int port.
        if numeric and type(host) is str and type(port_value) is int:
            if len(self._encoded) >= CACHE_LIMIT:
                self._encoded.clear()
            self._encoded[address] = body
        return body

    def stable(self, address: Any) -> bool:
        """What encode cached: a numeric host in a tuple of exact str and int (names resolve anew)."""
        return (
            address.__class__ in _V4_TUPLES and len(address) == 2
            and type(address[0]) is str and type(address[1]) is int
            and address in self._encoded
        )

    def decode(self, body: bytes, sock: SocketInfo) -> IPv4Address:
        address = self._decoded.get(body)
        if address is None:
            if len(body) >= 6:  # decode_inet4, inlined: every accepted connection has a new port
                packed = body[2:6]
                host = self._hosts.get(packed)  # but seldom a new host
                if host is None:
                    host = self._hosts[packed] = _OCTET_DOT[body[2]] + _OCTET_DOT[body[3]] + _OCTET_DOT[body[4]] + _OCTET[body[5]]
                address = _new_tuple(IPv4Address, (host, (body[0] << 8) | body[1]))
            else:
                address = decode_inet4(body)
            if len(self._decoded) >= CACHE_LIMIT:
                self._decoded.clear()
                self._hosts.clear()  # it grows no faster than _decoded: bounded with it
            self._decoded[bytes(body)] = address
        return address


class Inet6Codec:
    """``(host, port[, flowinfo[, scope_id]])`` <-> sockaddr_in6."""

    family = AF_INET6
    proto: int | None = None

    def __init__(self) -> None:
        self._encoded: dict[Any, bytes] = {}
        self._decoded: dict[bytes, IPv6Address] = {}

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        try:
            body = self._encoded[address]
            if _all_int(address):
                return body
        except (KeyError, TypeError, ValueError):  # ValueError: a writable memoryview does not hash
            pass
        _caller_checks(address, "AF_INET6")
        if not 2 <= len(address) <= 4:
            raise TypeError("AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])")
        host, port_value = address[0], address[1]
        name = host_arg(host)
        port = _port(port_value)
        flowinfo = c_uint_mask(address[2]) if len(address) > 2 else 0
        scope_id = c_uint_mask(address[3]) if len(address) > 3 else 0
        packed, numeric = resolver.setipaddr(name, AF_INET6)
        _check_port(port)
        if flowinfo > 0xFFFFF:
            raise caller_error(OverflowError("flowinfo must be 0-1048575."))
        body = _IN6.pack(_PORT.pack(port), flowinfo.to_bytes(4, "big"), packed, scope_id)
        if numeric and type(host) is str and _all_int(address):
            if len(self._encoded) >= CACHE_LIMIT:
                self._encoded.clear()
            self._encoded[address] = body
        return body

    def stable(self, address: Any) -> bool:
        """What encode cached: a numeric host in a tuple of exact str and ints (names resolve anew)."""
        return (
            address.__class__ in _V6_TUPLES and len(address) >= 2
            and type(address[0]) is str and _all_int(address)
            and address in self._encoded
        )

    def decode(self, body: bytes, sock: SocketInfo) -> IPv6Address:
        address = self._decoded.get(body)
        if address is None:
            address = decode_inet6(body)
            if len(self._decoded) >= CACHE_LIMIT:
                self._decoded.clear()
            self._decoded[bytes(body)] = address
        return address


_V4_TUPLES = (tuple, IPv4Address)
_V6_TUPLES = (tuple, IPv6Address)
INET4_CODEC = Inet4Codec()
INET6_CODEC = Inet6Codec()
