"""Batch datagram I/O: many messages in one system call (recvmmsg(2)/sendmmsg(2)).

``sock.recvmmsg(count)`` returns what ``count`` calls of ``sock.recvmsg``
would, in one system call; ``sock.sendmmsg(messages)`` sends what as many
``sendmsg`` calls would.  Addresses go through the socket's family codec and
ancillary data through the same control-buffer code as recvmsg/sendmsg, so
every datagram-capable family works.

Blocking follows recvmsg/sendmsg: a timeout bounds the wait for the *first*
message (recvmmsg then takes what is queued, up to ``count``: MSG_WAITFORONE
is implied), a non-blocking socket raises BlockingIOError when nothing is
ready.  A timeout socket's first try passes MSG_DONTWAIT, so it times out even
when a dup of it was made blocking (the open file description's O_NONBLOCK
is shared).  Every wait and retry reads the socket's descriptor again, so a socket
another thread closes fails with EBADF instead of reaching whatever socket
reuses the number.
"""

from __future__ import annotations

import errno
import sys
from collections import deque
from itertools import repeat

from ._args import INT_MAX, INT_MIN, ssize
from ._args import bytes_like as _data_arg
from ._args import c_int as _c_int
from ._constants import CONSTANTS
from ._messages import libc as mmsg
from ._socket import _address, _sockaddr_to
from ._syscalls.libc import SOCKADDR_MAX
from .cmsg import build_control, parse_control
from .libc import raise_errno as _raise_errno
from .timeouts import Deadline, wait

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import Any

    from ._socket import socket

    Message = tuple[bytes, list[tuple[int, int, bytes]], int, Any]

__all__ = ["DEFAULT_BUFSIZE", "recvmmsg", "sendmmsg"]

#: recvmmsg's default room per message: any UDP datagram fits whole
DEFAULT_BUFSIZE = 65535
_WAITFORONE = CONSTANTS["MSG_WAITFORONE"]
#: a timeout socket's first try never waits in the kernel, as the core's recv*/send*: O_NONBLOCK
#: belongs to the open file description, which a dup made blocking clears for this descriptor too
#: (_finish calls again with the caller's flags after its poll, as CPython calls after its own)
_DONTWAIT = CONSTANTS["MSG_DONTWAIT"]
_EAGAIN, _EINTR, _EBADF = errno.EAGAIN, errno.EINTR, errno.EBADF
_MMSG_MAX = mmsg.MMSG_MAX
_MMSGHDR_SIZE = mmsg.MMSGHDR_SIZE
_IOVEC_SIZE = mmsg.IOVEC_SIZE
_SOCKADDR_MAX = SOCKADDR_MAX
_KEEP_BYTES = 8 * 1024 * 1024  # larger receive blocks are not kept between calls
_KEEP_SHAPES = 16

#: receive blocks by (count, bufsize, ancbufsize); deques, so threads never share a block
_receive_pool: dict[tuple[int, int, int], deque[mmsg.BatchReceive]] = {}
_send_pool: deque[mmsg.BatchSend] = deque()


def _finish(sock: socket, writing: bool, first: int, call: Callable[..., int], *args: Any) -> int:
    """Finish a call that returned ``-errno`` under the socket's timeout rules.

    ``call(fd, *args)`` is repeated on the socket's *current* descriptor
    (-1 once closed: EBADF); EINTR retries (PEP 475), EAGAIN on a timeout
    socket waits for readiness up to one deadline.
    """
    deadline: Deadline | None = None
    n = first
    while n < 0:
        err = -n
        if err != _EINTR:
            timeout = sock._timeout
            if err != _EAGAIN or not timeout:  # blocking (SO_RCVTIMEO) or non-blocking: the error stands
                _raise_errno(err)
            if deadline is None:
                deadline = Deadline(timeout)
            fd = sock._fd
            if fd != -1:
                wait(fd, writing, deadline)
        fd = sock._fd
        n = call(fd, *args) if fd != -1 else -_EBADF
    return n


# -- receiving ------------------------------------------------------------------------


def _take_receive(count: int, bufsize: int, ancbufsize: int) -> mmsg.BatchReceive:
    pool = _receive_pool.get((count, bufsize, ancbufsize))
    if pool:
        try:
            return pool.pop()
        except IndexError:  # another thread took it
            pass
    return mmsg.BatchReceive(count, bufsize, ancbufsize)


def _return_receive(block: mmsg.BatchReceive) -> None:
    if len(block.block) > _KEEP_BYTES:
        return
    key = (block.count, block.bufsize, block.ancbufsize)
    pool = _receive_pool.get(key)
    if pool is None:
        if len(_receive_pool) >= _KEEP_SHAPES:
            _receive_pool.clear()
        pool = _receive_pool[key] = deque()
    if not pool:  # one kept block per shape is what a receive loop needs
        pool.append(block)


def recvmmsg(sock: socket, count: int, bufsize: int = DEFAULT_BUFSIZE, ancbufsize: int = 0, flags: int = 0) -> list[Message]:
    """Up to ``count`` datagrams in one call: a list of ``(data, ancdata, msg_flags, address)``.

    Each item is what ``sock.recvmsg(bufsize, ancbufsize, flags)`` returns.
    Waits (under the socket's timeout) for the first message only, then
    returns those already queued.  ``count`` above 1024 (UIO_MAXIOV) is
    capped there, as the kernel caps it.
    """
    if not (count.__class__ is int and bufsize.__class__ is int and ancbufsize.__class__ is int
            and flags.__class__ is int and 0 < count <= _MMSG_MAX and 0 <= bufsize <= INT_MAX
            and 0 <= ancbufsize <= INT_MAX and INT_MIN <= flags <= INT_MAX):
        count = ssize(count)
        if count < 0:
            raise ValueError("negative count in recvmmsg()")
        bufsize = ssize(bufsize)
        if bufsize < 0:
            raise ValueError("negative buffer size in recvmmsg()")
        ancbufsize = ssize(ancbufsize)
        if not 0 <= ancbufsize <= INT_MAX:
            raise ValueError("invalid ancillary data buffer length")
        flags = _c_int(flags)
        if count == 0:
            return []
        count = min(count, _MMSG_MAX)
    flags |= _WAITFORONE
    block = _take_receive(count, bufsize, ancbufsize)
    try:
        fd = sock._fd
        n = block.receive(fd, flags | _DONTWAIT if sock._timeout else flags) if fd != -1 else -_EBADF
        if n < 0:
            n = _finish(sock, False, n, block.receive, flags)
        return _messages(sock, block, n)
    finally:
        _return_receive(block)


def _messages(sock: socket, block: mmsg.BatchReceive, n: int) -> list[Message]:
    """The first ``n`` messages of a block recvmmsg filled: this is the hot part.

    Everything that can be done once a batch is (one unpack of the kernel's
    lengths and flags, one check that every message came from one sender,
    one address decode); what is left per message is a comprehension: the
    data (a c_char slice is bytes: one copy), a new ancillary list, the tuple.
    """
    if n <= 0:
        return []
    buf: Any = block.block  # a c_char array: its slices are bytes
    bufsize = block.bufsize
    name_lengths = block.name_lengths[:n].tolist()  # what the kernel wrote into each mmsghdr
    flags = block.flags[:n].tolist()
    lengths = block.lengths[:n].tolist()
    if max(lengths) > bufsize:  # MSG_TRUNC: the datagram's length; the data is what the kernel wrote
        lengths = [length if length < bufsize else bufsize for length in lengths]
    start = block.data_offset
    starts = range(start, start + bufsize * n, bufsize) if bufsize else repeat(start, n)
    name = block.name_offset
    names = buf[name : name + _SOCKADDR_MAX * n]
    size = name_lengths[0]
    addresses: Iterable[Any]
    # Equal name slots and lengths: one sender (the slots are zeroed before each call, so a
    # repeated sender fills them alike; the stale tail of an earlier, longer sockaddr never differs).
    if size <= _SOCKADDR_MAX and name_lengths.count(size) == n and names == names[:_SOCKADDR_MAX] * n:
        address = _address(sock, names[:size])
        if not block.ancbufsize:
            return [(buf[at : at + length], [], f, address) for at, length, f in zip(starts, lengths, flags, strict=True)]
        addresses = repeat(address, n)
    else:
        addresses = _addresses(sock, names, name_lengths)
        if not block.ancbufsize:
            return [(buf[at : at + length], [], f, a) for at, length, f, a in zip(starts, lengths, flags, addresses, strict=True)]
    ancbufsize = block.ancbufsize
    control, space = block.control_offset, block.control_space
    return [
        (buf[at : at + length], parse_control(buf[c : c + (cl if cl < ancbufsize else ancbufsize)]), f, a)
        for at, length, c, cl, f, a in zip(starts, lengths, range(control, control + space * n, space),
                                             block.control_lengths[:n].tolist(), flags, addresses, strict=True)
    ]


def _addresses(sock: socket, names: bytes, name_lengths: list[int]) -> list[Any]:
    """Each message's sender from its name slot: each distinct sockaddr decoded once."""
    seen: dict[bytes, Any] = {}
    out: list[Any] = []
    at = 0
    for size in name_lengths:
        raw = names[at : at + (size if size < _SOCKADDR_MAX else _SOCKADDR_MAX)]  # as recvmsg cuts it
        at += _SOCKADDR_MAX
        address = seen.get(raw, seen)
        if address is seen:
            address = seen[raw] = _address(sock, raw)
        out.append(address)
    return out


# -- sending --------------------------------------------------------------------------


def _space(n: int) -> int:
    return (n + 7) & ~7


def sendmmsg(sock: socket, messages: Iterable[Any], flags: int = 0) -> int:
    """Send ``(buffers, ancdata, address)`` items in one call; return how many were sent.

    Each item is the arguments of one ``sock.sendmsg(buffers, ancdata, 0,
    address)`` (``address`` None on a connected socket).  At most 1024 go in
    one call; fewer than given come back when the socket's buffer filled up
    after the first.  Nothing sent raises, as sendmsg does.
    """
    try:
        items = list(messages)
    except TypeError:
        raise TypeError("sendmmsg() argument 1 must be an iterable") from None
    if flags.__class__ is not int or not INT_MIN <= flags <= INT_MAX:
        flags = _c_int(flags)
    if len(items) > _MMSG_MAX:
        items = items[:_MMSG_MAX]
    if not items:
        return 0
    try:
        block = _send_pool.pop()
    except IndexError:
        block = mmsg.BatchSend(4096)
    try:
        count = (_DIRECT is not None and _lay_out_direct(sock, items, block)) or _lay_out_copied(sock, items, block)
        fd = sock._fd
        n = block.send(fd, count, flags | _DONTWAIT if sock._timeout else flags) if fd != -1 else -_EBADF
        if n < 0:
            n = _finish(sock, True, n, block.send, count, flags)
        return n
    finally:
        block.keep = None  # the payloads the iovecs pointed at
        if len(block.block) <= _KEEP_BYTES:
            _send_pool.append(block)


_DIRECT = mmsg.BYTES_DATA_OFFSET
_DIRECT_IOVECS = 4  # the iovecs per message the direct layout has room for


def _lay_out_direct(sock: socket, items: list[Any], block: mmsg.BatchSend) -> int:
    """The common batch, laid out in one pass: no ancillary data, a few buffers each.

    Layout: one sockaddr slot per message, the mmsghdr array, the iovecs,
    which point straight at the payloads' bytes (kept referenced by the
    block until the call is done).  Returns 0 when the batch needs the
    general layout instead.
    """
    count = len(items)
    headers_at = _SOCKADDR_MAX * count
    iovecs_at = headers_at + _MMSGHDR_SIZE * count
    base = block.base(iovecs_at + _IOVEC_SIZE * _DIRECT_IOVECS * count, headers_at)
    view = block.view
    offset: int = _DIRECT  # type: ignore[assignment]  # checked by the caller
    header: list[int] = []
    iovecs: list[int] = []
    keep: list[bytes] = []
    iovec_address = base + iovecs_at
    slot = base
    name_ptr = name_length = 0
    last_address: Any = None
    last_sockaddr: bytes | None = None
    total = 0
    for item in items:
        if item.__class__ is not tuple or len(item) != 3:
            return 0
        buffers, ancdata, address = item
        if ancdata or (buffers.__class__ is not list and buffers.__class__ is not tuple):
            return 0
        if address is not last_address:
            if address is None:
                name_ptr = name_length = 0
            else:
                sent = sock._sent
                sockaddr = sent[1] if address is sent[0] else _sockaddr_to(sock, address)
                sys.audit("socket.sendmsg", sock, address)
                if sockaddr != last_sockaddr:
                    at = slot - base
                    view[at : at + len(sockaddr)] = sockaddr
                    name_ptr, name_length = slot, len(sockaddr)
                    slot += _SOCKADDR_MAX
                    last_sockaddr = sockaddr
            last_address = address
        n = len(buffers)
        total += n
        if total > _DIRECT_IOVECS * count:
            return 0
        header += (name_ptr, name_length, iovec_address, n, 0, 0, 0, 0)
        iovec_address += _IOVEC_SIZE * n
        for payload in buffers:
            if payload.__class__ is not bytes:
                payload = _data_arg(payload)
                keep.append(payload)
            iovecs += (id(payload) + offset, len(payload))
    block.keep = (items, keep)  # every payload stays alive until the call returns
    laid_out = mmsg.pack_batch(count, total, header + iovecs)
    view[headers_at : headers_at + len(laid_out)] = laid_out
    return count


def _lay_out_copied(sock: socket, items: list[Any], block: mmsg.BatchSend) -> int:
    """Any batch (ancillary data, many buffers): payloads copied into the block; returns the message count."""
    count = len(items)
    # First pass: every payload, control buffer and sockaddr, and the room they take.
    payloads: list[bytes] = []
    per_message: list[tuple[int, bytes, bytes | None]] = []  # (iovec count, control, sockaddr)
    iovecs = data_size = names_size = control_size = 0
    last_address: Any = None
    last_sockaddr: bytes | None = None
    for item in items:
        try:
            buffers, ancdata, address = item
        except (TypeError, ValueError):
            raise TypeError("sendmmsg() messages must be (buffers, ancdata, address) items") from None
        if buffers.__class__ is not list and buffers.__class__ is not tuple:
            try:
                buffers = list(buffers)
            except TypeError:
                raise TypeError("sendmmsg() buffers must be an iterable") from None
        for payload in buffers:
            if payload.__class__ is not bytes:
                payload = _data_arg(payload)
            payloads.append(payload)
            data_size += len(payload)
        iovecs += len(buffers)
        control = b"" if not ancdata else build_control(ancdata)
        control_size += _space(len(control))
        if address is None:
            sockaddr = None
        elif address is last_address:
            sockaddr = last_sockaddr
        else:
            sent = sock._sent
            sockaddr = sent[1] if address is sent[0] else _sockaddr_to(sock, address)
            sys.audit("socket.sendmsg", sock, address)
            last_address = address
            if sockaddr != last_sockaddr:
                names_size += _space(len(sockaddr))
            last_sockaddr = sockaddr
        per_message.append((len(buffers), control, sockaddr))
    # Second pass: lay the block out (headers, iovecs, sockaddrs, control, data) and pack it.
    iov_at = _MMSGHDR_SIZE * count
    names_at = iov_at + _IOVEC_SIZE * iovecs
    control_at = names_at + names_size
    data_at = control_at + control_size
    base = block.base(data_at + data_size)
    header: list[int] = []
    iov_values: list[int] = []
    names: list[bytes] = []
    controls: list[bytes] = []
    iov_address, name_address = base + iov_at, base + names_at
    control_address, data_address = base + control_at, base + data_at
    previous: bytes | None = None
    previous_at = 0
    payload_index = 0
    for buffer_count, control, sockaddr in per_message:
        if sockaddr is None:
            name_ptr, name_length = 0, 0
        else:
            if sockaddr is not previous and sockaddr != previous:
                previous, previous_at = sockaddr, name_address
                names.append(sockaddr.ljust(_space(len(sockaddr)), b"\0"))
                name_address += _space(len(sockaddr))
            name_ptr, name_length = previous_at, len(sockaddr)
        if control:
            control_ptr = control_address
            controls.append(control.ljust(_space(len(control)), b"\0"))
            control_address += _space(len(control))
        else:
            control_ptr = 0
        header += (name_ptr, name_length, iov_address, buffer_count, control_ptr, len(control), 0, 0)
        iov_address += _IOVEC_SIZE * buffer_count
        for payload in payloads[payload_index : payload_index + buffer_count]:
            iov_values += (data_address, len(payload))
            data_address += len(payload)
        payload_index += buffer_count
    header += iov_values
    laid_out = mmsg.pack_batch(count, iovecs, header) + b"".join(names) + b"".join(controls) + b"".join(payloads)
    block.view[: len(laid_out)] = laid_out
    return count
