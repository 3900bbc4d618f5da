"""The resolver functions against the stdlib, using only this machine.

In-process tests use numeric hosts and /etc/hosts names in the families
/etc/hosts answers for (no DNS query is ever sent); arbitrary names run
offline in the ``hermetic`` subprocess (see conftest.py).
"""

from __future__ import annotations

import socket as stdlib
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sockcore
from sockcore._errors import gaierror, herror


def outcome(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return "ok", function(*args, **kwargs)
    except Exception as exc:
        return type(exc).__name__, exc.args


def same(name: str, *args: Any, **kwargs: Any) -> Any:
    ours = outcome(getattr(sockcore, name), *args, **kwargs)
    theirs = outcome(getattr(stdlib, name), *args, **kwargs)
    assert ours == theirs, (name, args, kwargs)
    return ours


FLAGS = [0, stdlib.AI_PASSIVE, stdlib.AI_CANONNAME, stdlib.AI_NUMERICHOST, stdlib.AI_NUMERICSERV,
         stdlib.AI_ADDRCONFIG, stdlib.AI_V4MAPPED, stdlib.AI_ALL]
flag_sets = st.lists(st.sampled_from(FLAGS), max_size=4).map(lambda fs: sum(set(fs)))
local_hosts = st.one_of(
    st.sampled_from([None, "127.0.0.1", "::1", "0.0.0.0", "::", "127.1", b"127.0.0.1", "::ffff:127.0.0.1"]),
    st.ip_addresses().map(str),
)
services = st.one_of(
    st.none(), st.integers(-5, 70000), st.sampled_from(["http", "ssh", "domain", "80", b"443", "nosuch", 1.5, True])
)
kinds = st.sampled_from([0, stdlib.SOCK_STREAM, stdlib.SOCK_DGRAM, stdlib.SOCK_RAW, 99])
protos = st.sampled_from([0, stdlib.IPPROTO_TCP, stdlib.IPPROTO_UDP, stdlib.IPPROTO_UDPLITE, 999])
families = st.sampled_from([0, stdlib.AF_INET, stdlib.AF_INET6, 99])


@settings(max_examples=400)
@given(local_hosts, services, families, kinds, protos, flag_sets)
def test_getaddrinfo_numeric(host: Any, port: Any, family: int, kind: int, proto: int, flags: int) -> None:
    # numeric hosts (or None) never reach DNS; AI_NUMERICHOST keeps it that way for every family
    same("getaddrinfo", host, port, family, kind, proto, flags | stdlib.AI_NUMERICHOST)


@pytest.mark.parametrize("host", ["localhost", "vm", b"localhost"])
@pytest.mark.parametrize("family", [0, stdlib.AF_INET])
@pytest.mark.parametrize("flags", [0, stdlib.AI_CANONNAME, stdlib.AI_PASSIVE])
def test_getaddrinfo_etc_hosts(host: Any, family: int, flags: int) -> None:
    same("getaddrinfo", host, 80, family, 0, 0, flags)
    same("getaddrinfo", host=host, port="http", family=family, type=stdlib.SOCK_STREAM, flags=flags)


def test_getaddrinfo_results_are_enums_and_typed_addresses() -> None:
    (family, kind, proto, canon, address), *_ = sockcore.getaddrinfo("127.0.0.1", 80, type=stdlib.SOCK_STREAM)
    assert type(family).__name__ == "AddressFamily" and family.name == "AF_INET"
    assert type(kind).__name__ == "SocketKind" and kind.name == "SOCK_STREAM"
    assert (proto, canon, address) == (6, "", ("127.0.0.1", 80))
    assert address.port == 80


def test_getaddrinfo_argument_errors() -> None:
    for args in [(1, 80), (bytearray(b"x"), 80), ("127.0.0.1", 1.5), ("127.0.0.1", 2**70), ("127.0.0.1", bytearray(b"1")),
                 ("127.0.0.1", 80, 2**31), ("127.0.0.1", 80, 0, -(2**31) - 1), ("127.0.0.1", 80, "x"), ("\udcff", 80),
                 ("127.0.0.1", "\udcff"), ("a" * 70, 80), ("a..b", 80), ("127.0.0.1", "80\0junk"), (None, None)]:
        same("getaddrinfo", *args)


def test_gaierror_is_the_stdlib_shape() -> None:
    try:
        sockcore.getaddrinfo("127.0.0.1", "nosuchservice")
    except gaierror as exc:
        assert isinstance(exc, OSError)
        assert exc.errno == stdlib.EAI_SERVICE and exc.strerror == "Servname not supported for ai_socktype"
    else:
        raise AssertionError("no gaierror")


@settings(max_examples=300)
@given(st.one_of(st.ip_addresses(v=4).map(str), st.sampled_from(["127.0.0.1", "0.0.0.0"])),
       st.integers(-3, 70000), st.sampled_from([0, stdlib.NI_NUMERICHOST, stdlib.NI_NUMERICSERV, stdlib.NI_DGRAM,
                                                stdlib.NI_NUMERICHOST | stdlib.NI_NUMERICSERV]))
def test_getnameinfo_ipv4(host: str, port: int, flags: int) -> None:
    flags |= stdlib.NI_NUMERICHOST if host not in ("127.0.0.1",) else 0  # no reverse DNS
    same("getnameinfo", (host, port), flags)


@settings(max_examples=200)
@given(st.ip_addresses(v=6).map(str), st.integers(0, 65535), st.integers(-1, 2**21), st.integers(-1, 2**33))
def test_getnameinfo_ipv6(host: str, port: int, flowinfo: int, scope_id: int) -> None:
    same("getnameinfo", (host, port, flowinfo, scope_id), stdlib.NI_NUMERICHOST | stdlib.NI_NUMERICSERV)
    same("getnameinfo", (host, port), stdlib.NI_NUMERICHOST)


def test_getnameinfo_argument_errors() -> None:
    for args in [(("127.0.0.1",), 0), ((1, 2), 0), (("a\0", 2), 0), ((b"127.0.0.1", 2), 0), (("127.0.0.1", 2), 2**40),
                 (("127.0.0.1", "2"), 0), (["127.0.0.1", 1], 0), (("127.0.0.1", 1, 0), 0), (("127.0.0.1", 2**33), 0),
                 (("::1", 80, 2**21), 0), (("fe80::1%lo", 80, 0, 0), stdlib.NI_NUMERICHOST), ("x", 0)]:
        same("getnameinfo", *args)


def test_gethostby() -> None:
    for name in ["localhost", "127.0.0.1", "127.1", "", "<broadcast>", b"localhost", bytearray(b"localhost"), "::1",
                 "a\0", 1, None, "a" * 300, "a..b"]:
        same("gethostbyname", name)
    for name in ["localhost", "127.0.0.1", "127.1", "vm", "<broadcast>", "::1", "a\0", 1]:
        same("gethostbyname_ex", name)
    for name in ["127.0.0.1", "localhost", "", "a\0", 1]:
        same("gethostbyaddr", name)
    for name in ["", "localhost", "127.0.0.1", "0.0.0.0", "  vm  "]:
        same("getfqdn", name)


def test_proto_and_services() -> None:
    for name in ["tcp", "udp", "icmp", "ipv6-icmp", "nosuch", "a\0", b"tcp", 1, "\udcff"]:
        same("getprotobyname", name)
    for args in [("http",), ("http", "tcp"), ("http", "udp"), ("domain", "udp"), ("nosuch",), (b"http",), ("http", b"tcp"),
                 ("a\0",), ("http", "t\0")]:
        same("getservbyname", *args)
    for args in [(80,), (80, "tcp"), (53, "udp"), (80, "udp"), (1,), (0,), (65535,), (65536,), (-1,), (80.0,), (2**70,), ("80",),
                 (True,), (80, b"tcp"), (80, "xx")]:
        same("getservbyport", *args)


@settings(max_examples=200)
@given(st.integers(0, 65535), st.sampled_from([None, "tcp", "udp", "sctp"]))
def test_getservbyport_every_port(port: int, proto: str | None) -> None:
    same("getservbyport", port, proto)  # an explicit None is a TypeError in both
    same("getservbyport", port) if proto is None else None


def test_herror_shape() -> None:
    try:
        sockcore.gethostbyname_ex("<broadcast>")
    except herror as exc:
        assert (exc.errno, exc.strerror) == (1, "Unknown host")
    else:
        raise AssertionError("no herror")


# ---------------------------------------------------------------------------
# Offline: arbitrary names, unknown names, reverse lookups, AF_INET6 names
# ---------------------------------------------------------------------------

OFFLINE_COMPARE = """
import socket as stdlib
import sockcore

def plain(value):
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value

def outcome(fn, args):
    try:
        r = fn(*args)
        return ["ok", repr(plain(r))]
    except Exception as exc:
        return [type(exc).__name__, repr(exc.args)]

mismatches = []
for name, args in DATA:
    args = [bytes(a, "latin-1") if isinstance(a, list) else a for a in args]
    a, b = outcome(getattr(sockcore, name), args), outcome(getattr(stdlib, name), args)
    if a != b:
        mismatches.append([name, repr(args), a, b])
RESULT = mismatches
"""

name_text = st.one_of(
    st.text(max_size=30),
    st.text("abcdefghijklmnopqrstuvwxyz0123456789.-", min_size=1, max_size=70),
    st.sampled_from(["localhost", "nosuch.invalid", "é.example", "xn--9ca.com", "a..b", "-a", "vm", "localhost."]),
)


@settings(max_examples=5, deadline=None)
@given(st.lists(st.tuples(name_text, st.sampled_from([0, stdlib.AF_INET, stdlib.AF_INET6]),
                          st.sampled_from([0, stdlib.AI_CANONNAME, stdlib.AI_ADDRCONFIG])), min_size=20, max_size=40))
def test_offline_names(hermetic: Any, names: list[tuple[str, int, int]]) -> None:
    calls: list[Any] = []
    for host, family, flags in names:
        calls.append(["getaddrinfo", [host, 80, family, 0, 0, flags]])
        calls.append(["gethostbyname", [host]])
        calls.append(["gethostbyname_ex", [host]])
        calls.append(["gethostbyaddr", [host]])
        calls.append(["getfqdn", [host]])
    assert hermetic(OFFLINE_COMPARE, calls) == []


def test_offline_reverse_and_ipv6(hermetic: Any) -> None:
    calls = [
        ["gethostbyaddr", ["::1"]], ["gethostbyaddr", ["1.2.3.4"]], ["gethostbyaddr", ["fe80::1%lo"]],
        ["gethostbyaddr", ["0.0.0.0"]], ["getfqdn", ["::1"]], ["getfqdn", ["1.2.3.4"]],
        ["getaddrinfo", ["localhost", 80, stdlib.AF_INET6]], ["getaddrinfo", ["nosuch.invalid", 80]],
        ["getnameinfo", [["1.2.3.4", 80], 0]], ["getnameinfo", [["::1", 80, 0, 0], 0]],
        ["getnameinfo", [["1.2.3.4", 80], stdlib.NI_NAMEREQD]], ["gethostbyname", ["nosuch.invalid"]],
    ]
    for call in calls:
        if call[0] == "getnameinfo":
            call[1][0] = tuple(call[1][0])
    # json turns the sockaddr tuples into lists: getnameinfo wants tuples, so rebuild them there
    code = OFFLINE_COMPARE.replace("for name, args in DATA:", "for name, args in DATA:\n    args = [tuple(a) if name == 'getnameinfo' and isinstance(a, list) else a for a in args]\n    if False:\n        pass")
    assert hermetic(code.replace('args = [bytes(a, "latin-1") if isinstance(a, list) else a for a in args]', "pass"), calls) == []


def test_cached_numeric_answers_still_check_arguments() -> None:
    for _ in range(2):  # cold, then from the cache
        same("getaddrinfo", "127.0.0.1", 80, stdlib.AF_INET, stdlib.SOCK_STREAM)
    same("getaddrinfo", "127.0.0.1", 80, 2.0, stdlib.SOCK_STREAM)
    same("getaddrinfo", "127.0.0.1", 80.0, stdlib.AF_INET, stdlib.SOCK_STREAM)
    first = sockcore.getaddrinfo("127.0.0.1", 80)
    first.clear()  # the caller owns the list it gets
    assert sockcore.getaddrinfo("127.0.0.1", 80) == stdlib.getaddrinfo("127.0.0.1", 80)


def test_resolver_survives_ctypes_reset_cache() -> None:
    """ctypes._reset_cache() makes POINTER() return new types; the prototypes keep theirs (a subprocess: it is global)."""
    import subprocess
    import sys

    code = (
        "import ctypes, socket, sockcore; sockcore.getaddrinfo('localhost', 80); ctypes._reset_cache()\n"
        "for call in (lambda m: m.getaddrinfo('localhost', 80, m.AF_INET)[0][4], lambda m: m.gethostbyname('localhost'),\n"
        "             lambda m: m.gethostbyaddr('127.0.0.1')[0], lambda m: m.getservbyname('http'),\n"
        "             lambda m: m.getservbyport(80), lambda m: m.getprotobyname('tcp')):\n"
        "    assert call(sockcore) == call(socket), (call(sockcore), call(socket))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
