"""The ``vsock://`` URI scheme of the sockcore command.

``vsock://CID:PORT[?type=stream|seqpacket|dgram]``: CID is a number or one of
``any``, ``hypervisor``, ``local``, ``host``; PORT a number or ``any``.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sockcore import registry
from sockcore.records import UriScheme, UriTarget

from ._constants import (
    AF_VSOCK,
    VMADDR_CID_ANY,
    VMADDR_CID_HOST,
    VMADDR_CID_HYPERVISOR,
    VMADDR_CID_LOCAL,
    VMADDR_PORT_ANY,
)
from .records import VsockAddress

__all__ = ["VSOCK_SCHEME", "parse_vsock_uri"]

_CIDS = {"any": VMADDR_CID_ANY, "hypervisor": VMADDR_CID_HYPERVISOR, "local": VMADDR_CID_LOCAL, "host": VMADDR_CID_HOST}
_TYPES = {"stream": "SOCK_STREAM", "seqpacket": "SOCK_SEQPACKET", "dgram": "SOCK_DGRAM"}
_FORM = "vsock://CID:PORT[?type=stream|seqpacket|dgram]"


def _u32(text: str, names: dict[str, int], what: str, uri: str) -> int:
    if text in names:
        return names[text]
    if not text.isdigit() or int(text) > 0xFFFFFFFF:
        raise ValueError(f"vsock URI {what} must be 0-4294967295 or one of {', '.join(names)}: {uri!r}")
    return int(text)


def parse_vsock_uri(uri: str) -> UriTarget:
    """The socket and address ``vsock://CID:PORT[?type=...]`` names."""
    parts = urlsplit(uri)
    cid_text, sep, port_text = parts.netloc.rpartition(":")
    if parts.scheme != "vsock" or not sep or not cid_text or parts.path not in ("", "/"):
        raise ValueError(f"not a vsock URI ({_FORM}): {uri!r}")
    query = parse_qs(parts.query)
    kind = query.pop("type", ["stream"])[-1]
    if kind not in _TYPES or query:
        raise ValueError(f"vsock URI accepts only ?type=stream, seqpacket or dgram: {uri!r}")
    cid = _u32(cid_text.lower(), _CIDS, "CID", uri)
    port = _u32(port_text.lower(), {"any": VMADDR_PORT_ANY}, "port", uri)
    sock_type = int(registry.tables().constants[_TYPES[kind]])
    return UriTarget(AF_VSOCK, sock_type, 0, VsockAddress(cid, port))


VSOCK_SCHEME = UriScheme(
    "vsock",
    parse_vsock_uri,
    example="vsock://local:1234",
    doc="virtual machine sockets (AF_VSOCK): a context ID and a port",
)
