"""`connect`, `listen` and `relay`: bytes between standard I/O and sockets, or two sockets."""

from __future__ import annotations

import argparse
import functools
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from .endpoints import Endpoint, Sock, accept, connect, listen, shutdown_quietly, verbose
from .errors import CliError, describe_oserror
from .lookup import format_address
from .pump import CHUNK, DATAGRAM_CHUNK, Direction, Session
from .stats import Stats

__all__ = ["cmd_connect", "cmd_listen", "cmd_relay"]

STDIN, STDOUT = 0, 1

#: seconds a datagram exchange waits for late replies after its input ended
DATAGRAM_LINGER = 1.0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _run(session: Session, what: str) -> None:
    try:
        session.run()
    except OSError as exc:
        raise CliError(f"{what}: {describe_oserror(exc)}") from None


def _closer(*socks: Sock) -> Callable[[], None]:
    """Wakes every thread blocked on these sockets."""

    def abort() -> None:
        for sock in socks:
            shutdown_quietly(sock, "SHUT_RDWR")

    return abort


def _eof_to(sock: Sock, stream: bool) -> Callable[[], None] | None:
    """End of input becomes a half-close on a stream; a datagram socket has no such thing."""
    return (lambda: shutdown_quietly(sock, "SHUT_WR")) if stream else None


def _chunk_for(destination: Endpoint) -> int:
    """Each read becomes one datagram on a datagram socket: keep it sendable."""
    return CHUNK if destination.stream else DATAGRAM_CHUNK


# -------------------------------------------------------------------------
# connect
# -------------------------------------------------------------------------


def cmd_connect(args: argparse.Namespace) -> int:
    endpoint = Endpoint(args.uri)
    sys.stdout.flush()
    with connect(endpoint, args.timeout, loud=args.verbose) as sock, Stats(args.stats) as stats:
        fd = sock.fileno()
        sent = Direction("sent", STDIN, fd, chunk=_chunk_for(endpoint), on_eof=_eof_to(sock, endpoint.stream))
        received = Direction("received", fd, STDOUT, packets=not endpoint.stream)
        stats.add(sent, received)
        if endpoint.stream:
            # done when the peer closes; a terminal on stdin must not keep us waiting
            session = Session([sent, received], required=[received], idle_timeout=args.idle_timeout, abort=_closer(sock))
        else:
            session = Session(
                [sent, received],
                required=[sent],
                idle_timeout=args.idle_timeout,
                linger=args.idle_timeout or DATAGRAM_LINGER,
                abort=_closer(sock),
            )
        _run(session, endpoint.uri)
    return 0


# -------------------------------------------------------------------------
# listen
# -------------------------------------------------------------------------


def _serve_client(conn: Sock, peer: Any, args: argparse.Namespace, stats: Stats) -> None:
    with conn:
        fd = conn.fileno()
        if args.echo:
            d = Direction("echoed", fd, fd, on_eof=_eof_to(conn, True))
        else:
            d = Direction("received", fd, STDOUT)
        stats.add(d)
        _run(Session([d], idle_timeout=args.idle_timeout, abort=_closer(conn)), f"client {format_address(peer)}")
    if args.verbose:
        verbose(f"{format_address(peer)} closed")


def _in_background(work: Callable[[], None]) -> None:
    """Serve a client in its own thread; its failure is one line, not the server's end."""

    def run() -> None:
        try:
            work()
        except CliError as exc:
            sys.stderr.write(f"sockcore: {exc}\n")

    threading.Thread(target=run, daemon=True).start()


def _listen_datagrams(sock: Sock, args: argparse.Namespace, stats: Stats) -> None:
    sock.settimeout(args.timeout)
    while True:
        try:
            data, peer = sock.recvfrom(CHUNK)
        except TimeoutError:
            raise CliError(f"nothing received on {args.uri} within {args.timeout:g} s") from None
        if args.verbose:
            verbose(f"{len(data)} bytes from {format_address(peer)}")
        if args.echo:
            sock.sendto(data, peer)
            stats.count("echoed", len(data))
        else:
            _write_all(STDOUT, data)
            stats.count("received", len(data))
        if args.once:
            return


def cmd_listen(args: argparse.Namespace) -> int:
    endpoint = Endpoint(args.uri)
    sys.stdout.flush()
    try:
        return _listen(endpoint, args)
    finally:
        endpoint.cleanup()


def _listen(endpoint: Endpoint, args: argparse.Namespace) -> int:
    with Stats(args.stats) as stats, listen(endpoint, loud=args.verbose) as listener:
        if not endpoint.stream:
            try:
                _listen_datagrams(listener, args, stats)
            except OSError as exc:
                raise CliError(f"{endpoint.uri}: {describe_oserror(exc)}") from None
            return 0
        while True:
            conn, peer = accept(listener, endpoint, args.timeout, loud=args.verbose)
            if args.once or not args.echo:  # printing clients take turns on stdout
                _serve_client(conn, peer, args, stats)
            else:
                _in_background(functools.partial(_serve_client, conn, peer, args, stats))
            if args.once:
                return 0


# -------------------------------------------------------------------------
# relay
# -------------------------------------------------------------------------


def _relay_pair(a: Sock, a_end: Endpoint, b: Sock, b_end: Endpoint, args: argparse.Namespace, stats: Stats, what: str) -> None:
    # two stream ends: bytes move inside the kernel (splice(2)); a datagram end keeps its boundaries by copying
    zero_copy = a_end.stream and b_end.stream
    note = verbose if args.verbose else None
    if note is not None:
        note(f"{what}: " + ("zero-copy with splice(2)" if zero_copy else "copying through Python (splice(2) needs two stream ends)"))
    with a, b:
        fa, fb = a.fileno(), b.fileno()
        forward = Direction(
            "forward", fa, fb, packets=not a_end.stream, chunk=_chunk_for(b_end), on_eof=_eof_to(b, b_end.stream),
            splice=zero_copy, note=note,
        )
        backward = Direction(
            "backward", fb, fa, packets=not b_end.stream, chunk=_chunk_for(a_end), on_eof=_eof_to(a, a_end.stream),
            splice=zero_copy, note=note,
        )
        stats.add(forward, backward)
        ends = [d for d, end in ((forward, a_end), (backward, b_end)) if end.stream]
        datagrams = len(ends) < 2
        session = Session(
            [forward, backward],
            required=ends or [forward, backward],
            idle_timeout=args.idle_timeout,
            linger=(args.idle_timeout or DATAGRAM_LINGER) if datagrams and ends else None,
            abort=_closer(a, b),
        )
        _run(session, what)
    if args.verbose:
        verbose(f"{what} closed")


def cmd_relay(args: argparse.Namespace) -> int:
    a_end = Endpoint(args.source)
    b_end = Endpoint(args.target)  # resolved first: a bad target fails before anyone connects
    sys.stdout.flush()
    try:
        return _relay(a_end, b_end, args)
    finally:
        a_end.cleanup()


def _relay(a_end: Endpoint, b_end: Endpoint, args: argparse.Namespace) -> int:
    with Stats(args.stats) as stats, listen(a_end, loud=args.verbose) as listener:
        if not a_end.stream:
            # a datagram source: the first sender becomes the peer of this one session
            listener.settimeout(args.timeout)
            try:
                data, peer = listener.recvfrom(CHUNK)
                listener.connect(peer)
                listener.settimeout(None)
            except TimeoutError:
                raise CliError(f"nothing received on {a_end.uri} within {args.timeout:g} s") from None
            except OSError as exc:
                raise CliError(f"{a_end.uri}: {describe_oserror(exc)}") from None
            upstream = connect(b_end, args.timeout, loud=args.verbose)
            try:
                _write_all(upstream.fileno(), data)
            except OSError as exc:
                upstream.close()
                raise CliError(f"{b_end.uri}: {describe_oserror(exc)}") from None
            stats.count("forward", len(data))
            _relay_pair(listener, a_end, upstream, b_end, args, stats, f"relay {format_address(peer)}")
            return 0
        while True:
            conn, peer = accept(listener, a_end, args.timeout, loud=args.verbose)
            what = f"relay {format_address(peer)} -> {b_end.uri}"
            if args.once:
                try:
                    upstream = connect(b_end, args.timeout, loud=args.verbose)
                except CliError:
                    conn.close()
                    raise
                _relay_pair(conn, a_end, upstream, b_end, args, stats, what)
                return 0

            def serve(c: Sock = conn, w: str = what) -> None:
                try:
                    upstream = connect(b_end, args.timeout, loud=args.verbose)
                except CliError:
                    c.close()
                    raise
                _relay_pair(c, a_end, upstream, b_end, args, stats, w)

            _in_background(serve)
