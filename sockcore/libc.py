"""The syscall layer: the C library through ctypes, and nothing else.

This is the only module of the core that uses ctypes.  Plugins that need more
of libc (``getaddrinfo``, an ``ioctl``) reuse :data:`LIBC` and
:func:`raise_errno` instead of loading the library again.

Argument conventions keep the calls cheap: ``argtypes`` are *not* declared
for the hot calls (converting through ``argtypes`` costs more than passing
``ctypes`` objects and plain ints directly), so callers pass ints, bytes, and
``byref()`` / buffers exactly as C expects them.
"""

from __future__ import annotations

import ctypes
import errno
import os
import struct

from ._platform import Layout
from ._platform import current as _platform

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn


__all__ = [
    "LIBC",
    "SOCKADDR_MAX",
    "CmsgHeader",
    "IoVec",
    "MsgHdr",
    "SockaddrBuffer",
    "accept4",
    "bind",
    "byref",
    "c_int",
    "c_uint",
    "check",
    "connect",
    "get_errno",
    "gethostname",
    "getpeername",
    "getsockname",
    "getsockopt",
    "if_indextoname",
    "if_nameindex",
    "if_nametoindex",
    "raise_errno",
    "recvfrom",
    "sendto",
    "sethostname",
    "setsockopt",
    "shutdown",
]


def _load_libc(names: tuple[str | None, ...], mode: type[ctypes.CDLL]) -> tuple[str | None, ctypes.CDLL]:
    """The first of the platform's names (None: the interpreter's own libc) that loads."""
    failure: OSError | None = None
    for name in names:
        try:
            return name, mode(name, use_errno=True)
        except OSError as error:
            failure = error
    raise ImportError(f"sockcore.libc: no C library among {names}: {failure}")


_LIBC_NAME, LIBC = _load_libc(_platform.LIBC_NAMES, ctypes.CDLL)


class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def describe_libc() -> str:
    """Which C library the calls go to: its name and version where it says, and its file (for ``sockcore doctor``)."""
    path = ""
    info = _DlInfo()
    try:  # dladdr(3) names the object that defines socket()
        if LIBC.dladdr(ctypes.cast(LIBC.socket, ctypes.c_void_p), ctypes.byref(info)) and info.dli_fname:
            path = os.fsdecode(info.dli_fname)
    except AttributeError:  # pragma: no cover - a libc without dladdr
        pass
    try:
        name = os.confstr("CS_GNU_LIBC_VERSION") or ""  # "glibc 2.36"; musl has no such name
    except (ValueError, OSError):
        name = ""
    if not name:
        name = "musl" if "musl" in path else "libc"
    loaded = "the interpreter's own (dlopen(NULL))" if _LIBC_NAME is None else repr(_LIBC_NAME)
    return f"{name} ({path or 'path unknown'}), loaded as {loaded}, {_platform.NAME} platform layer"
SOCKADDR_MAX = 128  # sizeof(struct sockaddr_storage) on every platform
IF_NAMESIZE = 16

c_int = ctypes.c_int
c_uint = ctypes.c_uint
c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p
c_size_t = ctypes.c_size_t
c_ssize_t = ctypes.c_ssize_t
byref = ctypes.byref
get_errno = ctypes.get_errno
create_string_buffer = ctypes.create_string_buffer
string_at = ctypes.string_at
addressof = ctypes.addressof
POINTER = ctypes.POINTER
Structure = ctypes.Structure
c_ubyte = ctypes.c_ubyte
c_char = ctypes.c_char
c_ushort = ctypes.c_ushort
c_uint32 = ctypes.c_uint32
memmove = ctypes.memmove


def raise_errno(err: int | None = None, *args: Any) -> NoReturn:
    """Raise the OSError subclass for ``err`` (default: the current errno), with libc's message."""
    if err is None:
        err = get_errno()
    raise OSError(err, os.strerror(err), *args)


def check(result: int) -> int:
    """Return ``result``, or raise the errno's OSError when it is -1."""
    if result == -1:
        raise_errno()
    return result


# -- prototypes that need them (pointers and sizes that must not be truncated) --

def _proto(name: str, restype: Any, *argtypes: Any) -> Any:
    function = getattr(LIBC, name)
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


_socket = LIBC.socket
_socketpair = LIBC.socketpair
_bind = LIBC.bind
_connect = LIBC.connect
_listen = LIBC.listen
_accept4 = LIBC.accept4
_shutdown = LIBC.shutdown
# Calls that never block keep the GIL: a PyDLL function skips dropping and
# retaking it (CPython's socket module holds it for getsockopt/setsockopt).
_GIL_HELD = ctypes.PyDLL(_LIBC_NAME, use_errno=True)
_getsockopt = _GIL_HELD.getsockopt
_setsockopt = _GIL_HELD.setsockopt
_getsockname = _GIL_HELD.getsockname
_getpeername = _GIL_HELD.getpeername
# sendto/recvfrom are hot: no argtypes (converting through them costs ~1.3 us a
# call); callers pass ints, bytes, ctypes buffers and byref() as C expects.
_sendto = LIBC.sendto
_sendto.restype = c_ssize_t
_recvfrom = LIBC.recvfrom
_recvfrom.restype = c_ssize_t
_INT_SIZE = ctypes.sizeof(c_int)
_U64_SIZE = ctypes.sizeof(ctypes.c_uint64)
_INT_MAX = 2 ** (8 * _INT_SIZE - 1) - 1
_sendmsg = LIBC.sendmsg  # as sendto: (int fd, byref(msghdr), int flags), no argtypes
_sendmsg.restype = c_ssize_t
_recvmsg = LIBC.recvmsg
_recvmsg.restype = c_ssize_t
_gethostname = LIBC.gethostname
_sethostname = _proto("sethostname", c_int, c_char_p, c_size_t)
_if_nametoindex = _proto("if_nametoindex", c_uint, c_char_p)
_if_indextoname = _proto("if_indextoname", c_char_p, c_uint, c_char_p)


class IfNameIndex(Structure):
    _fields_ = [("if_index", c_uint), ("if_name", c_char_p)]


_if_nameindex = _proto("if_nameindex", POINTER(IfNameIndex))
_if_freenameindex = _proto("if_freenameindex", None, POINTER(IfNameIndex))


# The platform layer gives each struct as struct type codes; the same codes as
# ctypes types let the import check that both agree on this ABI's layout.
_CTYPES = {"P": c_void_p, "N": c_size_t, "I": c_uint, "i": c_int, "H": c_ushort, "B": c_ubyte, "l": ctypes.c_long}
_MSGHDR_LAYOUT = Layout(_platform.MSGHDR)
_IOVEC_LAYOUT = Layout(_platform.IOVEC)
_CMSGHDR_LAYOUT = Layout(_platform.CMSGHDR)


def _structure(name: str, layout: Layout) -> Any:
    fields = [(field, _CTYPES[code]) for field, code in layout.fields]
    structure = type(name, (Structure,), {"_fields_": fields})
    if ctypes.sizeof(structure) != layout.size or any(
        getattr(structure, field).offset != offset for field, offset in layout.offsets.items()
    ):  # pragma: no cover - an ABI where ctypes and struct disagree
        raise ImportError(f"sockcore.libc: ctypes and struct lay out {name} differently on this platform")
    return structure


IoVec = _structure("IoVec", _IOVEC_LAYOUT)
MsgHdr = _structure("MsgHdr", _MSGHDR_LAYOUT)
CmsgHeader = _structure("CmsgHeader", _CMSGHDR_LAYOUT)


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


# -- the calls --------------------------------------------------------------------

def socket(family: int, type: int, proto: int) -> int:
    fd: int = _socket(family, type, proto)
    if fd == -1:
        raise_errno()
    return fd


def socketpair(family: int, type: int, proto: int) -> tuple[int, int]:
    fds = (c_int * 2)()
    if _socketpair(family, type, proto, fds) == -1:
        raise_errno()
    return fds[0], fds[1]


def bind(fd: int, sockaddr: bytes) -> None:
    if _bind(fd, sockaddr, len(sockaddr)) == -1:
        raise_errno()


def connect(fd: int, sockaddr: bytes) -> int:
    """connect(2); returns 0 or the errno (the caller decides what EINPROGRESS means)."""
    if _connect(fd, sockaddr, len(sockaddr)) == -1:
        return get_errno()
    return 0


def listen(fd: int, backlog: int) -> None:
    if _listen(fd, backlog) == -1:
        raise_errno()


def accept4(fd: int, flags: int, addr: SockaddrBuffer | None) -> int:
    """accept4(2); returns the new fd, or -errno so the caller can wait and retry."""
    if addr is None:
        new = _accept4(fd, None, None, flags)
    else:
        addr.reset()
        new = _accept4(fd, addr.buf, addr.ref, flags)
    if new == -1:
        return -get_errno()
    return int(new)


def getsockname(fd: int) -> bytes:
    addr = SockaddrBuffer()
    if _getsockname(fd, addr.buf, byref(addr.length)) == -1:
        raise_errno()
    return addr.raw()


def getpeername(fd: int) -> bytes:
    addr = SockaddrBuffer()
    if _getpeername(fd, addr.buf, byref(addr.length)) == -1:
        raise_errno()
    return addr.raw()


def shutdown(fd: int, how: int) -> None:
    if _shutdown(fd, how) == -1:
        raise_errno()


#: the raw calls, for the socket's fast paths (no wrapper frame): they return
#: -1 and leave errno (get_errno) as C does; sizes above INT_MAX go as c_size_t
getsockopt_raw = _getsockopt
setsockopt_raw = _setsockopt
#: getsockopt/setsockopt without ctypes' errno bookkeeping (~10% of the call)
#: for the int fast paths: a failed call changes nothing, so the caller repeats
#: it through getsockopt_raw/setsockopt_raw to learn the errno.
_GIL_HELD_NO_ERRNO = ctypes.PyDLL(_LIBC_NAME)
getsockopt_unchecked = _GIL_HELD_NO_ERRNO.getsockopt
setsockopt_unchecked = _GIL_HELD_NO_ERRNO.setsockopt
getsockname_raw = _getsockname
getpeername_raw = _getpeername
sendto_raw = _sendto
recvfrom_raw = _recvfrom
connect_raw = _connect
socket_raw = _socket
accept4_raw = _accept4
ArgumentError = ctypes.ArgumentError


def int_cell() -> tuple[memoryview, Any, Any]:
    """An int option's value and socklen_t, made once and kept in a pool.

    ``(ints, value_ref, length_ref)``: ``ints[0]`` is the value and
    ``ints[1]`` the length (4 whenever the cell is in the pool), read and
    written through a memoryview, and pointers to both for the call.
    """
    cell = (c_int * 2)(0, _INT_SIZE)
    return memoryview(cell).cast("B").cast("i"), byref(cell), byref(cell, _INT_SIZE)


def getsockopt_int(fd: int, level: int, optname: int) -> int:
    value = c_int()
    length = c_uint(_INT_SIZE)
    if _getsockopt(fd, level, optname, byref(value), byref(length)) == -1:
        raise_errno()
    return value.value


def getsockopt_u64(fd: int, level: int, optname: int) -> int:
    value = ctypes.c_uint64()
    length = c_uint(_U64_SIZE)
    if _getsockopt(fd, level, optname, byref(value), byref(length)) == -1:
        raise_errno()
    return value.value


def setsockopt_u64(fd: int, level: int, optname: int, value: int) -> None:
    if _setsockopt(fd, level, optname, byref(ctypes.c_uint64(value)), _U64_SIZE) == -1:
        raise_errno()


def getsockopt(fd: int, level: int, optname: int, buflen: int) -> bytes:
    buf = create_string_buffer(buflen)
    length = c_uint(buflen)
    if _getsockopt(fd, level, optname, buf, byref(length)) == -1:
        raise_errno()
    return buf.raw[: length.value]


def setsockopt_int(fd: int, level: int, optname: int, value: int) -> None:
    if _setsockopt(fd, level, optname, byref(c_int(value)), _INT_SIZE) == -1:
        raise_errno()


def setsockopt(fd: int, level: int, optname: int, value: bytes | None, optlen: int) -> None:
    """setsockopt(2) with a byte buffer, or with NULL and ``optlen`` when value is None."""
    if _setsockopt(fd, level, optname, value, optlen) == -1:
        raise_errno()


def _size(n: int) -> Any:
    """A size_t argument: a plain int when it fits C int (the cheap path), else c_size_t."""
    return n if n <= _INT_MAX else c_size_t(n)


def sendto(fd: int, data: Any, flags: int, sockaddr: bytes | None) -> int:
    """sendto(2); returns the count or -errno. ``data`` is bytes or a ctypes buffer."""
    n: int = _sendto(fd, data, _size(len(data)), flags, sockaddr, len(sockaddr) if sockaddr else 0)
    if n == -1:
        return -get_errno()
    return n


def recvfrom(fd: int, buf: Any, nbytes: int, flags: int, addr: SockaddrBuffer | None) -> int:
    """recvfrom(2) into ``buf``; returns the count or -errno."""
    if addr is None:
        n: int = _recvfrom(fd, buf, _size(nbytes), flags, None, None)
    else:
        addr.length.value = SOCKADDR_MAX
        n = _recvfrom(fd, buf, _size(nbytes), flags, addr.buf, addr.ref)
    if n == -1:
        return -get_errno()
    return n


# A msghdr and its iovecs packed in one call (struct) rather than field by field
# (each ctypes field write costs ~500 instructions), in the platform's layout.
# Native mode ("@"): C's sizes and alignment, so the iovecs that follow start
# at sizeof(struct msghdr) (their pointer pads the header to it).
_MSGHDR = _MSGHDR_LAYOUT.format  # name, namelen, iov, iovlen, control, controllen, flags
_IOVEC = _IOVEC_LAYOUT.codes  # base, len
# what the kernel writes back: namelen, controllen, flags
_MSG_RESULT = _MSGHDR_LAYOUT.reader("msg_namelen", "msg_controllen", "msg_flags")
MSGHDR_SIZE = ctypes.sizeof(MsgHdr)
IOVEC_SIZE = ctypes.sizeof(IoVec)
if struct.calcsize(_MSGHDR + "0P") != MSGHDR_SIZE:  # pragma: no cover - a msghdr aligned beyond a pointer
    raise ImportError("sockcore.libc: the iovecs would not start right after this platform's msghdr")
_msg_layouts: dict[int, struct.Struct] = {}


def _msg_layout(iovecs: int) -> struct.Struct:
    layout = _msg_layouts.get(iovecs)
    if layout is None:
        layout = struct.Struct(_MSGHDR + _IOVEC * iovecs)
        if iovecs <= 64:  # the counts programs use; a rare large one is built each time
            _msg_layouts[iovecs] = layout
    return layout


_ZERO_FILL_MAX = 256 * 1024  # past this a fresh receive buffer is a mapping: create_string_buffer zero-fills


def _mapped_buffer(size: int) -> Any:
    """A ctypes buffer on an anonymous mapping: its pages cost memory only once the kernel writes them."""
    import mmap  # only for large receives: off the import path

    try:
        mapping = mmap.mmap(-1, size)
    except OSError:  # ENOMEM: what the stdlib's allocation raises
        raise MemoryError from None
    return (c_char * size).from_buffer(mapping)


class MessageBuffers:
    """A msghdr with room for its iovecs and a sockaddr, plus data and control buffers.

    Made once and kept by the socket between sendmsg/recvmsg calls, as
    SockaddrBuffers are for recvfrom. :meth:`prepare` packs the header for one
    call (one struct pack: ctypes field writes cost ~500 instructions each) and
    keeps it, because recvmsg rewrites its lengths: each recvmsg attempt copies
    it back first. A repeated recvmsg of the same sizes reuses it whole.
    """

    __slots__ = (
        "block", "capacity", "control", "data", "data_view", "header", "key", "name_offset", "receiving", "ref", "view",
    )

    def __init__(self, iovecs: int) -> None:
        self.capacity = iovecs  # the iovecs the block has room for
        self.name_offset = MSGHDR_SIZE + IOVEC_SIZE * iovecs
        self.block = create_string_buffer(self.name_offset + SOCKADDR_MAX)
        self.view = memoryview(self.block).cast("B")
        self.ref = byref(self.block)
        self.data: Any = None
        self.data_view: memoryview | None = None
        self.control: Any = None
        self.header = b""
        self.key: tuple[Any, ...] | None = None  # what the header was packed from
        self.receiving: tuple[int, int] | None = None  # the (size, ancbufsize) the header is packed for

    def data_buffer(self, size: int, keep: bool) -> Any:
        """A ctypes buffer of at least ``size`` bytes (never empty), kept for the next call when ``keep``."""
        data = self.data
        if data is None or len(data) < size:
            data = create_string_buffer(size or 1) if keep or size <= _ZERO_FILL_MAX else _mapped_buffer(size)
            if keep:
                # the old header points at the old buffer
                self.data, self.data_view, self.receiving, self.key = data, None, None, None
        return data

    def control_buffer(self, size: int, content: bytes = b"") -> Any:
        """A ctypes buffer of at least ``size`` bytes for msg_control, starting with ``content``."""
        control = self.control
        if control is None or len(control) < size:
            control = self.control = create_string_buffer(size)
            self.receiving = self.key = None  # the old header points at the old buffer
        if content:
            memoryview(control).cast("B")[: len(content)] = content
        return control

    def gather(self, payloads: list[bytes], keep_up_to: int) -> tuple[Any, list[tuple[int, int]]]:
        """Copy ``payloads`` one after another into a data buffer: the buffer and their iovecs.

        A buffer of up to ``keep_up_to`` bytes is kept for the next call; the
        caller holds the buffer until the call is done (it may be the only reference).
        """
        total = 0
        for payload in payloads:
            total += len(payload)
        data = self.data_buffer(total, total <= keep_up_to)
        view = self.data_view if data is self.data else None
        if view is None:
            view = memoryview(data).cast("B")
            if data is self.data:
                self.data_view = view
        base = addressof(data)
        iovecs = []
        offset = 0
        for payload in payloads:
            end = offset + len(payload)
            view[offset:end] = payload
            iovecs.append((base + offset, end - offset))
            offset = end
        return data, iovecs

    def prepare(self, iovecs: list[tuple[int, int]], control: Any, control_length: int, name_length: int, name: bytes = b"") -> None:
        """Pack the header for one call: ``(address, length)`` iovecs, msg_control, the name area.

        ``name_length`` 0 passes no name; ``name`` is copied in for sendmsg.
        """
        if len(iovecs) > self.capacity:
            raise ValueError(f"{len(iovecs)} iovecs in a msghdr block made for {self.capacity}")
        start = self.name_offset
        if name:
            self.view[start : start + len(name)] = name
        self.receiving = None
        key = (tuple(iovecs), control_length, name_length)
        if key == self.key:  # the same header as the last call (a sender of same-sized messages)
            header = self.header
            self.view[: len(header)] = header
            return
        base = addressof(self.block)
        values = [
            base + start if name_length else 0, name_length,
            base + MSGHDR_SIZE, len(iovecs),
            addressof(control) if control_length else 0, control_length, 0,
        ]
        for iovec in iovecs:
            values += iovec
        header = self.header = _msg_layout(len(iovecs)).pack(*values)
        self.view[: len(header)] = header
        self.key = key

    def receive_buffer(self, size: int, ancbufsize: int, keep: bool) -> Any:
        """The data buffer for a recvmsg of ``size`` bytes and ``ancbufsize`` of control, its header packed."""
        if self.receiving == (size, ancbufsize):
            return self.data
        data = self.data_buffer(size, keep)
        control = self.control_buffer(ancbufsize) if ancbufsize else None
        self.prepare([(addressof(data), size)], control, ancbufsize, SOCKADDR_MAX)
        if data is self.data:
            self.receiving = (size, ancbufsize)
        return data

    def recvmsg(self, fd: int, flags: int) -> int:
        """recvmsg(2) with the prepared header, restored first; the count or -errno."""
        header = self.header
        self.view[: len(header)] = header
        n: int = _recvmsg(fd, self.ref, flags)
        return n if n != -1 else -get_errno()

    def sendmsg(self, fd: int, flags: int) -> int:
        """sendmsg(2) with the prepared header (which it leaves as it is); the count or -errno."""
        n: int = _sendmsg(fd, self.ref, flags)
        return n if n != -1 else -get_errno()

    def results(self) -> tuple[bytes, int, int]:
        """After recvmsg: the sender's sockaddr (b"" when none), the control length and msg_flags."""
        name_length, control_length, flags = _MSG_RESULT.unpack_from(self.view)
        if not name_length:
            return b"", control_length, flags
        start = self.name_offset
        name: bytes = self.block[start : start + min(name_length, SOCKADDR_MAX)]  # type: ignore[assignment]  # c_char slices are bytes
        return name, control_length, flags


def gethostname() -> str:
    buf = create_string_buffer(256)
    if _gethostname(buf, 256) == -1:
        raise_errno()
    return buf.value.decode("utf-8", "surrogateescape")


def sethostname(name: bytes) -> None:
    if _sethostname(name, len(name)) == -1:
        raise_errno()


def if_nametoindex(name: bytes) -> int:
    index: int = _if_nametoindex(name)
    if index == 0:
        raise OSError("no interface with this name")  # the stdlib's message, no errno
    return index


def if_indextoname(index: int) -> bytes:
    buf = create_string_buffer(IF_NAMESIZE)
    result = _if_indextoname(index, buf)
    if not result:
        raise_errno()
    return buf.value


def if_nameindex() -> list[tuple[int, bytes]]:
    head = _if_nameindex()
    if not head:
        raise_errno()
    try:
        out = []
        i = 0
        while head[i].if_index != 0:
            out.append((head[i].if_index, head[i].if_name))
            i += 1
        return out
    finally:
        _if_freenameindex(head)


EAGAIN = errno.EAGAIN
EWOULDBLOCK = errno.EWOULDBLOCK
EINTR = errno.EINTR
EINPROGRESS = errno.EINPROGRESS
EOK = 0


# -- batch datagram I/O (recvmmsg/sendmmsg; sockcore/batch.py) ------------------
# Appended section: the calls and the packed layout of an array of struct mmsghdr.

_recvmmsg = LIBC.recvmmsg  # (int fd, mmsghdr *, unsigned vlen, int flags, timespec *): no argtypes, as sendmsg
_recvmmsg.restype = c_int
_sendmmsg = LIBC.sendmmsg  # (int fd, mmsghdr *, unsigned vlen, int flags)
_sendmmsg.restype = c_int
#: the kernel takes at most this many messages a call (UIO_MAXIOV) and silently caps vlen there
MMSG_MAX = 1024
#: struct mmsghdr: a msghdr, then the unsigned msg_len the kernel writes, padded to 8
# ("0P": padding to pointer alignment, msghdr's: its tail, then the mmsghdr's)
_MMSGHDR = _MSGHDR + "0PI0P"  # msghdr's tail padding, msg_len, the padding to the struct's alignment
MMSGHDR_SIZE = struct.calcsize(_MMSGHDR)
_MMSG_RESULT = _MSG_RESULT.format[1:] + "0PI0P"  # per message, what the kernel writes back: namelen, controllen, flags, msg_len
if struct.calcsize(_MMSG_RESULT) != MMSGHDR_SIZE:  # pragma: no cover - another ABI: write its layout here
    raise ImportError("sockcore.libc: this platform's struct mmsghdr layout is not the one packed here")
#: iter_unpack over the mmsghdr array after recvmmsg: (namelen, controllen, flags, msg_len) per message
MMSG_RESULT = struct.Struct("@" + _MMSG_RESULT.lstrip("@=<>!"))
_mmsg_layouts: dict[tuple[int, int], struct.Struct] = {}


def _mmsg_layout(messages: int, iovecs: int) -> struct.Struct:
    """The Struct packing ``messages`` mmsghdrs followed by ``iovecs`` iovecs."""
    key = (messages, iovecs)
    layout = _mmsg_layouts.get(key)
    if layout is None:
        layout = struct.Struct("@" + _MMSGHDR[1:] * messages + _IOVEC * iovecs)
        if len(_mmsg_layouts) < 64:
            _mmsg_layouts[key] = layout
    return layout


def _space(n: int) -> int:
    return (n + 7) & ~7


class BatchReceive:
    """One block for a recvmmsg of ``count`` messages of ``bufsize`` bytes and ``ancbufsize`` of control.

    Layout: the mmsghdr array, one iovec per message, then the name areas,
    control areas and data areas, each message's at a fixed stride.  The
    header is packed once; the kernel rewrites its lengths, so each call
    copies it back first (one memmove).  Kept in a pool by shape between calls.
    """

    __slots__ = ("ancbufsize", "block", "bufsize", "control_offset", "control_space", "count", "data_offset", "header",
                 "name_offset", "view")

    def __init__(self, count: int, bufsize: int, ancbufsize: int) -> None:
        self.count, self.bufsize, self.ancbufsize = count, bufsize, ancbufsize
        iov_offset = MMSGHDR_SIZE * count
        name_offset = iov_offset + IOVEC_SIZE * count
        self.name_offset = name_offset
        self.control_space = control_space = _space(ancbufsize)
        self.control_offset = control_offset = name_offset + SOCKADDR_MAX * count
        self.data_offset = data_offset = control_offset + control_space * count
        self.block = create_string_buffer(data_offset + bufsize * count or 1)
        self.view = memoryview(self.block).cast("B")
        base = addressof(self.block)
        values: list[int] = []
        for i in range(count):
            values += (
                base + name_offset + SOCKADDR_MAX * i, SOCKADDR_MAX,
                base + iov_offset + IOVEC_SIZE * i, 1,
                base + control_offset + control_space * i if ancbufsize else 0, ancbufsize, 0, 0,
            )
        for i in range(count):
            values += (base + data_offset + bufsize * i, bufsize)
        self.header = _mmsg_layout(count, count).pack(*values)

    def receive(self, fd: int, flags: int) -> int:
        """recvmmsg(2) into the block, its header restored first; the message count or -errno."""
        header = self.header
        self.view[: len(header)] = header
        n: int = _recvmmsg(fd, self.block, self.count, flags, None)
        return n if n != -1 else -get_errno()


class BatchSend:
    """A growable block for one sendmmsg, laid out by the caller (sockcore/batch.py); kept in a pool between calls."""

    __slots__ = ("block", "headers", "keep", "view")

    def __init__(self, size: int) -> None:
        self.headers: Any = None  # a pointer to the mmsghdr array in the block, set by the layout
        self.block = create_string_buffer(size)
        self.view = memoryview(self.block).cast("B")
        self.keep: Any = None  # what the laid-out pointers point into, held until the call returns

    def base(self, size: int, headers_at: int = 0) -> int:
        """The block's address, grown first to hold ``size`` bytes, with the mmsghdr array at ``headers_at``."""
        if len(self.block) < size:
            self.block = create_string_buffer(max(size, 2 * len(self.block)))
            self.view = memoryview(self.block).cast("B")
        self.headers = byref(self.block, headers_at)
        return addressof(self.block)

    def send(self, fd: int, count: int, flags: int) -> int:
        """sendmmsg(2) of the first ``count`` messages laid out in the block; the count sent or -errno."""
        n: int = _sendmmsg(fd, self.headers, count, flags)
        return n if n != -1 else -get_errno()


def pack_batch(messages: int, iovecs: int, values: list[int]) -> bytes:
    """The mmsghdr array and iovecs for ``values`` (each message's 8 header fields, then the iovecs)."""
    return _mmsg_layout(messages, iovecs).pack(*values)


def _bytes_data_offset() -> int | None:
    """Where a bytes object's data starts, from its id(): CPython's layout, checked on two objects.

    sendmmsg points iovecs straight at the caller's bytes (kept alive and
    immutable for the call) instead of copying them; None where the check
    fails (another interpreter), and the caller copies.
    """
    import sys

    if sys.implementation.name != "cpython":
        return None
    offsets = {ctypes.cast(c_char_p(sample), c_void_p).value - id(sample) for sample in (b"sockcore", bytes(100))}  # type: ignore[operator]
    return offsets.pop() if len(offsets) == 1 else None


#: id(a bytes object) + this is its data's address (CPython); None: copy the data instead
BYTES_DATA_OFFSET = _bytes_data_offset()
