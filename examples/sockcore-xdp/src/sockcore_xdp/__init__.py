"""sockcore-xdp: AF_XDP for sockcore, from outside sockcore's tree.

Installed, it adds ``sockcore.AF_XDP``, the address codec, the options and
the ``XdpUmem`` helper; nobody needs to import this package.  Its static
names work too::

    from sockcore_xdp import AF_XDP, XdpAddress
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .records import UmemReg, XdpAddress, XdpStatistics

__all__ = ["CONSTANTS", "UmemReg", "XdpAddress", "XdpStatistics", *CONSTANTS]
