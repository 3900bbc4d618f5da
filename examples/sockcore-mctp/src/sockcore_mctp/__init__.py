"""sockcore-mctp: AF_MCTP for sockcore.

Static imports work without the registry (``from sockcore_mctp import AF_MCTP``);
``import sockcore`` exposes the same names once the plugin is installed.  This
module must not import pluggy or attrs (``check_plugin`` tests it).
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .codec import MctpAddress, MctpExtAddress

#: the classes and functions the plugin adds to the ``sockcore`` module
EXPORTS = {"MctpAddress": MctpAddress, "MctpExtAddress": MctpExtAddress}

__all__ = ["CONSTANTS", "EXPORTS", "MctpAddress", "MctpExtAddress"]
