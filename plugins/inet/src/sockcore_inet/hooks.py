"""sockcore-inet's hook implementations: what the plugin declares to the core."""

from __future__ import annotations

from sockcore.plugin import Family, StaticPlugin

from . import exports
from ._constants import AF_INET, AF_INET6, CONSTANTS
from .cmsg import INET_CMSG_CODECS
from .codec import INET4_CODEC, INET6_CODEC
from .options import INET_OPTIONS
from .uri import INET_URI_SCHEMES

_SOCK_STREAM = 1  # the probe's (type, proto): a TCP socket

plugin = StaticPlugin(
    families=[
        # The stdlib's socket() with no arguments is a TCP/IPv4 socket: inet declares it.
        Family("AF_INET", AF_INET, frozenset({"socket"}), (_SOCK_STREAM, 0), "(host, port)"),
        Family("AF_INET6", AF_INET6, frozenset(), (_SOCK_STREAM, 0), "(host, port, flowinfo, scope_id)"),
    ],
    codecs=[INET4_CODEC, INET6_CODEC],
    constants=CONSTANTS,
    exports=exports.EXPORTS,
    sockopts=INET_OPTIONS,
    cmsg_codecs=INET_CMSG_CODECS,
    uri_schemes=INET_URI_SCHEMES,
)
