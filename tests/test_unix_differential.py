"""Differential tests: every socket method on AF_UNIX sockets, through the stdlib and through sockcore.

Each scenario runs once per module and records every call's outcome: its
(normalised) result, or the exception's type and errno.  The two logs must be
equal.  Scenarios run in a fresh temporary directory (so relative paths give
the same names for both modules) and use abstract names that include the
module's name only where two live sockets would otherwise collide.
"""

from __future__ import annotations

import array
import enum
import errno
import functools
import os
import signal
import socket as std
import stat
import threading
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sockcore

KINDS = [std.SOCK_STREAM, std.SOCK_DGRAM, std.SOCK_SEQPACKET]
KIND_IDS = ["stream", "dgram", "seqpacket"]
CONNECTED_KINDS = [std.SOCK_STREAM, std.SOCK_SEQPACKET]


def norm(value: Any) -> Any:
    """A comparable picture of a result: enums by name, sockets by their family/type/proto."""
    if isinstance(value, enum.Enum):
        return ("enum", type(value).__name__, value.name, value.value)
    if isinstance(value, std.socket | sockcore.socket):
        return ("socket", norm(value.family), norm(value.type), value.proto, value.gettimeout())
    if isinstance(value, tuple | list):
        return type(value).__name__, [norm(v) for v in value]
    if isinstance(value, bytearray | memoryview | array.array):
        return type(value).__name__, bytes(value)
    return value


class Recorder:
    """Runs calls, records what happened, never lets an exception escape."""

    def __init__(self) -> None:
        self.log: list[tuple[Any, ...]] = []

    def __call__(self, label: str, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
        except Exception as exc:  # the comparison is the point: record and go on
            self.log.append((label, "raises", type(exc).__name__, getattr(exc, "errno", None)))
            return None
        self.log.append((label, "returns", norm(result)))
        return result

    def note(self, label: str, value: Any) -> None:
        self.log.append((label, "is", norm(value)))


@pytest.fixture
def workdir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], None]]:
    """Call it to move into a fresh, empty directory (one per module run)."""

    def fresh() -> None:
        monkeypatch.chdir(tmp_path_factory.mktemp("d", numbered=True))

    yield fresh


class ScenarioHung(BaseException):
    """Raised by SIGALRM when a scenario blocks for good (a BaseException: the Recorder lets it through)."""


def _hung(signum: int, frame: Any) -> None:
    raise ScenarioHung("the scenario blocked for 30 s")


def differential(scenario: Callable[[ModuleType, Recorder], None], fresh: Callable[[], None]) -> None:
    logs = []
    previous = signal.signal(signal.SIGALRM, _hung)
    try:
        for module in (std, sockcore):
            fresh()
            rec = Recorder()
            signal.setitimer(signal.ITIMER_REAL, 30)
            try:
                scenario(module, rec)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            logs.append(rec.log)
    finally:
        signal.signal(signal.SIGALRM, previous)
    stdlib_log, sockcore_log = logs
    assert len(stdlib_log) > 0
    differences = [
        f"{expected[0]!r}: stdlib {expected[1:]} / sockcore {got[1:]}"
        for expected, got in zip(stdlib_log, sockcore_log, strict=False)
        if got != expected
    ]
    # (after the first difference the rest may differ only as its consequence)
    assert not differences, "sockcore differs from the stdlib:\n  " + "\n  ".join(differences)
    assert [e[0] for e in sockcore_log] == [e[0] for e in stdlib_log]


def abstract(mod: ModuleType, tag: str) -> bytes:
    return f"\0sockcore-diff-{os.getpid()}-{tag}".encode()


# -------------------------------------------------------------------------
# creation, attributes, fileno detection
# -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_creation_and_attributes(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        with mod.socket(mod.AF_UNIX, kind) as s:
            rec.note("family", s.family)
            rec.note("type", s.type)
            rec.note("proto", s.proto)
            rec.note("timeout", s.gettimeout())
            rec.note("blocking", s.getblocking())
            rec.note("inheritable", s.get_inheritable())
            rec("set_inheritable", s.set_inheritable, True)
            rec("get_inheritable", s.get_inheritable)
            rec.note("cloexec", bool(os.get_inheritable(s.fileno())))
            rec("getsockname", s.getsockname)
            rec("getpeername", s.getpeername)
            rec("SO_TYPE", s.getsockopt, mod.SOL_SOCKET, mod.SO_TYPE)
            rec("SO_DOMAIN", s.getsockopt, mod.SOL_SOCKET, mod.SO_DOMAIN)
            rec("SO_PROTOCOL", s.getsockopt, mod.SOL_SOCKET, mod.SO_PROTOCOL)
            rec("SO_ACCEPTCONN", s.getsockopt, mod.SOL_SOCKET, mod.SO_ACCEPTCONN)
        with mod.socket(mod.AF_UNIX, kind | mod.SOCK_NONBLOCK) as s:
            rec.note("nonblock type", s.type)
            rec.note("nonblock timeout", s.gettimeout())
        with mod.socket(mod.AF_UNIX, kind | mod.SOCK_CLOEXEC, 0) as s:
            rec.note("cloexec type", s.type)
        with mod.socket(family=mod.AF_UNIX, type=kind, proto=1) as s:  # PF_UNIX is the one protocol
            rec.note("proto 1", s.proto)

    differential(scenario, workdir)


def test_bad_creation_arguments(workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        for label, args in [
            ("bad type", (mod.AF_UNIX, 99)),
            ("bad proto", (mod.AF_UNIX, mod.SOCK_STREAM, 5)),
            ("raw", (mod.AF_UNIX, mod.SOCK_RAW)),
            ("str family", ("x",)),
            ("float type", (mod.AF_UNIX, 1.0)),
            ("negative fileno", (mod.AF_UNIX, mod.SOCK_STREAM, 0, -5)),
            ("float fileno", (mod.AF_UNIX, mod.SOCK_STREAM, 0, 1.5)),
        ]:
            s = rec(label, mod.socket, *args)
            if s is not None:
                s.close()

    differential(scenario, workdir)


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_fileno_detection_and_fromfd(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        with mod.socket(mod.AF_UNIX, kind) as original:
            original.bind("named")
            fd = os.dup(original.fileno())
            with mod.socket(fileno=fd) as adopted:
                rec.note("fileno kept", adopted.fileno() == fd)
                rec.note("family", adopted.family)
                rec.note("type", adopted.type)
                rec.note("proto", adopted.proto)
                rec("getsockname", adopted.getsockname)
            with rec("fromfd", mod.fromfd, original.fileno(), mod.AF_UNIX, kind) as dup:
                rec.note("fromfd is a new fd", dup.fileno() != original.fileno())
                rec("getsockname", dup.getsockname)
            # explicit arguments win over what the descriptor says (as in the stdlib)
            fd = os.dup(original.fileno())
            with mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM if kind != mod.SOCK_DGRAM else mod.SOCK_STREAM, 0, fd) as told:
                rec.note("told type", told.type)
        r, w = os.pipe()
        try:
            rec("fileno of a pipe", mod.socket, fileno=r)
        finally:
            os.close(r)
            os.close(w)
        rec("fileno of a closed fd", mod.socket, fileno=12345)

    differential(scenario, workdir)


def test_socketpair(workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        for args in [(), (mod.AF_UNIX,), (mod.AF_UNIX, mod.SOCK_DGRAM), (mod.AF_UNIX, mod.SOCK_SEQPACKET, 0)]:
            pair = rec(f"socketpair{args}", mod.socketpair, *args)
            a, b = pair
            with a, b:
                rec("getsockname", a.getsockname)
                rec("getpeername", b.getpeername)
                rec("send", a.send, b"ping")
                rec("recvfrom", b.recvfrom, 10)
        rec("bad family", mod.socketpair, 12345)
        rec("bad type", mod.socketpair, mod.AF_UNIX, 77)

    differential(scenario, workdir)


# -------------------------------------------------------------------------
# addresses: bind, connect, listen, accept
# -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_bind_forms(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        for label, address in [
            ("str path", "p1"),
            ("bytes path", b"p2"),
            ("bytearray path", bytearray(b"p3")),
            ("undecodable path", b"p\xff"),
            ("surrogate path", "p\udcfe"),
            ("embedded NUL", "p4\0ignored"),
            ("abstract", abstract(mod, f"bind-{kind}")),
            ("abstract str", "\0" + abstract(mod, f"bind-str-{kind}").decode()[1:]),
            ("too long", "x" * 108),
            ("too long abstract", b"\0" * 109),
            ("int", 5),
            ("tuple", ("p5",)),
            ("bad surrogate", "\ud800"),
            ("missing dir", "no/such/dir"),
        ]:
            with mod.socket(mod.AF_UNIX, kind) as s:
                rec(label, s.bind, address)
                rec(label + " getsockname", s.getsockname)
        with mod.socket(mod.AF_UNIX, kind) as s:
            rec("autobind", s.bind, "")
            name = s.getsockname()
            rec.note("autobind name", (type(name).__name__, name[:1], len(name)))
            rec("bind again", s.bind, "p6")
        with mod.socket(mod.AF_UNIX, kind) as s:
            rec("address in use", s.bind, "p1")
        rec.note("files", sorted(os.listdir(".")))

    differential(scenario, workdir)


@pytest.mark.parametrize("kind", CONNECTED_KINDS, ids=["stream", "seqpacket"])
def test_listen_connect_accept(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        with mod.socket(mod.AF_UNIX, kind) as server:
            rec("accept before listen", server.accept)
            rec("listen before bind", server.listen)
            rec("SO_ACCEPTCONN", server.getsockopt, mod.SOL_SOCKET, mod.SO_ACCEPTCONN)
        with mod.socket(mod.AF_UNIX, kind) as server, mod.socket(mod.AF_UNIX, kind) as client:
            rec("bind", server.bind, "srv")
            rec("listen", server.listen)
            rec("listen again", server.listen, 3)
            rec("listen negative", server.listen, -1)
            rec("listen float", server.listen, 1.5)
            rec("connect", client.connect, "srv")
            rec("getpeername", client.getpeername)
            rec("getsockname", client.getsockname)
            pair = rec("accept", server.accept)
            conn, addr = pair
            # (only now: while the backlog is full, a second connect waits for room)
            rec("connect again", client.connect, "srv")
            rec("connect_ex again", client.connect_ex, "srv")
            with conn:
                rec.note("accepted", (conn.family, conn.type, conn.proto, addr, conn.gettimeout()))
                rec("accepted getsockname", conn.getsockname)
                rec("accepted getpeername", conn.getpeername)
                rec("SO_PEERCRED", conn.getsockopt, mod.SOL_SOCKET, mod.SO_PEERCRED, 12)
                rec.note("peercred is ours", conn.getsockopt(mod.SOL_SOCKET, mod.SO_PEERCRED, 12)
                         == array.array("i", [os.getpid(), os.getuid(), os.getgid()]).tobytes())
        with mod.socket(mod.AF_UNIX, kind) as server, mod.socket(mod.AF_UNIX, kind) as client:
            server.bind(abstract(mod, f"named-client-{kind}"))
            server.listen(1)
            client.bind("cli")
            client.connect(server.getsockname())
            conn, addr = server.accept()
            with conn:
                rec.note("named peer address", addr)
                rec("peer of accepted", conn.getpeername)
        with mod.socket(mod.AF_UNIX, kind) as client:
            rec("connect missing", client.connect, "nothing-here")
            rec("connect_ex missing", client.connect_ex, "nothing-here")
            rec("connect_ex unbound abstract", client.connect_ex, b"\0sockcore-nobody-listens")
            rec("connect bad address", client.connect, 3.5)
            rec("connect_ex bad address", client.connect_ex, 3.5)
            rec("connect too long", client.connect, "y" * 200)
            rec("connect autobind", client.connect, "")
        with mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) as dgram:
            dgram.bind("dg")
            with mod.socket(mod.AF_UNIX, kind) as client:
                rec("connect to a datagram socket", client.connect, "dg")

    differential(scenario, workdir)


def test_datagram_addresses(workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        with mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) as server, mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) as client:
            server.bind("server")
            rec("listen", server.listen)
            rec("accept", server.accept)
            rec("sendto unbound client", client.sendto, b"one", "server")
            rec("recvfrom unbound sender", server.recvfrom, 100)
            client.bind("client")
            rec("sendto flags form", client.sendto, b"two", 0, "server")
            rec("recvfrom named sender", server.recvfrom, 100)
            rec("sendto abstract nobody", client.sendto, b"x", b"\0sockcore-nobody")
            rec("sendto missing path", client.sendto, b"x", "missing")
            rec("sendto bad address", client.sendto, b"x", 42)
            rec("sendto too many args", client.sendto, b"x", 0, "server", 1)
            rec("sendto str data", client.sendto, "text", "server")
            rec("send unconnected", client.send, b"x")
            rec("connect", client.connect, "server")
            rec("getpeername", client.getpeername)
            rec("send connected", client.send, b"three")
            buf = bytearray(10)
            rec("recvfrom_into", server.recvfrom_into, buf)
            rec.note("buffer", buf)
            rec("sendto connected other", client.sendto, b"four", "server")
            rec("recvfrom_into nbytes", server.recvfrom_into, buf, 2)
            rec("recvfrom_into too big", server.recvfrom_into, buf, 11)
            client.send(b"five")
            rec("recv truncated", server.recv, 2)  # datagram larger than the buffer: the rest is dropped
            rec("send empty", client.send, b"")
            rec("recvfrom empty", server.recvfrom, 10)
            rec("connect unspec", client.connect, "")

    differential(scenario, workdir)


# -------------------------------------------------------------------------
# data: send / recv families, sendmsg / recvmsg, shutdown
# -------------------------------------------------------------------------


def connected_pair(mod: ModuleType, kind: int) -> tuple[Any, Any]:
    return mod.socketpair(mod.AF_UNIX, kind)  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_send_and_receive(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        a, b = connected_pair(mod, kind)
        with a, b:
            rec("send", a.send, b"hello")
            rec("recv peek", b.recv, 100, mod.MSG_PEEK)
            rec("recv", b.recv, 100)
            rec("send memoryview", a.send, memoryview(b"abcdef")[1:4])
            rec("send bytearray", a.send, bytearray(b"xyz"))
            rec("send array", a.send, array.array("h", [1, 2]))
            rec("recv 3", b.recv, 3)
            rec("recv rest", b.recv, 100)
            if kind != mod.SOCK_STREAM:
                rec("recv rest 2", b.recv, 100)
            rec("send str", a.send, "text")
            rec("send int", a.send, 5)
            rec("send bad flags", a.send, b"x", "flags")
            rec("recv negative", b.recv, -1)
            rec("recv float", b.recv, 1.5)
            if kind == mod.SOCK_STREAM:
                rec("recv zero", b.recv, 0)
            rec("recv nonblocking flag", b.recv, 10, mod.MSG_DONTWAIT)
            rec("send", a.send, b"0123456789")
            buf = bytearray(4)
            rec("recv_into", b.recv_into, buf)
            rec.note("buf", buf)
            rec("recv_into nbytes", b.recv_into, buf, 2, mod.MSG_DONTWAIT)
            rec.note("buf", buf)
            rec("recv_into too big", b.recv_into, buf, 5, mod.MSG_DONTWAIT)
            rec("recv_into negative", b.recv_into, buf, -1, mod.MSG_DONTWAIT)
            rec("recv_into bytes", b.recv_into, b"immutable", 0, mod.MSG_DONTWAIT)
            rec("recv_into scattered", b.recv_into, memoryview(bytearray(8))[::2])
            rec("recv_into scattered with flags", b.recv_into, memoryview(bytearray(8))[::2], 0, mod.MSG_DONTWAIT)
            view = memoryview(bytearray(8))
            rec("recv_into memoryview", b.recv_into, view[2:], 0, mod.MSG_DONTWAIT)
            rec.note("view", view)
            rec("sendall", a.sendall, b"all of it")
            rec("recv", b.recv, 100)
            rec("sendall str", a.sendall, "nope")
            rec("sendall memoryview of ints", a.sendall, memoryview(array.array("i", [7, 8])))
            rec("recv", b.recv, 100)
            rec("sendto on connected", a.sendto, b"x", "somewhere")
            rec("recvfrom", b.recvfrom, 10, mod.MSG_DONTWAIT)
            rec("recvfrom negative", b.recvfrom, -3)

    differential(scenario, workdir)


def receive_fds(sock: Any, bufsize: int, ancbufsize: int) -> tuple[Any, ...]:
    """recvmsg, closing every descriptor received; descriptors are shown by count, not number."""
    data, ancdata, flags, addr = sock.recvmsg(bufsize, ancbufsize)
    shape = []
    for level, kind, payload in ancdata:
        fds = array.array("i", payload[: len(payload) - len(payload) % 4])
        for fd in fds:
            os.close(fd)
        shape.append((level, kind, len(payload), len(fds)))
    return data, shape, flags, addr


def close_copies_of_pipe(r: int, w: int) -> None:
    """Close descriptors of this pipe that arrived unreported.

    The kernel closes the descriptors a cut control buffer could not hold;
    qemu-user (../shared/tools/PLATFORM-LANE.md) installs them all and reports
    only those that fit, so they would stay open.  Natively this finds none.
    """
    pipe = os.fstat(r).st_ino
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd in (r, w):
            continue
        try:
            if os.fstat(fd).st_ino == pipe and stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            pass


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_sendmsg_and_recvmsg(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        a, b = connected_pair(mod, kind)
        r, w = os.pipe()
        try:
            with a, b:
                rec("sendmsg buffers", a.sendmsg, [b"ab", memoryview(b"cd"), bytearray(b"ef")])
                rec("recvmsg", b.recvmsg, 100)
                rec("sendmsg empty", a.sendmsg, [])
                rec("sendmsg rights", a.sendmsg, [b"fd"], [(mod.SOL_SOCKET, mod.SCM_RIGHTS, array.array("i", [r, w]))])
                rec("recvmsg rights", receive_fds, b, 10, mod.CMSG_SPACE(8))
                rec("sendmsg rights as bytes", a.sendmsg, [b"fd"], [(mod.SOL_SOCKET, mod.SCM_RIGHTS, array.array("i", [r]).tobytes())])
                rec("recvmsg rights too small", receive_fds, b, 10, mod.CMSG_SPACE(4))
                a.sendmsg([b"fd"], [(mod.SOL_SOCKET, mod.SCM_RIGHTS, array.array("i", [r, w, r]))])
                rec("truncated rights", receive_fds, b, 10, mod.CMSG_LEN(4))
                rec("sendmsg bad ancillary", a.sendmsg, [b"x"], [(1, 2)])
                rec("sendmsg bad ancillary type", a.sendmsg, [b"x"], [("a", 1, b"")])
                rec("sendmsg bad buffers", a.sendmsg, [1, 2])
                rec("sendmsg not a list", a.sendmsg, 5)
                rec("recvmsg negative", b.recvmsg, -1)
                rec("recvmsg negative anc", b.recvmsg, 1, -1)
                rec("recvmsg nothing", b.recvmsg, 10, 0, mod.MSG_DONTWAIT)
                rec("sendmsg", a.sendmsg, [b"0123456789"])
                bufs = [bytearray(3), bytearray(4)]
                rec("recvmsg_into", b.recvmsg_into, bufs)
                rec.note("bufs", bufs)
                rec("recvmsg_into bad", b.recvmsg_into, [b"immutable"])
                rec("recvmsg_into not a list", b.recvmsg_into, 5)
                if kind == mod.SOCK_STREAM:
                    rec("recv rest", b.recv, 100)
                rec("sendmsg with address", a.sendmsg, [b"x"], [], 0, "nowhere")
                b.setsockopt(mod.SOL_SOCKET, mod.SO_PASSCRED, 1)
                rec("sendmsg", a.sendmsg, [b"cred"])
                data, ancdata, flags, addr = b.recvmsg(10, mod.CMSG_SPACE(12))
                rec.note("credentials", (data, flags, addr, [(lv, ty, d) for lv, ty, d in ancdata]))
        finally:
            close_copies_of_pipe(r, w)
            os.close(r)
            os.close(w)

    differential(scenario, workdir)


def test_seqpacket_and_dgram_truncation(workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        for kind in (mod.SOCK_SEQPACKET, mod.SOCK_DGRAM):
            a, b = connected_pair(mod, kind)
            with a, b:
                a.send(b"0123456789")
                rec("recvmsg short", b.recvmsg, 4)
                a.send(b"0123456789")
                rec("recvmsg MSG_TRUNC", b.recvmsg, 4, 0, mod.MSG_TRUNC)
                a.send(b"0123456789")
                rec("recv_into MSG_TRUNC", b.recv_into, bytearray(4), 4, mod.MSG_TRUNC)

    differential(scenario, workdir)


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_shutdown(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        a, b = connected_pair(mod, kind)
        with a, b:
            rec("shutdown bad how", a.shutdown, 7)
            rec("shutdown str", a.shutdown, "x")
            rec("shutdown wr", a.shutdown, mod.SHUT_WR)
            rec("send after shutdown", a.send, b"x")
            # sendall sends at least once: even empty data meets the broken pipe
            for empty in (b"", bytearray(), memoryview(b"")):
                rec(f"sendall {type(empty).__name__} after shutdown", a.sendall, empty)
            rec("sendall empty with flags after shutdown", a.sendall, b"", mod.MSG_DONTWAIT)
            rec("recv at eof", b.recv, 10, mod.MSG_DONTWAIT)
            rec("shutdown rd", b.shutdown, mod.SHUT_RD)
            rec("recv after shutdown rd", b.recv, 10, mod.MSG_DONTWAIT)
            rec("shutdown rdwr", a.shutdown, mod.SHUT_RDWR)
        with mod.socket(mod.AF_UNIX, kind) as s:
            rec("shutdown unconnected", s.shutdown, mod.SHUT_RDWR)
        a, b = connected_pair(mod, kind)
        with a:
            b.close()
            rec("send to closed peer", a.send, b"x")
            rec("sendall to closed peer", a.sendall, b"x")
            rec("recv from closed peer", a.recv, 10, mod.MSG_DONTWAIT)

    differential(scenario, workdir)


def test_sendall_large(workdir: Callable[[], None]) -> None:
    payload = os.urandom(3 * 1024 * 1024 + 7)

    def scenario(mod: ModuleType, rec: Recorder) -> None:
        a, b = connected_pair(mod, mod.SOCK_STREAM)
        received = bytearray()

        def reader() -> None:
            while len(received) < len(payload):
                chunk = b.recv(65536)
                if not chunk:
                    break
                received.extend(chunk)

        with a, b:
            thread = threading.Thread(target=reader)
            thread.start()
            rec("sendall", a.sendall, payload)
            thread.join()
            rec.note("all received intact", bytes(received) == payload)

    differential(scenario, workdir)


@pytest.mark.parametrize(
    ("method", "make_args"),
    [
        ("recv_into", lambda: (b"read-only",)),
        ("recv_into", lambda: (memoryview(bytearray(8))[::2],)),
        ("recv_into", lambda: ("text",)),
        ("recvfrom_into", lambda: (b"read-only",)),
        ("recvfrom_into", lambda: (memoryview(bytearray(8))[::2],)),
        ("recvmsg_into", lambda: ([memoryview(bytearray(8))[::2]],)),
        ("recvmsg_into", lambda: ([b"read-only"],)),
    ],
)
def test_unusable_buffers_fail_with_the_stdlibs_message(method: str, make_args: Callable[[], tuple[Any, ...]]) -> None:
    messages = []
    for mod in (std, sockcore):
        a, b = mod.socketpair()
        with a, b:
            a.send(b"data")
            with pytest.raises(TypeError) as info:
                getattr(b, method)(*make_args())
            messages.append(str(info.value))
            assert b.recv(10) == b"data"  # nothing was consumed
    assert messages[0] == messages[1]


# -------------------------------------------------------------------------
# options
# -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_socket_options(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        with mod.socket(mod.AF_UNIX, kind) as s:
            rec("set int", s.setsockopt, mod.SOL_SOCKET, mod.SO_SNDBUF, 65536)
            rec("get int", s.getsockopt, mod.SOL_SOCKET, mod.SO_SNDBUF)
            rec("set bool", s.setsockopt, mod.SOL_SOCKET, mod.SO_PASSCRED, True)
            rec("get bool", s.getsockopt, mod.SOL_SOCKET, mod.SO_PASSCRED)
            rec("set bytes", s.setsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, (32768).to_bytes(4, "little"))
            rec("get bytes", s.getsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, 4)
            rec("get bytes long buffer", s.getsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, 64)
            rec("get buflen zero", s.getsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, 0)
            rec("get buflen negative", s.getsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, -1)
            rec("get buflen huge", s.getsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, 2000)
            rec("set linger", s.setsockopt, mod.SOL_SOCKET, mod.SO_LINGER, array.array("i", [1, 5]).tobytes())
            rec("get linger", s.getsockopt, mod.SOL_SOCKET, mod.SO_LINGER, 8)
            rec("set bytearray", s.setsockopt, mod.SOL_SOCKET, mod.SO_KEEPALIVE, bytearray(b"\1\0\0\0"))
            rec("get keepalive", s.getsockopt, mod.SOL_SOCKET, mod.SO_KEEPALIVE)
            rec("set None optlen", s.setsockopt, mod.SOL_SOCKET, mod.SO_BINDTODEVICE, None, 0)
            rec("set None needs optlen", s.setsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, None)
            rec("set optlen with a value", s.setsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, 1, 4)
            rec("set str", s.setsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, "x")
            rec("set float", s.setsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, 1.5)
            rec("set huge int", s.setsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF, 2**40)
            rec("set negative int", s.setsockopt, mod.SOL_SOCKET, mod.SO_SNDBUF, -1)
            rec("bad level", s.setsockopt, 12345, 1, 1)
            rec("bad option", s.getsockopt, mod.SOL_SOCKET, 9999)
            rec("read-only option", s.setsockopt, mod.SOL_SOCKET, mod.SO_TYPE, 1)
            rec("SO_ERROR", s.getsockopt, mod.SOL_SOCKET, mod.SO_ERROR)
            rec("SO_PEERCRED unconnected", s.getsockopt, mod.SOL_SOCKET, mod.SO_PEERCRED, 12)
            rec("too few args", s.getsockopt, mod.SOL_SOCKET)
            rec("str level", s.getsockopt, "x", 1)
            # options the kernel answers with fewer than 4 bytes, right after a
            # large int was read: the int form zero-extends what was written
            rec("get big int", s.getsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF)
            rec("int form of an empty string option", s.getsockopt, mod.SOL_SOCKET, mod.SO_BINDTODEVICE)
            rec("bad option again", s.getsockopt, mod.SOL_SOCKET, 9999)
            if os.geteuid() == 0:
                rec("bind to lo", s.setsockopt, mod.SOL_SOCKET, mod.SO_BINDTODEVICE, b"lo\0")
                rec("get big int again", s.getsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF)
                rec("int form of a 3-byte option", s.getsockopt, mod.SOL_SOCKET, mod.SO_BINDTODEVICE)
                rec("the int after it", s.getsockopt, mod.SOL_SOCKET, mod.SO_RCVBUF)

    differential(scenario, workdir)


# -------------------------------------------------------------------------
# lifetime: close, detach, dup, closed sockets
# -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS, ids=KIND_IDS)
def test_dup_detach_close(kind: int, workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        s = mod.socket(mod.AF_UNIX, kind)
        s.bind("sock")
        d = rec("dup", s.dup)
        rec.note("dup fd differs", d.fileno() != s.fileno())
        rec("dup getsockname", d.getsockname)
        rec.note("dup inheritable", d.get_inheritable())
        s.close()
        rec("dup after original closed", d.getsockname)
        fd = rec("detach", d.detach)
        rec.note("fileno after detach", d.fileno())
        rec("close after detach", d.close)
        rec.note("detached fd still open", os.get_inheritable(fd) is not None)
        with mod.socket(fileno=fd) as again:
            rec("adopted", again.getsockname)
        rec("close twice", s.close)
        rec.note("fileno after close", s.fileno())
        for name, args in [
            ("getsockname", ()), ("getpeername", ()), ("send", (b"x",)), ("recv", (1,)), ("bind", ("z",)),
            ("listen", ()), ("accept", ()), ("connect", ("sock",)), ("connect_ex", ("sock",)),
            ("shutdown", (mod.SHUT_RDWR,)), ("getsockopt", (mod.SOL_SOCKET, mod.SO_TYPE)),
            ("setsockopt", (mod.SOL_SOCKET, mod.SO_SNDBUF, 1)), ("settimeout", (1.0,)), ("setblocking", (False,)),
            ("gettimeout", ()), ("dup", ()), ("detach", ()), ("get_inheritable", ()), ("set_inheritable", (True,)),
            ("sendto", (b"x", "sock")), ("recvfrom", (1,)), ("recv_into", (bytearray(1),)),
            ("recvfrom_into", (bytearray(1),)), ("sendmsg", ([b"x"],)), ("recvmsg", (1,)),
            ("recvmsg_into", ([bytearray(1)],)), ("sendall", (b"x",)),
        ]:
            rec(f"closed {name}", getattr(s, name), *args)
        with mod.socket(mod.AF_UNIX, kind) as ctx:
            pass
        rec.note("closed by with", ctx.fileno())

    differential(scenario, workdir)


def test_module_level_close(workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        s = mod.socket(mod.AF_UNIX)
        fd = s.detach()
        rec("close", mod.close, fd)
        rec("close again", mod.close, fd)
        rec("close str", mod.close, "x")
        rec("close negative", mod.close, -1)

    differential(scenario, workdir)


def test_repr(workdir: Callable[[], None]) -> None:
    def scenario(mod: ModuleType, rec: Recorder) -> None:
        def shown(sock: Any) -> str:
            text = repr(sock).replace("<sockcore.socket", "<socket.socket")
            return text.replace(f"fd={sock.fileno()},", "fd=N,")

        with mod.socket(mod.AF_UNIX, mod.SOCK_STREAM) as s:
            rec.note("fresh", shown(s))
            s.bind("r")
            rec.note("bound", shown(s))
            s.listen()
            with mod.socket(mod.AF_UNIX) as c:
                c.connect("r")
                rec.note("connected", shown(c))
                conn, _ = s.accept()
                with conn:
                    rec.note("accepted", shown(conn))
        rec.note("closed", shown(s))
        with mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) as s:
            s.bind(b"\0sockcore-repr")
            rec.note("abstract", shown(s))

    differential(scenario, workdir)


def test_errors_are_the_stdlibs_classes() -> None:
    with sockcore.socket(sockcore.AF_UNIX) as s, pytest.raises(FileNotFoundError) as info:
        s.connect("/nonexistent-sockcore-dir/x")
    assert info.value.errno == errno.ENOENT
    assert info.value.strerror == os.strerror(errno.ENOENT)
    assert sockcore.error is OSError and sockcore.timeout is TimeoutError


# -------------------------------------------------------------------------
# random bad input: addresses and option values, the stdlib's exceptions
# -------------------------------------------------------------------------

ALLOWED = (TypeError, ValueError, OverflowError, OSError, UnicodeError)

random_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20), st.binary(max_size=40),
    st.tuples(st.integers()), st.lists(st.integers(), max_size=3),
)


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        call()
    except Exception as exc:
        assert isinstance(exc, ALLOWED), f"{type(exc).__name__}: {exc}"
        return type(exc).__name__, getattr(exc, "errno", None)
    return "ok", None


@settings(max_examples=200, deadline=None)
@given(random_values, st.sampled_from(["connect", "sendto"]))
def test_random_addresses(address: Any, method: str) -> None:
    results = []
    for mod in (std, sockcore):
        with mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) as s:
            call = (lambda s=s: s.connect(address)) if method == "connect" else (lambda s=s: s.sendto(b"x", address))
            results.append(outcome(call))
    assert results[1] == results[0]


OPTIONS = ["SO_RCVBUF", "SO_SNDBUF", "SO_PASSCRED", "SO_KEEPALIVE", "SO_LINGER", "SO_RCVTIMEO", "SO_PRIORITY", "SO_BINDTODEVICE"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(OPTIONS), random_values)
def test_random_option_values(option: str, value: Any) -> None:
    results = []
    for mod in (std, sockcore):
        with mod.socket(mod.AF_UNIX, mod.SOCK_DGRAM) as s:
            results.append(outcome(functools.partial(s.setsockopt, mod.SOL_SOCKET, getattr(mod, option), value)))
    assert results[1] == results[0]


@pytest.mark.parametrize("flags", [0, std.MSG_DONTWAIT])
@pytest.mark.parametrize(
    "make_data",
    [
        lambda: memoryview(b"abcdef")[::2],  # not C-contiguous: BufferError, nothing sent
        lambda: memoryview(array.array("i", [1, 2])),  # a typed view: its bytes
        lambda: array.array("h", [3, 4]),
        lambda: memoryview(b"abcdef")[2:],
        lambda: "text",
    ],
    ids=["strided", "int-view", "array", "sliced-view", "str"],
)
def test_sendall_buffers_like_the_stdlib(make_data: Callable[[], Any], flags: int) -> None:
    outcomes = []
    for mod in (std, sockcore):
        a, b = mod.socketpair()
        with a, b:
            try:
                a.sendall(make_data(), flags)
            except Exception as exc:
                outcomes.append((type(exc).__name__, str(exc)))
            else:
                outcomes.append(("sent", b.recv(100)))
            a.send(b".")
            assert b.recv(100) == b"."  # a failed sendall sent nothing
    assert outcomes[0] == outcomes[1]
