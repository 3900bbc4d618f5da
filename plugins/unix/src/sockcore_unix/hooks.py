"""sockcore-unix's hook implementations: what the plugin adds to the registry."""

from __future__ import annotations

from sockcore.plugin import Family, StaticPlugin

from ._constants import AF_UNIX, CONSTANTS
from .cmsg import SCM_CREDENTIALS_CODEC, SCM_RIGHTS_CODEC
from .codec import UNIX_CODEC
from .fds import recv_fds, send_fds
from .uri import UNIX_ABSTRACT_SCHEME, UNIX_SCHEME

UNIX_FAMILY = Family(
    "AF_UNIX",
    AF_UNIX,
    default_for=frozenset({"socketpair"}),
    probe=(1, 0),  # SOCK_STREAM: every kernel with AF_UNIX has it
    address_format="path (str or bytes); b'\\0name' abstract (Linux); '' autobinds",
)

plugin = StaticPlugin(
    families=[UNIX_FAMILY],
    codecs=[UNIX_CODEC],
    constants=CONSTANTS,
    exports={"send_fds": send_fds, "recv_fds": recv_fds},
    cmsg_codecs=[SCM_RIGHTS_CODEC, SCM_CREDENTIALS_CODEC],
    uri_schemes=[UNIX_SCHEME, UNIX_ABSTRACT_SCHEME],
)
