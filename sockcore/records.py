"""The declarative records plugins hand to the core through the hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["CmsgCodec", "Family", "UriScheme", "UriTarget"]


@attrs.frozen
class Family:
    """An address family a plugin provides.

    ``default_for`` names the core functions that use this family when the
    caller gives none: ``"socket"`` (the inet plugin declares it, as the
    stdlib's default) and ``"socketpair"`` (the unix plugin).  ``probe`` is the ``(type, proto)`` the
    ``sockcore families`` command creates to ask whether this kernel supports
    the family; ``None`` when no socket can be created on this platform.
    ``address_format`` is a one-line description for docs and the CLI.

    Two declarations cover the kernel quirks CPython special-cases per family,
    so the core never names one:

    ``option_int_size``
        the width of the integer ``getsockopt(level, name)`` reads and
        ``setsockopt(level, name, int)`` writes: 8 for the vsock family, whose
        options are all 64-bit (a ``buflen`` is then refused, as in CPython).
    ``accept_address``
        False when ``accept()`` must pass no address buffer (the alg family answers
        ECONNABORTED otherwise); the peer address is then None.
    """

    name: str
    number: int
    default_for: frozenset[str] = frozenset()
    probe: tuple[int, int] | None = (1, 0)
    address_format: str = ""
    platform_note: str = ""
    option_int_size: int = 4
    accept_address: bool = True


@attrs.frozen
class CmsgCodec:
    """Typed ancillary data for one ``(level, type)``.

    ``decode(data) -> record`` turns the cmsg payload into a record;
    ``encode(record) -> bytes`` builds a payload for sendmsg.
    """

    name: str
    level: int
    type: int
    decode: Callable[[bytes], Any]
    encode: Callable[[Any], bytes] | None = None
    doc: str = ""


@attrs.frozen
class UriTarget:
    """What a URI names: how to create the socket and the address to use."""

    family: int
    type: int
    proto: int
    address: Any


@attrs.frozen
class UriScheme:
    """A URI scheme for the ``sockcore`` command (``tcp``, ``unix``, ``vsock`` ...).

    ``parse(uri) -> UriTarget`` raises ``ValueError`` with a one-line
    message for a malformed URI.  ``example`` shows the form in ``--help``.
    """

    scheme: str
    parse: Callable[[str], UriTarget]
    example: str = ""
    doc: str = ""
