"""sockcore-unix's hook implementations: what the plugin adds to the registry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sockcore.plugin import AddressCodec, CmsgCodec, Family, UriScheme, hookimpl

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


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [UNIX_FAMILY]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return [UNIX_CODEC]


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return {"send_fds": send_fds, "recv_fds": recv_fds}


@hookimpl
def sockcore_cmsg_codecs() -> Sequence[CmsgCodec]:
    return [SCM_RIGHTS_CODEC, SCM_CREDENTIALS_CODEC]


@hookimpl
def sockcore_uri_schemes() -> Sequence[UriScheme]:
    return [UNIX_SCHEME, UNIX_ABSTRACT_SCHEME]
