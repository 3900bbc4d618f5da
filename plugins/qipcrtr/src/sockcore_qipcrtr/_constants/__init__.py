"""sockcore-qipcrtr's constants for this platform.

AF_QIPCRTR exists only on Linux: the table is generated from <linux/qrtr.h>
by ``python tools/gen_constants.py qipcrtr``.  The control-packet types are
an enum in that header, which the generator (macros only) cannot see: they
are added here by hand.
"""

import sys
from typing import Final

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as _GENERATED

    # `enum qrtr_pkt_type` in <linux/qrtr.h>: the `cmd` of a control packet
    # (struct qrtr_ctrl_pkt) sent to or received from QRTR_PORT_CTRL.
    QRTR_TYPE_DATA: Final = 1
    QRTR_TYPE_HELLO: Final = 2
    QRTR_TYPE_BYE: Final = 3
    QRTR_TYPE_NEW_SERVER: Final = 4
    QRTR_TYPE_DEL_SERVER: Final = 5
    QRTR_TYPE_DEL_CLIENT: Final = 6
    QRTR_TYPE_RESUME_TX: Final = 7
    QRTR_TYPE_EXIT: Final = 8
    QRTR_TYPE_PING: Final = 9
    QRTR_TYPE_NEW_LOOKUP: Final = 10
    QRTR_TYPE_DEL_LOOKUP: Final = 11

    # the generated table plus the names above (replaces the star-imported one)
    CONSTANTS: Final[dict[str, int]] = {  # type: ignore[misc,no-redef]
        **_GENERATED,
        "QRTR_TYPE_DATA": QRTR_TYPE_DATA,
        "QRTR_TYPE_HELLO": QRTR_TYPE_HELLO,
        "QRTR_TYPE_BYE": QRTR_TYPE_BYE,
        "QRTR_TYPE_NEW_SERVER": QRTR_TYPE_NEW_SERVER,
        "QRTR_TYPE_DEL_SERVER": QRTR_TYPE_DEL_SERVER,
        "QRTR_TYPE_DEL_CLIENT": QRTR_TYPE_DEL_CLIENT,
        "QRTR_TYPE_RESUME_TX": QRTR_TYPE_RESUME_TX,
        "QRTR_TYPE_EXIT": QRTR_TYPE_EXIT,
        "QRTR_TYPE_PING": QRTR_TYPE_PING,
        "QRTR_TYPE_NEW_LOOKUP": QRTR_TYPE_NEW_LOOKUP,
        "QRTR_TYPE_DEL_LOOKUP": QRTR_TYPE_DEL_LOOKUP,
    }
else:  # AF_QIPCRTR is Linux-only: no names elsewhere, and the family is not registered
    CONSTANTS: Final[dict[str, int]] = {}

del sys

# No __all__: ``from ._constants import *`` re-exports every constant by name.
