"""sockcore-system: PF_SYSTEM / SYSPROTO_CONTROL (macOS kernel control) for sockcore.

Static imports work on every platform::

    from sockcore_system import PF_SYSTEM, SYSPROTO_CONTROL, encode_control

Sockets need macOS; elsewhere the codec and constants serve tools that build
or parse ``sockaddr_ctl`` bytes.  Importing this package does not import
pluggy; the hooks live in :data:`sockcore_system.hooks.plugin`, a
:class:`~sockcore.plugin.StaticPlugin`.
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .codec import ControlAddressCodec, decode_control, encode_control, needs_macos_error
from .records import ControlAddress

__all__ = [
    "CONSTANTS",
    "ControlAddress",
    "ControlAddressCodec",
    "decode_control",
    "encode_control",
    "needs_macos_error",
    *CONSTANTS,
]
