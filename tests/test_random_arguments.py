"""Random arguments to every socket method and module function: what the stdlib does, or only allowed exceptions.

Whatever a caller passes, sockcore raises TypeError, ValueError,
OverflowError, OSError or UnicodeError (never ctypes.ArgumentError,
struct.error, AttributeError ...), and leaks nothing.  And the same
arguments through the stdlib end the same way: the same value, or the same
exception type, errno and message.  Sockets are non-blocking, so no call
waits.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import os
import socket as std
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sockcore
from sockcore import registry

ALLOWED = (TypeError, ValueError, OverflowError, OSError, UnicodeError)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**32, 2**63, 2**64]),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.binary(max_size=40),
    st.builds(bytearray, st.binary(max_size=10)),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.tuples(inner, inner), st.lists(inner, max_size=3),
                                                        st.tuples(inner, inner, inner)), max_leaves=6)

METHODS: list[tuple[str, int]] = [
    ("bind", 1), ("connect_ex", 1), ("sendto", 2), ("sendto", 3), ("send", 1), ("send", 2), ("sendall", 2),
    ("recv", 1), ("recv", 2), ("recvfrom", 2), ("recv_into", 1), ("recv_into", 3), ("recvfrom_into", 3),
    ("recvmsg", 3), ("recvmsg_into", 3), ("sendmsg", 1), ("sendmsg", 2), ("sendmsg", 4),
    ("setsockopt", 3), ("setsockopt", 4), ("getsockopt", 2), ("getsockopt", 3), ("settimeout", 1),
    ("setblocking", 1), ("shutdown", 1), ("listen", 1), ("set_inheritable", 1),
]
FAMILIES = ["AF_UNIX", "AF_INET", "AF_INET6"]


@pytest.fixture(autouse=True, scope="module")
def scratch_directory(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A random str or bytes is a relative AF_UNIX path: bind() creates it in the working directory."""
    with contextlib.chdir(tmp_path_factory.mktemp("random-arguments")):
        yield


def picture(value: Any) -> Any:
    """A result as compared across the two modules: a socket by its kind (and closed), tuples element-wise."""
    if isinstance(value, std.socket | sockcore.socket):
        with value:
            return ("socket", int(value.family), int(value.type), value.proto, value.gettimeout())
    if isinstance(value, tuple | list):
        return type(value)(picture(v) for v in value) if type(value) in (tuple, list) else tuple(picture(v) for v in value)
    return value


def outcome(call: Callable[[], Any]) -> tuple[Any, ...]:
    try:
        return ("returns", picture(call()))
    except Exception as exc:  # the comparison is the point
        # by name: gaierror and herror are sockcore's own classes (docs/DIFFERENCES.md)
        return ("raises", type(exc).__name__, getattr(exc, "errno", None), str(exc), isinstance(exc, ALLOWED))


def in_directory(name: str, call: Callable[[], Any]) -> tuple[Any, ...]:
    """``call``'s outcome with ``name`` (a fresh directory of the module's own) as the working directory."""
    os.makedirs(name, exist_ok=True)
    with contextlib.chdir(name):
        try:
            return outcome(call)
        finally:
            for entry in os.listdir():
                os.unlink(entry)


def same_end(theirs: tuple[Any, ...], ours: tuple[Any, ...]) -> bool:
    if ours[0] == "raises" and not ours[4]:
        return False
    # both modules bind in one kernel: an abstract name or a fixed port the stdlib's socket took is in use
    taken = theirs[0] == "returns" and ours[:3] == ("raises", "OSError", errno.EADDRINUSE)
    return ours == theirs or taken


def available(name: str) -> bool:
    return registry.tables().constants.get(name) is not None


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize(("method", "arity"), METHODS, ids=[f"{m}/{n}" for m, n in METHODS])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_socket_methods(family: str, method: str, arity: int, data: st.DataObject) -> None:
    if not available(family):
        pytest.skip(f"{family} needs its plugin")
    args = [data.draw(values) for _ in range(arity)]
    if method in ("recv", "recvfrom", "recvmsg") and type(args[0]) is int and 2**20 < args[0] < 2**63:
        args[0] = 2**20  # a valid size: the stdlib would allocate it too, but the test should not wait for it
    ends = []
    for module in (std, sockcore):
        with module.socket(getattr(sockcore, family), sockcore.SOCK_DGRAM) as sock:
            sock.setblocking(False)
            mine = copy.deepcopy(args)  # a receive writes into a bytearray argument
            ends.append(in_directory(module.__name__, lambda: getattr(sock, method)(*mine)))  # noqa: B023
    assert same_end(*ends), (method, args, ends)


FUNCTIONS: list[tuple[str, int]] = [
    ("socket", 1), ("socket", 2), ("socket", 3), ("socketpair", 2), ("socketpair", 3), ("htons", 1), ("ntohl", 1),
    ("CMSG_LEN", 1), ("CMSG_SPACE", 1), ("if_indextoname", 1), ("if_nametoindex", 1), ("setdefaulttimeout", 1),
    ("inet_aton", 1), ("inet_ntoa", 1), ("inet_pton", 2), ("inet_ntop", 2), ("getservbyport", 2),
    ("getservbyname", 2), ("getprotobyname", 1), ("getnameinfo", 2),
]


@pytest.mark.parametrize(("name", "arity"), FUNCTIONS, ids=[f"{m}/{n}" for m, n in FUNCTIONS])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_module_functions(name: str, arity: int, data: st.DataObject) -> None:
    function = getattr(sockcore, name, None)
    if function is None:
        pytest.skip(f"{name} needs its plugin")
    args: list[Any] = [data.draw(values) for _ in range(arity)]
    ends = []
    for module in (std, sockcore):
        mine = copy.deepcopy(args)
        try:
            ends.append(in_directory(module.__name__, lambda: getattr(module, name)(*mine)))  # noqa: B023
        finally:
            module.setdefaulttimeout(None)
    assert same_end(*ends), (name, args, ends)
