"""The ``sockcore`` command: what the installed plugins bring, and bytes between any two sockets.

Every address type comes from the plugins (their URI schemes, codecs and
families); this package names none.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable

from .errors import CliError

__all__ = ["build_parser", "main"]

Command = Callable[[argparse.Namespace], int]


def _schemes_epilog() -> str:
    """The installed URI schemes for --help; the help must work even if a plugin is broken."""
    try:
        from .. import registry

        schemes = registry.tables().uri_schemes
    except Exception:
        return ""
    if not schemes:
        return "\nno URI scheme is installed: install a family plugin (sockcore families)"
    lines = [f"  {s.example or s.scheme + ':...':<34} {s.doc}".rstrip() for _, s in sorted(schemes.items())]
    return "\ninstalled URI schemes:\n" + "\n".join(lines)


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def _add(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, summary: str, examples: str, *, uris: bool = False
) -> argparse.ArgumentParser:
    epilog = "examples:\n" + examples + (_schemes_epilog() if uris else "")
    return sub.add_parser(
        name, help=summary, description=summary, epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter
    )


def _transfer_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-t", "--timeout", type=_timeout, metavar="SECONDS", help="give up connecting / waiting for a client after this long")
    p.add_argument("-i", "--idle-timeout", type=_timeout, metavar="SECONDS", help="end a transfer when no byte moved for this long")
    p.add_argument("-s", "--stats", action="store_true", help="print bytes moved and throughput on stderr (live on a terminal)")
    p.add_argument("-v", "--verbose", action="store_true", help="print addresses and connections on stderr")


def build_parser() -> argparse.ArgumentParser:
    from . import addresses, doctor, info, net
    from .examples import Examples

    parser = argparse.ArgumentParser(
        prog="sockcore",
        description="A socket toolbox for every installed address family.",
        epilog="Run `sockcore COMMAND --help` for a command's options and examples.",
    )
    parser.add_argument("--traceback", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ex = Examples()
    a, b = ex.uri(0), ex.uri(1)

    p = _add(sub, "families", "list installed address families, and the ones you can install",
             "  sockcore families\n  sockcore families --json | jq '.installed[].name'")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=info.cmd_families)

    p = _add(sub, "constants", "list constants with their value and owning plugin",
             "  sockcore constants            # all of them\n  sockcore constants SO_RCV      # names containing SO_RCV\n"
             "  sockcore constants 'MSG_*' --json")
    p.add_argument("pattern", nargs="?", metavar="PATTERN", help="a substring or a glob (*, ?, [...]); case-insensitive")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=info.cmd_constants)

    p = _add(sub, "options", "list typed socket options: level, value type, access, description",
             "  sockcore options               # every option\n  sockcore options socket        # the SOL_SOCKET ones\n"
             f"  sockcore options {ex.plugin} --json    # one plugin's options, for scripts")
    p.add_argument("family", nargs="?", metavar="FAMILY", help="a family (AF_NAME or name), a plugin name, or 'socket'")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=info.cmd_options)

    p = _add(sub, "address", "encode an address as the kernel's sockaddr (hex), or decode one",
             f"  sockcore address {ex.family} {ex.address}\n"
             f"  sockcore address {a}     # a URI names the family and the address\n"
             f"  sockcore address --decode {ex.sockaddr_hex}", uris=True)
    p.add_argument("family", nargs="?", metavar="FAMILY", help="AF_NAME, name or number; or a URI alone")
    p.add_argument("address", nargs="?", metavar="ADDRESS", help="a Python literal such as \"('host', 80)\", or plain text (a path)")
    p.add_argument("-d", "--decode", metavar="HEX", help="decode a whole sockaddr given in hex")
    p.add_argument("--type", metavar="TYPE", help="socket type the codec assumes (SOCK_DGRAM, dgram, 2)")
    p.add_argument("--proto", type=int, default=0, metavar="N", help="protocol the codec assumes (default 0)")
    p.add_argument("-v", "--verbose", action="store_true", help="say which family and how many bytes")
    p.set_defaults(func=addresses.cmd_address)

    p = _add(sub, "connect", "connect to URI: standard input to the socket, the socket to standard output",
             f"  echo hello | sockcore connect {a}\n  sockcore connect {b} < request.bin > reply.bin\n"
             f"  sockcore connect -t 2 -s {ex.datagram_uri()} < query", uris=True)
    p.add_argument("uri", metavar="URI")
    _transfer_options(p)
    p.set_defaults(func=net.cmd_connect)

    p = _add(sub, "listen", "serve URI: print what clients send, or echo it back",
             f"  sockcore listen {a} --once > upload.bin\n  sockcore listen {b} --echo -v\n"
             f"  sockcore listen {ex.datagram_uri()}", uris=True)
    p.add_argument("uri", metavar="URI")
    p.add_argument("-e", "--echo", action="store_true", help="send everything back to the client (clients are served concurrently)")
    p.add_argument("-1", "--once", action="store_true", help="serve one client (or one datagram), then exit")
    _transfer_options(p)
    p.set_defaults(func=net.cmd_listen)

    p = _add(sub, "relay", "accept clients on SOURCE and relay each, both ways, to a new connection to TARGET",
             f"  sockcore relay {a} {b}     # clients of the first reach the second\n"
             f"  sockcore relay --once -s -v {b} {a}", uris=True)
    p.add_argument("source", metavar="SOURCE", help="URI to listen on (a datagram source relays its first sender)")
    p.add_argument("target", metavar="TARGET", help="URI to connect to for each client")
    p.add_argument("-1", "--once", action="store_true", help="relay one client, then exit")
    _transfer_options(p)
    p.set_defaults(func=net.cmd_relay)

    from .interfaces import cmd_interfaces

    p = _add(sub, "interfaces", "list network interfaces: index, flags, MTU, link-layer, IPv4 and IPv6 addresses",
             "  sockcore interfaces\n  sockcore interfaces lo eth0\n  sockcore interfaces --json | jq '.[].name'")
    p.add_argument("name", nargs="*", metavar="NAME", help="only these interfaces (names or indexes)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_interfaces)

    p = _add(sub, "doctor", "check the installation: plugins load, no conflicts, constants match the headers",
             f"  sockcore doctor\n  SOCKCORE_PLUGINS={ex.plugin} sockcore doctor --skip-headers\n"
             f"  sockcore doctor --plugin {ex.plugin}")
    p.add_argument("--skip-headers", action="store_true", help="do not compare the constant tables with the C headers")
    p.add_argument("--plugin", metavar="NAME", help="check one installed plugin in depth (sockcore.testing's check_plugin)")
    p.set_defaults(func=doctor.cmd_doctor)

    from . import scaffold

    scaffold.add_parser(sub, _add)

    from . import gen_constants

    gen_constants.configure(_add(sub, "gen-constants", gen_constants.SUMMARY, gen_constants.EXAMPLES))
    return parser


def _error(message: str) -> None:
    sys.stderr.write(f"sockcore: error: {message}\n")
    sys.stderr.flush()


def _warning(message: Warning | str, category: type[Warning], *_: object, **__: object) -> None:
    """Warnings (a plugin that failed to load) as one line each, without the source line."""
    hint = " (run `sockcore doctor`)" if "plugin" in str(message) else ""
    sys.stderr.write(f"sockcore: warning: {message}{hint}\n")


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so listeners clean up and --stats still prints."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (0 success, 1 failure, 2 usage, 130/143 signalled)."""
    argv = sys.argv[1:] if argv is None else argv
    warnings.showwarning = _warning
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    show_traceback = "--traceback" in argv or bool(os.environ.get("SOCKCORE_TRACEBACK"))
    try:
        args = build_parser().parse_args(argv)
        func: Command = args.func
        status = func(args)
        sys.stdout.flush()  # here, not at exit: a reader that went away is caught below
        return status
    except CliError as exc:
        _error(str(exc))
        return exc.status
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except _Terminated:
        return 143
    except BrokenPipeError:
        # the reader of our output went away (`sockcore constants | head`): not an error
        _silence_stdout()
        return 0
    except SystemExit as exc:  # argparse: --help, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except Exception as exc:
        if show_traceback:
            raise
        what = f"{type(exc).__name__}: {exc}" if not isinstance(exc, OSError) else str(exc)
        _error(f"{what} (set SOCKCORE_TRACEBACK=1 for details)")
        return 1


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
