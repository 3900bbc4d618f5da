"""A test-only plugin: `test-tcp://`, `test-udp://`, `test-unix:` schemes with raw addresses.

The CLI tests install it as a fake distribution (`sockcore-clitest`) on the
subprocess's PYTHONPATH and run with ``SOCKCORE_PLUGINS=clitest``, so they
exercise the command without the inet and unix plugins (tests may name
families; the command may not).
"""

from __future__ import annotations

import socket as stdlib
import struct
from collections.abc import Sequence

from sockcore.plugin import Family, RawAddress, UriScheme, UriTarget, hookimpl


def _host_port(uri: str, scheme: str) -> tuple[bytes, int]:
    rest = uri[len(scheme) + 3 :] if uri.startswith(scheme + "://") else ""
    host, sep, port = rest.rpartition(":")
    if not sep or not port.isdigit() or int(port) > 65535:
        raise ValueError("expected HOST:PORT with a numeric IPv4 host")
    try:
        return stdlib.inet_aton(host), int(port)
    except OSError:
        raise ValueError(f"not an IPv4 address: {host!r}") from None


def _inet(uri: str, scheme: str, kind: int) -> UriTarget:
    host, port = _host_port(uri, scheme)
    body = struct.pack("!H4s8x", port, host)
    return UriTarget(stdlib.AF_INET, kind, 0, RawAddress(stdlib.AF_INET, body))


def _unix(uri: str) -> UriTarget:
    path = uri.partition(":")[2]
    if not path:
        raise ValueError("expected test-unix:PATH")
    return UriTarget(stdlib.AF_UNIX, stdlib.SOCK_STREAM, 0, RawAddress(stdlib.AF_UNIX, path.encode() + b"\0"))


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        Family("AF_INET", stdlib.AF_INET, address_format="test: raw sockaddr_in"),
        Family("AF_UNIX", stdlib.AF_UNIX, address_format="test: raw sockaddr_un"),
    ]


@hookimpl
def sockcore_uri_schemes() -> Sequence[UriScheme]:
    return [
        UriScheme("test-tcp", lambda u: _inet(u, "test-tcp", stdlib.SOCK_STREAM), "test-tcp://127.0.0.1:8000", "test TCP"),
        UriScheme("test-udp", lambda u: _inet(u, "test-udp", stdlib.SOCK_DGRAM), "test-udp://127.0.0.1:8000", "test UDP"),
        UriScheme("test-unix", _unix, "test-unix:/tmp/x.sock", "test Unix stream"),
    ]
