"""A small netlink message reader and writer: ``nlmsghdr`` and ``rtattr``/``nlattr``.

Enough to talk to the kernel without a library::

    from sockcore_netlink.message import pack_message, iter_messages
    request = pack_message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq=1, payload=bytes(16))
    sock.send(request)
    for msg in iter_messages(sock.recv(65536)):
        ...

Every record is aligned to 4 bytes (NLMSG_ALIGNTO, NLA_ALIGNTO).  The
readers check each length against the buffer and raise ValueError for a
truncated or malformed message rather than reading past it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import NamedTuple

from ._constants import NLA_TYPE_MASK, NLMSG_ERROR

__all__ = ["Attribute", "Message", "check_error", "iter_attributes", "iter_messages", "pack_attribute", "pack_message"]

_NLMSGHDR = struct.Struct("=IHHII")  # len, type, flags, seq, pid
_NLATTR = struct.Struct("=HH")  # len, type
_ERRNO = struct.Struct("=i")


def _align(length: int) -> int:
    return (length + 3) & ~3


class Message(NamedTuple):
    """One netlink message: its ``nlmsghdr`` fields and the payload after the header."""

    type: int
    flags: int
    seq: int
    pid: int
    payload: bytes


class Attribute(NamedTuple):
    """One ``nlattr``/``rtattr``: its type (without the NLA_F_* flag bits), the flags, the payload."""

    type: int
    payload: bytes
    flags: int = 0


def pack_message(type: int, flags: int = 0, seq: int = 0, pid: int = 0, payload: bytes = b"") -> bytes:
    """One message: header (its length computed) + payload, padded to 4 bytes."""
    length = _NLMSGHDR.size + len(payload)
    try:
        header = _NLMSGHDR.pack(length, type, flags, seq, pid)
    except struct.error as exc:
        raise OverflowError(f"netlink header field out of range: {exc}") from exc
    return header + payload + bytes(_align(length) - length)


def iter_messages(data: bytes) -> Iterator[Message]:
    """The messages of one datagram, in order."""
    view = memoryview(data)
    offset = 0
    while offset + _NLMSGHDR.size <= len(view):
        length, type, flags, seq, pid = _NLMSGHDR.unpack_from(view, offset)
        if length < _NLMSGHDR.size or offset + length > len(view):
            raise ValueError(f"malformed netlink message at offset {offset}: length {length}")
        yield Message(type, flags, seq, pid, bytes(view[offset + _NLMSGHDR.size : offset + length]))
        offset += _align(length)
    if offset < len(view) and any(view[offset:]):
        raise ValueError(f"{len(view) - offset} stray bytes after the last netlink message")


def check_error(message: Message) -> None:
    """Raise the OSError an NLMSG_ERROR message carries (error 0 is an acknowledgement)."""
    if message.type != NLMSG_ERROR:
        return
    if len(message.payload) < _ERRNO.size:
        raise ValueError("truncated NLMSG_ERROR message")
    (error,) = _ERRNO.unpack_from(message.payload)
    if error:
        import os

        raise OSError(-error, os.strerror(-error))


def pack_attribute(type: int, payload: bytes) -> bytes:
    """One attribute: header + payload, padded to 4 bytes."""
    length = _NLATTR.size + len(payload)
    try:
        header = _NLATTR.pack(length, type)
    except struct.error as exc:
        raise OverflowError(f"netlink attribute too long or type out of range: {exc}") from exc
    return header + payload + bytes(_align(length) - length)


def iter_attributes(data: bytes) -> Iterator[Attribute]:
    """The attributes packed one after another in ``data`` (a message's tail, or a nested attribute)."""
    view = memoryview(data)
    offset = 0
    while offset + _NLATTR.size <= len(view):
        length, type = _NLATTR.unpack_from(view, offset)
        if length < _NLATTR.size or offset + length > len(view):
            raise ValueError(f"malformed netlink attribute at offset {offset}: length {length}")
        yield Attribute(type & NLA_TYPE_MASK, bytes(view[offset + _NLATTR.size : offset + length]), type & ~NLA_TYPE_MASK)
        offset += _align(length)
