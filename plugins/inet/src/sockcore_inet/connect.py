"""create_connection, create_server and the IPv6 capability checks, as in the stdlib's socket.py."""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, Any

from sockcore.plugin import SO_REUSEADDR, SO_REUSEPORT, SOCK_STREAM, SOL_SOCKET

from ._constants import AF_INET, AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY
from .resolver import getaddrinfo

if TYPE_CHECKING:
    from sockcore.plugin import Socket

__all__ = ["create_connection", "create_server", "has_dualstack_ipv6", "has_ipv6"]

#: The C module is built with IPv6 support on every platform sockcore-inet runs on.
has_ipv6 = True


class _DefaultTimeout:
    """The "use getdefaulttimeout()" marker (the stdlib's ``_GLOBAL_DEFAULT_TIMEOUT``)."""

    def __repr__(self) -> str:
        return "<default timeout>"


DEFAULT_TIMEOUT: Any = _DefaultTimeout()


def _socket_class() -> Any:
    """``sockcore.socket`` as it is now: looked up at call time, as the stdlib's socket.py looks up
    its global, so a replacement (unittest.mock, pytest-socket, a tracing wrapper) is what connects."""
    import sockcore

    return sockcore.socket


def _is_default(timeout: object) -> bool:
    """The marker of this plugin, of sockcore, or of the stdlib (code written for it passes its own)."""
    if timeout is DEFAULT_TIMEOUT:
        return True
    import sockcore

    if timeout is getattr(sockcore, "_GLOBAL_DEFAULT_TIMEOUT", DEFAULT_TIMEOUT):
        return True
    # read, never imported: only a program that loaded the stdlib module can hold its marker
    stdlib = sys.modules.get("socket")
    return stdlib is not None and timeout is getattr(stdlib, "_GLOBAL_DEFAULT_TIMEOUT", DEFAULT_TIMEOUT)


def create_connection(
    address: tuple[Any, Any],
    timeout: float | Any | None = DEFAULT_TIMEOUT,
    source_address: tuple[Any, ...] | None = None,
    *,
    all_errors: bool = False,
) -> Socket:
    """Connect to ``(host, port)``, trying every address getaddrinfo gives, and return the socket.

    On failure raise the last error, or with ``all_errors`` an ExceptionGroup of all of them.
    """
    host, port = address
    socket_class = _socket_class()
    exceptions: list[OSError] = []
    for family, kind, proto, _canonname, sockaddr in getaddrinfo(host, port, 0, SOCK_STREAM):
        sock = None
        try:
            sock = socket_class(family, kind, proto)
            if not _is_default(timeout):
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            exceptions.clear()  # no reference cycle through the tracebacks
            return sock  # type: ignore[no-any-return]
        except OSError as exc:
            if not all_errors:
                exceptions.clear()  # only the last error is raised
            exceptions.append(exc)
            if sock is not None:
                sock.close()
    if exceptions:
        try:
            if not all_errors:
                raise exceptions[0]
            raise ExceptionGroup("create_connection failed", exceptions)
        finally:
            exceptions.clear()
    raise OSError("getaddrinfo returns an empty list")


def has_dualstack_ipv6() -> bool:
    """Whether a SOCK_STREAM AF_INET6 socket can also serve IPv4 (IPV6_V6ONLY can be cleared)."""
    try:
        with _socket_class()(AF_INET6, SOCK_STREAM) as sock:
            sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0)
            return True
    except OSError:
        return False


def create_server(
    address: tuple[Any, ...],
    *,
    family: int = AF_INET,
    backlog: int | None = None,
    reuse_port: bool = False,
    dualstack_ipv6: bool = False,
) -> Socket:
    """A listening SOCK_STREAM socket bound to ``address`` (SO_REUSEADDR set, as the stdlib does)."""
    if dualstack_ipv6:
        if not has_dualstack_ipv6():
            raise ValueError("dualstack_ipv6 not supported on this platform")
        if family != AF_INET6:
            raise ValueError("dualstack_ipv6 requires AF_INET6 family")
    sock = _socket_class()(family, SOCK_STREAM)
    try:
        with contextlib.suppress(OSError):  # fail later on bind() where the option is unsupported
            sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(SOL_SOCKET, SO_REUSEPORT, 1)
        if family == AF_INET6:
            sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0 if dualstack_ipv6 else 1)
        try:
            sock.bind(address)
        except OSError as err:
            msg = f"{err.strerror} (while attempting to bind on address {address!r})"
            raise OSError(err.errno, msg) from None
        if backlog is None:
            sock.listen()
        else:
            sock.listen(backlog)
        return sock  # type: ignore[no-any-return]
    except OSError:
        sock.close()
        raise
