"""sockcore-alg's hook implementations: AF_ALG, its codec, names, options and sendmsg_afalg."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sockcore._constants import CONSTANTS as _CORE
from sockcore.plugin import AddressCodec, Family, SockOpt, hookimpl

from ._constants import AF_ALG, CONSTANTS
from .address import CODECS, AlgAddress
from .afalg import sendmsg_afalg
from .options import ALG_OPTIONS


@hookimpl
def sockcore_families() -> Sequence[Family]:
    return [
        Family(
            "AF_ALG",
            AF_ALG,
            probe=(_CORE["SOCK_SEQPACKET"], 0),
            address_format="(type, name[, feat[, mask]])",
            platform_note="Linux: modules af_alg, algif_hash, algif_skcipher, algif_aead, algif_rng",
            accept_address=False,  # accept() with an address buffer fails with ECONNABORTED
        )
    ]


@hookimpl
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    return CODECS


@hookimpl
def sockcore_constants() -> Mapping[str, Any]:
    return CONSTANTS


@hookimpl
def sockcore_exports() -> Mapping[str, Any]:
    return {"AlgAddress": AlgAddress}


@hookimpl
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    return ALG_OPTIONS


@hookimpl
def sockcore_socket_methods() -> Mapping[str, Callable[..., Any]]:
    return {"sendmsg_afalg": sendmsg_afalg}
