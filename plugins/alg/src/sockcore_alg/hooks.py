"""sockcore-alg's hook implementations: AF_ALG, its codec, names, options and sendmsg_afalg."""

from __future__ import annotations

from sockcore.plugin import CORE_CONSTANTS as _CORE
from sockcore.plugin import Family, StaticPlugin

from ._constants import AF_ALG, CONSTANTS
from .address import CODECS, AlgAddress
from .afalg import sendmsg_afalg
from .options import ALG_OPTIONS

plugin = StaticPlugin(
    families=[
        Family(
            "AF_ALG",
            AF_ALG,
            probe=(_CORE["SOCK_SEQPACKET"], 0),
            address_format="(type, name[, feat[, mask]])",
            platform_note="Linux: modules af_alg, algif_hash, algif_skcipher, algif_aead, algif_rng",
            accept_address=False,  # accept() with an address buffer fails with ECONNABORTED
        )
    ],
    codecs=CODECS,
    constants=CONSTANTS,
    exports={"AlgAddress": AlgAddress},
    sockopts=ALG_OPTIONS,
    socket_methods={"sendmsg_afalg": sendmsg_afalg},
)
