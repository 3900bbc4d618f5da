"""inet_aton/ntoa/pton/ntop: the stdlib's answer (or exception) for every input."""

from __future__ import annotations

import socket as stdlib
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import sockcore


def outcome(function: Callable[..., Any], *args: Any) -> Any:
    try:
        return "ok", function(*args)
    except Exception as exc:
        return type(exc).__name__, str(exc)


def same(name: str, *args: Any) -> None:
    assert outcome(getattr(sockcore, name), *args) == outcome(getattr(stdlib, name), *args), (name, args)


dotted = st.lists(
    st.one_of(st.integers(0, 2**33).map(str), st.integers(0, 2**33).map(hex), st.integers(0, 300).map(oct).map(lambda s: s.replace("0o", "0")), st.text("0123456789abcdefx", max_size=4)),
    min_size=1, max_size=5,
).map(".".join)
text = st.one_of(dotted, st.text(max_size=20), st.text("0123456789abcdef:.%x ", max_size=45), st.ip_addresses().map(str))
families = st.one_of(st.sampled_from([stdlib.AF_INET, stdlib.AF_INET6, 0, 1, 99]), st.integers(-(2**40), 2**40))
packed = st.one_of(st.binary(max_size=20), st.binary(min_size=4, max_size=4), st.binary(min_size=16, max_size=16))


@settings(max_examples=500)
@given(text)
def test_inet_aton(value: str) -> None:
    same("inet_aton", value)


@settings(max_examples=300)
@given(packed)
def test_inet_ntoa(value: bytes) -> None:
    same("inet_ntoa", value)
    same("inet_ntoa", bytearray(value))


@settings(max_examples=500)
@given(families, text)
def test_inet_pton(family: int, value: str) -> None:
    same("inet_pton", family, value)


@settings(max_examples=500)
@given(families, packed)
def test_inet_ntop(family: int, value: bytes) -> None:
    same("inet_ntop", family, value)
    same("inet_ntop", family, memoryview(value))


def test_odd_forms_and_types() -> None:
    for value in ["127.1", "0x7f.1", "1.2.3.4 x", "1.2.3.4\n", "  1.2.3.4", "4294967295", "4294967296", "", "01.02.03.010", "1.2.3.4\0", "\udcff"]:
        same("inet_aton", value)
    for bad in [b"1.2.3.4", 1, None, bytearray(b"1")]:
        same("inet_aton", bad)
        same("inet_ntoa", bad)
        same("inet_pton", stdlib.AF_INET, bad)
        same("inet_ntop", stdlib.AF_INET, bad)
    same("inet_pton", 2.0, "1.2.3.4")
    same("inet_pton", "2", "1.2.3.4")
    same("inet_ntop", 2.0, b"1234")
    for _ in range(2):  # cold, then cached
        same("inet_pton", stdlib.AF_INET6, "::ffff:1.2.3.4")
        same("inet_ntop", stdlib.AF_INET6, bytes(10) + b"\xff\xff\x01\x02\x03\x04")
