"""sockcore-hyperv's hook implementations: AF_HYPERV's family, codec, names and options.

On every platform the family, its codec and its names are registered, so
``sockcore.AF_HYPERV`` and ``sockcore.HV_GUID_PARENT`` exist and an attempt to
use such a socket fails with a clear "needs Windows" error.  The options are
registered on Windows only.
"""

from __future__ import annotations

import sys

from sockcore.plugin import Family, StaticPlugin

from ._constants import AF_HYPERV, CONSTANTS, HV_PROTOCOL_RAW, NATIVE_PLATFORM
from .codec import HyperVAddressCodec
from .options import HYPERV_OPTIONS
from .records import HyperVAddress

_NATIVE = sys.platform == NATIVE_PLATFORM

plugin = StaticPlugin(
    families=[
        Family(
            "AF_HYPERV",
            AF_HYPERV,
            probe=(1, HV_PROTOCOL_RAW) if _NATIVE else None,  # SOCK_STREAM
            address_format="(vm_id, service_id)  GUID strings",
            platform_note="Windows only (Hyper-V sockets, Windows 10 / Server 2016 and later)",
        )
    ],
    codecs=[HyperVAddressCodec()],
    constants=CONSTANTS,
    sockopts=HYPERV_OPTIONS if _NATIVE else (),
    exports={"HyperVAddress": HyperVAddress},
)
