"""The socket object: every method of the stdlib's ``socket.socket``, on any family.

The object owns a descriptor and its timeout mode; everything a family
contributes (how addresses look, extra methods) comes from the registry.  Data
paths without flags or addresses go straight to ``os.read``/``os.write``/
``os.readv`` (C calls that release the GIL); the rest go through
the raw bindings of :mod:`sockcore._syscalls.libc` (each returns its result or
``-errno``) and the msghdr blocks of :mod:`sockcore._messages.libc`.
Blocking behaviour is :mod:`sockcore.timeouts`'.
"""

from __future__ import annotations

import errno as _errno
import io
import operator
import os
import struct
import sys
import warnings
from _thread import _count as _other_threads  # threads started besides the main one
from collections import deque

from . import timeouts as _timeout
from ._address_text import argument_type_name as _argument_type_name
from ._args import INT_MAX as _INT_MAX
from ._args import INT_MIN as _INT_MIN
from ._args import LONG_MAX as _LONG_MAX
from ._args import LONG_MIN as _LONG_MIN
from ._args import SSIZE_MAX as _SSIZE_MAX
from ._args import bytes_like as _data_arg
from ._args import c_int as _c_int
from ._args import ssize as _ssize
from ._closing import bury as _bury
from ._closing import graves as _graves
from ._closing import reap as _reap
from ._constants import CONSTANTS as _C
from ._messages.libc import MessageBuffers
from ._sockaddr import HEADER_SIZE as _HEADER_SIZE
from ._sockaddr import RAW_CODEC, fixed_header, join_sockaddr, split_sockaddr
from ._syscalls import libc as syscalls
from .cmsg import build_control, parse_control
from .enums import SocketKind, to_enum
from .libc import raise_errno as _raise_errno
from .registry import missing_family_hint, on_change, tables

TYPE_CHECKING = False  # keep typing off the import path
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from types import ModuleType
    from typing import Any, SupportsIndex, TypeVar

    from .address import AddressCodec
    from .records import Family
    from .sockopt import SockOpt

    T = TypeVar("T")

__all__ = ["SocketType", "close", "dup", "fromfd", "socket", "socketpair"]


_SOL_SOCKET = _C["SOL_SOCKET"]
_SO_TYPE = _C["SO_TYPE"]
_SO_DOMAIN = _C["SO_DOMAIN"]
_SO_PROTOCOL = _C["SO_PROTOCOL"]
_SO_ERROR = _C["SO_ERROR"]
_SOCK_NONBLOCK = _C["SOCK_NONBLOCK"]
_SOCK_CLOEXEC = _C["SOCK_CLOEXEC"]
_MSG_DONTWAIT = _C["MSG_DONTWAIT"]
#: a timeout socket's ``_direct`` (see settimeout): an object no caller can pass as flags
_WAITS = object()
_SOCK_FLAGS = _SOCK_NONBLOCK | _SOCK_CLOEXEC
_SOCK_STREAM = _C["SOCK_STREAM"]
_DEFAULT_BACKLOG = min(_C["SOMAXCONN"], 128)  # CPython's listen() default
_EAGAIN = _errno.EAGAIN
_EINTR = _errno.EINTR
_EINPROGRESS = _errno.EINPROGRESS
_EBADF = _errno.EBADF
_SCRATCH_MAX = 256 * 1024  # larger receive buffers are not kept between calls
_MESSAGE_IOVECS = 4  # the iovecs a kept msghdr block has room for; calls with more make their own
_getsockopt_raw = syscalls.getsockopt_raw
_setsockopt_raw = syscalls.setsockopt_raw
_getsockopt_unchecked = syscalls.getsockopt_unchecked
_setsockopt_unchecked = syscalls.setsockopt_unchecked
_sendto_raw = syscalls.sendto_raw
_getsockname_raw = syscalls.getsockname_raw
_getpeername_raw = syscalls.getpeername_raw
_connect_raw = syscalls.connect_raw
_socket_raw = syscalls.socket_raw
_accept4_raw = syscalls.accept4_raw
_recvfrom_raw = syscalls.recvfrom_raw
_get_errno = syscalls.get_errno
_SOCKADDR_MAX = syscalls.SOCKADDR_MAX
_OptionBuffer = syscalls.OptionBuffer
_FdPair = syscalls.FdPair
#: the empty one-object caches (see socket._adopt)
_UNSET: Any = object()  # an optional argument not passed (None is a wrong value there, as in CPython)
_NOTHING_DECODED: tuple[bytes | None, Any] = (None, None)
_NOTHING_SENT: tuple[Any, bytes] = (_UNSET, b"")  # no address a caller can pass is this one
#: getsockopt's value/length buffers, reused (a deque: a list reallocates each time it empties and refills)
_int_cells: deque[tuple[memoryview, Any, Any]] = deque()
_take_int_cell, _return_int_cell = _int_cells.pop, _int_cells.append
_pack_int_option = struct.Struct("=iii").pack  # (value, level, optname): see setsockopt
_struct_error = struct.error
_new_socket = object.__new__
_read = os.read
_index = operator.index
_os_close = os.close
_ECONNRESET = _errno.ECONNRESET
_write = os.write
_readv = os.readv
# preadv2/pwritev2 with RWF_NOWAIT: read(2)/write(2) with MSG_DONTWAIT, at os.read's cost (sockets
# take it since Linux 5.x; elsewhere 0, and a kernel that refuses it turns it off: see _nowait_refused)
_preadv = getattr(os, "preadv", None)
_pwritev = getattr(os, "pwritev", None)
_NOWAIT: int = getattr(os, "RWF_NOWAIT", 0) if _preadv is not None and _pwritev is not None else 0
_ZERO = 0  # `flags is _ZERO`: the int 0 (a singleton in CPython), class and value in one test
_Deadline = _timeout.Deadline
_wait = _timeout.wait


class _Kind:
    """What every socket of one (family, proto) looks up in the registry, looked up once.

    Kept in ``_kinds`` until the plugins change; socket creation is then one
    dict lookup instead of a walk through the registry's tables.
    """

    __slots__ = ("codec", "family_header", "header", "quirks", "wide")

    def __init__(self, family: int, proto: int) -> None:
        entry = tables().families.get(family)
        #: the family's declared kernel quirks (Family record), None for unknown families
        self.quirks = quirks = entry.family if entry is not None else None
        self.wide = quirks is not None and quirks.option_int_size == 8
        self.codec = codec = _codec_for(family, proto)
        #: the header sockaddrs sent start with (the codec may name another sa_family)
        self.header = fixed_header(getattr(codec, "sa_family", family))
        #: the header of addresses of this very family (what the kernel returns)
        self.family_header = fixed_header(family)


#: keyed by the family alone for protocol 0 (nearly every socket: an int hashes and compares
#: for a fraction of a tuple's cost), else by (family, proto)
_kinds: dict[int | tuple[int, int], _Kind] = {}


def _kind(family: int, proto: int) -> _Kind:
    key = family if proto == 0 else (family, proto)
    kind = _kinds.get(key)
    if kind is None:
        if len(_kinds) > 256:  # families x protocols in use: small, but never unbounded
            _kinds.clear()
        kind = _kinds[key] = _Kind(family, proto)
    return kind


on_change(_kinds.clear)


def _sockaddr(sock: socket, address: Any, caller: str) -> bytes:
    """The whole sockaddr for ``address`` on ``sock``, from the family's codec.

    A codec may name the ``sa_family`` the kernel wants in the header when it
    differs from the socket's family (RDS sockets take IPv4 sockaddrs).
    ``caller`` is the method, for the errors CPython prefixes with it.
    """
    codec = sock._codec or _bind_codec(sock)
    try:
        body = codec.encode(address, sock)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        if getattr(exc, "sockcore_caller", False):
            raise _named(exc, caller) from exc.__cause__
        raise
    header = sock._header
    if header is not None:
        return header + body
    return join_sockaddr(getattr(codec, "sa_family", sock._family), body)


def _named(exc: BaseException, caller: str) -> BaseException:
    """A codec's marked error as CPython words it: with ``caller(): `` in front.

    CPython's getsockaddrarg names the method in some messages ("sendto():
    <family> address must be tuple, not NoneType"); codecs raise the text
    after the prefix, marked with :func:`sockcore.address.caller_error`.
    """
    named = type(exc)(f"{caller}(): {exc}")
    named.__context__ = exc.__context__
    return named


def _sockaddr_to(sock: socket, address: Any) -> bytes:
    """_sockaddr for sendto, remembering a stable encoding for the next call with the same object.

    A datagram socket usually sends to one address object again and again (a
    constant, or what recvfrom returned); the codec's ``stable`` says when
    an encoding may be reused (no name resolution, immutable fields).
    """
    sockaddr = _sockaddr(sock, address, "sendto")
    stable = getattr(sock._codec, "stable", None)
    if stable is not None and stable(address):
        sock._sent = (address, sockaddr)  # one store: never a new address with an old sockaddr
    return sockaddr


def _bind_codec(sock: socket) -> AddressCodec:
    """The socket's codec and headers, for a socket made without __init__ (a subclass's __new__)."""
    kind = _kind(sock._family, sock._proto)
    sock._header, sock._family_header = kind.header, kind.family_header
    sock._codec = kind.codec
    return kind.codec


def _codec_for(family: int, proto: int) -> AddressCodec:
    codec = tables().codec_for(family, proto)
    if codec is None:
        return RAW_CODEC
    return _PlainTuples(codec) if _plain_addresses else codec


#: addresses come back as plain tuples (install() sets it: the stdlib's own
#: code tests ``type(address) == tuple``, e.g. multiprocessing.connection)
_plain_addresses = False


class _PlainTuples:
    """A codec whose decoded NamedTuple addresses are returned as the plain tuples the stdlib gives."""

    __slots__ = ("_codec",)

    def __init__(self, codec: AddressCodec) -> None:
        self._codec = codec

    def __getattr__(self, name: str) -> Any:  # family, proto, stable, sa_family ...
        return getattr(self._codec, name)

    def encode(self, address: Any, sock: Any) -> bytes:
        return self._codec.encode(address, sock)

    def decode(self, body: bytes, sock: Any) -> Any:
        address = self._codec.decode(body, sock)
        return tuple(address) if isinstance(address, tuple) else address


def set_plain_addresses(plain: bool) -> None:
    """Return plain tuples (True: what install() asks) or NamedTuples (False) from sockets made from now on."""
    global _plain_addresses
    _plain_addresses = plain
    _kinds.clear()


#: the sockcore package (in sys.modules while this submodule is imported). socketpair, fromfd
#: and accept make ``_package.socket``, the class on the module now, as CPython's socket.py looks
#: up its global: tests and libraries replace it (unittest.mock, pytest-socket, tracing wrappers)
_package: Any = sys.modules.get(__name__.rpartition(".")[0])


def _address(sock: socket, raw: bytes) -> Any:
    """The Python address for a sockaddr the kernel returned (None when it returned none)."""
    if not raw:
        return None
    decoded = sock._decoded
    if raw == decoded[0]:  # the same peer again (the common datagram case)
        return decoded[1]
    header = sock._family_header
    if header is not None and raw[:_HEADER_SIZE] == header:  # the socket's own family: its codec
        address = (sock._codec or _bind_codec(sock)).decode(raw[_HEADER_SIZE:], sock)
        sock._decoded = (raw, address)
        return address
    family, body = split_sockaddr(raw)
    if family == sock._family:
        address = (sock._codec or _bind_codec(sock)).decode(body, sock)
        # addresses are immutable (NamedTuple, str, bytes, int), so one can be shared
        sock._decoded = (raw, address)
        return address
    # Another family's address (an RDS socket reports IPv4 ones): its own
    # codec when installed, else the socket's codec if that one speaks it.
    other = _codec_for(family, sock._proto)
    if other is RAW_CODEC:
        own = sock._codec or _codec_for(sock._family, sock._proto)
        other = own if getattr(own, "sa_family", None) == family else RAW_CODEC
    return other.decode(body, sock)


def _receive_buffer(size: int) -> Any:
    """A ctypes buffer for ``size`` bytes the kernel may write.

    Past the kept size it is an anonymous mapping, whose pages cost memory
    only once written: ``recv(2**31)`` with nothing queued fails as fast as
    the stdlib's instead of zero-filling 2 GiB first.
    """
    if size <= _SCRATCH_MAX:
        return syscalls.create_string_buffer(size)
    import mmap  # only for large receives: off the import path

    try:
        mapping = mmap.mmap(-1, size)
    except OSError:  # ENOMEM: what the stdlib's allocation raises
        raise MemoryError from None
    return (syscalls.c_char * size).from_buffer(mapping)


def _message_part(data: Any) -> Any:
    """One of sendmsg's buffers, as CPython takes it (PyBUF_SIMPLE: C-contiguous, else BufferError)."""
    try:
        view = memoryview(data)
    except TypeError:
        raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'") from None
    if not view.c_contiguous:
        raise BufferError("memoryview: underlying buffer is not C-contiguous")
    return view.tobytes()


def _ancillary_size(value: Any) -> int:
    """recvmsg's ancbufsize: a Py_ssize_t that must fit a socklen_t, as CPython checks it."""
    n = _ssize(value)
    if not 0 <= n <= _INT_MAX:
        raise ValueError("invalid ancillary data buffer length")
    return n


def _writable_view(buffer: Any, caller: str) -> memoryview:
    """A flat byte view of a caller's buffer; the stdlib's TypeError for a read-only or scattered one."""
    try:
        view = memoryview(buffer)
    except TypeError:
        view = None
    if view is None or view.readonly or not view.c_contiguous:
        kind = "None" if buffer is None else type(buffer).__name__  # as CPython's argument parser names it
        raise TypeError(f"{caller}() argument 1 must be read-write bytes-like object, not {kind}")
    return view.cast("B") if view.format != "B" or view.ndim != 1 else view


#: a ctypes object at a writable buffer's first byte, for its address: it holds the
#: buffer export while alive, and costs half what an array type's from_buffer does
_char_from_buffer = syscalls.c_char.from_buffer
_EMPTY_BUFFER = syscalls.create_string_buffer(1)  # where a receive of 0 bytes points


class _CMember(property):
    """A read-only attribute that the stdlib's C socket type declares (``proto``, ``timeout``).

    Read as a property reads; a store or a delete raises the C type's own
    AttributeError, not a property's "has no setter".
    """

    def __init__(self, getter: Callable[[Any], Any], doc: str, refusal: str) -> None:
        super().__init__(getter)
        self.__doc__ = doc  # property's doc= is not kept for a subclass before 3.12
        self.refusal = refusal

    def __set__(self, instance: Any, value: Any) -> None:
        raise AttributeError(self.refusal)

    def __delete__(self, instance: Any) -> None:
        raise AttributeError(self.refusal)


class socket:
    """A socket of any family: the stdlib's ``socket.socket``, method for method."""

    __slots__ = (
        "__weakref__", "_closed", "_codec", "_decoded", "_direct", "_family", "_family_header", "_fd", "_header",
        "_io_refs", "_messages", "_proto", "_quirks", "_reader", "_scratch", "_sent", "_timeout", "_type", "_wide",
    )
    # What each slot holds (_adopt sets them all):
    _fd: int
    _closed: bool
    _io_refs: int  # makefile() objects still open: the last one's close closes the socket
    _family: int
    _type: int
    _proto: int
    _quirks: Family | None  # the family's declared kernel quirks, None for unknown families
    _wide: bool  # the family's int options are 8 bytes
    _codec: AddressCodec | None  # None only in a subclass made without __init__: bound at first use
    _header: bytes | None  # the header sockaddrs sent start with (the codec may name another sa_family)
    _family_header: bytes | None  # the header of addresses of this very family (what the kernel returns)
    # one-object caches, each replaced in one store (never a torn pair, even without a GIL):
    _decoded: tuple[bytes | None, Any]  # the last sockaddr decoded, and its address
    _sent: tuple[Any, bytes]  # the last address a stable encoding was kept for, and its sockaddr
    _reader: io.FileIO | None  # recv_into's reader, made at its first call
    # address (and receive) buffers kept between calls (deques: pop/append are atomic and never reallocate)
    _scratch: deque[syscalls.SockaddrBuffer] | None
    _messages: deque[MessageBuffers] | None
    _timeout: float | None
    _direct: object  # 0, or _WAITS for a timeout socket: see settimeout

    def __init__(
        self,
        family: int = -1,
        type: int = -1,
        proto: int = -1,
        fileno: int | None = None,
    ) -> None:
        self._fd = -1  # close() and __del__ work whatever fails before _adopt
        # Argument Clinic's int converter, one argument after the other (AddressFamily and
        # SocketKind members come here on every call): one message for every overflow, either way
        if family.__class__ is not int:
            family = _index(family)
        if not _INT_MIN <= family <= _INT_MAX:
            raise OverflowError("Python int too large to convert to C int")
        if type.__class__ is not int:
            type = _index(type)
        if not _INT_MIN <= type <= _INT_MAX:
            raise OverflowError("Python int too large to convert to C int")
        if proto.__class__ is not int:
            proto = _index(proto)
        if not _INT_MIN <= proto <= _INT_MAX:
            raise OverflowError("Python int too large to convert to C int")
        if fileno is None:
            if family == -1:
                family = _default_family("socket")
            if type == -1:
                type = _SOCK_STREAM
            if proto == -1:
                proto = 0
        else:
            fd = _fileno_arg(fileno)
            # reading SO_TYPE also refuses what is not an open socket (EBADF,
            # ENOTSOCK), as CPython's getsockname check does
            detected_type = _socket_option(fd, _SO_TYPE)
            if family == -1:
                family = _socket_option(fd, _SO_DOMAIN)
            if type == -1:
                type = detected_type
            if proto == -1:
                proto = _socket_option(fd, _SO_PROTOCOL)
        kind = _kinds.get(family if proto == 0 else (family, proto)) or _kind(family, proto)
        timeout = 0.0 if type & _SOCK_NONBLOCK else _timeout._default
        if self.__class__ is not socket:
            self._adopt(-1, family, type & ~_SOCK_FLAGS, proto, timeout, kind)
        else:  # _adopt, inlined for the base class (its frame is ~4% of socket+close): keep the two in step
            if _graves:
                _reap()
            self._closed = False
            self._io_refs = 0
            self._family, self._type, self._proto = family, type & ~_SOCK_FLAGS, proto
            self._quirks, self._wide = kind.quirks, kind.wide
            self._codec, self._header, self._family_header = kind.codec, kind.header, kind.family_header
            self._decoded = _NOTHING_DECODED
            self._sent = _NOTHING_SENT
            self._reader = None
            self._scratch = None
            self._messages = None
            self._timeout = timeout
            self._direct = _WAITS if timeout else 0
        sys.audit("socket.__new__", self, family, type, proto)
        if fileno is None:
            quirks = kind.quirks
            if quirks is None or quirks.probe is None:
                _check_family_creatable(family, quirks)
            fd = _socket_raw(family, type | _SOCK_CLOEXEC, proto)  # syscalls.socket, inlined
            if fd == -1:
                _raise_errno()
        self._fd = fd
        if timeout is not None and not type & _SOCK_NONBLOCK:
            os.set_blocking(fd, False)

    def _adopt(self, fd: int, family: int, type: int, proto: int, timeout: float | None, kind: _Kind) -> None:
        """Set every slot of a socket: the one place its state is made.

        ``__init__`` (and so ``dup``, ``fromfd``, ``socketpair``) and
        ``accept`` come here; a subclass extends it.  The base class, which
        extends nothing, inlines it in ``__init__`` (the frame is ~4% of
        socket+close): a new slot is a line here and there, and
        tests/test_lifecycle.py fails until the two agree.  ``kind`` is what
        the registry says about (family, proto), looked up once.
        """
        if _graves:  # numbers kept for calls in flight on closed sockets: free those now done
            _reap()
        self._closed = False
        self._io_refs = 0
        self._family, self._type, self._proto = family, type, proto
        self._quirks, self._wide = kind.quirks, kind.wide
        self._codec, self._header, self._family_header = kind.codec, kind.header, kind.family_header
        self._decoded = _NOTHING_DECODED
        self._sent = _NOTHING_SENT
        self._reader = None
        self._scratch = None
        self._messages = None
        self._timeout = timeout
        self._direct = _WAITS if timeout else 0
        self._fd = fd

    # -- identity ---------------------------------------------------------------

    @property
    def family(self) -> int:
        """The address family, as an AddressFamily member when one is known."""
        return to_enum(self._family, tables().enums.get("AddressFamily"))

    @property
    def type(self) -> int:
        """The socket type, as a SocketKind member (SOCK_NONBLOCK/CLOEXEC cleared)."""
        return to_enum(self._type, SocketKind)

    if TYPE_CHECKING:

        @property
        def proto(self) -> int: ...

        @property
        def timeout(self) -> float | None:
            """The timeout in seconds, None when blocking (read-only; use settimeout)."""

    else:  # members of the C type in the stdlib: a store or a delete fails in its words
        proto = _CMember(operator.attrgetter("_proto"), "the socket protocol", "readonly attribute")
        timeout = _CMember(
            operator.attrgetter("_timeout"), "the socket timeout",
            "attribute 'timeout' of '_socket.socket' objects is not writable",
        )

    def fileno(self) -> int:
        return self._fd

    def __repr__(self) -> str:
        closed = self._closed
        cls = type(self)
        text = (
            f"<{cls.__module__}.{cls.__qualname__}{' [closed]' if closed else ''} fd={self._fd}, "
            f"family={self.family}, type={self.type}, proto={self._proto}"
        )
        if not closed:
            for label, getter in (("laddr", self.getsockname), ("raddr", self.getpeername)):
                try:
                    addr = getter()
                except OSError:
                    continue
                if addr:
                    # plain tuples, as the stdlib prints them, not the NamedTuple repr
                    text += f", {label}={tuple(addr) if isinstance(addr, tuple) else addr}"
        return text + ">"

    def __getstate__(self) -> Any:
        raise TypeError(f"cannot pickle {type(self).__name__!r} object")

    # No __getattr__ here: a class that defines one loses CPython's attribute
    # caches, which cost every send/recv ~0.4 us.  Family methods
    # (sendmsg_afalg) are set on the class from the registry instead
    # (_sync_family_methods), and the Windows-only names are properties.

    @property
    def ioctl(self) -> Any:
        raise AttributeError("socket.ioctl() is only available on Windows")

    @property
    def share(self) -> Any:
        raise AttributeError("socket.share() is only available on Windows")

    # -- lifetime ---------------------------------------------------------------

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *args: object) -> None:
        if not self._closed:
            self.close()

    def close(self) -> None:
        """Close the socket; a makefile() still open keeps the descriptor until it closes too."""
        self._closed = True
        if self._io_refs <= 0:
            if self.__class__ is not socket:
                self._real_close()
                return
            # _real_close and _release, inlined for the base class, which extends neither
            # (two frames are ~5% of socket+close); keep this in step with _release
            fd = self._fd
            self._fd = -1
            self._reader = None
            if fd != -1:
                if _other_threads() and _bury(self, fd):  # a call in another thread may hold the number
                    return
                try:
                    _os_close(fd)
                except OSError as exc:
                    if exc.errno != _ECONNRESET:  # as in CPython: a reset peer is not an error of close()
                        raise

    def _release(self) -> int:
        """Let go of the descriptor and what belongs to it; return it (-1 if none).

        The one teardown: close, detach and ``__del__`` all come here, so a
        subclass that extends it (TLSSocket drops its SSLObject) is never
        skipped.  It closes nothing itself.
        """
        fd = self._fd
        self._fd = -1
        self._reader = None
        return fd

    def _real_close(self) -> None:
        """Release the descriptor and close it (the stdlib's name for the end of every close)."""
        fd = self._release()
        if fd != -1:
            if _other_threads() and _bury(self, fd):  # a call in another thread may hold the number
                return
            try:
                _os_close(fd)
            except OSError as exc:
                # as in CPython: a reset peer is not an error of close()
                if exc.errno != _ECONNRESET:
                    raise

    def _decref_socketios(self) -> None:
        if self._io_refs > 0:
            self._io_refs -= 1
        if self._closed:
            self.close()

    def detach(self) -> int:
        """Give up the descriptor without closing it, and return it."""
        self._closed = True
        return self._release()

    def __del__(self) -> None:
        try:
            fd = self._fd
        except AttributeError:  # __init__ never ran
            return
        if fd != -1:
            warnings.warn(f"unclosed {self!r}", ResourceWarning, stacklevel=2, source=self)
            fd = self._release()
            try:  # noqa: SIM105 - contextlib would cost an import at start-up
                os.close(fd)
            except OSError:
                pass

    def dup(self) -> socket:
        """A new socket object on a duplicate of the descriptor, with the same timeout."""
        fd = os.dup(self._fd)
        try:
            sock = type(self)(self._family, self._type, self._proto, fileno=fd)
        except BaseException:
            os.close(fd)
            raise
        sock.settimeout(self._timeout)
        return sock

    def get_inheritable(self) -> bool:
        return os.get_inheritable(self._fd)

    def set_inheritable(self, inheritable: bool) -> None:
        os.set_inheritable(self._fd, inheritable)

    # -- timeouts ---------------------------------------------------------------

    def settimeout(self, value: float | None, /) -> None:
        """None: blocking; 0: non-blocking; > 0: operations raise TimeoutError after that long."""
        timeout = _timeout.validate(value)
        self._timeout = timeout
        # A timeout socket tries a call before it polls (docs/DIFFERENCES.md), and that
        # first try must not block: O_NONBLOCK belongs to the open file description, and
        # a dup made blocking clears it for this descriptor too.  MSG_DONTWAIT is what
        # the kernel adds itself when O_NONBLOCK is set; calls with no flags argument
        # (accept, sendfile) poll first instead, as CPython does.
        #
        # _direct is 0 on a blocking or non-blocking socket, _WAITS on a timeout socket.
        # `flags is self._direct` is the fast paths' one test: the flags are the int 0
        # (a singleton in CPython: class and value in one identity test), and the call
        # may go straight to read(2)/write(2), which take no MSG_DONTWAIT.
        self._direct = _WAITS if timeout else 0
        os.set_blocking(self._fd, timeout is None)  # EBADF on a closed socket, as CPython

    def gettimeout(self) -> float | None:
        return self._timeout

    if sys.version_info >= (3, 12):

        def setblocking(self, flag: bool, /) -> None:
            self.settimeout(None if flag else 0.0)  # CPython 3.12+: any object, by its truth value

    else:

        def setblocking(self, flag: bool, /) -> None:
            if flag.__class__ is not bool:  # CPython 3.11: a C long ("'float' object cannot be interpreted ...")
                value = _index(flag)
                if not _LONG_MIN <= value <= _LONG_MAX:
                    raise OverflowError("Python int too large to convert to C long")
            self.settimeout(None if flag else 0.0)

    def getblocking(self) -> bool:
        return self._timeout != 0.0

    def _deadline(self) -> _Deadline | None:
        """The deadline for one call; raises BlockingIOError in non-blocking mode."""
        t = self._timeout
        if t == 0.0:
            raise BlockingIOError(_EAGAIN, os.strerror(_EAGAIN))
        return None if t is None else _Deadline(t)

    # The retry helpers take the call and its arguments, not a closure: a
    # lambda in a method makes every variable it uses a cell, which costs the
    # fast path (which never retries) ~0.1 us a call.

    # The retry helpers read the descriptor from the socket again before every
    # wait and every call, as CPython does: a socket another thread closed
    # (fd -1) then fails with EBADF instead of reading or writing whatever
    # socket has since been given the same descriptor number.

    def _retry(
        self, writing: bool, first: int, call: Callable[..., int], *args: Any, deadline: _Deadline | None = None
    ) -> int:
        """Finish a libc call that returns ``n`` or ``-errno`` under the timeout rules.

        ``first`` is the result of the call the caller already made: its error
        is handled here, never lost to a second call (a datagram socket's
        pending ECONNREFUSED is reported once, then the socket reads on).
        ``call(fd, *args)`` repeats it on the socket's current descriptor,
        without the first try's MSG_DONTWAIT: after a poll, CPython calls as the
        descriptor's O_NONBLOCK says.  ``deadline``: one the caller's poll began.
        """
        n = first
        while n < 0:
            err = -n
            if err != _EINTR:  # EINTR (PEP 475): the handler ran, or raised, at this loop edge
                timeout = self._timeout
                if err != _EAGAIN or timeout is None or timeout == 0.0:
                    _raise_errno(err)
                if deadline is None:
                    deadline = _Deadline(timeout)
                self._wait(writing, deadline)
            n = call(self._fd, *args)
        return n

    def _retry_os(self, writing: bool, call: Callable[..., T], *args: Any) -> T:
        """After a first try raised BlockingIOError on a timeout socket: wait, call again, to the deadline.

        ``call(fd, *args)`` is a plain os call on the socket's current descriptor,
        as CPython calls after its poll.
        """
        deadline = _Deadline(self._timeout)  # type: ignore[arg-type]  # a timeout socket's: > 0
        while True:
            self._wait(writing, deadline)
            try:
                return call(self._fd, *args)
            except BlockingIOError:
                pass

    @staticmethod
    def _nowait_refused(exc: OSError) -> None:
        """preadv2/pwritev2 failed: the socket's own error is raised; RWF_NOWAIT refused turns it off.

        ENOSYS (no preadv2) and EOPNOTSUPP (a kernel without RWF_NOWAIT on
        sockets) send this call and every later one through recvfrom/sendto
        with MSG_DONTWAIT; a socket that cannot be read at all says so there.
        """
        global _NOWAIT
        if exc.errno not in (_errno.ENOSYS, _errno.EOPNOTSUPP):
            raise exc
        _NOWAIT = 0

    def _wait(self, writing: bool, deadline: _Deadline | None) -> None:
        """Wait for the socket's current descriptor; none (closed meanwhile) counts as ready.

        As CPython's internal_select: the call that follows then fails with EBADF.
        """
        fd = self._fd
        if fd != -1:
            _wait(fd, writing, deadline)

    # -- addresses and connections ------------------------------------------------

    def bind(self, address: Any, /) -> None:
        sockaddr = _sockaddr(self, address, "bind")
        sys.audit("socket.bind", self, address)
        err = syscalls.bind(self._fd, sockaddr)
        if err:
            _raise_errno(-err)

    def listen(self, backlog: SupportsIndex = _DEFAULT_BACKLOG, /) -> None:
        err = syscalls.listen(self._fd, max(_c_int(backlog), 0))
        if err:
            _raise_errno(-err)

    def accept(self) -> tuple[socket, Any]:
        """Accept a connection: ``(new socket, peer address)``.

        The new socket follows the default timeout, not the listener's mode.
        """
        quirks = self._quirks
        deadline = None
        if self._direct is _WAITS:  # accept4 takes no MSG_DONTWAIT: a timeout socket polls first, as CPython
            deadline = _Deadline(self._timeout)  # type: ignore[arg-type]  # not direct: a timeout > 0
            self._wait(False, deadline)
        fd = self._fd
        if quirks is not None and not quirks.accept_address:
            new = syscalls.accept4(fd, _SOCK_CLOEXEC, None)
            if new < 0:
                new = self._retry(False, new, syscalls.accept4, _SOCK_CLOEXEC, None, deadline=deadline)
            return self._accepted(new), None
        scratch = self._scratch  # _address_buffer, inlined: every accepted connection comes here
        if scratch is None:
            scratch = self._scratch = deque()
        try:
            addr = scratch.pop()
        except IndexError:  # the first call, or another thread holds the buffer
            addr = syscalls.SockaddrBuffer()
        length = addr.length
        length.value = _SOCKADDR_MAX
        new = _accept4_raw(fd, addr.buf, addr.ref, _SOCK_CLOEXEC)  # syscalls.accept4, inlined
        if new < 0:
            new = self._retry(False, -_get_errno(), syscalls.accept4, _SOCK_CLOEXEC, addr, deadline=deadline)
        raw: bytes = addr.buf[:length.value]  # type: ignore[assignment]  # c_char slices are bytes
        scratch.append(addr)
        return self._accepted(new), _address(self, raw)

    def _accepted(self, fd: int) -> socket:
        """A plain socket (as the stdlib's accept makes) for a descriptor accept returned.

        It is this socket's family, type and protocol, so __init__'s checks
        and getsockopt calls are skipped; it follows the default timeout, not
        this socket's.  A module whose ``socket`` was replaced gets an
        instance of the replacement.
        """
        cls = _package.socket  # the module's class now (see _package)
        if cls is not socket:
            return cls(self._family, self._type, self._proto, fileno=fd)  # type: ignore[no-any-return]
        sock: socket = _new_socket(socket)
        family, type, proto = self._family, self._type, self._proto
        timeout = _timeout._default
        sock._adopt(-1, family, type, proto, timeout, _kinds.get(family if proto == 0 else (family, proto)) or _kind(family, proto))
        sys.audit("socket.__new__", sock, family, type, proto)
        sock._fd = fd
        if timeout is not None:
            os.set_blocking(fd, False)
        return sock

    def connect(self, address: Any, /) -> None:
        header, codec = self._header, self._codec
        if header is not None and codec is not None:  # _sockaddr, inlined for a socket made by __init__
            try:
                sockaddr = header + codec.encode(address, self)
            except (TypeError, ValueError, OverflowError, OSError) as exc:
                if getattr(exc, "sockcore_caller", False):
                    raise _named(exc, "connect") from exc.__cause__
                raise
        else:
            sockaddr = _sockaddr(self, address, "connect")
        sys.audit("socket.connect", self, address)
        if _connect_raw(self._fd, sockaddr, len(sockaddr)) != 0:  # syscalls.connect, inlined
            err = self._connect_finish(_get_errno())
            if err:
                _raise_errno(err)

    def connect_ex(self, address: Any, /) -> int:
        """connect(), returning the errno instead of raising it (EAGAIN on timeout, as CPython)."""
        try:
            sockaddr = _sockaddr(self, address, "connect_ex")
            sys.audit("socket.connect", self, address)
            if _connect_raw(self._fd, sockaddr, len(sockaddr)) == 0:
                return 0
            return self._connect_finish(_get_errno())
        except TimeoutError:
            return _EAGAIN

    def _connect_finish(self, err: int) -> int:
        """What a connect that returned ``err`` ends with (0 once an in-progress connect succeeds)."""
        timeout = self._timeout
        if err == _EINTR:
            # PEP 475: a blocking connect interrupted by a signal keeps going in
            # the kernel; wait for it instead of calling connect() again.  The
            # pending signal handler runs (and may raise) as _wait is entered.
            if timeout is None:
                self._wait(True, None)
                return self._pending_error()
        elif err != _EINPROGRESS or timeout == 0.0:
            return err
        if timeout is None:  # pragma: no cover - a blocking socket does not return EINPROGRESS
            return err
        self._wait(True, _Deadline(timeout))  # TimeoutError("timed out") at the deadline
        return self._pending_error()

    def _pending_error(self) -> int:
        """SO_ERROR of the socket's current descriptor: EBADF once another thread closed it."""
        try:
            return _socket_option(self._fd, _SO_ERROR)
        except OSError as exc:
            return exc.errno or _EBADF

    def getsockname(self) -> Any:
        return self._name(_getsockname_raw)

    def getpeername(self) -> Any:
        return self._name(_getpeername_raw)

    def _address_buffer(self) -> tuple[deque[syscalls.SockaddrBuffer], syscalls.SockaddrBuffer]:
        """A SockaddrBuffer from the socket's pool, and the pool (recvfrom and accept inline this)."""
        scratch = self._scratch
        if scratch is None:
            scratch = self._scratch = deque()
        try:
            return scratch, scratch.pop()
        except IndexError:  # the first call, or another thread holds the buffers
            return scratch, syscalls.SockaddrBuffer()

    def _name(self, call: Any) -> Any:
        """getsockname/getpeername, into one of the socket's reusable address buffers."""
        scratch, addr = self._address_buffer()
        length = addr.length
        length.value = _SOCKADDR_MAX
        failed = call(self._fd, addr.buf, addr.ref) == -1
        # a longer address than the buffer (none on Linux) comes back cut, as in CPython
        raw: bytes = addr.buf[: length.value]  # type: ignore[assignment]  # c_char slices are bytes
        scratch.append(addr)
        if failed:
            _raise_errno()
        return _address(self, raw)

    def shutdown(self, how: int, /) -> None:
        how = _index(how)
        if not _INT_MIN <= how <= _INT_MAX:
            raise OverflowError("Python int too large to convert to C int")  # CPython: _PyLong_AsInt
        err = syscalls.shutdown(self._fd, how)
        if err:
            _raise_errno(-err)

    # -- receiving ----------------------------------------------------------------

    def recv(self, bufsize: int, flags: int = 0, /) -> bytes:
        if flags is self._direct and bufsize.__class__ is int and bufsize > 0:
            # blocking or non-blocking: read(2) raises what the stdlib's recv does (EAGAIN too)
            return _read(self._fd, bufsize)
        # CPython converts both ("n|i"), then checks the size
        n = bufsize if bufsize.__class__ is int and 0 <= bufsize <= _SSIZE_MAX else _ssize(bufsize)
        if flags.__class__ is not int or not _INT_MIN <= flags <= _INT_MAX:
            flags = _c_int(flags)
        if n < 0:
            raise ValueError("negative buffersize in recv")
        if n == 0:
            return b""  # as CPython: recv(0) makes no system call
        scratch = self._scratch  # _address_buffer, inlined: a timeout socket's every recv comes here
        if scratch is None:
            scratch = self._scratch = deque()
        try:
            addr = scratch.pop()  # for its data buffer
        except IndexError:  # the first call, or another thread holds the buffers
            addr = syscalls.SockaddrBuffer()
        try:
            buf = addr.data
            if buf is None or len(buf) < n:
                buf = _receive_buffer(n)
                if n <= _SCRATCH_MAX:
                    addr.data = buf
            fd = self._fd
            first = flags if self._direct is not _WAITS else flags | _MSG_DONTWAIT  # see settimeout
            got = _recvfrom_raw(fd, buf, n if n <= _INT_MAX else syscalls.c_size_t(n), first, None, None)
            if got < 0:
                got = self._retry(False, -_get_errno(), syscalls.recvfrom, buf, n, flags, None)
            # MSG_TRUNC returns the datagram's whole length: hand back only what was written
            return buf[:got if got <= n else n]  # type: ignore[no-any-return]  # c_char slices are bytes
        finally:
            scratch.append(addr)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        if flags is self._direct and nbytes is flags:
            # The common call: read(2) straight into the caller's buffer, through
            # a FileIO on the descriptor (readv costs ~6% more in the kernel).  A
            # read-only or empty buffer, or a closed socket, takes the general path
            # below, which raises the stdlib's error or, like CPython, returns 0 for
            # an empty buffer without a system call.
            try:
                # A truth test is the cheapest "not empty" (a class check costs recv_into
                # ~12%); one that raises (a numpy array's ValueError) or says False sends
                # the buffer to the general path, which goes by its byte size.
                if buffer:
                    got = (self._reader or self._open_reader()).readinto(buffer)
                    if got is not None:
                        return got
                    # None: EAGAIN on a non-blocking descriptor, an error in the stdlib too
                    raise BlockingIOError(_EAGAIN, os.strerror(_EAGAIN))
            except (TypeError, BufferError, ValueError):  # read-only, scattered, no truth value, closed
                pass
        elif flags is _ZERO and nbytes is flags and _NOWAIT:
            # a timeout socket's first try (see settimeout), straight into the caller's buffer
            try:
                if buffer:
                    return _preadv(self._fd, (buffer,), -1, _NOWAIT)  # type: ignore[misc,no-any-return]
            except BlockingIOError:
                return self._retry_os(False, _readv, (buffer,))
            except (TypeError, BufferError, ValueError):  # as above: the general path says why
                pass
            except OSError as exc:
                self._nowait_refused(exc)
        view = _writable_view(buffer, "recv_into")
        # CPython converts every argument ("w*|ni"), then checks the size
        n = nbytes if nbytes.__class__ is int and 0 <= nbytes <= _SSIZE_MAX else _ssize(nbytes)
        if flags.__class__ is not int or not _INT_MIN <= flags <= _INT_MAX:
            flags = _c_int(flags)
        if n < 0:
            raise ValueError("negative buffersize in recv_into")
        if n == 0:
            n = view.nbytes
        elif n > view.nbytes:
            raise ValueError("buffer too small for requested bytes")
        if n < view.nbytes:
            view = view[:n]
        elif not n:  # CPython's sock_recv_guts: "If 0 bytes were requested, do nothing"
            return 0
        fd = self._fd
        direct = self._direct is not _WAITS
        if flags == 0 and direct:
            return _readv(fd, (view,))
        into = syscalls.byref(_char_from_buffer(view))  # the caller's buffer, pinned while the kernel writes
        got = _recvfrom_raw(fd, into, n, flags if direct else flags | _MSG_DONTWAIT, None, None)
        return got if got >= 0 else self._retry(False, -_get_errno(), syscalls.recvfrom, into, n, flags, None)

    def _open_reader(self) -> io.FileIO:
        fd = self._fd
        if fd == -1:  # closed: recv_into's general path checks the buffer first, then fails with EBADF
            raise ValueError("I/O operation on closed socket")
        reader = self._reader = io.FileIO(fd, "rb", closefd=False)
        return reader

    def recvfrom(self, bufsize: int, flags: int = 0, /) -> tuple[bytes, Any]:
        n = bufsize if bufsize.__class__ is int and 0 <= bufsize <= _SSIZE_MAX else _ssize(bufsize)
        first = flags  # the first try's flags: see settimeout
        if flags is not self._direct:  # any flags but the int 0 of a socket that calls directly
            if flags.__class__ is not int or not _INT_MIN <= flags <= _INT_MAX:
                flags = _c_int(flags)
            first = flags if self._direct is not _WAITS else flags | _MSG_DONTWAIT
        if n < 0:  # after both are converted, as CPython's "n|i"
            raise ValueError("negative buffersize in recvfrom")
        scratch = self._scratch  # _address_buffer, inlined: the datagram hot path
        if scratch is None:
            scratch = self._scratch = deque()
        try:
            addr = scratch.pop()
        except IndexError:  # the first call, or another thread holds the buffers
            addr = syscalls.SockaddrBuffer()
        buf = addr.data
        if buf is None or len(buf) < n:
            buf = _receive_buffer(n or 1)
            if n <= _SCRATCH_MAX:
                addr.data = buf
        # syscalls.recvfrom, inlined: this is the datagram hot path
        fd = self._fd
        length = addr.length
        length.value = _SOCKADDR_MAX
        got = _recvfrom_raw(fd, buf, n if n <= _INT_MAX else syscalls.c_size_t(n), first, addr.buf, addr.ref)
        if got < 0:
            try:
                got = self._retry(False, -_get_errno(), syscalls.recvfrom, buf, n, flags, addr)
            except BaseException:
                scratch.append(addr)
                raise
        data = buf[:got if got <= n else n]  # MSG_TRUNC returns the whole length: only what was written
        raw: bytes = addr.buf[:length.value]  # type: ignore[assignment]  # c_char slices are bytes; clamped to the buffer
        scratch.append(addr)
        last_raw, last_address = self._decoded
        if raw == last_raw:  # the same peer again: _address's cache, without its frame
            return data, last_address
        return data, _address(self, raw)

    def recvfrom_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> tuple[int, Any]:
        view = _writable_view(buffer, "recvfrom_into")
        n = _ssize(nbytes)  # CPython converts every argument ("w*|ni"), then checks the size
        if flags.__class__ is not int or not _INT_MIN <= flags <= _INT_MAX:
            flags = _c_int(flags)
        if n < 0:
            raise ValueError("negative buffersize in recvfrom_into")
        if n == 0:
            n = view.nbytes
        elif n > view.nbytes:
            raise ValueError("nbytes is greater than the length of the buffer")
        # a pointer to the caller's buffer, pinned while the kernel writes
        into = syscalls.byref(_char_from_buffer(view)) if n else _EMPTY_BUFFER
        scratch, addr = self._address_buffer()
        try:
            fd = self._fd
            length = addr.length
            length.value = _SOCKADDR_MAX
            first = flags if self._direct is not _WAITS else flags | _MSG_DONTWAIT  # see settimeout
            got = _recvfrom_raw(fd, into, n if n <= _INT_MAX else syscalls.c_size_t(n), first, addr.buf, addr.ref)
            if got < 0:
                got = self._retry(False, -_get_errno(), syscalls.recvfrom, into, n, flags, addr)
            raw: bytes = addr.buf[: length.value]  # type: ignore[assignment]  # c_char slices are bytes
        finally:
            scratch.append(addr)
        return got, _address(self, raw)

    def recvmsg(self, bufsize: int, ancbufsize: int = 0, flags: int = 0, /) -> tuple[bytes, list[tuple[int, int, bytes]], int, Any]:
        if not (bufsize.__class__ is int and ancbufsize.__class__ is int and flags.__class__ is int
                and 0 <= bufsize <= _SCRATCH_MAX and 0 <= ancbufsize <= _INT_MAX and _INT_MIN <= flags <= _INT_MAX):
            bufsize, ancbufsize, flags = _ssize(bufsize), _ssize(ancbufsize), _c_int(flags)  # "n|ni" first
            if bufsize < 0:
                raise ValueError("negative buffer size in recvmsg()")
            ancbufsize = _ancillary_size(ancbufsize)
        msg = self._take_message(1)
        try:
            data = msg.receive_buffer(bufsize, ancbufsize, bufsize <= _SCRATCH_MAX)
            fd = self._fd
            got = msg.recvmsg(fd, flags if self._direct is not _WAITS else flags | _MSG_DONTWAIT)
            if got < 0:
                got = self._retry(False, got, msg.recvmsg, flags)
            name, control_length, msg_flags = msg.results()
            ancdata = parse_control(msg.control[:control_length]) if ancbufsize else []
            # MSG_TRUNC returns the whole length: only what this call wrote (the buffer may be a kept one)
            return data[:got if got <= bufsize else bufsize], ancdata, msg_flags, _address(self, name)
        finally:
            self._return_message(msg)

    def recvmsg_into(
        self, buffers: Iterable[Any], ancbufsize: int = 0, flags: int = 0, /
    ) -> tuple[int, list[tuple[int, int, bytes]], int, Any]:
        # CPython's order: the arguments ("O|ni"), the buffers, then the ancillary size's range
        ancbufsize, flags = _ssize(ancbufsize), _c_int(flags)
        try:
            items = iter(buffers)
        except TypeError:
            raise TypeError("recvmsg_into() argument 1 must be an iterable") from None
        try:
            views = [_writable_view(b, "recvmsg_into") for b in items]
        except TypeError:
            raise TypeError("recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers") from None
        ancbufsize = _ancillary_size(ancbufsize)
        msg = self._take_message(len(views))
        try:
            # the kernel writes straight into the caller's buffers, pinned by msg while it does
            control = msg.scatter(views, ancbufsize)
            fd = self._fd
            got = msg.recvmsg(fd, flags if self._direct is not _WAITS else flags | _MSG_DONTWAIT)
            if got < 0:
                got = self._retry(False, got, msg.recvmsg, flags)
            name, control_length, msg_flags = msg.results()
            ancdata = parse_control(control[:control_length]) if control is not None else []
            return got, ancdata, msg_flags, _address(self, name)
        finally:
            self._return_message(msg)

    def _take_message(self, iovecs: int) -> MessageBuffers:
        """A msghdr block with room for ``iovecs``: a kept one for the usual few, else a new one."""
        if iovecs > _MESSAGE_IOVECS:
            return MessageBuffers(iovecs)
        messages = self._messages
        if messages is None:
            messages = self._messages = deque()
        try:
            return messages.pop()
        except IndexError:  # the first call, or another thread holds the block
            return MessageBuffers(_MESSAGE_IOVECS)

    def _return_message(self, msg: MessageBuffers) -> None:
        msg.held = None  # the call is over: a kept block pins none of its buffers
        messages = self._messages
        if messages is not None and msg.capacity == _MESSAGE_IOVECS:
            messages.append(msg)

    # -- sending ------------------------------------------------------------------

    def send(self, data: Any, flags: int = 0, /) -> int:
        if flags is self._direct:
            return _write(self._fd, data)  # raises what the stdlib's send does (EAGAIN too)
        # a timeout socket's first try; not of b"": pwritev2 returns 0 for no bytes without calling
        # the socket, and send(b"") sends an empty datagram (netlink answers ENODATA)
        if flags is _ZERO and data.__class__ is bytes and data and _NOWAIT:
            try:
                return _pwritev(self._fd, (data,), -1, _NOWAIT)  # type: ignore[misc,no-any-return]
            except BlockingIOError:
                return self._retry_os(True, _write, data)
            except OSError as exc:
                self._nowait_refused(exc)
        payload = data if data.__class__ is bytes else _data_arg(data)
        if flags.__class__ is not int or not _INT_MIN <= flags <= _INT_MAX:
            flags = _c_int(flags)
        fd = self._fd
        size = len(payload)
        first = flags if self._direct is not _WAITS else flags | _MSG_DONTWAIT  # see settimeout
        n: int = _sendto_raw(fd, payload, size if size <= _INT_MAX else syscalls.c_size_t(size), first, None, 0)
        return n if n >= 0 else self._retry(True, -_get_errno(), syscalls.sendto, payload, flags, None)

    def sendall(self, data: Any, flags: int = 0, /) -> None:
        """Send all of ``data``: one deadline covers the whole buffer.

        It sends at least once, as CPython does: empty data on a broken
        connection raises.
        """
        sent = 0
        if flags is self._direct:
            # The common call: one write(2) usually takes it all.  os.write
            # takes any C-contiguous buffer and raises the stdlib's errors for
            # the rest (str, a non-contiguous view, a released one, EAGAIN).
            sent = _write(self._fd, data)
            kind = data.__class__
            if sent == (len(data) if kind is bytes or kind is bytearray else memoryview(data).nbytes):
                return
        try:
            view = memoryview(data)
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'") from None
        if not view.c_contiguous:  # CPython's "y*"
            raise BufferError("memoryview: underlying buffer is not C-contiguous")
        if view.format != "B" or view.ndim != 1:
            view = view.cast("B")
        flags = _c_int(flags)
        total = view.nbytes
        deadline = None if self._direct is not _WAITS else _Deadline(self._timeout)  # type: ignore[arg-type]  # > 0
        with view:
            if deadline is not None and data.__class__ is bytes:
                # A timeout socket tries first (bytes only: ctypes points into them
                # without a copy); after that it polls before every write, as CPython.
                if flags == 0 and total and _NOWAIT:  # not b"": see send
                    try:
                        n = _pwritev(self._fd, (data,), -1, _NOWAIT)  # type: ignore[misc]
                    except BlockingIOError:
                        n = -1
                    except OSError as exc:
                        self._nowait_refused(exc)
                        n = -1
                else:
                    n = _sendto_raw(self._fd, data, total if total <= _INT_MAX else syscalls.c_size_t(total),
                                    flags | _MSG_DONTWAIT, None, 0)
                    if n < 0 and (err := _get_errno()) != _EAGAIN and err != _EINTR:
                        _raise_errno(err)
                if n >= total:
                    return
                if n > 0:
                    sent = n
            while True:  # the descriptor is read again for every write: see _retry
                if deadline is not None:
                    self._wait(True, deadline)
                try:
                    if flags == 0:
                        sent += _write(self._fd, view[sent:])
                    else:
                        n = syscalls.sendto(self._fd, view[sent:].tobytes(), flags, None)
                        if n < 0:
                            if -n != _EINTR:
                                _raise_errno(-n)
                            continue
                        sent += n
                    if sent >= total:
                        return
                except BlockingIOError:
                    if deadline is None:
                        raise

    def sendto(self, data: Any = _UNSET, flags_or_address: Any = _UNSET, address: Any = _UNSET, /) -> int:
        """sendto(data, address) or sendto(data, flags, address): CPython's two forms, converted in its order."""
        if address is _UNSET:
            if flags_or_address is _UNSET:
                raise TypeError(f"sendto() takes 2 or 3 arguments ({0 if data is _UNSET else 1} given)")
            flags, address = 0, flags_or_address
            if data.__class__ is not bytes:
                data = _data_arg(data)
        else:  # "y*iO": the data, then the flags
            flags = flags_or_address
            if data.__class__ is not bytes:
                data = _data_arg(data)
            if flags.__class__ is not int or not _INT_MIN <= flags <= _INT_MAX:
                flags = _c_int(flags)
        sent_address, sent_sockaddr = self._sent
        sockaddr = sent_sockaddr if address is sent_address else _sockaddr_to(self, address)
        sys.audit("socket.sendto", self, address)
        # syscalls.sendto, inlined: this is the datagram hot path
        fd = self._fd
        size = len(data)
        first = flags if self._direct is not _WAITS else flags | _MSG_DONTWAIT  # see settimeout
        n: int = _sendto_raw(fd, data, size if size <= _INT_MAX else syscalls.c_size_t(size), first, sockaddr, len(sockaddr))
        if n < 0:
            n = self._retry(True, -_get_errno(), syscalls.sendto, data, flags, sockaddr)
        return n

    def sendmsg(
        self,
        buffers: Iterable[Any],
        ancdata: Iterable[Any] = (),
        flags: int = 0,
        address: Any = None,
        /,
    ) -> int:
        # CPython's order: the flags ("O|OiO"), the address, the buffers, the ancillary data
        if flags.__class__ is not int or not _INT_MIN <= flags <= _INT_MAX:
            flags = _c_int(flags)
        sockaddr = _sockaddr(self, address, "sendmsg") if address is not None else None
        try:
            items = list(buffers)
        except TypeError:
            raise TypeError("sendmsg() argument 1 must be an iterable") from None
        payloads = [b if b.__class__ is bytes else _message_part(b) for b in items]
        control = b"" if ancdata.__class__ is tuple and not ancdata else build_control(ancdata)
        sys.audit("socket.sendmsg", self, address)
        msg = self._take_message(len(payloads))
        try:
            keep_up_to = _SCRATCH_MAX if len(payloads) <= _MESSAGE_IOVECS else 0  # a kept block keeps its buffer
            msg.gather(payloads, keep_up_to, control, sockaddr)
            fd = self._fd
            n = msg.sendmsg(fd, flags if self._direct is not _WAITS else flags | _MSG_DONTWAIT)
            return n if n >= 0 else self._retry(True, n, msg.sendmsg, flags)
        finally:
            self._return_message(msg)

    def sendfile(self, file: Any, offset: int = 0, count: int | None = None) -> int:
        from .sendfile import sendfile

        return sendfile(self, file, offset, count)

    # -- options ------------------------------------------------------------------

    def getsockopt(self, level: int, optname: int, buflen: int = _UNSET, /) -> int | bytes:
        try:
            # Both in 0..2**30, so C ints (ctypes would truncate a larger int
            # silently); the test raises TypeError for what is not an integer.
            fast = buflen is _UNSET and not (level | optname) >> 30 and not self._wide
        except TypeError:
            fast = False
        if fast:
            # the common call, inlined; the value and length live in a pool of cells
            # (pop/append are atomic, so threads and signal handlers never share one)
            try:
                cell = _take_int_cell()
            except IndexError:
                cell = syscalls.int_cell()
            ints, value_ref, length_ref = cell  # ints[1] is 4 whenever a cell is in the pool
            fd = self._fd
            try:
                rc = _getsockopt_unchecked(fd, level, optname, value_ref, length_ref)
                if rc == -1:  # again, through the function that keeps errno, to learn why
                    ints[1] = 4
                    rc = _getsockopt_raw(fd, level, optname, value_ref, length_ref)
            except syscalls.ArgumentError:  # an int-like object ctypes does not take
                rc = None  # the general path below converts it
            result: int = ints[0]
            if ints[1] != 4:  # a shorter option (rare)
                result = _short_int(ints) if rc == 0 else 0
                ints[1] = 4
            _return_int_cell(cell)
            if rc == 0:
                return result
            if rc == -1:
                _raise_errno()
        level, optname = _c_int(level), _c_int(optname)
        wide = self._wide
        buflen = 0 if buflen is _UNSET else _c_int(buflen)
        if buflen == 0:  # the int form, as CPython
            option = _OptionBuffer(8 if wide else 4)
            err = syscalls.getsockopt(self._fd, level, optname, option)
            if err:
                _raise_errno(-err)
            return option.as_u64() if wide else option.as_int()
        if wide:
            raise OSError("getsockopt string buffer not allowed")
        if buflen < 0 or buflen > 1024:
            raise OSError("getsockopt buflen out of range")
        return _getsockopt_bytes(self._fd, level, optname, buflen)

    def setsockopt(self, level: int, optname: int, value: Any, optlen: int = _UNSET, /) -> None:
        if self._wide:
            return self._set_wide_option(level, optname, value, optlen)
        if value.__class__ is int and optlen is _UNSET:
            try:  # the common call, inlined
                # One pack checks that all three are integers in C int range (ctypes
                # would truncate a level or optname silently); the call reads the
                # value, the first 4 bytes.
                fd, data = self._fd, _pack_int_option(value, level, optname)
                # a failed call changed nothing: repeat it where errno is kept, to learn why
                if (_setsockopt_unchecked(fd, level, optname, data, 4) == -1
                        and _setsockopt_raw(fd, level, optname, data, 4) == -1):
                    _raise_errno()
                return
            except (_struct_error, syscalls.ArgumentError):
                pass  # not C ints, or int-likes ctypes does not take: the general path says
        if optlen is not _UNSET:
            # setsockopt(level, optname, None, optlen); CPython's last try, the
            # 3-argument buffer form, is what reports any other 4-argument call
            try:
                if value is not None:
                    raise TypeError
                level, optname = _c_int(level), _c_int(optname)
                length = _index(optlen) & 0xFFFFFFFF  # an unsigned int, masked as CPython's "I"
            except (TypeError, OverflowError):
                raise TypeError("setsockopt() takes exactly 3 arguments (4 given)") from None
            err = syscalls.setsockopt(self._fd, level, optname, None, length)
            if err:
                _raise_errno(-err)
            return
        level, optname = _c_int(level), _c_int(optname)
        given = type(value).__name__
        if not isinstance(value, int) and hasattr(type(value), "__index__"):
            value = _index(value)  # CPython tries the int form ("iii") first
        if isinstance(value, int):
            if _INT_MIN <= value <= _INT_MAX:
                err = syscalls.setsockopt_int(self._fd, level, optname, value)
                if err:
                    _raise_errno(-err)
            else:
                # CPython tries a C int, then a buffer: an int that fits neither says so
                raise TypeError(f"a bytes-like object is required, not '{given}'")
        elif value is None:
            raise TypeError("a bytes-like object is required, not 'NoneType'")
        else:
            data = _data_arg(value)
            err = syscalls.setsockopt(self._fd, level, optname, data, len(data))
            if err:
                _raise_errno(-err)

    def _set_wide_option(self, level: Any, optname: Any, value: Any, optlen: Any) -> None:
        """setsockopt on a family whose options are u64 (vsock's): CPython parses only "iiK"."""
        if optlen is not _UNSET:
            raise TypeError("setsockopt() takes exactly 3 arguments (4 given)")
        level, optname = _c_int(level), _c_int(optname)
        if not isinstance(value, int) and not hasattr(type(value), "__index__"):
            raise TypeError(f"setsockopt() argument 3 must be int, not {_argument_type_name(value)}")
        err = syscalls.setsockopt_u64(self._fd, level, optname, _index(value) & 0xFFFFFFFFFFFFFFFF)  # "K" masks
        if err:
            _raise_errno(-err)

    def getopt(self, opt: SockOpt[T]) -> T:
        """A typed option's value: ``sock.getopt(options.SO_RCVBUF) -> int``."""
        return opt.codec.unpack(_getsockopt_bytes(self._fd, opt.level, opt.optname, opt.codec.size))

    def setopt(self, opt: SockOpt[T], value: T) -> None:
        """Set a typed option: ``sock.setopt(options.SO_REUSEADDR, True)``."""
        if opt.access == "r":
            raise ValueError(f"{opt.name} is read-only")
        data = opt.codec.pack(value)
        err = syscalls.setsockopt(self._fd, opt.level, opt.optname, data, len(data))
        if err:
            _raise_errno(-err)

    # -- the stdlib's socket objects (sockcore/bridge.py) ---------------------------

    @classmethod
    def from_stdlib(cls, sock: Any, *, detach: bool = False) -> socket:
        """A sockcore socket on a stdlib socket's kernel socket (duplicated fd, or moved with ``detach``)."""
        from .bridge import from_stdlib

        return from_stdlib(sock, detach=detach, cls=cls)

    def to_stdlib(self, *, detach: bool = False) -> Any:
        """A stdlib ``socket.socket`` on this kernel socket (duplicated fd, or moved with ``detach``)."""
        from .bridge import to_stdlib

        return to_stdlib(self, detach=detach)

    # -- files ----------------------------------------------------------------------

    def makefile(
        self,
        mode: str = "r",
        buffering: int | None = None,
        *,
        encoding: str | None = None,
        errors: str | None = None,
        newline: str | None = None,
    ) -> Any:
        """A file object on the socket; the socket stays open until it is closed too."""
        if not set(mode) <= {"r", "w", "b"}:
            raise ValueError(f"invalid mode {mode!r} (only r, w, b allowed)")
        from .fileio import SocketIO

        writing = "w" in mode
        reading = "r" in mode or not writing
        assert reading or writing
        binary = "b" in mode
        rawmode = ("r" if reading else "") + ("w" if writing else "")
        raw = SocketIO(self, rawmode)
        self._io_refs += 1
        if buffering is None:
            buffering = -1
        if buffering < 0:
            buffering = io.DEFAULT_BUFFER_SIZE
        if buffering == 0:
            if not binary:
                raise ValueError("unbuffered streams must be binary")
            return raw
        buffer: io.BufferedIOBase
        if reading and writing:
            buffer = io.BufferedRWPair(raw, raw, buffering)
        elif reading:
            buffer = io.BufferedReader(raw, buffering)
        else:
            buffer = io.BufferedWriter(raw, buffering)
        if binary:
            return buffer
        text = io.TextIOWrapper(buffer, encoding, errors, newline)  # type: ignore[type-var]
        text.mode = mode  # type: ignore[misc]
        return text

    # -- batch datagram I/O (sockcore/batch.py: the stdlib has none) -------------------

    def recvmmsg(
        self, count: int, bufsize: int = 65535, ancbufsize: int = 0, flags: int = 0
    ) -> list[tuple[bytes, list[tuple[int, int, bytes]], int, Any]]:
        """Up to ``count`` messages in one system call, each as recvmsg returns it; waits for the first only."""
        got: list[tuple[bytes, list[tuple[int, int, bytes]], int, Any]]
        got = (_batch or _import_batch()).recvmmsg(self, count, bufsize, ancbufsize, flags)
        return got

    def sendmmsg(self, messages: Iterable[Any], flags: int = 0) -> int:
        """Send ``(buffers, ancdata, address)`` items in one system call; how many were sent."""
        sent: int = (_batch or _import_batch()).sendmmsg(self, messages, flags)
        return sent


# sockcore.batch, imported at the first batch call: it costs `import sockcore` ~6 ms,
# and an import statement in the method ~1.4 us a call
_batch: ModuleType | None = None


def _import_batch() -> ModuleType:
    global _batch
    from . import batch

    _batch = batch
    return batch


socket.__module__ = "sockcore"
SocketType = socket

_CORE_ATTRIBUTES = frozenset(vars(socket))
#: names _sync_family_methods set on the class, removed again when plugins change
_family_methods: set[str] = set()


def _sync_family_methods() -> None:
    """Make the registry's socket methods (sendmsg_afalg ...) methods of the class."""
    for name in _family_methods:
        delattr(socket, name)
    _family_methods.clear()
    for name, function in tables().methods.items():
        if name in _CORE_ATTRIBUTES:
            warnings.warn(f"a plugin's socket method {name!r} would replace the core's: ignored", stacklevel=2)
            continue
        setattr(socket, name, function)
        _family_methods.add(name)


on_change(_sync_family_methods)


def _fileno_arg(fileno: Any) -> int:
    """A descriptor argument: a C long, as CPython takes it, that must be a non-negative C int.

    CPython truncates a long to the int it passes on (2**32 + 1 would be
    descriptor 1); anything beyond a C int is refused here instead.
    """
    fd: int = operator.index(fileno)
    if not _LONG_MIN <= fd <= _LONG_MAX:
        raise OverflowError("Python int too large to convert to C long")
    if fd < 0:
        raise ValueError("negative file descriptor")
    if fd > _INT_MAX:
        raise ValueError("file descriptor out of range")
    return fd


def _descriptor(value: Any) -> int:
    """A descriptor to dup or close: a C long; beyond a C int, no such descriptor (EBADF).

    CPython truncates such a number to an int, which can name a real
    descriptor (2**32 + 1 is stdout); sockcore never does.
    """
    number: int = operator.index(value)
    if not _LONG_MIN <= number <= _LONG_MAX:
        raise OverflowError("Python int too large to convert to C long")
    if not _INT_MIN <= number <= _INT_MAX:
        raise OSError(_EBADF, os.strerror(_EBADF))
    return number


def _getsockopt_bytes(fd: int, level: int, optname: int, buflen: int) -> bytes:
    """getsockopt(2) with a ``buflen``-byte buffer: the bytes the kernel wrote."""
    option = _OptionBuffer(buflen)
    err = syscalls.getsockopt(fd, level, optname, option)
    if err:
        _raise_errno(-err)
    return option.raw()


def _short_int(ints: memoryview) -> int:
    """An int option the kernel wrote fewer than 4 bytes of, read as CPython reads it.

    CPython's int is 0 before the call, so the bytes not written are zeros, in
    this ABI's byte order; a pooled cell still holds an earlier value there.
    """
    written = ints.cast("B")[: ints[1]].tobytes()
    return int.from_bytes(written + bytes(4 - len(written)), sys.byteorder, signed=True)


def _socket_option(fd: int, optname: int) -> int:
    """An int SOL_SOCKET option of ``fd`` through getsockopt's pooled cells (SO_TYPE, SO_ERROR ...).

    EBADF or ENOTSOCK when ``fd`` is not an open socket.
    """
    try:
        cell = _take_int_cell()
    except IndexError:
        cell = syscalls.int_cell()
    ints, value_ref, length_ref = cell
    failed = _getsockopt_raw(fd, _SOL_SOCKET, optname, value_ref, length_ref) == -1
    value: int = ints[0]  # SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR: the kernel writes a whole int
    ints[1] = 4
    _return_int_cell(cell)
    if failed:
        _raise_errno()
    return value


def _default_family(use: str) -> int:
    family = tables().defaults.get(use)
    if family is None:
        raise OSError(
            _errno.EAFNOSUPPORT,
            f"{use}() needs an address family: no installed plugin declares a default for {use}() "
            f"(pip install sockcore-inet for the stdlib's socket() default, sockcore-unix for socketpair())",
        )
    return family


def _check_family_creatable(family: int, record: Family | None) -> None:
    """A family whose plugin is missing, or that this platform lacks, fails with a clear reason."""
    if record is not None:
        if record.probe is None:  # the plugin says: not on this platform (Hyper-V sockets off Windows)
            note = f": {record.platform_note}" if record.platform_note else ""
            raise OSError(_errno.EAFNOSUPPORT, f"{record.name} is not available on {sys.platform}{note}")
        return
    hint = missing_family_hint(family)
    if hint is not None:
        raise OSError(_errno.EAFNOSUPPORT, hint)


def socketpair(family: int | None = None, type: int = _SOCK_STREAM, proto: int = 0) -> tuple[socket, socket]:
    """A pair of connected sockets; the family defaults to the one a plugin declares (unix)."""
    if family is None:
        family = _default_family("socketpair")
    family, type, proto = _c_int(family), _c_int(type), _c_int(proto)
    entry = tables().families.get(family)
    _check_family_creatable(family, entry.family if entry is not None else None)
    fds = _FdPair()
    err = syscalls.socketpair(family, type | _SOCK_CLOEXEC, proto, fds)
    if err:
        _raise_errno(-err)
    a, b = fds[0], fds[1]
    cls = _package.socket
    try:
        first = cls(family, type, proto, a)
    except BaseException:
        os.close(a)
        os.close(b)
        raise
    try:
        return first, cls(family, type, proto, b)
    except BaseException:
        first.close()  # it owns a now
        os.close(b)
        raise


def fromfd(fd: int, family: int, type: int, proto: int = 0) -> socket:
    """A socket on a duplicate of ``fd`` (which should be a socket)."""
    number = _descriptor(fd)
    new = os.dup(number)
    try:
        return _package.socket(family, type, proto, new)  # type: ignore[no-any-return]
    except BaseException:
        os.close(new)
        raise


def dup(fd: int, /) -> int:
    """A duplicate of socket descriptor ``fd``, not inheritable (the stdlib's module-level ``dup``)."""
    return os.dup(_descriptor(fd))


def close(fd: int, /) -> None:
    """Close a socket descriptor."""
    number = _descriptor(fd)
    os.close(number)
