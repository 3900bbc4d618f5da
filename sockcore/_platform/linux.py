"""Linux, with any C library (glibc, musl, bionic): the kernel's own structs.

musl declares ``msg_iovlen``/``msg_controllen``/``cmsg_len`` as int or
socklen_t beside a zeroed pad so that the bytes are the kernel's size_t;
packing them as size_t is therefore right for every libc here.
"""

NAME = "linux"
#: sockaddr starts with sa_family_t (unsigned short); no length byte
SOCKADDR_HEADER = (("sa_family", "H"),)
MSGHDR = (
    ("msg_name", "P"), ("msg_namelen", "I"), ("msg_iov", "P"), ("msg_iovlen", "N"),
    ("msg_control", "P"), ("msg_controllen", "N"), ("msg_flags", "i"),
)
IOVEC = (("iov_base", "P"), ("iov_len", "N"))
CMSGHDR = (("cmsg_len", "N"), ("cmsg_level", "i"), ("cmsg_type", "i"))
#: CMSG_ALIGN rounds to sizeof(size_t)
CMSG_ALIGN = "N"
#: dlopen(NULL): the C library the interpreter itself was linked against
#: (glibc's libc.so.6, musl's ld-musl-*.so.1), found without ctypes.util,
#: which would import subprocess and run ldconfig
LIBC_NAMES: tuple[str | None, ...] = (None,)
#: the function errno lives behind (ctypes' use_errno reads it through it)
ERRNO_SYMBOL = "__errno_location"
