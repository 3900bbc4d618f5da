"""sendmsg_afalg parses its arguments as CPython's ``"|O$O!y*O!i:sendmsg_afalg"``: same exception, same message.

``op`` is required and keyword-only; ``op=None``, ``assoclen=None``, a second
positional argument, ``assoclen=-1``: TypeError before any system call, as
in the stdlib (sockcore used to reach the kernel with them).  A socket object
that claims AF_ALG over a Unix socket's descriptor compares the two modules
on a host without AF_ALG: the stdlib checks everything before sendmsg(2).
"""

from __future__ import annotations

import contextlib
import os
import socket as std
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sockcore


@contextlib.contextmanager
def _claiming_alg(module: Any) -> Iterator[Any]:
    with module.socket(module.AF_UNIX, module.SOCK_DGRAM) as unix:
        sock = module.socket(module.AF_ALG, module.SOCK_SEQPACKET, 0, fileno=os.dup(unix.fileno()))
        with sock:
            yield sock


def _outcome(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, str]:
    with _claiming_alg(module) as sock:
        try:
            return "returned", repr(sock.sendmsg_afalg(*args, **kwargs))
        except Exception as exc:  # the outcome is what is compared
            return type(exc).__name__, str(exc)


def _same(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, str]:
    theirs = _outcome(std, args, kwargs)
    assert _outcome(sockcore, args, kwargs) == theirs
    return theirs


MSG = [b"x"]
CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    ((), {}),
    ((MSG,), {}),
    ((MSG,), {"op": None}),
    ((MSG, 1), {}),
    ((MSG, 1, 2), {"op": 1}),
    ((MSG,), {"op": 1, "assoclen": None}),
    ((MSG,), {"op": 1, "assoclen": -1}),
    ((MSG,), {"op": 1, "assoclen": 2**40}),
    ((MSG,), {"op": 1, "assoclen": -(2**40)}),
    ((MSG,), {"op": 1, "assoclen": 1.5}),
    ((MSG,), {"op": 1, "iv": None}),
    ((MSG,), {"op": 1, "iv": "x"}),
    ((MSG,), {"op": 1, "iv": memoryview(b"abcd")[::2]}),
    ((MSG,), {"op": 1, "flags": 1.5}),
    ((MSG,), {"op": 1, "flags": 2**31}),
    ((MSG,), {"op": 1, "flags": None}),
    ((MSG,), {"op": -1}),
    ((MSG,), {"op": 2**40}),
    ((MSG,), {"op": 1.0}),
    ((MSG,), {"op": "1"}),
    ((MSG,), {"op": None, "assoclen": None}),
    ((MSG,), {"op": 1, "unknown": 1}),
    ((MSG,), {"op": None, "unknown": 1}),  # conversions come before the unknown keyword
    ((MSG,), {"msg": MSG, "op": 1}),
    ((5,), {"op": 1}),
    ((), {"msg": 5, "op": 1}),
]


@pytest.mark.parametrize(("args", "kwargs"), CALLS, ids=[repr(c)[:60] for c in CALLS])
def test_argument_errors(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    kind, _ = _same(args, kwargs)
    assert kind != "returned"


def test_valid_arguments_reach_sendmsg() -> None:
    """Over a Unix socket that is not connected both reach sendmsg(2) and fail with its errno."""
    for kwargs in ({"op": 1}, {"op": True, "iv": b"\0" * 16, "assoclen": 0, "flags": 0}, {"msg": MSG, "op": 0}):
        assert _same((MSG,) if "msg" not in kwargs else (), kwargs)[0] == "OSError"


def test_not_an_alg_socket() -> None:
    with sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_DGRAM) as ours, std.socket(std.AF_UNIX, std.SOCK_DGRAM) as theirs:
        sockets: list[Any] = [ours, theirs]
        for sock in sockets:
            with pytest.raises(OSError, match=r"^algset is only supported for AF_ALG$"):
                sock.sendmsg_afalg(MSG, 1)  # the family is checked before the arguments


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**65), max_value=2**65), st.floats(allow_nan=False),
    st.text(max_size=3), st.binary(max_size=3),
)


@settings(max_examples=100, deadline=None)
@given(op=_VALUES, iv=_VALUES, assoclen=_VALUES, flags=_VALUES, given_keys=st.sets(st.sampled_from(["op", "iv", "assoclen", "flags"])))
def test_random_arguments(op: Any, iv: Any, assoclen: Any, flags: Any, given_keys: set[str]) -> None:
    values = {"op": op, "iv": iv, "assoclen": assoclen, "flags": flags}
    _same((MSG,), {key: values[key] for key in given_keys})
