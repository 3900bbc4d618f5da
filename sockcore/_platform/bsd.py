"""FreeBSD, NetBSD, OpenBSD and DragonFly: BSD sockaddrs, a msghdr of ints.

Not run by this project's CI (see the README's platform table): the layouts
are checked on Linux by selecting this module in tests/platform.
"""

NAME = "bsd"
#: sockaddr starts with sa_len (the whole address's length) and an 8-bit sa_family
SOCKADDR_HEADER = (("sa_len", "B"), ("sa_family", "B"))
MSGHDR = (
    ("msg_name", "P"), ("msg_namelen", "I"), ("msg_iov", "P"), ("msg_iovlen", "i"),
    ("msg_control", "P"), ("msg_controllen", "I"), ("msg_flags", "i"),
)
IOVEC = (("iov_base", "P"), ("iov_len", "N"))
CMSGHDR = (("cmsg_len", "I"), ("cmsg_level", "i"), ("cmsg_type", "i"))
#: _ALIGN: cmsgs are aligned to the machine word (sizeof(long))
CMSG_ALIGN = "l"
#: dlopen(NULL): the libc the interpreter was linked against (libc.so.7 on FreeBSD)
LIBC_NAMES: tuple[str | None, ...] = (None,)
ERRNO_SYMBOL = "__error"  # FreeBSD/DragonFly; NetBSD/OpenBSD name it __errno; ctypes hides both
