"""Issue 18's differences, each through the stdlib (the oracle) and sockcore in the same run.

Arguments are converted in CPython's order with CPython's messages; a
receive hands back only bytes the kernel wrote in that call; module
functions make the module's current ``socket`` class; install() gives
plain tuples.
"""

from __future__ import annotations

import array
import functools
import inspect
import os
import resource
import socket as std
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Callable
from types import ModuleType
from typing import Any
from unittest import mock

import pytest

import sockcore
from sockcore._args import ULONG_MAX
from sockcore.testing import Index


def outcome(call: Callable[[], Any]) -> tuple[str, str]:
    try:
        return ("returned", repr(call()))
    except Exception as exc:  # the type and the message are what is compared
        return (type(exc).__name__, str(exc))


def socket_module(sock: Any) -> ModuleType:
    """The module a socket of the table came from: the stdlib's or sockcore."""
    return sockcore if isinstance(sock, sockcore.socket) else std


UDP = (std.AF_INET, std.SOCK_DGRAM)
UDP6 = (std.AF_INET6, std.SOCK_DGRAM)
#: (socket kind, call): each must end the same way on both modules
CALLS: list[tuple[tuple[int, int], str, Callable[[Any], Any]]] = [
    (UDP, "sendmsg()", lambda s: s.sendmsg()),
    (UDP, "sendto(data, flags, None)", lambda s: s.sendto(b"x", 0, None)),
    (UDP, "sendto(data, None, address)", lambda s: s.sendto(b"x", None, ("127.0.0.1", 1))),
    (UDP, "sendto(data)", lambda s: s.sendto(b"x")),
    (UDP, "sendto 4 arguments", lambda s: s.sendto(b"x", 1, 2, 3)),
    (UDP, "sendto(str, None, None)", lambda s: s.sendto("x", None, None)),
    (UDP, "sendto(data, 2**40, None)", lambda s: s.sendto(b"x", 2**40, None)),
    (UDP, "sendto(data, 0, str)", lambda s: s.sendto(b"x", 0, "bad")),
    (UDP, "sendto(strided view)", lambda s: s.sendto(memoryview(b"abcd")[::2], ("127.0.0.1", 9))),
    (UDP6, "sendto(data, 0, None) v6", lambda s: s.sendto(b"x", 0, None)),
    (UDP, "recv(-1, None)", lambda s: s.recv(-1, None)),
    (UDP, "recv(None, None)", lambda s: s.recv(None, None)),
    (UDP, "recvfrom(-1, None)", lambda s: s.recvfrom(-1, None)),
    (UDP, "recvmsg(-1, -1, None)", lambda s: s.recvmsg(-1, -1, None)),
    (UDP, "recvmsg(-1, None)", lambda s: s.recvmsg(-1, None)),
    (UDP, "recvmsg(10, -1)", lambda s: s.recvmsg(10, -1)),
    (UDP, "recv_into(buf, -1, None)", lambda s: s.recv_into(bytearray(1), -1, None)),
    (UDP, "recv_into(buf, 5, None)", lambda s: s.recv_into(bytearray(2), 5, None)),
    (UDP, "recvfrom_into(buf, -1, None)", lambda s: s.recvfrom_into(bytearray(1), -1, None)),
    (UDP, "recvmsg_into(buffers, -1, None)", lambda s: s.recvmsg_into([bytearray(1)], -1, None)),
    # the buffers are checked before the ancillary size's range
    (UDP, "recvmsg_into(1.5, -1)", lambda s: s.recvmsg_into(1.5, -1)),
    (UDP, "recvmsg_into([bytes], -1)", lambda s: s.recvmsg_into([b"x"], -1)),
    (UDP, "recvmsg_into(gen of bytes, 2**40)", lambda s: s.recvmsg_into((b for b in [b"x"]), 2**40)),
    # a writable memoryview does not hash: never a ValueError from a cache lookup
    (UDP, "bind(writable memoryview)", lambda s: s.bind(memoryview(bytearray(8)))),
    (UDP6, "connect_ex(writable memoryview)", lambda s: s.connect_ex(memoryview(bytearray(8)))),
    (UDP, "inet_pton(writable memoryview)", lambda s: socket_module(s).inet_pton(std.AF_INET, memoryview(bytearray(4)))),
    (UDP, "setblocking(1.5)", lambda s: s.setblocking(1.5)),
    (UDP, "setblocking(2**64)", lambda s: s.setblocking(2**64)),
    (UDP, "setblocking(None)", lambda s: s.setblocking(None)),
    (UDP, "setblocking(True)", lambda s: (s.setblocking(True), s.getblocking())),
    (UDP, "sendmsg 1025 buffers, address", lambda s: s.sendmsg([b"x"] * 1025, [], 0, ("127.0.0.1", 1))),
    (UDP, "sendmsg 1025 buffers, bad flags", lambda s: s.sendmsg([b"x"] * 1025, [], None, None)),
    (UDP, "sendmsg no address", lambda s: s.sendmsg([b"x"], [], 0, None)),
    (UDP, "sendmsg strided view", lambda s: s.sendmsg([memoryview(b"abcd")[::2]], [], 0, ("127.0.0.1", 9))),
    (UDP, "sendmsg(5, [], 0, str)", lambda s: s.sendmsg(5, [], 0, "bad")),
    (UDP, "sendmsg(5, 7, 0, address)", lambda s: s.sendmsg(5, 7, 0, ("127.0.0.1", 9))),
    (UDP, "sendmsg(buffers, 7, 0, address)", lambda s: s.sendmsg([b"x"], 7, 0, ("127.0.0.1", 9))),
    (UDP, "sendmsg(buffers, [], 2**40)", lambda s: s.sendmsg([b"x"], [], 2**40)),
    (UDP, "sendmsg(str buffers, [], 0, str)", lambda s: s.sendmsg(["x"], [], 0, "bad")),
    (UDP, "bind(None)", lambda s: s.bind(None)),
    (UDP, "connect(None)", lambda s: s.connect(None)),
    (UDP, "connect_ex(None)", lambda s: s.connect_ex(None)),
    (UDP, "bind port 70000", lambda s: s.bind(("127.0.0.1", 70000))),
    (UDP6, "bind flowinfo 2**20", lambda s: s.bind(("::1", 0, 2**20))),
    (UDP6, "bind port 2**16", lambda s: s.bind(("::1", 2**16))),
    (UDP, "settimeout(2**40)", lambda s: s.settimeout(2**40)),
    (UDP, "settimeout(1e10)", lambda s: s.settimeout(1e10)),
    (UDP, "settimeout(1e-300)", lambda s: (s.settimeout(1e-300), s.gettimeout())),
    (UDP, "settimeout(0.1 + 1e-12)", lambda s: (s.settimeout(0.1 + 1e-12), s.gettimeout())),
    (UDP, "settimeout(1.0000000001)", lambda s: (s.settimeout(1.0000000001), s.gettimeout())),
    (UDP, "settimeout(-1e-300)", lambda s: s.settimeout(-1e-300)),
    (UDP, "settimeout(2.5)", lambda s: (s.settimeout(2.5), s.gettimeout())),
]


#: Python's own message for a missing argument (docs/DIFFERENCES.md): the same TypeError
TYPE_ONLY = {"sendmsg()", "sendto 4 arguments"}


@pytest.mark.parametrize(("kind", "name", "call"), CALLS, ids=[name for _, name, _ in CALLS])
def test_same_outcome(kind: tuple[int, int], name: str, call: Callable[[Any], Any]) -> None:
    with std.socket(*kind) as a, sockcore.socket(*kind) as b:
        expected, got = outcome(lambda: call(a)), outcome(lambda: call(b))
        if name in TYPE_ONLY:
            assert got[0] == expected[0]
        else:
            assert got == expected


@pytest.mark.parametrize("value", [1e-300, 0.1 + 1e-12, 1.0000000001, 3, 0.0, 1e-9, 5e-10])
def test_default_timeout_rounded_as_the_stdlib(value: float) -> None:
    try:
        std.setdefaulttimeout(value)
        sockcore.setdefaulttimeout(value)
        assert sockcore.getdefaulttimeout() == std.getdefaulttimeout()
    finally:
        std.setdefaulttimeout(None)
        sockcore.setdefaulttimeout(None)


# -- receiving ----------------------------------------------------------------------------


def _udp_pair(mod: ModuleType) -> tuple[Any, Any]:
    rx = mod.socket(std.AF_INET, std.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    tx = mod.socket(std.AF_INET, std.SOCK_DGRAM)
    tx.connect(rx.getsockname())
    return rx, tx


@pytest.mark.parametrize(
    "receive",
    [
        lambda s, n: s.recvfrom(n, std.MSG_TRUNC)[0],
        lambda s, n: s.recv(n, std.MSG_TRUNC),
        lambda s, n: s.recvmsg(n, 64, std.MSG_TRUNC)[0],
    ],
    ids=["recvfrom", "recv", "recvmsg"],
)
@pytest.mark.parametrize("size", [0, 1, 7])
def test_msg_trunc_hands_back_only_what_this_call_wrote(receive: Callable[[Any, int], bytes], size: int) -> None:
    """The C module returns uninitialised bytes up to the datagram's length here (docs/DIFFERENCES.md)."""
    rx, tx = _udp_pair(sockcore)
    with rx, tx:
        tx.send(b"A" * 1000)  # an earlier datagram fills the socket's kept buffer
        assert rx.recvfrom(2000)[0] == b"A" * 1000
        tx.send(b"B" * 500)
        data = receive(rx, size)
        assert data == b"B" * min(size, 500)


def test_huge_recv_costs_only_what_arrives() -> None:
    """recv(2**31) with flags, nothing queued: BlockingIOError, without touching 2 GiB."""
    rx, tx = _udp_pair(sockcore)
    with rx, tx:
        rx.setblocking(False)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # 2 GiB where a Py_ssize_t is 64-bit; 1 GiB on 32-bit ABIs, where no bytes object can hold 2**31 - 1
        huge = 2**31 if sys.maxsize > 2**32 else 2**30
        calls = (
            lambda: rx.recv(huge, std.MSG_DONTWAIT),
            lambda: rx.recvfrom(huge),
            lambda: rx.recv(huge),
            lambda: rx.recvmsg(huge, 64),
        )
        for call in calls:
            with pytest.raises(BlockingIOError):
                call()
        tx.send(b"payload")
        assert rx.recvfrom(huge)[0] == b"payload"
        grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        assert grown_kib < 64 * 1024, f"RSS grew {grown_kib} KiB for a 7-byte datagram"


class StrictTruth(bytearray):
    """Like a numpy array: its truth value raises."""

    def __bool__(self) -> bool:
        raise ValueError("The truth value of an array with more than one element is ambiguous")


@pytest.mark.parametrize("mod", [std, sockcore], ids=["stdlib", "sockcore"])
def test_receive_into_buffers_whose_truth_value_raises(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b:
        b.sendall(b"0123456789" * 3)
        buf = StrictTruth(10)
        assert a.recv_into(buf) == 10
        assert bytes(buf) == b"0123456789"
        assert a.recvfrom_into(StrictTruth(10))[0] == 10
        assert a.recvmsg_into([StrictTruth(10)])[0] == 10


@pytest.mark.parametrize("mod", [std, sockcore], ids=["stdlib", "sockcore"])
def test_receive_into_uses_the_byte_size(mod: ModuleType) -> None:
    a, b = mod.socketpair()
    with a, b:
        b.sendall(bytes(range(16)))
        ints = array.array("i", [0, 0])
        view = memoryview(ints)
        assert len(view) == 2
        assert a.recv_into(view) == 8  # the byte size, not len()
        assert a.recv_into(memoryview(array.array("i", [0])), 4) == 4
        with pytest.raises(ValueError, match="buffer too small"):
            a.recv_into(memoryview(array.array("i", [0])), 5)


# -- arguments the C methods take only by position ---------------------------------------------

#: a valid value for each parameter name, so that a call by keyword would do its work if allowed
VALID = {
    "address": ("127.0.0.1", 9), "backlog": 1, "bufsize": 1, "ancbufsize": 0, "flags": 0, "data": b"x",
    "buffers": [b"x"], "level": std.SOL_SOCKET, "optname": std.SO_REUSEADDR, "value": 1, "flag": True,
    "how": std.SHUT_RDWR, "flags_or_address": ("127.0.0.1", 9),
}
#: the methods that are C functions in the stdlib: each takes its arguments only by position
POSITIONAL = [
    "bind", "connect", "connect_ex", "getsockopt", "listen", "recv", "recvfrom", "recvmsg", "recvmsg_into",
    "send", "sendall", "sendmsg", "sendto", "setblocking", "setsockopt", "settimeout", "shutdown",
]


def _parameters(function: Callable[..., Any], *, required: bool) -> list[str]:
    """The names of the parameters after self: all, or those a call must pass."""
    params = list(inspect.signature(function).parameters.values())[1:]
    return [p.name for p in params if p.kind is not p.VAR_POSITIONAL and not (required and p.default is not p.empty)]


@pytest.mark.parametrize("name", POSITIONAL)
def test_no_keyword_arguments_where_the_stdlib_takes_none(name: str) -> None:
    """The same call by keyword, with valid values: a TypeError in both (docs/DIFFERENCES.md: the words differ)."""
    method = getattr(sockcore.socket, name)
    names = _parameters(method, required=True) or _parameters(method, required=False)[:1]
    keywords = {param: VALID.get(param, [bytearray(1)]) for param in names}
    for mod in (std, sockcore):
        with mod.socket(std.AF_INET, std.SOCK_DGRAM) as sock:
            sock.setblocking(False)
            sock.bind(("127.0.0.1", 0))
            with pytest.raises(TypeError):
                getattr(sock, name)(**keywords)


@pytest.mark.parametrize("name", sorted({*POSITIONAL, "fileno", "getblocking", "gettimeout", "getsockname",
                                         "getpeername", "recv_into", "recvfrom_into"}))
def test_wrong_argument_counts_raise_type_error(name: str) -> None:
    """Too many arguments, and (where one is required) none: a TypeError in both."""
    with std.socket(std.AF_INET, std.SOCK_DGRAM) as a, sockcore.socket(std.AF_INET, std.SOCK_DGRAM) as b:
        assert outcome(lambda: getattr(a, name)(*[1] * 8))[0] == outcome(lambda: getattr(b, name)(*[1] * 8))[0] == "TypeError"
        if _parameters(getattr(sockcore.socket, name), required=True):
            assert outcome(lambda: getattr(a, name)())[0] == outcome(lambda: getattr(b, name)())[0] == "TypeError"
    if name == "sendto":  # the stdlib's own message for the common slip, sendto(data) without the address
        with std.socket(*UDP) as a, sockcore.socket(*UDP) as b:
            for count in (0, 1):
                args = [b"x"][:count]
                assert outcome(functools.partial(b.sendto, *args)) == outcome(functools.partial(a.sendto, *args))


def test_module_functions_take_no_keywords_where_the_stdlib_takes_none() -> None:
    # never a working call: close(-1) closes nothing, a 100-byte host name is refused by the kernel
    calls: list[tuple[str, dict[str, Any]]] = [
        ("CMSG_LEN", {"length": 1}), ("CMSG_SPACE", {"length": 1}), ("close", {"fd": -1}),
        ("if_indextoname", {"if_index": 1}), ("if_nametoindex", {"if_name": "lo"}),
        ("setdefaulttimeout", {"value": sockcore.getdefaulttimeout()}), ("sethostname", {"name": b"x" * 100}),
    ]
    for name, keywords in calls:
        for mod in (std, sockcore):
            with pytest.raises(TypeError):
                getattr(mod, name)(**keywords)


# -- the constructor ------------------------------------------------------------------------------

CONSTRUCTOR_ARGS: list[tuple[Any, ...]] = [
    (2**31, 1.5), (-(2**31) - 1, "x"), (0, 2**31, None), (-1, 2**63, 1.5), (-1, -1, 2**63), (2, 1, -(2**31) - 1),
    (1.5, 2**31), ("x", 1), (2, None),
]


@pytest.mark.parametrize("args", CONSTRUCTOR_ARGS, ids=repr)
def test_constructor_converts_each_argument_in_turn(args: tuple[Any, ...]) -> None:
    """Argument Clinic converts family, then type, then proto: an overflow stops it before the next one's TypeError."""
    assert outcome(lambda: sockcore.socket(*args)) == outcome(lambda: std.socket(*args))


def test_constructor_converts_before_it_looks_at_the_descriptor() -> None:
    read_end, write_end = os.pipe()  # not a socket: ENOTSOCK, if it were looked at first
    try:
        for args in [(2**40,), (-1, 2**40), (-1, -1, "x")]:
            ours = outcome(lambda: sockcore.socket(*args, fileno=read_end))  # noqa: B023 - called at once
            assert ours == outcome(lambda: std.socket(*args, fileno=read_end))  # noqa: B023
            assert ours[0] in ("OverflowError", "TypeError")
    finally:
        os.close(read_end)
        os.close(write_end)


# -- empty sends --------------------------------------------------------------------------------

EMPTY_SENDS: dict[str, Callable[[Any], Any]] = {
    "send(b'')": lambda s: s.send(b""), "send(b'', 0)": lambda s: s.send(b"", 0),
    "send(bytearray())": lambda s: s.send(bytearray()), "sendall(b'')": lambda s: s.sendall(b""),
    "sendall(bytearray())": lambda s: s.sendall(bytearray()), "sendmsg([b''])": lambda s: s.sendmsg([b""]),
}


@pytest.mark.parametrize("timeout", [None, 0.0, 5.0], ids=["blocking", "non-blocking", "timeout"])
@pytest.mark.parametrize("name", list(EMPTY_SENDS))
def test_an_empty_send_sends_an_empty_datagram(name: str, timeout: float | None) -> None:
    """A timeout socket's first try through pwritev2 must not swallow b"": the kernel returns 0 for no bytes."""

    def through(mod: ModuleType) -> tuple[Any, Any]:
        with mod.socket(*UDP) as rx, mod.socket(*UDP) as tx:
            rx.bind(("127.0.0.1", 0))
            tx.connect(rx.getsockname())
            tx.settimeout(timeout)
            result = EMPTY_SENDS[name](tx)
            rx.setblocking(False)
            return result, outcome(lambda: rx.recv(10))

    theirs = through(std)
    assert theirs[1] == ("returned", "b''")  # the stdlib sends one empty datagram
    assert through(sockcore) == theirs


# -- the integer converters of the module functions --------------------------------------------


EDGES: list[Any] = [
    -(2**64), -(2**63) - 1, -(2**63), -(2**31) - 1, -(2**31), -1, 0, 1, 65535, 65536, 2**31 - 1, 2**31,
    2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 2, 2**64, True, 1.5, "1", None, Index(5), Index(-1), Index(2**40),
    Index(2**70),
]


@pytest.mark.parametrize("name", ["htons", "ntohs", "htonl", "ntohl", "if_indextoname", "CMSG_LEN", "CMSG_SPACE"])
def test_integer_arguments_convert_as_the_stdlibs(name: str) -> None:
    """The running interpreter's converter, overflow checks and messages: 3.13 changed htons's and if_indextoname's."""
    for value in EDGES:
        if name == "if_indextoname" and value == ULONG_MAX and sys.version_info < (3, 13):
            continue  # the listed difference: see the next test
        ours, theirs = functools.partial(getattr(sockcore, name), value), functools.partial(getattr(std, name), value)
        assert outcome(ours) == outcome(theirs), value


def test_if_indextoname_of_the_largest_unsigned_long() -> None:
    """docs/DIFFERENCES.md: before 3.13 the stdlib takes ULONG_MAX for its own error mark (SystemError)."""
    got = outcome(lambda: sockcore.if_indextoname(ULONG_MAX))  # 2**64 - 1, or 2**32 - 1 where a long is 32 bits
    expected = outcome(lambda: std.if_indextoname(ULONG_MAX))
    if sys.version_info >= (3, 13):
        assert got == expected == ("OverflowError", "index is too large")
    else:
        assert expected[0] == "SystemError"
        assert got[0] == "OSError"  # index 0xFFFFFFFF, as every other value it truncates to


@pytest.mark.parametrize("attribute", ["family", "type", "proto", "timeout"])
def test_read_only_attributes_refuse_as_the_stdlibs(attribute: str) -> None:
    """family/type are socket.py properties, proto/timeout members of the C type: each refuses in its own words."""
    with std.socket() as a, sockcore.socket() as b:
        assert getattr(b, attribute) == getattr(a, attribute)

        def store(sock: Any) -> None:
            setattr(sock, attribute, 1)

        def delete(sock: Any) -> None:
            delattr(sock, attribute)

        for change in (store, delete):
            ours, theirs = outcome(functools.partial(change, b)), outcome(functools.partial(change, a))
            assert ours == theirs and ours[0] == "AttributeError"


# -- the module's attributes ---------------------------------------------------------------------

#: docs/DIFFERENCES.md: _socket's C API capsule, which has no Python use
NOT_ON_SOCKCORE = {"CAPI"}


def test_every_public_attribute_of_the_stdlib_module() -> None:
    """What the stdlib's module has sockcore has: its constants and functions, and what socket.py imported."""
    public = {name for name in dir(std) if not name.startswith("_")}
    assert public - set(dir(sockcore)) == NOT_ON_SOCKCORE
    for name in sorted(public - NOT_ON_SOCKCORE):
        ours, theirs = getattr(sockcore, name), getattr(std, name)
        if isinstance(theirs, ModuleType) or name in ("IntEnum", "IntFlag"):
            assert ours is theirs, name  # socket.errno.EAGAIN, as old code writes it
        elif isinstance(theirs, int):
            assert (ours, repr(ours)) == (theirs, repr(theirs)), name
        else:
            assert callable(ours) == callable(theirs), name


def test_the_classes_are_named_as_sockcores() -> None:
    """docs/DIFFERENCES.md: the same names, in module ``sockcore``; so repr(sock) and tracebacks say so."""
    for name in ("socket", "gaierror", "herror", "AddressFamily", "SocketKind", "MsgFlag", "AddressInfo", "SocketIO"):
        ours, theirs = getattr(sockcore, name), getattr(std, name)
        assert (ours.__module__, ours.__qualname__) == ("sockcore", theirs.__qualname__)
    with std.socket(std.AF_INET, std.SOCK_DGRAM) as a, sockcore.socket(std.AF_INET, std.SOCK_DGRAM) as b:
        os.dup2(a.fileno(), 1000)  # the same descriptor number in both reprs but for one digit
        os.dup2(b.fileno(), 1001)
        with std.socket(fileno=1000) as c, sockcore.socket(fileno=1001) as d:
            assert repr(d) == repr(c).replace("<socket.socket fd=1000", "<sockcore.socket fd=1001")
    error = sockcore.gaierror(-2, "Name or service not known")
    assert traceback.format_exception_only(error) == ["sockcore.gaierror: [Errno -2] Name or service not known\n"]


# -- the module's socket class, socketpair's family -------------------------------------------


class Traced(sockcore.socket):
    """What a tracing wrapper or pytest-socket puts in place of the module's class."""


def test_module_functions_make_the_current_class() -> None:
    with mock.patch.object(sockcore, "socket", Traced):
        a, b = sockcore.socketpair()
        with a, b:
            assert type(a) is Traced and type(b) is Traced
            with sockcore.fromfd(a.fileno(), std.AF_UNIX, std.SOCK_STREAM) as c:
                assert type(c) is Traced
        listener = Traced(std.AF_INET, std.SOCK_STREAM)
        with listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen()
            with sockcore.create_connection(listener.getsockname()) as client:
                assert type(client) is Traced
                conn, _ = listener.accept()
                with conn:
                    assert type(conn) is Traced


def test_socketpair_family() -> None:
    a, b = sockcore.socketpair(None)
    with a, b:
        assert a.family == std.AF_UNIX
    assert outcome(lambda: sockcore.socketpair(-1)) == outcome(lambda: std.socketpair(-1))


# -- install(): plain tuples, multiprocessing ---------------------------------------------------

MULTIPROCESSING = textwrap.dedent(
    """
    import multiprocessing.connection as mc  # imported before install()
    import sys, threading
    import sockcore
    sockcore.install()
    import socket
    assert socket is sockcore
    listener = mc.Listener(("127.0.0.1", 0))
    assert type(listener.address) is tuple, type(listener.address)
    def serve():
        with listener.accept() as conn:
            conn.send(conn.recv())
    thread = threading.Thread(target=serve)
    thread.start()
    with mc.Client(listener.address) as client:
        client.send("ping")
        assert client.recv() == "ping"
    thread.join()
    listener.close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        assert type(s.getsockname()) is tuple
        assert str(s.getsockname()).startswith("('127.0.0.1', ")
    sockcore.uninstall()
    with sockcore.socket() as s:
        s.bind(("127.0.0.1", 0))
        assert s.getsockname().host == "127.0.0.1"
    print("ok")
    """
)


def test_multiprocessing_connection_under_install() -> None:
    done = subprocess.run([sys.executable, "-c", MULTIPROCESSING], capture_output=True, text=True, timeout=120, env=os.environ)
    assert done.stdout.strip() == "ok", done.stderr
