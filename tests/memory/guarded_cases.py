"""Guard-page cases: run one group against one module, in this process, one line per case.

    python guarded_cases.py GROUP MODULE PLACEMENT

MODULE is ``sockcore`` or ``stdlib``; PLACEMENT is ``end`` (every buffer ends
right before a PROT_NONE page: an over-read or over-write faults) or
``start`` (every buffer starts right after one: an under-run faults).  Each
case prints ``CASE <name>`` (flushed) before it runs and ``= <outcome>``
after, so a crash names the case that caused it; the test compares the
outcome lines of sockcore with the stdlib's.  A kernel that meets a guard
page answers EFAULT instead of faulting: that outcome differs from the
stdlib's too.  This file is the test side: ctypes and mmap are fine here.
"""

# every case's closure runs at once, inside its loop iteration:
# ruff: noqa: B023

from __future__ import annotations

import ctypes
import errno
import mmap
import os
import socket as std
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any

PAGE = mmap.PAGESIZE
_libc = ctypes.CDLL(None, use_errno=True)
_libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
_keep: list[Any] = []  # mappings stay mapped until the process ends (views pin them anyway)

#: buffer sizes: empty, tiny, around a word, around a page
SIZES = (0, 1, 3, 7, 8, 9, 15, 16, 17, 100, PAGE - 1, PAGE)


def guarded(size: int, placement: str) -> memoryview:
    """A writable view of ``size`` bytes flush against a PROT_NONE page."""
    pages = max(1, -(-size // PAGE))
    mapping = mmap.mmap(-1, (pages + 1) * PAGE)
    base = ctypes.addressof(ctypes.c_char.from_buffer(mapping))
    guard = base + pages * PAGE if placement == "end" else base
    if _libc.mprotect(guard, PAGE, 0) != 0:
        raise OSError(ctypes.get_errno(), "mprotect")
    _keep.append(mapping)
    view = memoryview(mapping)
    if placement == "end":
        return view[pages * PAGE - size : pages * PAGE]
    return view[PAGE : PAGE + size]


def filled(data: bytes, placement: str) -> memoryview:
    view = guarded(len(data), placement)
    view[:] = data
    return view


def pattern(n: int, seed: int = 0) -> bytes:
    return bytes((i * 7 + seed) & 0xFF for i in range(n))


def outcome(call: Callable[[], Any]) -> str:
    try:
        return "ok " + repr(call())
    except OSError as e:
        if e.errno == errno.EFAULT:
            return "EFAULT (the kernel met a guard page)"
        return f"{type(e).__name__} errno={e.errno}"
    except Exception as e:  # the stdlib's TypeError/ValueError/OverflowError, compared by type
        return type(e).__name__


class Runner:
    def __init__(self, mod: Any, placement: str) -> None:
        self.mod = mod
        self.placement = placement

    def case(self, name: str, call: Callable[[], Any]) -> None:
        print("CASE", name, flush=True)
        print("=", outcome(call), flush=True)

    def pairs(self) -> Iterator[tuple[str, int]]:
        yield "stream", self.mod.SOCK_STREAM
        yield "dgram", self.mod.SOCK_DGRAM

    def g(self, size: int) -> memoryview:
        return guarded(size, self.placement)


# -------------------------------------------------------------------------
# receive forms
# -------------------------------------------------------------------------


def group_recv(r: Runner) -> None:
    m = r.mod
    for kind, type_ in r.pairs():
        for size in SIZES:
            sent = pattern(size + 16, size)
            for nbytes in sorted({0, max(size - 1, 0), size, size + 1}):
                for flags in (0, m.MSG_PEEK, m.MSG_DONTWAIT):
                    for op in ("recv_into", "recvfrom_into", "recvmsg_into", "recvmsg_into2"):
                        if op.startswith("recvmsg") and nbytes not in (0, size):
                            continue  # recvmsg_into takes no nbytes
                        a, b = m.socketpair(m.AF_UNIX, type_)
                        with a, b:
                            a.sendall(sent) if type_ == m.SOCK_STREAM else a.send(sent)
                            buf = r.g(size)

                            def call(op: str = op, buf: memoryview = buf, b: Any = b,
                                     nbytes: int = nbytes, flags: int = flags) -> Any:
                                if op == "recv_into":
                                    got: Any = b.recv_into(buf, nbytes, flags)
                                elif op == "recvfrom_into":
                                    got = b.recvfrom_into(buf, nbytes, flags)[0]
                                elif op == "recvmsg_into":
                                    got = b.recvmsg_into([buf], 0, flags)[:3]
                                else:  # split over two guarded buffers
                                    half = r.g(size // 2)
                                    got = b.recvmsg_into([half, buf], 0, flags)[:3], bytes(half)
                                return got, bytes(buf)

                            r.case(f"{op} {kind} size={size} nbytes={nbytes} flags={flags}", call)
        # the forms that allocate their own buffer: no guard to place, run for coverage
        for size in (0, 1, 16, PAGE):
            a, b = m.socketpair(m.AF_UNIX, type_)
            with a, b:
                a.send(pattern(size + 16))
                r.case(f"recv {kind} {size}", lambda b=b, size=size: b.recv(size, m.MSG_PEEK))
                r.case(f"recvfrom {kind} {size}", lambda b=b, size=size: b.recvfrom(size, m.MSG_PEEK)[0])
                r.case(f"recvmsg {kind} {size}", lambda b=b, size=size: b.recvmsg(size, 0, m.MSG_PEEK)[:3])


# -------------------------------------------------------------------------
# send forms
# -------------------------------------------------------------------------


def _drain(sock: Any) -> bytes:
    out = []
    sock.setblocking(False)
    try:
        while True:
            chunk = sock.recv(1 << 16)
            if not chunk:
                break
            out.append(chunk)
    except BlockingIOError:
        pass
    return b"".join(out)


def group_send(r: Runner) -> None:
    m = r.mod
    for kind, type_ in r.pairs():
        for size in SIZES:
            data = pattern(size, 3)
            for op in ("send", "sendall", "sendmsg", "sendmsg_split", "send_slice"):
                a, b = m.socketpair(m.AF_UNIX, type_)
                with a, b:
                    buf = filled(data, r.placement)

                    def call(op: str = op, a: Any = a, b: Any = b, buf: memoryview = buf) -> Any:
                        if op == "send":
                            got: Any = a.send(buf)
                        elif op == "sendall":
                            got = a.sendall(buf)
                        elif op == "sendmsg":
                            got = a.sendmsg([buf])
                        elif op == "sendmsg_split":
                            got = a.sendmsg([filled(data[: size // 2], r.placement), filled(data[size // 2 :], r.placement)])
                        else:
                            got = a.send(buf[1:]) if size else a.send(buf)
                        return got, _drain(b)

                    r.case(f"{op} {kind} size={size}", call)
    # sendto with an address: a unix datagram socket bound to an abstract name
    for size in SIZES:
        with m.socket(m.AF_UNIX, m.SOCK_DGRAM) as rx, m.socket(m.AF_UNIX, m.SOCK_DGRAM) as tx:
            rx.bind(f"\0sockcore-guard-{os.getpid()}".encode())
            buf = filled(pattern(size, 5), r.placement)
            r.case(f"sendto address size={size}",
                   lambda tx=tx, rx=rx, buf=buf: (tx.sendto(buf, rx.getsockname()), _drain(rx)))


# -------------------------------------------------------------------------
# socket options
# -------------------------------------------------------------------------


def group_setsockopt(r: Runner) -> None:
    m = r.mod
    options = [
        ("SO_LINGER", m.SOL_SOCKET, m.SO_LINGER, 8, m.AF_UNIX, m.SOCK_STREAM),
        ("SO_RCVTIMEO", m.SOL_SOCKET, m.SO_RCVTIMEO, 16, m.AF_UNIX, m.SOCK_STREAM),
        ("SO_RCVBUF", m.SOL_SOCKET, m.SO_RCVBUF, 4, m.AF_UNIX, m.SOCK_STREAM),
        ("SO_BINDTODEVICE", m.SOL_SOCKET, m.SO_BINDTODEVICE, 16, m.AF_INET, m.SOCK_DGRAM),
        ("TCP_CONGESTION", m.IPPROTO_TCP, m.TCP_CONGESTION, 16, m.AF_INET, m.SOCK_STREAM),
        ("TCP_NODELAY", m.IPPROTO_TCP, m.TCP_NODELAY, 4, m.AF_INET, m.SOCK_STREAM),
        ("IP_TOS", m.IPPROTO_IP, m.IP_TOS, 4, m.AF_INET, m.SOCK_DGRAM),
        ("IP_OPTIONS", m.IPPROTO_IP, m.IP_OPTIONS, 40, m.AF_INET, m.SOCK_DGRAM),
    ]
    values = {
        "SO_LINGER": struct.pack("ii", 1, 3), "SO_RCVTIMEO": struct.pack("ll", 2, 5000),
        "SO_BINDTODEVICE": b"lo".ljust(16, b"\0"), "TCP_CONGESTION": b"reno".ljust(16, b"\0"),
        "IP_OPTIONS": bytes([1] * 40),
    }
    for name, level, opt, natural, family, type_ in options:
        full = values.get(name, struct.pack("i", 1)).ljust(natural + 1, b"\0")
        for size in sorted({0, 1, natural - 1, natural, natural + 1}):
            with m.socket(family, type_) as s:
                buf = filled(full[:size], r.placement)

                def call(s: Any = s, buf: memoryview = buf) -> Any:
                    return s.setsockopt(level, opt, buf), s.getsockopt(level, opt, 64)

                r.case(f"setsockopt {name} size={size}", call)
        with m.socket(family, type_) as s:
            r.case(f"setsockopt {name} None optlen", lambda s=s: s.setsockopt(level, opt, None, 0))


def group_getsockopt(r: Runner) -> None:
    m = r.mod
    options = [
        ("SO_TYPE", m.SOL_SOCKET, m.SO_TYPE, m.AF_UNIX, m.SOCK_STREAM),
        ("SO_LINGER", m.SOL_SOCKET, m.SO_LINGER, m.AF_UNIX, m.SOCK_STREAM),
        ("SO_RCVTIMEO", m.SOL_SOCKET, m.SO_RCVTIMEO, m.AF_UNIX, m.SOCK_STREAM),
        ("SO_PEERCRED", m.SOL_SOCKET, m.SO_PEERCRED, m.AF_UNIX, m.SOCK_STREAM),
        ("SO_BINDTODEVICE", m.SOL_SOCKET, m.SO_BINDTODEVICE, m.AF_INET, m.SOCK_DGRAM),
        ("TCP_INFO", m.IPPROTO_TCP, m.TCP_INFO, m.AF_INET, m.SOCK_STREAM),
        ("TCP_CONGESTION", m.IPPROTO_TCP, m.TCP_CONGESTION, m.AF_INET, m.SOCK_STREAM),
    ]
    for name, level, opt, family, type_ in options:
        with m.socket(family, type_) as s:
            for buflen in range(0, 1026):
                print("CASE getsockopt", name, "buflen", buflen, flush=True)
                # TCP_INFO holds clocks: its length and state byte are what both must agree on
                shape: Callable[[bytes], Any] = (lambda v: (len(v), v[:1])) if name == "TCP_INFO" else (lambda v: v)
                print("=", outcome(lambda: shape(s.getsockopt(level, opt, buflen))), flush=True)
            r.case(f"getsockopt {name} int", lambda s=s: s.getsockopt(level, opt))


# -------------------------------------------------------------------------
# ancillary data: SCM_RIGHTS built from guarded data, cut at every byte
# -------------------------------------------------------------------------


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def group_cmsg(r: Runner) -> None:
    m = r.mod
    nfds = 3
    carried = [os.open(os.devnull, os.O_RDONLY) for _ in range(nfds)]
    try:
        rights = struct.pack(f"{nfds}i", *carried)
        full = m.CMSG_SPACE(len(rights)) + m.CMSG_SPACE(12)
        for ancbufsize in range(0, full + 2):
            for form in ("recvmsg", "recvmsg_into"):
                before = _open_fds()
                a, b = m.socketpair(m.AF_UNIX, m.SOCK_DGRAM)
                with a, b:
                    cred = struct.pack("3i", os.getpid(), os.getuid(), os.getgid())
                    b.setsockopt(m.SOL_SOCKET, m.SO_PASSCRED, 1)
                    a.sendmsg([filled(b"payload", r.placement)],
                              [(m.SOL_SOCKET, m.SCM_RIGHTS, filled(rights, r.placement)),
                               (m.SOL_SOCKET, m.SCM_CREDENTIALS, filled(cred, r.placement))])

                    def call(form: str = form, b: Any = b, ancbufsize: int = ancbufsize) -> Any:
                        if form == "recvmsg":
                            data, anc, flags, _ = b.recvmsg(16, ancbufsize)
                        else:
                            buf = r.g(16)
                            n, anc, flags, _ = b.recvmsg_into([buf], ancbufsize)
                            data = bytes(buf[:n])
                        shown = []
                        for level, kind, body in anc:
                            if level == m.SOL_SOCKET and kind == m.SCM_RIGHTS:
                                got = len(body) // 4
                                for fd in struct.unpack(f"{got}i", body[: got * 4]):
                                    os.close(fd)
                                shown.append(("rights", len(body)))
                            else:
                                shown.append((level, kind, len(body)))
                        return data, shown, flags & m.MSG_CTRUNC

                    r.case(f"{form} ancbufsize={ancbufsize}", call)
                r.case(f"no descriptor left open after {form} ancbufsize={ancbufsize}",
                       lambda before=before: _open_fds() - before)
    finally:
        for fd in carried:
            os.close(fd)
    if r.mod is not std:  # sockcore's own parser, fed guarded control bytes cut at every length
        from sockcore import cmsg

        control = cmsg.build_control([(1, 1, rights), (1, 2, cred)])
        for cut in range(len(control) + 1):
            body = filled(control[:cut], r.placement)
            r.case(f"parse_control cut={cut}", lambda body=body: cmsg.parse_control(body))


# -------------------------------------------------------------------------
# every installed codec's decode with short bodies
# -------------------------------------------------------------------------


def group_codecs(r: Runner) -> None:
    if r.mod is std:
        return  # sockcore only: the stdlib has no codec API
    from sockcore import registry
    from sockcore.testing.contract import FakeSocket

    for (family, proto), codec in sorted(registry.tables().codecs.items(), key=lambda kv: (kv[0][0], kv[0][1] or -1)):
        sock = FakeSocket(family, proto=proto or 0)
        full = 128  # sockaddr_storage: longer than any family's address
        body = struct.pack("H", family) + pattern(full - 2, family)
        for length in range(full + 1):
            view = filled(body[:length], r.placement)
            r.case(f"decode {type(codec).__name__} family={family} proto={proto} len={length}",
                   lambda codec=codec, view=view, sock=sock: type(codec.decode(bytes(view), sock)).__name__)


def group_selftest(r: Runner) -> None:
    """One byte read past a guarded buffer, as a buggy copy would: the harness must see the crash."""
    buf = r.g(16)
    address = ctypes.addressof(ctypes.c_char.from_buffer(buf))
    r.case("read 16 bytes", lambda: len(ctypes.string_at(address, 16)))
    past = address + 16 if r.placement == "end" else address - 1  # the guard page's first / last byte
    r.case("read one byte past the buffer", lambda: ctypes.string_at(past, 1))


GROUPS: dict[str, Callable[[Runner], None]] = {
    "selftest": group_selftest,
    "recv": group_recv, "send": group_send, "setsockopt": group_setsockopt,
    "getsockopt": group_getsockopt, "cmsg": group_cmsg, "codecs": group_codecs,
}


def main(argv: list[str]) -> int:
    group, module, placement = argv
    if module == "sockcore":
        import sockcore as mod

        print("# sockcore from", os.path.dirname(mod.__file__), file=sys.stderr)
    else:
        mod = std
    GROUPS[group](Runner(mod, placement))
    print("DONE", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
