"""URI schemes for the ``sockcore`` command: ``unix:PATH`` and ``unix-abstract:NAME``.

Forms::

    unix:/run/app.sock                 a path (relative paths are relative to the cwd)
    unix:///run/app.sock               the same path (an empty authority is allowed)
    unix:/tmp/s?type=dgram             the socket type: stream (default), dgram, seqpacket
    unix-abstract:myname               the abstract name b"\\0myname"
    unix-abstract:                     autobind: the kernel picks an abstract name

``PATH`` and ``NAME`` are percent-decoded (write ``?`` as ``%3F``, a NUL in an
abstract name as ``%00``); the path's bytes are decoded like file names.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, unquote_to_bytes

from sockcore.plugin import CORE_CONSTANTS as _CORE
from sockcore.records import UriScheme, UriTarget

from ._constants import AF_UNIX
from .codec import encode_address

__all__ = ["UNIX_ABSTRACT_SCHEME", "UNIX_SCHEME", "parse_unix", "parse_unix_abstract"]

#: the ``type=`` values a URI may name
SOCKET_TYPES = {
    "stream": _CORE["SOCK_STREAM"],
    "dgram": _CORE["SOCK_DGRAM"],
    "seqpacket": _CORE["SOCK_SEQPACKET"],
}


def _split(uri: str, scheme: str) -> tuple[str, int]:
    """The part after ``scheme:`` (query removed) and the socket type the query names."""
    prefix = scheme + ":"
    if not uri.startswith(prefix):
        raise ValueError(f"not a {scheme}: URI: {uri!r}")
    rest, _, query = uri[len(prefix):].partition("?")
    kind = SOCKET_TYPES["stream"]
    for key, value in parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)):
        if key != "type":
            raise ValueError(f"unknown query parameter {key!r} in {uri!r}; only type= is understood")
        if value not in SOCKET_TYPES:
            raise ValueError(f"unknown socket type {value!r} in {uri!r}; use one of {', '.join(SOCKET_TYPES)}")
        kind = SOCKET_TYPES[value]
    return rest, kind


def _checked(address: str | bytes, uri: str) -> str | bytes:
    try:
        encode_address(address)
    except OSError as exc:
        raise ValueError(f"{exc}: {uri!r}") from None
    return address


def parse_unix(uri: str) -> UriTarget:
    """``unix:PATH[?type=...]`` -> the target with the path as a ``str``."""
    rest, kind = _split(uri, "unix")
    if rest.startswith("//"):
        if not rest.startswith("///"):
            raise ValueError(f"a unix: URI has no host: write unix:/path or unix:///path, not {uri!r}")
        rest = rest[2:]
    path = os.fsdecode(unquote_to_bytes(rest))
    if not path:
        raise ValueError(f"a unix: URI needs a path: {uri!r}")
    if path.startswith("\0"):
        raise ValueError(f"a path cannot start with NUL; use unix-abstract:NAME: {uri!r}")
    return UriTarget(AF_UNIX, kind, 0, _checked(path, uri))


def parse_unix_abstract(uri: str) -> UriTarget:
    """``unix-abstract:NAME[?type=...]`` -> the target with ``b"\\0" + NAME`` (empty NAME: autobind)."""
    rest, kind = _split(uri, "unix-abstract")
    name = unquote_to_bytes(rest)
    address: str | bytes = b"\0" + name if name else ""
    return UriTarget(AF_UNIX, kind, 0, _checked(address, uri))


UNIX_SCHEME = UriScheme(
    "unix", parse_unix, example="unix:/run/app.sock?type=dgram",
    doc="an AF_UNIX socket at a file-system path; ?type=stream|dgram|seqpacket (default stream)",
)
UNIX_ABSTRACT_SCHEME = UriScheme(
    "unix-abstract", parse_unix_abstract, example="unix-abstract:myapp",
    doc="an AF_UNIX socket in Linux's abstract namespace (no file); an empty name autobinds",
)
