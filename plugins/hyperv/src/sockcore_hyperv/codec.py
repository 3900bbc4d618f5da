"""AF_HYPERV addresses: ``(vm_id, service_id)`` <-> Windows ``SOCKADDR_HV``.

Layout after the 2-byte family (hvsocket.h)::

    USHORT Reserved; GUID VmId; GUID ServiceId;     // 36 bytes in all

A GUID is ``Data1`` (u32), ``Data2``, ``Data3`` (u16) little-endian, then
``Data4[8]`` as written: the string ``"A42E7CDA-D03F-480C-9CC2-A4DE20ABB878"``
is stored ``DA 7C 2E A4 3F D0 0C 48 9C C2 A4 DE 20 AB B8 78``.  Strings are
parsed like ``UuidFromStringW`` (exactly 8-4-4-4-12 hex digits, any case) and
formatted like ``UuidToStringW`` (lower case), as the stdlib does on Windows.

The registered codec refuses to work off Windows: an AF_HYPERV socket cannot
exist there, and the message says so.  The pure functions
:func:`encode_hyperv` / :func:`decode_hyperv` work everywhere.
"""

from __future__ import annotations

import errno
import struct
import sys
from typing import Any

from sockcore.address import SocketInfo, caller_error

from ._constants import AF_HYPERV, HV_PROTOCOL_RAW, NATIVE_PLATFORM
from .records import HyperVAddress

__all__ = [
    "HyperVAddressCodec",
    "decode_hyperv",
    "encode_hyperv",
    "guid_from_bytes",
    "guid_to_bytes",
    "needs_windows_error",
]

_GUID = struct.Struct("<IHH8s")
_BODY = struct.Struct("=H16s16s")  # Reserved, VmId, ServiceId
_HEX = frozenset("0123456789abcdefABCDEF")
_DASHES = (8, 13, 18, 23)


def guid_to_bytes(text: str) -> bytes | None:
    """The 16 bytes of a GUID string in Windows' in-memory layout, or None if malformed."""
    if len(text) != 36 or any(text[i] != "-" for i in _DASHES):
        return None
    digits = text.replace("-", "")
    if len(digits) != 32 or not set(digits) <= _HEX:
        return None
    return _GUID.pack(int(digits[0:8], 16), int(digits[8:12], 16), int(digits[12:16], 16), bytes.fromhex(digits[16:]))


def guid_from_bytes(data: bytes) -> str:
    """The lower-case string of a GUID's 16 bytes, as UuidToStringW writes it."""
    d1, d2, d3, d4 = _GUID.unpack(data)
    return f"{d1:08x}-{d2:04x}-{d3:04x}-{d4[:2].hex()}-{d4[2:].hex()}"


def encode_hyperv(address: Any) -> bytes:
    """The SOCKADDR_HV body (without the family) for ``(vm_id, service_id)``."""
    if not isinstance(address, tuple):
        raise caller_error(TypeError(f"AF_HYPERV address must be tuple, not {type(address).__name__}"))
    if len(address) != 2 or not all(isinstance(part, str) for part in address):
        raise TypeError("AF_HYPERV address must be a str tuple (vm_id, service_id)")
    vm_id, service_id = address
    vm = guid_to_bytes(vm_id)
    if vm is None:
        raise caller_error(ValueError("AF_HYPERV address vm_id is not a valid UUID string"))
    service = guid_to_bytes(service_id)
    if service is None:
        raise caller_error(ValueError("AF_HYPERV address service_id is not a valid UUID string"))
    return _BODY.pack(0, vm, service)


def decode_hyperv(body: bytes) -> HyperVAddress:
    """The ``(vm_id, service_id)`` in a SOCKADDR_HV body."""
    if len(body) < _BODY.size:
        body = bytes(body) + bytes(_BODY.size - len(body))
    _, vm, service = _BODY.unpack_from(body)
    return HyperVAddress(guid_from_bytes(vm), guid_from_bytes(service))


def needs_windows_error() -> OSError:
    """The error for using an AF_HYPERV socket anywhere but Windows."""
    return OSError(
        errno.EAFNOSUPPORT,
        f"AF_HYPERV (Hyper-V sockets) needs Windows; this is {sys.platform}. "
        "sockcore_hyperv.encode_hyperv/decode_hyperv still build and parse SOCKADDR_HV bytes here",
    )


class HyperVAddressCodec:
    """The AddressCodec of AF_HYPERV sockets.

    ``native`` (default: running on Windows) says whether sockets can exist;
    when it is false, encode and decode raise :func:`needs_windows_error`.
    """

    family = AF_HYPERV
    proto: int | None = None

    def __init__(self, native: bool | None = None) -> None:
        self.native = sys.platform == NATIVE_PLATFORM if native is None else native

    def encode(self, address: Any, sock: SocketInfo) -> bytes:
        if not self.native:
            raise needs_windows_error()
        if sock.proto != HV_PROTOCOL_RAW:
            raise caller_error(OSError(f"unsupported AF_HYPERV protocol: {sock.proto}"))
        return encode_hyperv(address)

    def decode(self, body: bytes, sock: SocketInfo) -> HyperVAddress:
        if not self.native:
            raise needs_windows_error()
        return decode_hyperv(body)
