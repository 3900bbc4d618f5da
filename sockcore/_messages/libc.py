"""The msghdr blocks of sendmsg/recvmsg (and of recvmmsg/sendmmsg), packed with struct, kept between calls.

Buffer lifetimes.  A msghdr is a record of raw addresses: the kernel follows
each pointer in it during the call, and nothing in C keeps what it points at
alive.  So every address packed into a header here is computed, inside this
module, from an object the block itself holds for at least the whole call,
never from a temporary whose only reference is a caller's local:

- ``block`` (the header, its iovec array and the name area) belongs to the
  :class:`MessageBuffers` for its whole life (``ref`` points at it too);
  msg_name and msg_iov point into it.
- ``data`` and ``control``, the kept data and control buffers, are replaced
  only by :meth:`~MessageBuffers.data_buffer` and
  :meth:`~MessageBuffers.control_buffer`, which drop the kept header in the
  same step (``key``/``receiving``), so a header that points at a replaced
  buffer is never sent to the kernel again: the next call packs a new one.
- ``held``: what the current call's iovecs point at when it is not ``data``:
  a one-off data buffer too large to keep, or the ctypes objects pinning the
  caller's own buffers (recvmsg_into; each holds its buffer's export, so the
  buffer cannot be resized or freed meanwhile).  It is set by the method that
  takes their addresses and cleared by the socket when it takes the block
  back, after the call and every retry of it, so a pooled block pins nothing.

The header kept for the next call may still name a freed one-off buffer; it
is used again only when a new call packs the very same addresses (``key``),
which then belong to that call's own held objects.

Batch blocks (:class:`BatchReceive`, :class:`BatchSend`) follow the same
rule: a receive block points only into itself; a send block's iovecs point at
the payloads its ``keep`` holds until the call returns.
"""

from __future__ import annotations

import ctypes
import struct

from .._platform import Layout
from .._platform import current as _platform
from .._syscalls.libc import (
    SOCKADDR_MAX,
    recvmmsg_raw,
    recvmsg_raw,
    sendmmsg_raw,
    sendmsg_raw,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_get_errno = ctypes.get_errno
_create_string_buffer = ctypes.create_string_buffer
_addressof = ctypes.addressof
_byref = ctypes.byref
#: a ctypes object at a writable buffer's first byte, for its address: it holds the
#: buffer export while alive, and costs half what an array type's from_buffer does
_char_from_buffer = ctypes.c_char.from_buffer
_EMPTY_BUFFER = _create_string_buffer(1)  # an address for an empty iovec: the module keeps it


# -- the C layouts ------------------------------------------------------------------

# The platform layer gives each struct as struct type codes; the same codes as
# ctypes types let the import check that both agree on this ABI's layout.
_CTYPES = {"P": ctypes.c_void_p, "N": ctypes.c_size_t, "I": ctypes.c_uint, "i": ctypes.c_int,
           "H": ctypes.c_ushort, "B": ctypes.c_ubyte, "l": ctypes.c_long}
_MSGHDR_LAYOUT = Layout(_platform.MSGHDR)
_IOVEC_LAYOUT = Layout(_platform.IOVEC)
_CMSGHDR_LAYOUT = Layout(_platform.CMSGHDR)


def _structure(name: str, layout: Layout) -> Any:
    fields = [(field, _CTYPES[code]) for field, code in layout.fields]
    structure = type(name, (ctypes.Structure,), {"_fields_": fields})
    if ctypes.sizeof(structure) != layout.size or any(
        getattr(structure, field).offset != offset for field, offset in layout.offsets.items()
    ):  # pragma: no cover - an ABI where ctypes and struct disagree
        raise ImportError(f"sockcore.libc: ctypes and struct lay out {name} differently on this platform")
    return structure


IoVec = _structure("IoVec", _IOVEC_LAYOUT)
MsgHdr = _structure("MsgHdr", _MSGHDR_LAYOUT)
CmsgHeader = _structure("CmsgHeader", _CMSGHDR_LAYOUT)

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
    return (ctypes.c_char * size).from_buffer(mapping)


# -- sendmsg / recvmsg ----------------------------------------------------------------

class MessageBuffers:
    """A msghdr with room for its iovecs and a sockaddr, plus data and control buffers.

    Made once and kept by the socket between sendmsg/recvmsg calls, as
    SockaddrBuffers are for recvfrom. Each call fills it with one method
    (:meth:`gather`, :meth:`scatter`, :meth:`receive_buffer`) that packs the
    header (one struct pack: ctypes field writes cost ~500 instructions each)
    and keeps it, because recvmsg rewrites its lengths: each recvmsg attempt
    copies it back first. A repeated call of the same shape reuses it whole.
    The socket sets ``held`` to None when it takes the block back.
    """

    __slots__ = (
        "block", "capacity", "control", "data", "data_view", "header", "held", "key", "name_offset", "receiving",
        "ref", "view",
    )

    def __init__(self, iovecs: int) -> None:
        self.capacity = iovecs  # the iovecs the block has room for
        self.name_offset = MSGHDR_SIZE + IOVEC_SIZE * iovecs
        self.block = _create_string_buffer(self.name_offset + SOCKADDR_MAX)
        self.view = memoryview(self.block).cast("B")
        self.ref = _byref(self.block)
        self.data: Any = None
        self.data_view: memoryview | None = None
        self.control: Any = None
        self.held: Any = None  # what this call's iovecs point at besides data (see the module's comment)
        self.header = b""
        self.key: tuple[Any, ...] | None = None  # what the header was packed from
        self.receiving: tuple[int, int] | None = None  # the (size, ancbufsize) the header is packed for

    def data_buffer(self, size: int, keep: bool) -> Any:
        """A ctypes buffer of at least ``size`` bytes (never empty): ``data`` when ``keep``, else held for this call."""
        data = self.data
        if data is None or len(data) < size:
            data = _create_string_buffer(size or 1) if keep or size <= _ZERO_FILL_MAX else _mapped_buffer(size)
            if keep:
                # the old header points at the old buffer
                self.data, self.data_view, self.receiving, self.key = data, None, None, None
            else:
                self.held = data
        return data

    def control_buffer(self, size: int, content: bytes = b"") -> Any:
        """``control``, at least ``size`` bytes for msg_control, starting with ``content``."""
        control = self.control
        if control is None or len(control) < size:
            control = self.control = _create_string_buffer(size)
            self.receiving = self.key = None  # the old header points at the old buffer
        if content:
            memoryview(control).cast("B")[: len(content)] = content
        return control

    def gather(self, payloads: list[bytes], keep_up_to: int, control: bytes, sockaddr: bytes | None) -> None:
        """Pack a sendmsg: ``payloads`` copied one after another into a data buffer, ``control``, ``sockaddr``.

        A data buffer of up to ``keep_up_to`` bytes is kept for the next call;
        a larger one is held until the socket takes the block back.
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
        base = _addressof(data)
        iovecs = []
        offset = 0
        for payload in payloads:
            end = offset + len(payload)
            view[offset:end] = payload
            iovecs.append((base + offset, end - offset))
            offset = end
        if control:
            self._pack(iovecs, self.control_buffer(len(control), control), len(control), len(sockaddr) if sockaddr else 0,
                       sockaddr or b"")
        else:
            self._pack(iovecs, None, 0, len(sockaddr) if sockaddr else 0, sockaddr or b"")

    def scatter(self, views: list[memoryview], ancbufsize: int) -> Any:
        """Pack a recvmsg_into: the kernel writes straight into ``views``, pinned (held) for the call; the control buffer."""
        pins = self.held = [_char_from_buffer(v) if v.nbytes else _EMPTY_BUFFER for v in views]
        control = self.control_buffer(ancbufsize) if ancbufsize else None
        self._pack([(_addressof(p), v.nbytes) for p, v in zip(pins, views, strict=True)], control, ancbufsize, SOCKADDR_MAX)
        return control

    def receive_buffer(self, size: int, ancbufsize: int, keep: bool) -> Any:
        """Pack a recvmsg of ``size`` bytes and ``ancbufsize`` of control: the data buffer."""
        if self.receiving == (size, ancbufsize):
            return self.data
        data = self.data_buffer(size, keep)
        control = self.control_buffer(ancbufsize) if ancbufsize else None
        self._pack([(_addressof(data), size)], control, ancbufsize, SOCKADDR_MAX)
        if data is self.data:
            self.receiving = (size, ancbufsize)
        return data

    def _pack(self, iovecs: list[tuple[int, int]], control: Any, control_length: int, name_length: int, name: bytes = b"") -> None:
        """Pack the header: ``(address, length)`` iovecs into data/held, msg_control, the name area.

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
        base = _addressof(self.block)
        values = [
            base + start if name_length else 0, name_length,
            base + MSGHDR_SIZE, len(iovecs),
            _addressof(control) if control_length else 0, control_length, 0,
        ]
        for iovec in iovecs:
            values += iovec
        header = self.header = _msg_layout(len(iovecs)).pack(*values)
        self.view[: len(header)] = header
        self.key = key

    def recvmsg(self, fd: int, flags: int) -> int:
        """recvmsg(2) with the packed header, restored first; the count or -errno."""
        header = self.header
        self.view[: len(header)] = header
        n: int = recvmsg_raw(fd, self.ref, flags)
        return n if n != -1 else -_get_errno()

    def sendmsg(self, fd: int, flags: int) -> int:
        """sendmsg(2) with the packed header (which it leaves as it is); the count or -errno."""
        n: int = sendmsg_raw(fd, self.ref, flags)
        return n if n != -1 else -_get_errno()

    def results(self) -> tuple[bytes, int, int]:
        """After recvmsg: the sender's sockaddr (b"" when none), the control length and msg_flags."""
        name_length, control_length, flags = _MSG_RESULT.unpack_from(self.view)
        if not name_length:
            return b"", control_length, flags
        start = self.name_offset
        name: bytes = self.block[start : start + min(name_length, SOCKADDR_MAX)]  # type: ignore[assignment]  # c_char slices are bytes
        return name, control_length, flags


# -- batch datagram I/O (recvmmsg/sendmmsg; sockcore/batch.py) ------------------------

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


# What the kernel writes back into each mmsghdr, as (field, struct code, offset):
# BatchReceive reads each one for the whole batch through a strided memoryview.
_MMSG_FIELDS = (
    *((name, dict(_MSGHDR_LAYOUT.fields)[name], _MSGHDR_LAYOUT.offsets[name])
      for name in ("msg_namelen", "msg_controllen", "msg_flags")),
    ("msg_len", "I", struct.calcsize(_MSGHDR + "0P")),  # after the msghdr's tail padding
)
if any(offset % struct.calcsize(code) or MMSGHDR_SIZE % struct.calcsize(code)
       for _, code, offset in _MMSG_FIELDS):  # pragma: no cover - another ABI: read them with MMSG_RESULT
    raise ImportError("sockcore.libc: this platform's mmsghdr fields are not aligned for strided reads")


def _space(n: int) -> int:
    return (n + 7) & ~7


class BatchReceive:
    """One block for a recvmmsg of ``count`` messages of ``bufsize`` bytes and ``ancbufsize`` of control.

    Layout: the mmsghdr array, one iovec per message, then the name areas,
    control areas and data areas, each message's at a fixed stride.  The
    header is packed once; the kernel rewrites its lengths, so each call
    copies it back first (one memmove), and with it zeros for the name areas:
    a name slot then holds exactly the sockaddr bytes the kernel wrote, so
    equal slots are equal senders (batch.py compares them all at once).
    Kept in a pool by shape between calls.
    """

    __slots__ = ("ancbufsize", "block", "bufsize", "control_lengths", "control_offset", "control_space", "count",
                 "data_offset", "flags", "header", "lengths", "name_lengths", "name_offset", "view")

    def __init__(self, count: int, bufsize: int, ancbufsize: int) -> None:
        self.count, self.bufsize, self.ancbufsize = count, bufsize, ancbufsize
        iov_offset = MMSGHDR_SIZE * count
        name_offset = iov_offset + IOVEC_SIZE * count
        self.name_offset = name_offset
        self.control_space = control_space = _space(ancbufsize)
        self.control_offset = control_offset = name_offset + SOCKADDR_MAX * count
        self.data_offset = data_offset = control_offset + control_space * count
        self.block = _create_string_buffer(data_offset + bufsize * count or 1)
        self.view = memoryview(self.block).cast("B")
        base = _addressof(self.block)
        values: list[int] = []
        for i in range(count):
            values += (
                base + name_offset + SOCKADDR_MAX * i, SOCKADDR_MAX,
                base + iov_offset + IOVEC_SIZE * i, 1,
                base + control_offset + control_space * i if ancbufsize else 0, ancbufsize, 0, 0,
            )
        for i in range(count):
            values += (base + data_offset + bufsize * i, bufsize)
        header = _mmsg_layout(count, count).pack(*values)
        assert len(header) == name_offset  # the name areas follow the iovecs
        self.header = header + bytes(SOCKADDR_MAX * count)  # and are zeroed with each restore
        # each field the kernel writes back, one item a message: view[:n].tolist() is a batch's values
        headers: Any = self.view[: MMSGHDR_SIZE * count]
        self.name_lengths, self.control_lengths, self.flags, self.lengths = (
            headers.cast(code)[offset // struct.calcsize(code) :: MMSGHDR_SIZE // struct.calcsize(code)]
            for _, code, offset in _MMSG_FIELDS
        )

    def receive(self, fd: int, flags: int) -> int:
        """recvmmsg(2) into the block, its header restored first; the message count or -errno."""
        header = self.header
        self.view[: len(header)] = header
        n: int = recvmmsg_raw(fd, self.block, self.count, flags, None)
        return n if n != -1 else -_get_errno()


class BatchSend:
    """A growable block for one sendmmsg, laid out by the caller (sockcore/batch.py); kept in a pool between calls."""

    __slots__ = ("block", "headers", "keep", "view")

    def __init__(self, size: int) -> None:
        self.headers: Any = None  # a pointer to the mmsghdr array in the block, set by the layout
        self.block = _create_string_buffer(size)
        self.view = memoryview(self.block).cast("B")
        self.keep: Any = None  # what the laid-out pointers point into, held until the call returns

    def base(self, size: int, headers_at: int = 0) -> int:
        """The block's address, grown first to hold ``size`` bytes, with the mmsghdr array at ``headers_at``."""
        if len(self.block) < size:
            self.block = _create_string_buffer(max(size, 2 * len(self.block)))
            self.view = memoryview(self.block).cast("B")
        self.headers = _byref(self.block, headers_at)
        return _addressof(self.block)

    def send(self, fd: int, count: int, flags: int) -> int:
        """sendmmsg(2) of the first ``count`` messages laid out in the block; the count sent or -errno."""
        n: int = sendmmsg_raw(fd, self.headers, count, flags)
        return n if n != -1 else -_get_errno()


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
    offsets = {ctypes.cast(ctypes.c_char_p(sample), ctypes.c_void_p).value - id(sample)  # type: ignore[operator]
               for sample in (b"sockcore", bytes(100))}
    return offsets.pop() if len(offsets) == 1 else None


#: id(a bytes object) + this is its data's address (CPython); None: copy the data instead
BYTES_DATA_OFFSET = _bytes_data_offset()
