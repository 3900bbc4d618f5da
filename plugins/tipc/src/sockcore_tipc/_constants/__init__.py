"""sockcore-tipc's constants for this platform.

TIPC exists only on Linux: the table is generated from <linux/tipc.h> by
``python tools/gen_constants.py tipc``.  Two names the stdlib documents
are enum members in the header, which the generator (macros only) cannot
see: they are added here by hand.
"""

import sys
from typing import Final

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as _GENERATED

    # `enum tipc_scope` in <linux/tipc.h> (macros before Linux 4.17); the
    # stdlib exports both and TIPC_CLUSTER_SCOPE is its default address scope.
    TIPC_CLUSTER_SCOPE: Final = 2
    TIPC_NODE_SCOPE: Final = 3
    # the generated table plus the names above (replaces the star-imported one)
    CONSTANTS: Final[dict[str, int]] = {  # type: ignore[misc,no-redef]
        **_GENERATED,
        "TIPC_CLUSTER_SCOPE": TIPC_CLUSTER_SCOPE,
        "TIPC_NODE_SCOPE": TIPC_NODE_SCOPE,
    }
else:  # TIPC is Linux-only: no names elsewhere, and the family is not registered
    CONSTANTS: Final[dict[str, int]] = {}

del sys

# No __all__: ``from ._constants import *`` re-exports every constant by name.
