"""``tcp://host:port`` and ``udp://host:port`` for the sockcore command (IPv6 hosts in brackets)."""

from __future__ import annotations

from sockcore.plugin import SOCK_DGRAM, SOCK_STREAM
from sockcore.records import UriScheme, UriTarget

from . import _constants as C
from .convert import pton6

__all__ = ["INET_URI_SCHEMES", "parse_tcp", "parse_udp"]


def _split(uri: str, scheme: str) -> tuple[str, int, bool]:
    prefix = scheme + "://"
    if not uri.startswith(prefix):
        raise ValueError(f"not a {prefix} URI: {uri!r}")
    rest = uri[len(prefix) :].rstrip("/")
    if rest.startswith("["):
        host, sep, tail = rest[1:].partition("]")
        if not sep or not tail.startswith(":"):
            raise ValueError(f"expected {prefix}[ipv6]:port, got {uri!r}")
        port_text, bracketed = tail[1:], True
    else:
        host, sep, port_text = rest.rpartition(":")
        if not sep:
            raise ValueError(f"expected {prefix}host:port, got {uri!r}")
        if ":" in host:
            raise ValueError(f"put an IPv6 address in brackets: {prefix}[{host}]:{port_text}")
        bracketed = False
    if not port_text.isdigit() or int(port_text) > 0xFFFF:
        raise ValueError(f"port must be 0-65535, got {port_text!r} in {uri!r}")
    if bracketed and pton6(host.partition("%")[0].encode("ascii", "replace")) is None:
        raise ValueError(f"not an IPv6 address: [{host}] in {uri!r}")
    return host, int(port_text), bracketed


def _target(uri: str, scheme: str, kind: int, proto: int) -> UriTarget:
    host, port, ipv6 = _split(uri, scheme)
    if ipv6:
        return UriTarget(C.AF_INET6, kind, proto, (host, port, 0, 0))
    return UriTarget(C.AF_INET, kind, proto, (host, port))


def parse_tcp(uri: str) -> UriTarget:
    """``tcp://127.0.0.1:80``, ``tcp://[::1]:80``, ``tcp://localhost:80``, ``tcp://:8080`` (any address)."""
    return _target(uri, "tcp", SOCK_STREAM, C.IPPROTO_TCP)


def parse_udp(uri: str) -> UriTarget:
    """``udp://127.0.0.1:53``, ``udp://[::1]:53``."""
    return _target(uri, "udp", SOCK_DGRAM, C.IPPROTO_UDP)


INET_URI_SCHEMES: tuple[UriScheme, ...] = (
    UriScheme("tcp", parse_tcp, "tcp://127.0.0.1:8080", "a TCP socket (IPv6 hosts in brackets: tcp://[::1]:8080)"),
    UriScheme("udp", parse_udp, "udp://127.0.0.1:5353", "a UDP socket (IPv6 hosts in brackets: udp://[::1]:5353)"),
)
