"""macOS (and the other Darwin systems): BSD sockaddrs, a msghdr of ints.

Not run by this project's CI (see the README's platform table): the layouts
are checked on Linux by selecting this module in tests/platform.
"""

NAME = "darwin"
#: sockaddr starts with sa_len (the whole address's length) and an 8-bit sa_family
SOCKADDR_HEADER = (("sa_len", "B"), ("sa_family", "B"))
MSGHDR = (
    ("msg_name", "P"), ("msg_namelen", "I"), ("msg_iov", "P"), ("msg_iovlen", "i"),
    ("msg_control", "P"), ("msg_controllen", "I"), ("msg_flags", "i"),
)
IOVEC = (("iov_base", "P"), ("iov_len", "N"))
CMSGHDR = (("cmsg_len", "I"), ("cmsg_level", "i"), ("cmsg_type", "i"))
#: __DARWIN_ALIGN32: cmsgs are 4-byte aligned even on 64-bit
CMSG_ALIGN = "I"
#: libSystem holds libc; its path is stable (served from the dyld shared cache)
LIBC_NAMES: tuple[str | None, ...] = ("/usr/lib/libSystem.B.dylib", None)
ERRNO_SYMBOL = "__error"
