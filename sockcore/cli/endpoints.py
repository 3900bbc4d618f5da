"""Sockets for URIs: create, connect, bind, listen, accept, with one-line errors."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from typing import Any

from ..records import UriTarget
from .errors import CliError, describe_oserror
from .lookup import connection_oriented, constant, family_label, format_address, resolve_uri

__all__ = ["Endpoint", "accept", "connect", "listen", "shutdown_quietly"]

#: what a socket is: the core's socket object (kept untyped until it is in place)
Sock = Any


class Endpoint:
    """A URI, what it names, and whether its sockets are connection-oriented."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.scheme, self.target = resolve_uri(uri)
        self.stream = connection_oriented(self.target.type)
        #: a socket file our bind() created, removed again by cleanup()
        self.created_file: str | bytes | None = None

    def _file_candidate(self) -> str | bytes | None:
        """The address as a file-system path, if it can be one that bind() creates."""
        address = self.target.address
        if isinstance(address, str | bytes) and address and address[:1] not in ("\0", b"\0"):
            return address
        return None

    def note_created_file(self, existed_before: bool) -> None:
        path = self._file_candidate()
        if path is not None and not existed_before:
            with contextlib.suppress(OSError):
                if stat.S_ISSOCK(os.lstat(path).st_mode):
                    self.created_file = path

    def cleanup(self) -> None:
        """Remove the socket file our listener created (families bound to paths leave one behind)."""
        if self.created_file is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.created_file)
            self.created_file = None


def _new_socket(endpoint: Endpoint) -> Sock:
    from .._socket import socket  # imported here: the listing commands never need it

    t: UriTarget = endpoint.target
    try:
        return socket(t.family, t.type, t.proto)
    except OSError as exc:
        raise CliError(f"cannot create a {family_label(t.family)} socket for {endpoint.uri}: {describe_oserror(exc)}") from None


def _bad_address(endpoint: Endpoint, exc: Exception) -> CliError:
    return CliError(f"bad address in {endpoint.uri}: {exc}")


def verbose(message: str) -> None:
    sys.stderr.write(f"sockcore: {message}\n")
    sys.stderr.flush()


def connect(endpoint: Endpoint, timeout: float | None, *, loud: bool = False) -> Sock:
    """A socket connected to the endpoint (for datagrams: with its default peer set)."""
    sock = _new_socket(endpoint)
    try:
        sock.settimeout(timeout)
        sock.connect(endpoint.target.address)
        sock.settimeout(None)
        if loud:
            verbose(f"connected to {format_address(sock.getpeername())} from {format_address(sock.getsockname())}")
    except (TypeError, ValueError, OverflowError, UnicodeError) as exc:
        sock.close()
        raise _bad_address(endpoint, exc) from None
    except OSError as exc:
        sock.close()
        raise CliError(f"cannot connect to {endpoint.uri}: {describe_oserror(exc)}") from None
    return sock


def listen(endpoint: Endpoint, *, loud: bool = False) -> Sock:
    """A socket bound to the endpoint, listening when the type is connection-oriented."""
    sock = _new_socket(endpoint)
    try:
        if endpoint.stream:
            sock.setsockopt(constant("SOL_SOCKET"), constant("SO_REUSEADDR"), 1)
        path = endpoint._file_candidate()
        existed = path is not None and os.path.lexists(path)
        sock.bind(endpoint.target.address)
        endpoint.note_created_file(existed)
        if endpoint.stream:
            sock.listen(constant("SOMAXCONN"))
        if loud:
            verbose(f"listening on {format_address(sock.getsockname())}")
    except (TypeError, ValueError, OverflowError, UnicodeError) as exc:
        sock.close()
        raise _bad_address(endpoint, exc) from None
    except OSError as exc:
        sock.close()
        raise CliError(f"cannot listen on {endpoint.uri}: {describe_oserror(exc)}") from None
    return sock


def accept(listener: Sock, endpoint: Endpoint, timeout: float | None, *, loud: bool = False) -> tuple[Sock, Any]:
    """The next client, as a blocking socket, and its address."""
    try:
        listener.settimeout(timeout)
        conn, peer = listener.accept()
    except TimeoutError:
        raise CliError(f"no client connected to {endpoint.uri} within {timeout:g} s") from None
    except OSError as exc:
        raise CliError(f"accept on {endpoint.uri} failed: {describe_oserror(exc)}") from None
    conn.settimeout(None)
    if loud:
        verbose(f"connection from {format_address(peer)}")
    return conn, peer


def shutdown_quietly(sock: Sock, how: str) -> None:
    """``shutdown(SHUT_WR)`` and friends, ignoring a peer that is already gone."""
    with contextlib.suppress(OSError):
        sock.shutdown(constant(how))
