"""sockcore-inet's constants for this platform: the generated table plus hand-written names."""

import sys

if sys.platform.startswith("linux"):
    from .linux import *  # noqa: F403
    from .linux import CONSTANTS as _GENERATED
else:  # pragma: no cover - only Linux tables are generated so far
    raise ImportError(f"sockcore-inet has no constant table for {sys.platform}; run tools/gen_constants.py there")

# Documented by the socket module but defined by no header of this machine.
#: BSD's first port for non-privileged servers; glibc dropped it, the stdlib keeps it.
IPPORT_USERRESERVED = 5000
#: UDP-Lite checksum coverage options: only in the kernel's private net/udplite.h.
UDPLITE_SEND_CSCOV = 10
UDPLITE_RECV_CSCOV = 11

CONSTANTS: dict[str, int] = {  # type: ignore[no-redef]  # the table plus the names above
    **_GENERATED,
    "IPPORT_USERRESERVED": IPPORT_USERRESERVED,
    "UDPLITE_SEND_CSCOV": UDPLITE_SEND_CSCOV,
    "UDPLITE_RECV_CSCOV": UDPLITE_RECV_CSCOV,
}

__all__ = ["CONSTANTS", *CONSTANTS]  # noqa: PLE0604 - every constant is public
