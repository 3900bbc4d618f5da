"""The core's name arguments with an embedded NUL: if_nametoindex and sethostname, as the stdlib.

CPython converts both with PyUnicode_FSConverter (sethostname takes bytes
whole first): a NUL in the name is ValueError "embedded null byte", never a
lookup of the name cut at the NUL (``if_nametoindex('lo\\0junk')`` would find
``lo``).  sethostname is only called with names both modules refuse before
the system call, with sockcore's libc call replaced by one that fails the
test: the host name is never changed.
"""

from __future__ import annotations

import pathlib
import socket as std
from collections.abc import Callable
from typing import Any
from unittest import mock

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


@pytest.mark.parametrize("name", ["lo\0", "lo\0junk", "\0lo", b"lo\0junk", pathlib.PurePath("lo\0"), 5, None])
def test_if_nametoindex(name: Any) -> None:
    assert _same(lambda m: m.if_nametoindex(name))[0] != "ok"


def test_if_nametoindex_lo_alone_still_works() -> None:
    assert sockcore.if_nametoindex("lo") == std.if_nametoindex("lo")
    assert sockcore.if_nametoindex(b"lo") == std.if_nametoindex(b"lo")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["host\0name", bytearray(b"host"), pathlib.PurePath("host\0"), 7])
def test_sethostname_refuses_before_the_kernel(name: Any) -> None:
    with mock.patch.object(sockcore._libc, "sethostname", side_effect=AssertionError("reached the kernel")):
        outcome = _same(lambda m: m.sethostname(name))
    assert outcome[0] in {"ValueError", "TypeError"}


_NAME_CHARS = st.characters(min_codepoint=1, max_codepoint=0x7F, exclude_characters="\0")


@settings(max_examples=60, deadline=None)
@given(before=st.text(_NAME_CHARS, max_size=8), after=st.text(_NAME_CHARS, max_size=8), as_bytes=st.booleans())
def test_nul_anywhere_in_an_interface_name(before: str, after: str, as_bytes: bool) -> None:
    text = before + "\0" + after
    name: str | bytes = text.encode() if as_bytes else text
    assert _same(lambda m: m.if_nametoindex(name)) == ("ValueError", "embedded null byte")
