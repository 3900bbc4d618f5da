"""sockcore-system's hook implementations: PF_SYSTEM's family, codec and names.

On every platform the family, its codec and its names are registered, so
``sockcore.PF_SYSTEM`` exists and an attempt to use such a socket fails with
a clear "needs macOS" error.
"""

from __future__ import annotations

import sys

from sockcore.plugin import Family, StaticPlugin

from ._constants import CONSTANTS, NATIVE_PLATFORM, PF_SYSTEM, SYSPROTO_CONTROL
from .codec import ControlAddressCodec
from .records import ControlAddress

_NATIVE = sys.platform == NATIVE_PLATFORM

plugin = StaticPlugin(
    families=[
        Family(
            "AF_SYSTEM",
            PF_SYSTEM,
            probe=(2, SYSPROTO_CONTROL) if _NATIVE else None,  # SOCK_DGRAM
            address_format="(id, unit) or a kernel control name (SYSPROTO_CONTROL)",
            platform_note="macOS only (kernel control and kernel event sockets)",
        )
    ],
    codecs=[ControlAddressCodec()],
    constants=CONSTANTS,
    exports={"ControlAddress": ControlAddress},
)
