"""Run inside a network namespace (``ip netns exec``): send and receive frames with both modules.

Prints one JSON object: for each case, what the stdlib ``socket`` and what
``sockcore`` received (data and address).  test_packet_sockets.py compares them.
Usage: netns_frames.py LO_OR_VETH SENDER RECEIVER SENDER_MAC RECEIVER_MAC
"""

from __future__ import annotations

import json
import socket as stdlib
import sys
from typing import Any

from sockcore_packet.cmsg import decode_auxdata

import sockcore

ETHERTYPE = 0x88B5  # IEEE 802 local experimental ethertype: nothing else sends it
ETH_P_ALL = 3


def _receive(sock: Any, payload: bytes, send: Any, pkttype: int) -> tuple[bytes, tuple[Any, ...]]:
    """Send, then read until our frame arrives with ``pkttype`` (lo also shows the OUTGOING copy)."""
    for _attempt in range(3):  # a link that has just come up may drop the first frame
        send()
        try:
            while True:
                data, addr = sock.recvfrom(4096)
                if payload in data and addr[2] == pkttype:
                    return data, tuple(addr)
        except TimeoutError:
            continue
    raise TimeoutError("the frame never arrived")


def _addr(addr: tuple[Any, ...]) -> list[Any]:
    return [addr[0], addr[1], addr[2], addr[3], addr[4].hex()]


def case_raw(lib: Any, sender: str, receiver: str, src: bytes, dst: bytes) -> dict[str, Any]:
    payload = b"sockcore raw frame"
    frame = dst + src + ETHERTYPE.to_bytes(2, "big") + payload
    with lib.socket(lib.AF_PACKET, lib.SOCK_RAW, stdlib.htons(ETHERTYPE)) as rx, lib.socket(
        lib.AF_PACKET, lib.SOCK_RAW, 0
    ) as tx:
        rx.bind((receiver, ETHERTYPE))
        rx.settimeout(2)
        data, addr = _receive(rx, payload, lambda: tx.sendto(frame, (sender, ETHERTYPE)), lib.PACKET_HOST)
        return {"data": data.hex(), "addr": _addr(addr), "name": _addr(tuple(rx.getsockname()))}


def case_dgram(lib: Any, sender: str, receiver: str, src: bytes, dst: bytes) -> dict[str, Any]:
    payload = b"sockcore dgram payload"
    with lib.socket(lib.AF_PACKET, lib.SOCK_DGRAM, stdlib.htons(ETHERTYPE)) as rx, lib.socket(
        lib.AF_PACKET, lib.SOCK_DGRAM, 0
    ) as tx:
        rx.bind((receiver, ETHERTYPE))
        rx.settimeout(2)
        data, addr = _receive(
            rx, payload, lambda: tx.sendto(payload, (sender, ETHERTYPE, 0, 0, dst)), lib.PACKET_HOST
        )
        return {"data": data.hex(), "addr": _addr(addr)}


def case_auxdata(lib: Any, sender: str, receiver: str, src: bytes, dst: bytes) -> dict[str, Any]:
    payload = b"sockcore auxdata frame"
    frame = dst + src + ETHERTYPE.to_bytes(2, "big") + payload
    with lib.socket(lib.AF_PACKET, lib.SOCK_RAW, stdlib.htons(ETHERTYPE)) as rx, lib.socket(
        lib.AF_PACKET, lib.SOCK_RAW, 0
    ) as tx:
        rx.bind((receiver, ETHERTYPE))
        rx.setsockopt(263, 8, 1)  # SOL_PACKET, PACKET_AUXDATA
        rx.settimeout(5)
        tx.sendto(frame, (sender, ETHERTYPE))
        while True:
            data, ancdata, _flags, addr = rx.recvmsg(4096, stdlib.CMSG_SPACE(20))
            if payload in data and addr[2] == lib.PACKET_HOST:
                break
        (level, kind, cdata), = ancdata
        aux = decode_auxdata(cdata)
        return {"cmsg": [level, kind], "len": aux.len, "snaplen": aux.snaplen, "mac": aux.mac, "net": aux.net, "frame": len(data)}


def main() -> None:
    sender, receiver, src_hex, dst_hex = sys.argv[1:5]
    src, dst = bytes.fromhex(src_hex), bytes.fromhex(dst_hex)
    out: dict[str, Any] = {}
    for case in (case_raw, case_dgram, case_auxdata):
        for lib in (stdlib, sockcore):
            out[f"{case.__name__}/{lib.__name__}"] = case(lib, sender, receiver, src, dst)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
