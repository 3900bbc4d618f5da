"""sockcore-inet's hook implementations: what the plugin declares to the core."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, CmsgCodec, Family, SockOpt, UriScheme, hookimpl

from . import exports
from ._constants import AF_INET, AF_INET6, CONSTANTS
from .cmsg import INET_CMSG_CODECS
from .codec import INET4_CODEC, INET6_CODEC
from .options import INET_OPTIONS
from .uri import INET_URI_SCHEMES

_SOCK_STREAM = 1  # the probe's (type, proto): a TCP socket


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        # The stdlib's socket() with no arguments is a TCP/IPv4 socket: inet declares it.
        Family("AF_INET", AF_INET, frozenset({"socket"}), (_SOCK_STREAM, 0), "(host, port)"),
        Family("AF_INET6", AF_INET6, frozenset(), (_SOCK_STREAM, 0), "(host, port, flowinfo, scope_id)"),
    ]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return [INET4_CODEC, INET6_CODEC]


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return exports.EXPORTS


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return INET_OPTIONS


@hookimpl
def sockcore_cmsg_codecs() -> Sequence[CmsgCodec]:
    return INET_CMSG_CODECS


@hookimpl
def sockcore_uri_schemes() -> Sequence[UriScheme]:
    return INET_URI_SCHEMES
