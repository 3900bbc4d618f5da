"""The raw libc bindings of the core, private: one call each, one error convention.

Every binding here returns an ``int``: its result (a descriptor, a count, 0)
when the call succeeds, ``-errno`` when it fails.  Never an exception, never
a bare -1 whose errno a later call may overwrite: the caller decides what an
error means (retry after EAGAIN or EINTR, wait after EINPROGRESS, raise with
:func:`sockcore.libc.raise_errno`).  What a call produces besides its result
goes into an object the caller passes (a :class:`SockaddrBuffer`, an
:class:`OptionBuffer`, an :data:`FdPair`, a list) and is read once the result says success.

The C functions themselves are exported too, as ``*_raw``: the socket's hot
paths call them inline, without a binding's frame.  They return what C
returns (-1, with the errno in :func:`get_errno`), and every inlined use turns
that into ``-errno`` on the spot, as the binding it stands for would.

Argument conventions keep the calls cheap: ``argtypes`` are *not* declared
for the hot calls (converting through ``argtypes`` costs more than passing
``ctypes`` objects and plain ints directly), so callers pass ints, bytes, and
``byref()`` / buffers exactly as C expects them.  The public face of this
module, for plugins, is :mod:`sockcore.libc`.
"""

from __future__ import annotations

import ctypes
import errno

from .._platform import current as _platform

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _load_libc(names: tuple[str | None, ...], mode: type[ctypes.CDLL]) -> tuple[str | None, ctypes.CDLL]:
    """The first of the platform's names (None: the interpreter's own libc) that loads."""
    failure: OSError | None = None
    for name in names:
        try:
            return name, mode(name, use_errno=True)
        except OSError as error:
            failure = error
    raise ImportError(f"sockcore.libc: no C library among {names}: {failure}")


LIBC_NAME, LIBC = _load_libc(_platform.LIBC_NAMES, ctypes.CDLL)

SOCKADDR_MAX = 128  # sizeof(struct sockaddr_storage) on every platform
IF_NAMESIZE = 16

# the ctypes objects callers build arguments with (they import no ctypes themselves)
c_int = ctypes.c_int
c_uint = ctypes.c_uint
c_size_t = ctypes.c_size_t
c_char = ctypes.c_char
byref = ctypes.byref
get_errno = ctypes.get_errno
create_string_buffer = ctypes.create_string_buffer
ArgumentError = ctypes.ArgumentError

_INT_SIZE = ctypes.sizeof(c_int)
_INT_MAX = 2 ** (8 * _INT_SIZE - 1) - 1


def _proto(name: str, restype: Any, *argtypes: Any) -> Any:
    function = getattr(LIBC, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


# -- the C functions ---------------------------------------------------------------

socket_raw = LIBC.socket
_socketpair = LIBC.socketpair
_bind = LIBC.bind
connect_raw = LIBC.connect
_listen = LIBC.listen
accept4_raw = LIBC.accept4
_shutdown = LIBC.shutdown
# Calls that never block keep the GIL: a PyDLL function skips dropping and
# retaking it (CPython's socket module holds it for getsockopt/setsockopt).
_GIL_HELD = ctypes.PyDLL(LIBC_NAME, use_errno=True)
getsockopt_raw = _GIL_HELD.getsockopt
setsockopt_raw = _GIL_HELD.setsockopt
getsockname_raw = _GIL_HELD.getsockname
getpeername_raw = _GIL_HELD.getpeername
#: getsockopt/setsockopt without ctypes' errno bookkeeping (~10% of the call)
#: for the int fast paths: a failed call changes nothing, so the caller repeats
#: it through getsockopt_raw/setsockopt_raw to learn the errno.
_GIL_HELD_NO_ERRNO = ctypes.PyDLL(LIBC_NAME)
getsockopt_unchecked = _GIL_HELD_NO_ERRNO.getsockopt
setsockopt_unchecked = _GIL_HELD_NO_ERRNO.setsockopt
# sendto/recvfrom are hot: no argtypes (converting through them costs ~1.3 us a
# call); callers pass ints, bytes, ctypes buffers and byref() as C expects.
sendto_raw = LIBC.sendto
sendto_raw.restype = ctypes.c_ssize_t
recvfrom_raw = LIBC.recvfrom
recvfrom_raw.restype = ctypes.c_ssize_t
# as sendto: (int fd, byref(msghdr), int flags), no argtypes; used by sockcore._messages
sendmsg_raw = LIBC.sendmsg
sendmsg_raw.restype = ctypes.c_ssize_t
recvmsg_raw = LIBC.recvmsg
recvmsg_raw.restype = ctypes.c_ssize_t
recvmmsg_raw = LIBC.recvmmsg  # (int fd, mmsghdr *, unsigned vlen, int flags, timespec *)
recvmmsg_raw.restype = c_int
sendmmsg_raw = LIBC.sendmmsg  # (int fd, mmsghdr *, unsigned vlen, int flags)
sendmmsg_raw.restype = c_int
_gethostname = LIBC.gethostname
_sethostname = _proto("sethostname", c_int, ctypes.c_char_p, c_size_t)
_if_nametoindex = _proto("if_nametoindex", c_uint, ctypes.c_char_p)
_if_indextoname = _proto("if_indextoname", ctypes.c_char_p, c_uint, ctypes.c_char_p)


class _IfNameIndex(ctypes.Structure):
    _fields_ = [("if_index", c_uint), ("if_name", ctypes.c_char_p)]


_if_nameindex = _proto("if_nameindex", ctypes.POINTER(_IfNameIndex))
_if_freenameindex = _proto("if_freenameindex", None, ctypes.POINTER(_IfNameIndex))


# -- what the calls fill in ----------------------------------------------------------

class SockaddrBuffer:
    """A sockaddr_storage and its length, for calls that return an address.

    Sockets keep a few between calls (with ``data``, a receive buffer), so
    ``ref``, the ``socklen_t *`` argument, is made once.
    """

    __slots__ = ("buf", "data", "length", "ref")

    def __init__(self) -> None:
        self.buf = create_string_buffer(SOCKADDR_MAX)
        self.length = c_uint(SOCKADDR_MAX)
        self.ref = byref(self.length)
        self.data: Any = None

    def reset(self) -> None:
        self.length.value = SOCKADDR_MAX

    def raw(self) -> bytes:
        n = self.length.value
        return self.buf[: min(n, SOCKADDR_MAX)]  # type: ignore[return-value]  # c_char arrays slice to bytes


class OptionBuffer:
    """An option value of ``size`` bytes and its socklen_t, for :func:`getsockopt`."""

    __slots__ = ("buf", "length")

    def __init__(self, size: int) -> None:
        self.buf = create_string_buffer(size)
        self.length = c_uint(size)

    def raw(self) -> bytes:
        """The bytes the kernel wrote (as many as it said)."""
        return self.buf.raw[: self.length.value]

    def as_int(self) -> int:
        """The value as a C int, whatever length the kernel gave (as CPython reads an int option)."""
        return c_int.from_buffer(self.buf).value

    def as_u64(self) -> int:
        """The value as a C uint64_t."""
        return ctypes.c_uint64.from_buffer(self.buf).value


#: int[2], what socketpair fills in
FdPair = c_int * 2


def int_cell() -> tuple[memoryview, Any, Any]:
    """An int option's value and socklen_t, made once and kept in a pool.

    ``(ints, value_ref, length_ref)``: ``ints[0]`` is the value and
    ``ints[1]`` the length (4 whenever the cell is in the pool), read and
    written through a memoryview, and pointers to both for the call.
    """
    cell = (c_int * 2)(0, _INT_SIZE)
    return memoryview(cell).cast("B").cast("i"), byref(cell), byref(cell, _INT_SIZE)


# -- the bindings: the result, or -errno ------------------------------------------------

def socket(family: int, type: int, proto: int) -> int:
    """socket(2): the new descriptor."""
    fd: int = socket_raw(family, type, proto)
    return fd if fd != -1 else -get_errno()


def socketpair(family: int, type: int, proto: int, fds: Any) -> int:
    """socketpair(2): 0, the two descriptors in ``fds``, an :data:`FdPair`."""
    return 0 if _socketpair(family, type, proto, fds) != -1 else -get_errno()


def bind(fd: int, sockaddr: bytes) -> int:
    return 0 if _bind(fd, sockaddr, len(sockaddr)) != -1 else -get_errno()


def connect(fd: int, sockaddr: bytes) -> int:
    """connect(2): 0 (the caller decides what -EINPROGRESS means)."""
    return 0 if connect_raw(fd, sockaddr, len(sockaddr)) != -1 else -get_errno()


def listen(fd: int, backlog: int) -> int:
    return 0 if _listen(fd, backlog) != -1 else -get_errno()


def accept4(fd: int, flags: int, addr: SockaddrBuffer | None) -> int:
    """accept4(2): the new descriptor, the peer's address in ``addr`` (None: no address buffer)."""
    if addr is None:
        new = accept4_raw(fd, None, None, flags)
    else:
        addr.reset()
        new = accept4_raw(fd, addr.buf, addr.ref, flags)
    if new == -1:
        return -get_errno()
    return int(new)


def shutdown(fd: int, how: int) -> int:
    return 0 if _shutdown(fd, how) != -1 else -get_errno()


def getsockopt(fd: int, level: int, optname: int, option: OptionBuffer) -> int:
    """getsockopt(2) into ``option`` (its length set to what the kernel wrote): 0."""
    if getsockopt_raw(fd, level, optname, option.buf, byref(option.length)) == -1:
        return -get_errno()
    return 0


def setsockopt(fd: int, level: int, optname: int, value: bytes | None, optlen: int) -> int:
    """setsockopt(2) with a byte buffer, or with NULL and ``optlen`` when value is None: 0."""
    return 0 if setsockopt_raw(fd, level, optname, value, optlen) != -1 else -get_errno()


def setsockopt_int(fd: int, level: int, optname: int, value: int) -> int:
    """setsockopt(2) of a C int: 0."""
    return 0 if setsockopt_raw(fd, level, optname, byref(c_int(value)), _INT_SIZE) != -1 else -get_errno()


def setsockopt_u64(fd: int, level: int, optname: int, value: int) -> int:
    """setsockopt(2) of a uint64_t (a family whose options are u64): 0."""
    value_u64 = ctypes.c_uint64(value)
    if setsockopt_raw(fd, level, optname, byref(value_u64), ctypes.sizeof(value_u64)) == -1:
        return -get_errno()
    return 0


def _size(n: int) -> Any:
    """A size_t argument: a plain int when it fits C int (the cheap path), else c_size_t."""
    return n if n <= _INT_MAX else c_size_t(n)


def sendto(fd: int, data: Any, flags: int, sockaddr: bytes | None) -> int:
    """sendto(2): the count sent. ``data`` is bytes or a ctypes buffer."""
    n: int = sendto_raw(fd, data, _size(len(data)), flags, sockaddr, len(sockaddr) if sockaddr else 0)
    return n if n != -1 else -get_errno()


def recvfrom(fd: int, buf: Any, nbytes: int, flags: int, addr: SockaddrBuffer | None) -> int:
    """recvfrom(2) into ``buf``, the sender's address in ``addr``: the count received."""
    if addr is None:
        n: int = recvfrom_raw(fd, buf, _size(nbytes), flags, None, None)
    else:
        addr.length.value = SOCKADDR_MAX
        n = recvfrom_raw(fd, buf, _size(nbytes), flags, addr.buf, addr.ref)
    return n if n != -1 else -get_errno()


def gethostname(buf: Any) -> int:
    """gethostname(3) into the ctypes buffer ``buf`` (NUL-terminated when it fits): 0."""
    return 0 if _gethostname(buf, len(buf)) != -1 else -get_errno()


def sethostname(name: bytes) -> int:
    return 0 if _sethostname(name, len(name)) != -1 else -get_errno()


def if_nametoindex(name: bytes) -> int:
    """if_nametoindex(3): the index (never 0)."""
    index: int = _if_nametoindex(name)
    return index if index else -(get_errno() or errno.ENODEV)


def if_indextoname(index: int, buf: Any) -> int:
    """if_indextoname(3) into ``buf``, a ctypes buffer of IF_NAMESIZE bytes: 0."""
    return 0 if _if_indextoname(index, buf) else -get_errno()


def if_nameindex(interfaces: list[tuple[int, bytes]]) -> int:
    """if_nameindex(3): 0, every ``(index, name)`` appended to ``interfaces``."""
    head = _if_nameindex()
    if not head:
        return -get_errno()
    try:
        i = 0
        while head[i].if_index != 0:
            interfaces.append((head[i].if_index, head[i].if_name))
            i += 1
        return 0
    finally:
        _if_freenameindex(head)
