"""sockcore-rds's constants for this platform.

RDS exists only on Linux: the table is generated from <linux/rds.h> by
``python tools/gen_constants.py rds``.  It holds every ``RDS_*`` name the
stdlib exports (the stdlib's ``RDS_CMSG_RDMA_UPDATE`` exists only when the
header defines it, and current headers do not), plus the newer ones.
"""

import sys
from typing import Final

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS
else:  # RDS is Linux-only: no names elsewhere, and the family is not registered
    CONSTANTS: Final[dict[str, int]] = {}

del sys

# No __all__: ``from ._constants import *`` re-exports every constant by name.
