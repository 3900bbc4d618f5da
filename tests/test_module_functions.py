"""Module-level functions against the stdlib: same results, same exception types."""

from __future__ import annotations

import socket as std
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sockcore


def outcome(fn: Any, *args: Any) -> Any:
    try:
        return ("ok", fn(*args))
    except Exception as exc:
        return ("raised", type(exc), getattr(exc, "errno", None))


ints = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.integers(0, 2**33))


@pytest.mark.parametrize("name", ["ntohs", "htons", "ntohl", "htonl"])
@given(x=ints)
def test_byte_order(name: str, x: int) -> None:
    assert outcome(getattr(sockcore, name), x) == outcome(getattr(std, name), x)


@pytest.mark.parametrize("name", ["ntohs", "htons", "ntohl", "htonl"])
@pytest.mark.parametrize("bad", [1.5, "1", None, b"1"])
def test_byte_order_types(name: str, bad: object) -> None:
    assert outcome(getattr(sockcore, name), bad) == outcome(getattr(std, name), bad)


@given(n=st.integers(min_value=-10, max_value=2**40))
def test_cmsg_len_space(n: int) -> None:
    assert outcome(sockcore.CMSG_LEN, n) == outcome(std.CMSG_LEN, n)
    assert outcome(sockcore.CMSG_SPACE, n) == outcome(std.CMSG_SPACE, n)


def test_hostname() -> None:
    assert sockcore.gethostname() == std.gethostname()


def test_interfaces() -> None:
    assert sockcore.if_nameindex() == std.if_nameindex()
    for index, name in std.if_nameindex():
        assert sockcore.if_nametoindex(name) == index
        assert sockcore.if_indextoname(index) == name


@pytest.mark.parametrize("arg", ["no-such-if0", "", b"lo", 3.0, None])
def test_if_nametoindex_errors(arg: object) -> None:
    assert outcome(sockcore.if_nametoindex, arg) == outcome(std.if_nametoindex, arg)


@pytest.mark.parametrize("arg", [0, 999999, -1, 2**32, 2**64, "1", 1.0, True])
def test_if_indextoname_errors(arg: object) -> None:
    assert outcome(sockcore.if_indextoname, arg) == outcome(std.if_indextoname, arg)


@pytest.mark.parametrize("value", [None, 0, 0.0, 1, 2.5, -1, -0.5, float("nan"), "1", 1e100, True])
def test_default_timeout(value: object) -> None:
    try:
        assert outcome(sockcore.setdefaulttimeout, value)[:2] == outcome(std.setdefaulttimeout, value)[:2]
        assert sockcore.getdefaulttimeout() == std.getdefaulttimeout()
    finally:
        sockcore.setdefaulttimeout(None)
        std.setdefaulttimeout(None)


def test_exception_hierarchy() -> None:
    assert sockcore.error is OSError
    assert sockcore.timeout is TimeoutError
    assert issubclass(sockcore.herror, OSError)
    assert issubclass(sockcore.gaierror, OSError)


def test_socket_type_alias() -> None:
    assert sockcore.SocketType is sockcore.socket


def test_enums_match_stdlib() -> None:
    for enum_name in ("SocketKind", "MsgFlag"):
        ours = getattr(sockcore, enum_name)
        theirs = getattr(std, enum_name)
        for name, member in theirs.__members__.items():
            assert ours[name] == member, name
    assert sockcore.SOCK_STREAM is sockcore.SocketKind.SOCK_STREAM
    assert repr(sockcore.SOCK_DGRAM) == repr(std.SOCK_DGRAM)


def test_core_constants_match_stdlib() -> None:
    """Every core constant the stdlib also defines has the stdlib's value."""
    from sockcore._constants import CONSTANTS

    shared = [n for n in CONSTANTS if hasattr(std, n)]
    assert len(shared) > 50
    assert {n: CONSTANTS[n] for n in shared} == {n: int(getattr(std, n)) for n in shared}


def test_missing_plugin_name_says_which_distribution(monkeypatch: pytest.MonkeyPatch) -> None:
    from sockcore import registry

    monkeypatch.setitem(registry.catalogue()["names"], "AF_EXAMPLEONLY", "sockcore-example")
    with pytest.raises(AttributeError, match="sockcore-example, which is not installed"):
        sockcore.AF_EXAMPLEONLY  # noqa: B018


def test_unknown_name() -> None:
    with pytest.raises(AttributeError, match="no attribute 'NOT_A_SOCKET_NAME'"):
        sockcore.NOT_A_SOCKET_NAME  # noqa: B018


def test_windows_only_methods() -> None:
    a, b = sockcore.socketpair()
    with a, b:
        assert not hasattr(a, "ioctl")
        with pytest.raises(AttributeError, match="only available on Windows"):
            a.share  # noqa: B018
