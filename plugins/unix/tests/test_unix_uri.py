"""The unix: and unix-abstract: URI schemes."""

from __future__ import annotations

import contextlib
import socket as std

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sockcore_unix.uri import parse_unix, parse_unix_abstract


@pytest.mark.parametrize(
    ("uri", "kind", "address"),
    [
        ("unix:/run/app.sock", std.SOCK_STREAM, "/run/app.sock"),
        ("unix:///run/app.sock", std.SOCK_STREAM, "/run/app.sock"),
        ("unix:relative.sock", std.SOCK_STREAM, "relative.sock"),
        ("unix:/tmp/s?type=dgram", std.SOCK_DGRAM, "/tmp/s"),
        ("unix:/tmp/s?type=seqpacket", std.SOCK_SEQPACKET, "/tmp/s"),
        ("unix:/tmp/s?type=stream", std.SOCK_STREAM, "/tmp/s"),
        ("unix:/tmp/a%3Fb", std.SOCK_STREAM, "/tmp/a?b"),
        ("unix:/tmp/%FF", std.SOCK_STREAM, "/tmp/\udcff"),
    ],
)
def test_unix(uri: str, kind: int, address: str) -> None:
    target = parse_unix(uri)
    assert (target.family, target.type, target.proto, target.address) == (std.AF_UNIX, kind, 0, address)


@pytest.mark.parametrize(
    ("uri", "kind", "address"),
    [
        ("unix-abstract:myapp", std.SOCK_STREAM, b"\0myapp"),
        ("unix-abstract:my%00app?type=dgram", std.SOCK_DGRAM, b"\0my\0app"),
        ("unix-abstract:", std.SOCK_STREAM, ""),  # autobind
        ("unix-abstract:?type=seqpacket", std.SOCK_SEQPACKET, ""),
    ],
)
def test_unix_abstract(uri: str, kind: int, address: str | bytes) -> None:
    target = parse_unix_abstract(uri)
    assert (target.family, target.type, target.address) == (std.AF_UNIX, kind, address)


@pytest.mark.parametrize(
    "uri",
    [
        "unix:",
        "unix:?type=dgram",
        "unix://host/path",
        "unix:/x?type=raw",
        "unix:/x?kind=dgram",
        "unix:/x?type",
        "unix:%00abc",
        "unix:/" + "x" * 200,
        "tcp:/x",
    ],
)
def test_bad_unix_uris(uri: str) -> None:
    with pytest.raises(ValueError):
        parse_unix(uri)


def test_too_long_abstract_name() -> None:
    with pytest.raises(ValueError, match="too long"):
        parse_unix_abstract("unix-abstract:" + "x" * 108)


@given(st.text())
def test_random_uris_raise_only_value_error(text: str) -> None:
    for parse, prefix in ((parse_unix, "unix:"), (parse_unix_abstract, "unix-abstract:")):
        with contextlib.suppress(ValueError):
            parse(prefix + text)
