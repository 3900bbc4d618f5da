"""Name resolution: getaddrinfo, getnameinfo, gethostby*, getfqdn, getproto*/getserv*.

Each function parses its arguments as CPython's ``socketmodule.c`` does,
calls the reentrant C function through :mod:`sockcore_inet.libc`, and
raises the stdlib's exceptions: :class:`~sockcore.gaierror` with the
EAI_* code and ``gai_strerror``, :class:`~sockcore.herror` with
``h_errno`` and ``hstrerror``, OSError for "not found" answers.

:func:`setipaddr` is the resolver of the address codecs: numeric hosts take
inet_pton and never reach getaddrinfo.
"""

from __future__ import annotations

import builtins
import errno
import sys
from typing import Any

from sockcore.libc import gethostname, raise_errno
from sockcore.plugin import AF_UNSPEC, SOCK_DGRAM, gaierror, herror

from . import libc
from ._args import c_int, c_long, c_uint_mask, encoded_arg, str_arg
from ._constants import AF_INET, AF_INET6, AI_ADDRCONFIG, AI_NUMERICHOST, AI_PASSIVE
from .convert import ntop4, ntop6, pton4, pton6

_PORT_AS_TEXT = sys.version_info >= (3, 12)  # no OverflowError for an int port beyond a C long

__all__ = [
    "getaddrinfo",
    "getfqdn",
    "gethostbyaddr",
    "gethostbyname",
    "gethostbyname_ex",
    "getnameinfo",
    "getprotobyname",
    "getservbyname",
    "getservbyport",
    "setipaddr",
]

_BROADCAST = (b"255.255.255.255", b"<broadcast>")
_PACKED_AT = {AF_INET: (4, 8), AF_INET6: (8, 24)}  # where the address sits in a whole sockaddr


def _gai(call: Any, *args: Any) -> Any:
    """Call a libc wrapper, turning an EAI_* failure into gaierror."""
    try:
        return call(*args)
    except libc.GaiError as exc:
        raise gaierror(exc.code, libc.gai_strerror(exc.code)) from None


def _packed(sockaddr: bytes) -> tuple[int, bytes]:
    family = int.from_bytes(sockaddr[:2], sys.byteorder)
    where = _PACKED_AT.get(family)
    if where is None:
        raise OSError("unknown address family")
    return family, sockaddr[where[0] : where[1]]


def setipaddr(name: bytes, family: int) -> tuple[bytes, bool]:
    """Resolve a host for an address of ``family``: ``(packed address, numeric?)``.

    CPython's ``setipaddr``: ``b""`` is the wildcard, ``<broadcast>`` is
    INADDR_BROADCAST, a numeric address is converted by inet_pton, anything
    else goes through getaddrinfo and its first answer is used.
    """
    return _setipaddr(name, family)[1:]


def _setipaddr(name: bytes, family: int) -> tuple[int, bytes, bool]:
    if not name:
        answers = _gai(libc.getaddrinfo, None, b"0", family, SOCK_DGRAM, 0, AI_PASSIVE)
        if len(answers) > 1:
            raise OSError("wildcard resolved to multiple address")
        return (*_packed(answers[0][4]), True)
    if name in _BROADCAST:
        if family not in (AF_INET, AF_UNSPEC):
            raise OSError("address family mismatched")
        return AF_INET, b"\xff\xff\xff\xff", True
    if family in (AF_INET, AF_UNSPEC):
        packed = pton4(name)
        if packed is not None:
            return AF_INET, packed, True
    if family in (AF_INET6, AF_UNSPEC) and b"%" not in name:
        packed = pton6(name)
        if packed is not None:
            return AF_INET6, packed, True
    answers = _gai(libc.getaddrinfo, name, None, family, 0, 0, 0)
    return (*_packed(answers[0][4]), False)


# -------------------------------------------------------------------------
# getaddrinfo / getnameinfo
# -------------------------------------------------------------------------

_enum_cache: tuple[object, Any, Any] | None = None


def _enums() -> tuple[Any, Any]:
    """The AddressFamily and SocketKind enums, looked up at call time (plugins may change)."""
    global _enum_cache
    import sockcore
    from sockcore import registry

    tables = registry.tables()
    cached = _enum_cache
    if cached is not None and cached[0] is tables:
        return cached[1], cached[2]
    family_enum = tables.enums.get("AddressFamily")
    kind_enum = getattr(sockcore, "SocketKind", None)
    _enum_cache = (tables, family_enum, kind_enum)
    return family_enum, kind_enum


def _to_enum(value: int, enum_type: Any) -> Any:
    if enum_type is None:
        return value
    try:
        return enum_type(value)
    except ValueError:
        return value


def _make_address(sockaddr: bytes) -> Any:
    """The Python address of a whole sockaddr from the resolver (CPython's makesockaddr)."""
    from .codec import decode_inet4, decode_inet6

    family = int.from_bytes(sockaddr[:2], sys.byteorder)
    if family == AF_INET:
        return decode_inet4(sockaddr[2:])
    if family == AF_INET6:
        return decode_inet6(sockaddr[2:])
    return family, sockaddr[2:]


def getaddrinfo(
    host: str | bytes | None,
    port: str | bytes | int | None,
    family: int = 0,
    type: int = 0,
    proto: int = 0,
    flags: int = 0,
) -> list[tuple[Any, Any, int, str, Any]]:
    """Translate ``host``/``port`` into ``(family, type, proto, canonname, sockaddr)`` tuples."""
    key = (host, port, family, type, proto, flags)
    cached = _numeric_answers.get(key) if _cacheable_types(key) else None
    if cached is not None and cached[0] is registry_tables():
        sys.audit("socket.getaddrinfo", host, port, family, type, proto, flags)
        return list(cached[1])
    family, type, proto, flags = c_int(family), c_int(type), c_int(proto), c_int(flags)
    sys.audit("socket.getaddrinfo", host, port, family, type, proto, flags)
    node: bytes | None
    if host is None:
        node = None
    elif isinstance(host, str):
        node = host.encode("idna")
    elif isinstance(host, bytes):
        node = host
    else:
        raise TypeError("getaddrinfo() argument 1 must be string or None")
    service: bytes | None
    if builtins.type(port) is int:
        # 3.12 passes any int as its decimal text and lets the C library judge the range
        service = b"%d" % (port if _PORT_AS_TEXT else c_long(port))
    elif isinstance(port, str):
        service = port.encode("utf-8")
    elif isinstance(port, bytes):
        service = port
    elif port is None:
        service = None
    else:
        raise OSError("Int or String expected")
    # C strings end at the first NUL, as they do for the stdlib.
    if node is not None and b"\0" in node:
        node = node.split(b"\0", 1)[0]
    if service is not None and b"\0" in service:
        service = service.split(b"\0", 1)[0]
    answers = _gai(libc.getaddrinfo, node, service, family, type, proto, flags)
    family_enum, kind_enum = _enums()
    result = [
        (
            _to_enum(fam, family_enum),
            _to_enum(kind, kind_enum),
            protocol,
            canon.decode("utf-8") if canon else "",
            _make_address(sockaddr),
        )
        for fam, kind, protocol, canon, sockaddr in answers
    ]
    if _cacheable_types(key) and not flags & AI_ADDRCONFIG and node is not None and _is_numeric(node):
        if len(_numeric_answers) >= _CACHE_LIMIT:
            _numeric_answers.clear()
        _numeric_answers[key] = (registry_tables(), tuple(result))
    return result


# The answers for a numeric host and port depend on nothing but the arguments
# (AI_ADDRCONFIG aside, which looks at the interfaces): they are kept, so a
# program that calls getaddrinfo("127.0.0.1", 80) in a loop pays one dict lookup.
_CACHE_LIMIT = 1024
_numeric_answers: dict[tuple[Any, ...], tuple[object, tuple[Any, ...]]] = {}


def registry_tables() -> object:
    from sockcore import registry

    return registry.tables()


def _cacheable_types(key: tuple[Any, ...]) -> bool:
    # exact types only: 2.0 == 2 must not find the answer for an int argument
    host, port, family, kind, proto, flags = key
    return (
        builtins.type(host) is str and builtins.type(port) is int
        and isinstance(family, int) and isinstance(kind, int) and isinstance(proto, int) and isinstance(flags, int)
    )


def _is_numeric(node: bytes) -> bool:
    return pton4(node) is not None or (b"%" not in node and pton6(node) is not None)



def getnameinfo(sockaddr: tuple[Any, ...], flags: int, /) -> tuple[str, str]:
    """Translate a socket address into a ``(host, port)`` pair of strings."""
    flags = c_int(flags)
    if not isinstance(sockaddr, tuple):
        raise TypeError("getnameinfo() argument 1 must be a tuple")
    if not 2 <= len(sockaddr) <= 4 or not isinstance(sockaddr[0], str):
        raise TypeError("getnameinfo(): illegal sockaddr argument")
    host = str_arg("getnameinfo", 1, sockaddr[0])
    port = c_int(sockaddr[1])
    flowinfo = c_uint_mask(sockaddr[2]) if len(sockaddr) > 2 else 0
    scope_id = c_uint_mask(sockaddr[3]) if len(sockaddr) > 3 else 0
    sys.audit("socket.getnameinfo", sockaddr)
    if flowinfo > 0xFFFFF:
        raise OverflowError("getnameinfo(): flowinfo must be 0-1048575.")
    answers = _gai(libc.getaddrinfo, host, b"%d" % port, AF_UNSPEC, SOCK_DGRAM, 0, AI_NUMERICHOST)
    if len(answers) > 1:
        raise OSError("sockaddr resolved to multiple addresses")
    raw = answers[0][4]
    family = answers[0][0]
    if family == AF_INET:
        if len(sockaddr) != 2:
            raise OSError("IPv4 sockaddr must be 2 tuple")
    elif family == AF_INET6:
        # sin6_flowinfo (big-endian) at 4, sin6_scope_id (native) at 24
        raw = raw[:4] + flowinfo.to_bytes(4, "big") + raw[8:24] + scope_id.to_bytes(4, sys.byteorder) + raw[28:]
    name, service = _gai(libc.getnameinfo, raw, flags)
    return name.decode("utf-8"), service.decode("utf-8")


# -------------------------------------------------------------------------
# gethostby*
# -------------------------------------------------------------------------


def _host_common(result: libc.HostResult | int, family: int) -> tuple[str, list[str], list[str]]:
    if isinstance(result, int):
        raise herror(result, libc.hstrerror(result))
    name, aliases, addrtype, packed = result
    if addrtype != family:
        raise_errno(errno.EAFNOSUPPORT)
    to_text = ntop4 if family == AF_INET else ntop6
    return name.decode("utf-8"), [a.decode("utf-8") for a in aliases], [to_text(p) for p in packed]


def gethostbyname(hostname: str | bytes | bytearray, /) -> str:
    """The IPv4 address of ``hostname`` as a string."""
    name = encoded_arg("gethostbyname", 1, hostname)
    sys.audit("socket.gethostbyname", hostname)
    _family, packed, _numeric = _setipaddr(name, AF_INET)
    return ntop4(packed)


def gethostbyname_ex(hostname: str | bytes | bytearray, /) -> tuple[str, list[str], list[str]]:
    """``(hostname, aliaslist, ipaddrlist)`` of ``hostname`` (IPv4 only)."""
    name = encoded_arg("gethostbyname_ex", 1, hostname)
    sys.audit("socket.gethostbyname", hostname)
    _setipaddr(name, AF_INET)
    return _host_common(libc.gethostbyname_r(name), AF_INET)


def gethostbyaddr(ip_address: str | bytes | bytearray, /) -> tuple[str, list[str], list[str]]:
    """``(hostname, aliaslist, ipaddrlist)`` of an address (or of a name, resolved first)."""
    name = encoded_arg("gethostbyaddr", 1, ip_address)
    sys.audit("socket.gethostbyaddr", ip_address)
    family, packed, _numeric = _setipaddr(name, AF_UNSPEC)
    return _host_common(libc.gethostbyaddr_r(packed, family), family)


def getfqdn(name: str = "") -> str:
    """A fully qualified domain name for ``name`` (the local host when empty)."""
    name = name.strip()
    if not name or name in ("0.0.0.0", "::"):
        name = gethostname()
    try:
        hostname, aliases, _addresses = gethostbyaddr(name)
    except OSError:
        return name
    aliases.insert(0, hostname)
    for alias in aliases:
        if "." in alias:
            return alias
    return hostname


# -------------------------------------------------------------------------
# /etc/protocols and /etc/services
# -------------------------------------------------------------------------


def getprotobyname(protocolname: str, /) -> int:
    """The number of an IP protocol (``"tcp"`` -> 6)."""
    number = libc.getprotobyname_r(str_arg("getprotobyname", 1, protocolname))
    if number is None:
        raise OSError("protocol not found")
    return number


#: an omitted protocol name (an explicit None is a TypeError, as in the stdlib)
_ANY_PROTOCOL: Any = object()


def getservbyname(servicename: str, protocolname: str = _ANY_PROTOCOL, /) -> int:
    """The port of a service (``"http"`` -> 80), optionally for one protocol."""
    name = str_arg("getservbyname", 1, servicename)
    proto = None if protocolname is _ANY_PROTOCOL else str_arg("getservbyname", 2, protocolname)
    sys.audit("socket.getservbyname", servicename, None if proto is None else protocolname)
    port = libc.getservbyname_r(name, proto)
    if port is None:
        raise OSError("service/proto not found")
    return port


def getservbyport(port: int, protocolname: str = _ANY_PROTOCOL, /) -> str:
    """The service name of a port (80 -> ``"http"``), optionally for one protocol."""
    number = c_int(port)
    proto = None if protocolname is _ANY_PROTOCOL else str_arg("getservbyport", 2, protocolname)
    sys.audit("socket.getservbyport", number, None if proto is None else protocolname)
    if not 0 <= number <= 0xFFFF:
        raise OverflowError("getservbyport: port must be 0-65535.")
    network_order = int.from_bytes(number.to_bytes(2, "big"), sys.byteorder)
    name = libc.getservbyport_r(network_order, proto)
    if name is None:
        raise OSError("port/proto not found")
    return name.decode("utf-8")
