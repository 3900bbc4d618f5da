"""The AF_UNIX address codec: ``struct sockaddr_un`` bodies, exactly as CPython builds them.

Addresses (unix(7)):

* a path, ``str`` or any bytes-like object: ``str`` is encoded with the
  filesystem encoding and ``surrogateescape`` (PEP 383), so every name the
  file system returns round-trips.  The kernel stops at the first NUL, as it
  does for the stdlib (which passes embedded NULs through unchanged).
* an abstract name (Linux): bytes (or str) whose first byte is NUL; every
  byte counts, none is added.
* ``""`` / ``b""``: autobind, the kernel picks a unique abstract name.

Addresses come back as the stdlib returns them: ``str`` for a path (``""``
for an unnamed socket), ``bytes`` for an abstract name.
"""

from __future__ import annotations

import os
from typing import Any

from sockcore.address import SocketInfo, type_name

from ._constants import AF_UNIX, UNIX_PATH_MAX

__all__ = ["UNIX_CODEC", "UnixAddressCodec", "decode_address", "encode_address", "path_bytes"]

#: entries kept per cache before it is emptied: enough for any real program's
#: set of peers, small enough that a stream of unique names costs nothing.
_CACHE_LIMIT = 256


def path_bytes(address: Any) -> bytes:
    """The raw bytes of an address, or the stdlib's TypeError/UnicodeEncodeError/BufferError."""
    if isinstance(address, str):
        return os.fsencode(address)
    try:
        view = memoryview(address)
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type_name(address)}'") from None
    with view:
        if not view.c_contiguous:
            raise BufferError("memoryview: underlying buffer is not C-contiguous")
        return view.tobytes()


def encode_address(address: Any) -> bytes:
    """The ``sockaddr_un`` body (``sun_path`` and no more) for ``address``.

    A path gets its terminating NUL, as CPython adds it; an abstract name or
    the empty (autobind) address is sent as is.  Too long raises the stdlib's
    ``OSError("AF_UNIX path too long")``.
    """
    path = path_bytes(address)
    if not path or path[0] == 0:  # Linux abstract namespace, or autobind
        if len(path) > UNIX_PATH_MAX:
            raise OSError("AF_UNIX path too long")
        return path
    if len(path) >= UNIX_PATH_MAX:  # the NUL must fit too
        raise OSError("AF_UNIX path too long")
    return path + b"\0"


def decode_address(body: bytes) -> str | bytes:
    """The stdlib's address for a ``sun_path`` the kernel returned.

    An empty body (an unnamed socket) is ``""``; a leading NUL is an abstract
    name, returned whole as bytes; anything else is a path, cut at its first
    NUL and decoded like ``os.fsdecode``.
    """
    if body[:1] == b"\0":
        return bytes(body)
    end = body.find(b"\0")
    return os.fsdecode(bytes(body if end < 0 else body[:end]))


class UnixAddressCodec:
    """The :class:`~sockcore.address.AddressCodec` of AF_UNIX, for every protocol.

    Encodings of ``str`` and ``bytes`` addresses and decodings of kernel
    bodies are cached: a datagram server answers the same few peers again and
    again.  The two key types have separate caches because ``"a"`` and ``b"a"``
    hash alike.
    """

    family: int = AF_UNIX
    proto: int | None = None

    def __init__(self) -> None:
        self._str_cache: dict[str, bytes] = {}
        self._bytes_cache: dict[bytes, bytes] = {}
        self._decoded: dict[bytes, str | bytes] = {}

    def encode(self, address: Any, sock: SocketInfo | None = None) -> bytes:
        kind = type(address)
        if kind is str:
            cache: dict[Any, bytes] = self._str_cache
        elif kind is bytes:
            cache = self._bytes_cache
        else:
            return encode_address(address)
        body = cache.get(address)
        if body is None:
            body = encode_address(address)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[address] = body
        return body

    def stable(self, address: Any) -> bool:
        """str and bytes paths always encode alike; a bytearray or path-like object may change."""
        kind = type(address)
        return kind is str or kind is bytes

    def decode(self, body: bytes, sock: SocketInfo | None = None) -> str | bytes:
        if type(body) is not bytes:
            body = bytes(body)
        cache = self._decoded
        address = cache.get(body)
        if address is None:
            address = decode_address(body)
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[body] = address
        return address

    def __repr__(self) -> str:
        return "<UnixAddressCodec AF_UNIX>"


#: the codec instance the plugin registers
UNIX_CODEC = UnixAddressCodec()
