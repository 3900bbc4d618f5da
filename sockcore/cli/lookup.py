"""Names the user types (families, socket types, URIs) turned into registry entries."""

from __future__ import annotations

from typing import Any

from .. import registry
from ..records import UriScheme, UriTarget
from .errors import CliError

__all__ = [
    "connection_oriented",
    "family_label",
    "resolve_family",
    "resolve_type",
    "resolve_uri",
    "tables",
]


def tables() -> registry.Tables:
    """The registry's tables; a plugin that fails to load is a one-line error."""
    try:
        return registry.tables()
    except registry.PluginConflictError as exc:
        raise CliError(str(exc)) from None
    except Exception as exc:
        raise CliError(f"loading the sockcore plugins failed: {type(exc).__name__}: {exc} (run `sockcore doctor`)") from None


def _norm(name: str) -> str:
    """``AF_NAME``, ``af_name`` and ``name`` all become ``NAME``."""
    name = name.strip().upper()
    return name[3:] if name.startswith(("AF_", "PF_")) else name


def resolve_family(text: str) -> int:
    """A family number from ``AF_NAME``, ``name`` or a number; a hint when its plugin is missing."""
    t = tables()
    if text.strip().isdigit():
        number = int(text)
        if number in t.families:
            return number
        hint = registry.missing_family_hint(number)
        raise CliError(hint or f"no installed plugin provides address family {number}")
    wanted = _norm(text)
    for number, entry in t.families.items():
        if _norm(entry.family.name) == wanted:
            return number
    for number_text, entry in registry.catalogue().get("families", {}).items():
        if _norm(entry["name"]) == wanted:
            hint = registry.missing_family_hint(int(number_text))
            raise CliError(hint or f"address family {text} is not installed")
    known = ", ".join(sorted(e.family.name for e in t.families.values())) or "none"
    raise CliError(f"unknown address family {text!r} (installed: {known})")


def family_label(number: int) -> str:
    return tables().family_name(number) or str(number)


def resolve_type(text: str | None, default: int) -> int:
    """A socket type from ``SOCK_DGRAM``, ``dgram`` or a number."""
    if text is None:
        return default
    if text.strip().isdigit():
        return int(text)
    name = text.strip().upper()
    name = name if name.startswith("SOCK_") else "SOCK_" + name
    value = tables().constants.get(name)
    if not isinstance(value, int):
        raise CliError(f"unknown socket type {text!r}")
    return int(value)


def constant(name: str) -> int:
    """A generic constant the core always provides (SOCK_STREAM, SHUT_WR ...)."""
    return int(tables().constants[name])


def connection_oriented(sock_type: int) -> bool:
    """Stream and seqpacket sockets listen, accept and end with an empty read."""
    flags = tables().constants
    base = sock_type & ~(int(flags.get("SOCK_NONBLOCK", 0)) | int(flags.get("SOCK_CLOEXEC", 0)))
    return base in (constant("SOCK_STREAM"), constant("SOCK_SEQPACKET"))


def _scheme_hint(scheme: str) -> str:
    dist = registry.catalogue().get("uri_schemes", {}).get(scheme)
    if dist is not None:
        return f"; it comes from {dist}, which is not installed (pip install {dist})"
    return "; `sockcore families` lists the plugins you can install"


def resolve_uri(uri: str) -> tuple[UriScheme, UriTarget]:
    """The scheme a plugin registered for ``uri`` and what it names."""
    schemes = tables().uri_schemes
    installed = ", ".join(f"{s}:" for s in sorted(schemes)) or "none (install a family plugin)"
    name, sep, _ = uri.partition(":")
    if not sep or not name:
        raise CliError(f"{uri!r} is not a URI: expected SCHEME:ADDRESS (installed schemes: {installed})")
    scheme = schemes.get(name) or schemes.get(name.lower())
    if scheme is None:
        raise CliError(f"unknown URI scheme {name!r} in {uri!r} (installed schemes: {installed}){_scheme_hint(name.lower())}")
    try:
        target = scheme.parse(uri)
    except (ValueError, TypeError, UnicodeError, OverflowError) as exc:
        example = f" (for example {scheme.example})" if scheme.example else ""
        raise CliError(f"bad URI {uri!r}: {exc}{example}") from None
    except OSError as exc:  # a resolver said no
        raise CliError(f"bad URI {uri!r}: {exc.strerror or exc}") from None
    return scheme, target


def format_address(address: Any) -> str:
    """An address for a log line: a path as itself, anything else as a Python literal."""
    if isinstance(address, str):
        return address or "(unnamed)"
    return literal_address(address)


def literal_address(address: Any) -> str:
    """An address as the Python literal ``sockcore address`` accepts back."""
    if type(address).__name__ == "RawAddress":  # it prints as a plain tuple; the literal names the type
        return f"RawAddress(family={address.family!r}, data={address.data!r})"
    if isinstance(address, tuple):
        return repr(tuple(address))
    return repr(address)
