"""macOS (and the other Darwin systems): BSD sockaddrs, a msghdr of ints.

Not run by this project's CI (see the README's platform table): the layouts
are checked on Linux by selecting this module in tests/platform.
"""

# the structures are the BSDs' (4.4BSD's sa_len header, a msghdr of ints);
# the cmsg alignment and the library differ
from .bsd import CMSGHDR, IOVEC, MSGHDR, SOCKADDR_HEADER

__all__ = ["CMSGHDR", "CMSG_ALIGN", "ERRNO_SYMBOL", "IOVEC", "LIBC_NAMES", "MSGHDR", "NAME", "SOCKADDR_HEADER"]

NAME = "darwin"
#: __DARWIN_ALIGN32: cmsgs are 4-byte aligned even on 64-bit
CMSG_ALIGN = "I"
#: libSystem holds libc; its path is stable (served from the dyld shared cache)
LIBC_NAMES: tuple[str | None, ...] = ("/usr/lib/libSystem.B.dylib", None)
ERRNO_SYMBOL = "__error"
