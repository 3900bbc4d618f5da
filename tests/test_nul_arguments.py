"""Names with an embedded NUL: the stdlib's exception and message, never a name cut at the NUL.

A C string ends at its first NUL, so a name handed to libc with a NUL in it
would be another name.  CPython's converters refuse such names
(``PyUnicode_FSConverter``: ValueError "embedded null byte"; the ``s`` code:
"embedded null character"; its host converters: TypeError), except where it
passes the bytes through and lets the C library or the kernel stop at the NUL
(AF_UNIX paths, getaddrinfo's host and port): there sockcore does the same.
Every case runs through both modules and must end alike.
"""

from __future__ import annotations

import os
import pathlib
import socket as std
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sockcore


def _outcome(call: Callable[[Any], Any], module: Any) -> tuple[str, str]:
    try:
        return "ok", repr(call(module))
    except Exception as exc:  # the outcome is what is compared
        return type(exc).__name__, str(exc)


def _same(call: Callable[[Any], Any]) -> tuple[str, str]:
    theirs = _outcome(call, std)
    assert _outcome(call, sockcore) == theirs
    return theirs


CASES: dict[str, Callable[[Any], Any]] = {
    "gethostbyname": lambda m: m.gethostbyname("localhost\0junk"),
    "gethostbyname bytes": lambda m: m.gethostbyname(b"localhost\0"),
    "gethostbyname_ex": lambda m: m.gethostbyname_ex("localhost\0junk"),
    "gethostbyaddr": lambda m: m.gethostbyaddr("127.0.0.1\0junk"),
    "getfqdn": lambda m: m.getfqdn("localhost\0junk"),
    "getnameinfo host": lambda m: m.getnameinfo(("127.0.0.1\0", 80), 0),
    "getservbyname": lambda m: m.getservbyname("http\0junk"),
    "getservbyname proto": lambda m: m.getservbyname("http", "tcp\0"),
    "getservbyport proto": lambda m: m.getservbyport(80, "tcp\0"),
    "getprotobyname": lambda m: m.getprotobyname("tcp\0junk"),
    "inet_aton": lambda m: m.inet_aton("1.2.3.4\0"),
    "inet_pton 4": lambda m: m.inet_pton(m.AF_INET, "1.2.3.4\0"),
    "inet_pton 6": lambda m: m.inet_pton(m.AF_INET6, "::1\0"),
    # passed through by CPython: the resolver stops at the NUL, for both modules
    "getaddrinfo host": lambda m: m.getaddrinfo("localhost\0junk", 80, m.AF_INET, m.SOCK_STREAM),
    "getaddrinfo bytes host": lambda m: m.getaddrinfo(b"127.0.0.1\0junk", 80, m.AF_INET, m.SOCK_STREAM),
    "getaddrinfo port": lambda m: m.getaddrinfo("127.0.0.1", "80\0junk", m.AF_INET, m.SOCK_STREAM),
}


@pytest.mark.parametrize("name", list(CASES))
def test_module_function(name: str) -> None:
    _same(CASES[name])


@pytest.mark.parametrize(
    ("family", "host"), [("AF_INET", "127.0.0.1\0"), ("AF_INET6", "::1\0junk"), ("AF_INET", b"127.0.0.1\0")]
)
@pytest.mark.parametrize("method", ["bind", "connect", "connect_ex"])
def test_inet_host(family: str, host: Any, method: str) -> None:
    def call(m: Any) -> Any:
        with m.socket(getattr(m, family), m.SOCK_DGRAM) as sock:
            return getattr(sock, method)((host, 9))

    _same(call)


def test_inet_sendto_host() -> None:
    def call(m: Any) -> Any:
        with m.socket(m.AF_INET, m.SOCK_DGRAM) as sock:
            return sock.sendto(b"", ("127.0.0.1\0", 9))

    _same(call)


def test_unix_path_stops_where_the_kernel_stops(tmp_path: pathlib.Path) -> None:
    """CPython passes the whole path, NUL included; the kernel uses what precedes the NUL."""
    for module, name in ((std, "stdlib"), (sockcore, "sockcore")):
        with module.socket(module.AF_UNIX, module.SOCK_DGRAM) as sock:
            sock.bind(str(tmp_path / f"{name}\0junk"))
            assert sock.getsockname() == str(tmp_path / name)
        assert os.path.exists(tmp_path / name)


@pytest.mark.root
@pytest.mark.parametrize("ifname", ["lo\0", "lo\0junk", "\0"])
def test_packet_interface(ifname: str) -> None:
    def call(m: Any) -> Any:
        with m.socket(m.AF_PACKET, m.SOCK_RAW) as sock:
            return sock.bind((ifname, 0))

    assert _same(call) == ("ValueError", "embedded null character")


# -- families this kernel lacks: the codec against CPython's converters ---------------------------


class _Info:
    family = type = proto = 0

    def fileno(self) -> int:
        return -1


def test_can_interface() -> None:
    """CPython converts the CAN interface with PyUnicode_FSConverter."""
    can = pytest.importorskip("sockcore_can.address")
    for codec, address in (
        (can.CanCodec(), ("vcan0\0",)),
        (can.IsotpCodec(), ("vcan0\0junk", 1, 2)),
        (can.J1939Codec(), (b"vcan0\0", 0, 0, 0)),
    ):
        with pytest.raises(ValueError, match=r"^embedded null byte$"):
            codec.encode(address, _Info())


def test_alg_type_and_name() -> None:
    """CPython parses the AF_ALG type and name with the "s" code."""
    alg = pytest.importorskip("sockcore_alg.address")
    for address in (("hash\0", "sha256"), ("hash", "sha256\0junk")):
        with pytest.raises(ValueError, match=r"^embedded null character$"):
            alg.AlgCodec().encode(address, _Info())


def test_system_control_name() -> None:
    system = pytest.importorskip("sockcore_system.codec")
    with pytest.raises(ValueError, match=r"^embedded null byte$"):
        system.encode_control("com.apple.net.utun_control\0", lambda name: 1)


# -- property: a NUL anywhere, in any name argument ---------------------------------------------

_NAME_CHARS = st.characters(min_codepoint=1, max_codepoint=0x7F, exclude_characters="\0")


@settings(max_examples=60, deadline=None)
@given(before=st.text(_NAME_CHARS, max_size=8), after=st.text(_NAME_CHARS, max_size=8), as_bytes=st.booleans())
def test_nul_anywhere_in_a_name(before: str, after: str, as_bytes: bool) -> None:
    text = before + "\0" + after
    name: str | bytes = text.encode() if as_bytes else text
    _same(lambda m: m.gethostbyname(name))
    if not as_bytes:
        _same(lambda m: m.getservbyname(name, "tcp"))
        _same(lambda m: m.getprotobyname(name))
