"""The resolver and address-conversion calls of the C library, through ctypes.

The only module of sockcore-inet that uses ctypes.  It reuses the core's
library handle (:data:`sockcore.libc.LIBC`) and uses the reentrant ``*_r``
variants of the netdb calls, so no lock is needed around them.  Every wrapper
takes and returns plain bytes and ints; argument parsing and the stdlib's
exceptions live in :mod:`sockcore_inet.resolver`.
"""

from __future__ import annotations

import ctypes
import errno
import sys
from typing import Any

from sockcore.libc import LIBC, raise_errno

__all__ = [
    "EAI_SYSTEM",
    "AddrInfo",
    "HostEnt",
    "gai_strerror",
    "getaddrinfo",
    "gethostbyaddr_r",
    "gethostbyname_r",
    "getnameinfo",
    "getprotobyname_r",
    "getservbyname_r",
    "getservbyport_r",
    "hstrerror",
    "inet_aton",
    "inet_ntop",
    "inet_pton",
]

c_int = ctypes.c_int
c_uint = ctypes.c_uint
c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p
c_size_t = ctypes.c_size_t
POINTER = ctypes.POINTER

#: glibc's "look at errno" code (netdb.h); the generated table has it too,
#: but the wrappers must not depend on the constants module.
EAI_SYSTEM = -11
NI_MAXHOST = 1025
NI_MAXSERV = 32


class AddrInfo(ctypes.Structure):
    pass


AddrInfo._fields_ = [
    ("ai_flags", c_int),
    ("ai_family", c_int),
    ("ai_socktype", c_int),
    ("ai_protocol", c_int),
    ("ai_addrlen", c_uint),
    ("ai_addr", c_void_p),
    ("ai_canonname", c_char_p),
    ("ai_next", POINTER(AddrInfo)),
]


class HostEnt(ctypes.Structure):
    _fields_ = [
        ("h_name", c_char_p),
        ("h_aliases", POINTER(c_char_p)),
        ("h_addrtype", c_int),
        ("h_length", c_int),
        ("h_addr_list", POINTER(c_void_p)),
    ]


class ProtoEnt(ctypes.Structure):
    _fields_ = [("p_name", c_char_p), ("p_aliases", POINTER(c_char_p)), ("p_proto", c_int)]


class ServEnt(ctypes.Structure):
    _fields_ = [
        ("s_name", c_char_p),
        ("s_aliases", POINTER(c_char_p)),
        ("s_port", c_int),
        ("s_proto", c_char_p),
    ]


def _proto(name: str, restype: Any, *argtypes: Any) -> Any:
    function = getattr(LIBC, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


# The pointer types, made once: ctypes._reset_cache() (which some programs call)
# makes POINTER() return new types that the prototypes below would refuse.
_AddrInfoPointer = POINTER(AddrInfo)
_HostEntPointer = POINTER(HostEnt)
_ProtoEntPointer = POINTER(ProtoEnt)
_ServEntPointer = POINTER(ServEnt)

_getaddrinfo = _proto("getaddrinfo", c_int, c_char_p, c_char_p, _AddrInfoPointer, POINTER(_AddrInfoPointer))
_freeaddrinfo = _proto("freeaddrinfo", None, _AddrInfoPointer)
_gai_strerror = _proto("gai_strerror", c_char_p, c_int)
_getnameinfo = _proto(
    "getnameinfo", c_int, c_char_p, c_uint, c_char_p, c_uint, c_char_p, c_uint, c_int
)
_gethostbyname_r = _proto(
    "gethostbyname_r", c_int, c_char_p, _HostEntPointer, c_char_p, c_size_t,
    POINTER(_HostEntPointer), POINTER(c_int),
)
_gethostbyaddr_r = _proto(
    "gethostbyaddr_r", c_int, c_char_p, c_uint, c_int, _HostEntPointer, c_char_p, c_size_t,
    POINTER(_HostEntPointer), POINTER(c_int),
)
_hstrerror = _proto("hstrerror", c_char_p, c_int)
_getprotobyname_r = _proto(
    "getprotobyname_r", c_int, c_char_p, _ProtoEntPointer, c_char_p, c_size_t, POINTER(_ProtoEntPointer)
)
_getservbyname_r = _proto(
    "getservbyname_r", c_int, c_char_p, c_char_p, _ServEntPointer, c_char_p, c_size_t,
    POINTER(_ServEntPointer),
)
_getservbyport_r = _proto(
    "getservbyport_r", c_int, c_int, c_char_p, _ServEntPointer, c_char_p, c_size_t,
    POINTER(_ServEntPointer),
)
# The converters are hot: no argtypes (cheaper), callers pass bytes and buffers.
_inet_aton = LIBC.inet_aton
_inet_pton = LIBC.inet_pton
_inet_ntop = LIBC.inet_ntop
_inet_ntop.restype = c_void_p

#: scratch sizes for the *_r calls; doubled on ERANGE
_START_BUFFER = 16384
_MAX_BUFFER = 1 << 24


class GaiError(Exception):
    """A getaddrinfo()/getnameinfo() failure: ``code`` is the EAI_* value."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def gai_strerror(code: int) -> str:
    message: bytes | None = _gai_strerror(code)
    return (message or b"Unknown error").decode("utf-8", "replace")


def hstrerror(code: int) -> str:
    message: bytes | None = _hstrerror(code)
    return (message or b"Unknown resolver error").decode("utf-8", "replace")


def _check_gai(code: int) -> None:
    if code == 0:
        return
    if code == EAI_SYSTEM:
        raise_errno()
    raise GaiError(code)


def getaddrinfo(
    node: bytes | None, service: bytes | None, family: int, socktype: int, proto: int, flags: int
) -> list[tuple[int, int, int, bytes | None, bytes]]:
    """getaddrinfo(3): ``[(family, socktype, proto, canonname, whole sockaddr)]``."""
    hints = AddrInfo()
    hints.ai_flags = flags
    hints.ai_family = family
    hints.ai_socktype = socktype
    hints.ai_protocol = proto
    res = _AddrInfoPointer()
    ctypes.set_errno(0)
    _check_gai(_getaddrinfo(node, service, ctypes.byref(hints), ctypes.byref(res)))
    out = []
    try:
        node_ptr = res
        while node_ptr:
            ai = node_ptr.contents
            addr = ctypes.string_at(ai.ai_addr, ai.ai_addrlen) if ai.ai_addr else b""
            out.append((ai.ai_family, ai.ai_socktype, ai.ai_protocol, ai.ai_canonname, addr))
            node_ptr = ai.ai_next
    finally:
        _freeaddrinfo(res)
    return out


def getnameinfo(sockaddr: bytes, flags: int) -> tuple[bytes, bytes]:
    """getnameinfo(3) on a whole sockaddr: ``(host, service)``."""
    host = ctypes.create_string_buffer(NI_MAXHOST)
    serv = ctypes.create_string_buffer(NI_MAXSERV)
    ctypes.set_errno(0)
    _check_gai(_getnameinfo(sockaddr, len(sockaddr), host, NI_MAXHOST, serv, NI_MAXSERV, flags))
    return host.value, serv.value


def _strings(array: Any) -> list[bytes]:
    out: list[bytes] = []
    if not array:
        return out
    i = 0
    while array[i] is not None:
        out.append(array[i])
        i += 1
    return out


def _hostent(h: HostEnt) -> tuple[bytes, list[bytes], int, list[bytes]]:
    addrs = []
    i = 0
    while h.h_addr_list[i]:
        addrs.append(ctypes.string_at(h.h_addr_list[i], h.h_length))
        i += 1
    return h.h_name or b"", _strings(h.h_aliases), h.h_addrtype, addrs


HostResult = tuple[bytes, list[bytes], int, list[bytes]]


def gethostbyname_r(name: bytes) -> HostResult | int:
    """gethostbyname_r(3): ``(name, aliases, addrtype, packed addresses)`` or the h_errno."""
    size = _START_BUFFER
    while True:
        ent, result, herr = HostEnt(), _HostEntPointer(), c_int(0)
        buf = ctypes.create_string_buffer(size)
        rc = _gethostbyname_r(name, ctypes.byref(ent), buf, size, ctypes.byref(result), ctypes.byref(herr))
        if rc == errno.ERANGE and size < _MAX_BUFFER:
            size *= 2
            continue
        if not result:
            return herr.value
        return _hostent(ent)


def gethostbyaddr_r(packed: bytes, family: int) -> HostResult | int:
    """gethostbyaddr_r(3): like :func:`gethostbyname_r`, from a packed address."""
    size = _START_BUFFER
    while True:
        ent, result, herr = HostEnt(), _HostEntPointer(), c_int(0)
        buf = ctypes.create_string_buffer(size)
        rc = _gethostbyaddr_r(
            packed, len(packed), family, ctypes.byref(ent), buf, size, ctypes.byref(result), ctypes.byref(herr)
        )
        if rc == errno.ERANGE and size < _MAX_BUFFER:
            size *= 2
            continue
        if not result:
            return herr.value
        return _hostent(ent)


def getprotobyname_r(name: bytes) -> int | None:
    """The protocol number of ``name`` from /etc/protocols, or None."""
    size = 1024
    while True:
        ent, result = ProtoEnt(), _ProtoEntPointer()
        buf = ctypes.create_string_buffer(size)
        rc = _getprotobyname_r(name, ctypes.byref(ent), buf, size, ctypes.byref(result))
        if rc == errno.ERANGE and size < _MAX_BUFFER:
            size *= 2
            continue
        return int(ent.p_proto) if result else None


def _servent(call: Any, key: Any, proto: bytes | None) -> tuple[bytes, int] | None:
    """``(s_name, s_port as stored)``, read while the scratch buffer is alive."""
    size = 1024
    while True:
        ent, result = ServEnt(), _ServEntPointer()
        buf = ctypes.create_string_buffer(size)
        rc = call(key, proto, ctypes.byref(ent), buf, size, ctypes.byref(result))
        if rc == errno.ERANGE and size < _MAX_BUFFER:
            size *= 2
            continue
        return (ent.s_name or b"", int(ent.s_port)) if result else None


def getservbyname_r(name: bytes, proto: bytes | None) -> int | None:
    """The port (host order) of service ``name``, or None."""
    ent = _servent(_getservbyname_r, name, proto)
    return None if ent is None else int.from_bytes((ent[1] & 0xFFFF).to_bytes(2, sys.byteorder), "big")


def getservbyport_r(port_network_order: int, proto: bytes | None) -> bytes | None:
    """The service name of a port given in network byte order, or None."""
    ent = _servent(_getservbyport_r, port_network_order, proto)
    return None if ent is None else ent[0]


def inet_aton(text: bytes) -> bytes | None:
    """inet_aton(3): the packed address, or None when libc rejects ``text``."""
    buf = ctypes.create_string_buffer(4)
    if _inet_aton(text, buf) == 0:
        return None
    return buf.raw


def inet_pton(family: int, text: bytes, size: int) -> bytes | None:
    """inet_pton(3): ``size`` packed bytes, None for a malformed string, OSError for a bad family."""
    buf = ctypes.create_string_buffer(16)
    rc = _inet_pton(family, text, buf)
    if rc == 1:
        return buf.raw[:size]
    if rc == 0:
        return None
    raise_errno()


def inet_ntop(family: int, packed: bytes) -> str:
    """inet_ntop(3) of a packed address whose length the caller checked."""
    out = ctypes.create_string_buffer(64)
    if not _inet_ntop(family, packed, out, 64):
        raise_errno()
    return out.value.decode("ascii")
