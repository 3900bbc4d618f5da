"""inet_aton, inet_ntoa, inet_pton, inet_ntop: the C library's answers, cached.

Every answer comes from libc (so the odd forms inet_aton accepts, such as
``"127.1"`` or ``"0x7f.1"``, behave exactly as in C); the results of the
common calls are kept in small dicts so a repeated conversion is one lookup.
"""

from __future__ import annotations

import sys
from typing import Any

from . import libc
from ._args import c_int, str_arg

# 3.13's inet_aton is Argument Clinic's: its one argument has no number in the message
_ATON_POSITION = 0 if sys.version_info >= (3, 13) else 1

__all__ = ["inet_aton", "inet_ntoa", "inet_ntop", "inet_pton", "ntop4", "ntop6", "pton4", "pton6"]

_AF_INET = 2
_AF_INET6 = 10
#: packed length of each family inet_pton/inet_ntop know
_PACKED_SIZE = {_AF_INET: 4, _AF_INET6: 16}
#: entries kept per cache before it is emptied (a bound, not an LRU: cheap and enough)
CACHE_LIMIT = 4096

_pton_cache: dict[tuple[int, str], bytes] = {}
_ntop_cache: dict[tuple[int, bytes], str] = {}


def _bytes_like(value: Any) -> bytes:
    """The ``y*`` code: any contiguous buffer."""
    if isinstance(value, bytes):
        return value
    try:
        return memoryview(value).tobytes()
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'") from None


def inet_aton(ip_string: str, /) -> bytes:
    """Convert an IPv4 address in any form inet_aton(3) accepts to 4 packed bytes."""
    packed = libc.inet_aton(str_arg("inet_aton", _ATON_POSITION, ip_string))
    if packed is None:
        raise OSError("illegal IP address string passed to inet_aton")
    return packed


def inet_ntoa(packed_ip: Any, /) -> str:
    """Convert 4 packed bytes to dotted-quad notation."""
    data = _bytes_like(packed_ip)
    if len(data) != 4:
        raise OSError("packed IP wrong length for inet_ntoa")
    return ntop4(data)


def inet_pton(address_family: int, ip_string: str, /) -> bytes:
    """Convert an IP address string of ``address_family`` to its packed form."""
    if isinstance(address_family, int):
        try:
            return _pton_cache[address_family, ip_string]
        except (KeyError, TypeError, ValueError):  # ValueError: a writable memoryview does not hash
            pass
    family = c_int(address_family)
    text = str_arg("inet_pton", 2, ip_string)
    packed = libc.inet_pton(family, text, _PACKED_SIZE.get(family, 16))
    if packed is None:
        raise OSError("illegal IP address string passed to inet_pton")
    if type(ip_string) is str:
        if len(_pton_cache) >= CACHE_LIMIT:
            _pton_cache.clear()
        _pton_cache[family, ip_string] = packed
    return packed


def inet_ntop(address_family: int, packed_ip: Any, /) -> str:
    """Convert a packed address of ``address_family`` to its string form."""
    if isinstance(address_family, int) and type(packed_ip) is bytes:
        try:
            return _ntop_cache[address_family, packed_ip]
        except KeyError:
            pass
    family = c_int(address_family)
    data = _bytes_like(packed_ip)
    size = _PACKED_SIZE.get(family)
    if size is None:
        raise ValueError(f"unknown address family {family}")
    if len(data) != size:
        raise ValueError("invalid length of packed IP address string")
    text = ntop4(data) if size == 4 else ntop6(data)
    if len(_ntop_cache) >= CACHE_LIMIT:
        _ntop_cache.clear()
    _ntop_cache[family, data] = text
    return text


def ntop4(packed: bytes) -> str:
    """Dotted quad of 4 packed bytes (what inet_ntop(AF_INET) prints)."""
    return f"{packed[0]}.{packed[1]}.{packed[2]}.{packed[3]}"


def ntop6(packed: bytes) -> str:
    """inet_ntop(AF_INET6) of 16 packed bytes, cached."""
    key = (_AF_INET6, packed)
    text = _ntop_cache.get(key)
    if text is None:
        text = libc.inet_ntop(_AF_INET6, packed)
        if len(_ntop_cache) >= CACHE_LIMIT:
            _ntop_cache.clear()
        _ntop_cache[key] = text
    return text


def pton4(text: bytes) -> bytes | None:
    """inet_pton(AF_INET), or None: the numeric fast path of the address codecs."""
    return libc.inet_pton(_AF_INET, text, 4)


def pton6(text: bytes) -> bytes | None:
    """inet_pton(AF_INET6), or None."""
    return libc.inet_pton(_AF_INET6, text, 16)
