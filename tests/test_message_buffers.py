"""sendmsg/recvmsg reuse a socket's msghdr block between calls: every mix of calls still sees its own.

The block keeps a packed header and its data and control buffers, and reuses
the header when a call has the same shape as the last one; a change of size,
ancillary buffer, iovec count or address must never reach the kernel with a
stale header. Each sequence runs on the stdlib too and must give the same.
"""

from __future__ import annotations

import array
import os
import socket as std
import threading
from types import ModuleType
from typing import Any

import pytest

import sockcore


def fds_message(mod: ModuleType, count: int) -> list[tuple[int, int, bytes]]:
    return [(mod.SOL_SOCKET, mod.SCM_RIGHTS, array.array("i", [0] * count).tobytes())]


def close_received(ancdata: list[tuple[int, int, bytes]]) -> int:
    """Close the descriptors an SCM_RIGHTS item brought; how many there were."""
    fds = array.array("i")
    for level, kind, data in ancdata:
        if level == std.SOL_SOCKET and kind == std.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - len(data) % fds.itemsize])
    for fd in fds:
        os.close(fd)
    return len(fds)


def stream_sequence(mod: ModuleType) -> list[Any]:
    out: list[Any] = []
    a, b = mod.socketpair()
    with a, b:
        for size in (1, 64, 3, 300_000, 64, 0, 17):  # 300,000: past the largest buffer a block keeps
            payload = b"z" * max(size, 1)
            sender = threading.Thread(target=a.sendall, args=(payload,))
            sender.start()
            got = b""
            while len(got) < len(payload):
                data, ancdata, flags, address = b.recvmsg(max(size, 1))
                got += data
            sender.join()
            out.append((got == payload, ancdata, flags, address))
        for count, ancbufsize in ((1, mod.CMSG_SPACE(4)), (3, mod.CMSG_SPACE(12)), (2, mod.CMSG_SPACE(4)), (1, 0)):
            a.sendmsg([b"m", b"sg"], fds_message(mod, count))
            data, ancdata, flags, address = b.recvmsg(10, ancbufsize)
            out.append((data, close_received(ancdata), flags & mod.MSG_CTRUNC, address))
        parts = [b"a", b"bb", b"ccc", b"dddd", b"eeeee", b"f" * 1000]  # more iovecs than a kept block holds
        for n in range(1, len(parts) + 1):
            out.append(a.sendmsg(parts[:n]))
            out.append(b.recv(2000))
        big = [b"q" * 200_000, bytearray(b"r" * 100_000), memoryview(b"s" * 10)]  # past what a block keeps
        sender = threading.Thread(target=lambda: out.append(a.sendmsg(big)))
        sender.start()
        got = b""
        while len(got) < 300_010:
            got += b.recv(1 << 20)
        sender.join()
        out.append(got == b"".join(big))
        a.sendall(b"0123456789")
        first, second = bytearray(3), bytearray(20)
        out.append(b.recvmsg_into([first, second]))
        out.append((bytes(first), bytes(second)))
        a.sendall(b"xy")
        out.append(b.recvmsg_into([bytearray(0), first]))
        out.append(bytes(first))
    return out


def datagram_sequence(mod: ModuleType, tmp: str) -> list[Any]:
    out: list[Any] = []
    paths = [os.path.join(tmp, f"{mod.__name__}-{name}") for name in ("p1", "p2", "longer-name")]
    receivers = [mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) for _ in paths]
    sender = mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM)
    sender.bind(os.path.join(tmp, f"{mod.__name__}-sender"))
    try:
        for sock, path in zip(receivers, paths, strict=True):
            sock.bind(path)
        for i in range(6):  # same-length and different-length names, alternating
            target = i % 3
            out.append(sender.sendmsg([b"to", str(i).encode()], [], 0, paths[target]))
            data, _, _, address = receivers[target].recvmsg(16)
            out.append((target, data, os.path.basename(address)))
    finally:
        sender.close()
        for sock in receivers:
            sock.close()
    return out


def test_stream_calls_of_every_shape(tmp_path: Any) -> None:
    assert stream_sequence(sockcore) == stream_sequence(std)


def test_datagram_names_change_between_calls(tmp_path: Any) -> None:
    ours = datagram_sequence(sockcore, str(tmp_path))
    theirs = datagram_sequence(std, str(tmp_path))
    assert [x if not isinstance(x, tuple) else (*x[:2], x[2].replace("sockcore", "socket")) for x in ours] == theirs


@pytest.mark.parametrize("count", [1, 4, 5, 40])
def test_recvmsg_into_many_buffers(count: int) -> None:
    outcomes = []
    for mod in (std, sockcore):
        a, b = mod.socketpair()
        with a, b:
            a.sendall(bytes(range(count * 3)))
            buffers = [bytearray(3) for _ in range(count)]
            outcomes.append((b.recvmsg_into(buffers), [bytes(x) for x in buffers]))
    assert outcomes[0] == outcomes[1]
