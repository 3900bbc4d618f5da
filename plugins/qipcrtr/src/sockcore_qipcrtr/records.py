"""The record types of AF_QIPCRTR: its address and the name service's control packet."""

from __future__ import annotations

import struct
from typing import NamedTuple

from sockcore.address import tuple_text

__all__ = ["QrtrAddress", "QrtrCtrlPacket"]

# struct qrtr_ctrl_pkt: little-endian and packed, whatever the host
_CTRL = struct.Struct("<IIIII")


@tuple_text
class QrtrAddress(NamedTuple):
    """``struct sockaddr_qrtr`` as the stdlib shows it: ``(node, port)``."""

    node: int
    port: int


class QrtrCtrlPacket(NamedTuple):
    """``struct qrtr_ctrl_pkt``: a message to or from the node's QRTR_PORT_CTRL.

    ``cmd`` is a ``QRTR_TYPE_*``.  For ``NEW_SERVER`` / ``DEL_SERVER`` /
    ``NEW_LOOKUP`` the four fields are ``service, instance, node, port``; for
    ``DEL_CLIENT`` / ``BYE`` / ``RESUME_TX`` only ``node, port`` are used and
    they come first, so they are returned as ``service, instance``.
    """

    cmd: int
    service: int = 0
    instance: int = 0
    node: int = 0
    port: int = 0

    def pack(self) -> bytes:
        try:
            return _CTRL.pack(*self)
        except struct.error as exc:
            raise OverflowError(f"qrtr_ctrl_pkt field out of range: {exc}") from None

    @classmethod
    def unpack(cls, data: bytes) -> QrtrCtrlPacket:
        if len(data) < _CTRL.size:
            raise ValueError(f"qrtr_ctrl_pkt needs {_CTRL.size} bytes, got {len(data)}")
        return cls(*_CTRL.unpack_from(data))
