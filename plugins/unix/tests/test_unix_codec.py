"""The AF_UNIX codec: round trips, the stdlib's errors, and the kernel's view of what it encodes."""

from __future__ import annotations

import array
import os
import socket as std
import tempfile
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sockcore_unix import (
    AF_UNIX,
    UNIX_CODEC,
    UNIX_PATH_MAX,
    UnixAddressCodec,
    decode_address,
    encode_address,
)

from sockcore._syscalls import libc as syscalls
from sockcore.address import join_sockaddr, split_sockaddr
from sockcore.testing import CODEC_ERRORS, FakeSocket, check_codec

SOCK = FakeSocket(AF_UNIX, std.SOCK_DGRAM)

# every code point, lone surrogates included (they are what surrogateescape produces)
any_text = st.text(st.characters(exclude_categories=()), max_size=120)
path_text = any_text.filter(lambda s: s and not s.startswith("\0") and "\0" not in s)
abstract_names = st.binary(max_size=UNIX_PATH_MAX - 1).map(lambda b: b"\0" + b)


def fs_roundtrips(text: str) -> bool:
    try:
        return os.fsdecode(os.fsencode(text)) == text
    except UnicodeError:
        return False


# -- round trips ----------------------------------------------------------------


def test_codec_contract() -> None:
    check_codec(UNIX_CODEC, ["/tmp/sock", "relative", b"\0abstract", b"\0", "p" * (UNIX_PATH_MAX - 1)], sock=SOCK)


@given(path_text)
def test_str_path_round_trips(path: str) -> None:
    assume(fs_roundtrips(path) and len(os.fsencode(path)) < UNIX_PATH_MAX)
    body = UNIX_CODEC.encode(path, SOCK)
    assert body == os.fsencode(path) + b"\0"
    assert UNIX_CODEC.decode(body, SOCK) == path


@given(st.binary(min_size=1, max_size=UNIX_PATH_MAX - 1).filter(lambda b: b[0] != 0 and b"\0" not in b))
def test_bytes_path_round_trips_to_the_fs_decoded_str(path: bytes) -> None:
    body = UNIX_CODEC.encode(path, SOCK)
    decoded = UNIX_CODEC.decode(body, SOCK)
    assert isinstance(decoded, str)
    assert decoded == os.fsdecode(path)
    assert os.fsencode(decoded) == path


@given(abstract_names)
def test_abstract_name_round_trips_as_bytes(name: bytes) -> None:
    body = UNIX_CODEC.encode(name, SOCK)
    assert body == name  # no NUL added: every byte of an abstract name counts
    assert UNIX_CODEC.decode(body, SOCK) == name


@given(st.sampled_from([bytearray, memoryview, bytes]), abstract_names | st.binary(min_size=1, max_size=50))
def test_bytes_like_objects_encode_like_bytes(kind: Any, data: bytes) -> None:
    assert UNIX_CODEC.encode(kind(data), SOCK) == encode_address(data)


def test_uncached_codec_agrees_with_the_shared_one() -> None:
    fresh = UnixAddressCodec()
    for address in ["a", b"a", "\0x", b"\0x", "", b""]:
        assert fresh.encode(address, SOCK) == UNIX_CODEC.encode(address, SOCK) == encode_address(address)


def test_cache_keeps_str_and_bytes_apart() -> None:
    codec = UnixAddressCodec()
    assert codec.encode("\udcff", SOCK) == b"\xff\0"
    assert codec.encode(b"\xff", SOCK) == b"\xff\0"
    assert codec.encode("x", SOCK) == codec.encode(b"x", SOCK) == b"x\0"


def test_cache_is_bounded() -> None:
    codec = UnixAddressCodec()
    for i in range(1000):
        codec.encode(f"p{i}", SOCK)
        codec.decode(f"p{i}\0".encode(), SOCK)
    assert len(codec._str_cache) <= 256 and len(codec._decoded) <= 256


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", ""),  # an unnamed socket (getsockname before bind)
        (b"\0", b"\0"),  # the empty abstract name
        (b"\0abc", b"\0abc"),
        (b"\0abc\0", b"\0abc\0"),  # trailing NULs of an abstract name are part of it
        (b"/tmp/x\0", "/tmp/x"),
        (b"/tmp/x", "/tmp/x"),  # no terminating NUL (a full 108-byte sun_path)
        (b"/tmp/x\0garbage", "/tmp/x"),  # everything after the NUL is ignored
        (b"\xff\xfe\0", "\udcff\udcfe"),  # undecodable bytes surrogate-escaped
        (bytearray(b"rel\0"), "rel"),
    ],
)
def test_decode_cases(body: bytes, expected: str | bytes) -> None:
    assert UNIX_CODEC.decode(body, SOCK) == expected
    assert type(UNIX_CODEC.decode(body, SOCK)) is type(expected)
    assert decode_address(bytes(body)) == expected


@pytest.mark.parametrize(
    ("address", "body"),
    [
        ("", b""),  # autobind
        (b"", b""),
        ("\0", b"\0"),
        ("\0abc", b"\0abc"),  # a str abstract name is encoded like a path
        ("\0é", b"\0\xc3\xa9"),
        ("a\0b", b"a\0b\0"),  # passed through as the stdlib does; the kernel stops at the NUL
        ("x" * (UNIX_PATH_MAX - 1), b"x" * (UNIX_PATH_MAX - 1) + b"\0"),
        (b"\0" + b"x" * (UNIX_PATH_MAX - 1), b"\0" + b"x" * (UNIX_PATH_MAX - 1)),
        (array.array("B", b"arr"), b"arr\0"),
        (memoryview(b"abcd").cast("B", (2, 2)), b"abcd\0"),  # any C-contiguous buffer, as "y*"
    ],
)
def test_encode_cases(address: Any, body: bytes) -> None:
    assert UNIX_CODEC.encode(address, SOCK) == body


# -- the stdlib's errors ------------------------------------------------------------


def stdlib_outcome(address: Any) -> tuple[type[BaseException], tuple[Any, ...]] | None:
    """What the stdlib raises *before* the kernel sees ``address`` (None: it reached the kernel).

    ``connect`` on a datagram socket creates nothing, so any address is safe to try.
    """
    with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as s:
        try:
            s.connect(address)
        except OSError as exc:
            if exc.errno is not None:
                return None  # the kernel's answer: the address itself was well formed
            return type(exc), exc.args
        except (TypeError, ValueError, UnicodeError, BufferError) as exc:
            return type(exc), exc.args
    return None


def codec_outcome(address: Any) -> tuple[type[BaseException], tuple[Any, ...]] | None:
    try:
        UNIX_CODEC.encode(address, SOCK)
    except (OSError, TypeError, ValueError, UnicodeError, BufferError) as exc:
        return type(exc), exc.args
    return None


@pytest.mark.parametrize(
    "address",
    [
        None, 1, 1.5, ("a",), ["a"], {"a": 1}, object(), b"x" * UNIX_PATH_MAX, "x" * UNIX_PATH_MAX,
        b"\0" * (UNIX_PATH_MAX + 1), "\0" + "x" * UNIX_PATH_MAX, "\ud800", "a\ud800b", "é" * 54,
        memoryview(b"abcd")[::2], os.path.join("x", "y"), __import__("pathlib").Path("p"),
        type("S", (str,), {})("strsub"), bytearray(b"x" * 200),
    ],
    ids=repr,
)
def test_errors_match_the_stdlib(address: Any) -> None:
    assert codec_outcome(address) == stdlib_outcome(address)


bad_addresses = st.one_of(
    st.none(), st.integers(), st.floats(), st.booleans(), any_text, st.binary(max_size=300),
    st.tuples(any_text), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(), st.integers(), max_size=2),
    st.text(max_size=3).map(lambda t: t * 60),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(bad_addresses)
def test_random_addresses_raise_only_the_documented_errors_and_the_stdlibs(address: Any) -> None:
    outcome = codec_outcome(address)
    assert outcome is None or issubclass(outcome[0], (*CODEC_ERRORS, OSError))
    assert outcome == stdlib_outcome(address)


@given(st.binary(max_size=200))
def test_decode_never_fails(body: bytes) -> None:
    result = UNIX_CODEC.decode(body, SOCK)
    assert isinstance(result, str | bytes)


# -- the kernel's view: what the stdlib binds, the codec encodes; what the kernel returns, the codec decodes


def raw_name(sock: std.socket) -> bytes:
    addr = syscalls.SockaddrBuffer()
    assert syscalls.getsockname_raw(sock.fileno(), addr.buf, addr.ref) == 0
    family, body = split_sockaddr(addr.raw())
    assert family == AF_UNIX
    return body


@settings(max_examples=60)
@given(abstract_names)
def test_abstract_bind_matches_the_stdlib(name: bytes) -> None:
    with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as s:
        s.bind(name)
        expected = s.getsockname()
        assert UNIX_CODEC.decode(raw_name(s), SOCK) == expected
    with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as s:
        assert syscalls.bind(s.fileno(), join_sockaddr(AF_UNIX, UNIX_CODEC.encode(name, SOCK))) == 0
        assert s.getsockname() == expected


_DIR = tempfile.mkdtemp(prefix="sku")


@settings(max_examples=60)
@given(st.binary(min_size=1, max_size=40).filter(lambda b: b[0] != 0 and b"\0" not in b and b"/" not in b and b not in (b".", b"..")))
def test_path_bind_matches_the_stdlib(name: bytes) -> None:
    path = os.fsencode(_DIR) + b"/" + name
    try:
        with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as s:
            s.bind(path)
            expected = s.getsockname()
            assert UNIX_CODEC.decode(raw_name(s), SOCK) == expected
        os.unlink(path)
        with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as s:
            assert syscalls.bind(s.fileno(), join_sockaddr(AF_UNIX, UNIX_CODEC.encode(os.fsdecode(path), SOCK))) == 0
            assert s.getsockname() == expected
    finally:
        if os.path.lexists(path):
            os.unlink(path)


def test_autobind_and_unnamed_match_the_stdlib() -> None:
    with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as s:
        assert UNIX_CODEC.decode(raw_name(s), SOCK) == s.getsockname() == ""
        assert syscalls.bind(s.fileno(), join_sockaddr(AF_UNIX, UNIX_CODEC.encode("", SOCK))) == 0
        name = s.getsockname()
        assert isinstance(name, bytes) and name[:1] == b"\0" and len(name) == 6
        assert UNIX_CODEC.decode(raw_name(s), SOCK) == name


def test_embedded_nul_binds_what_the_stdlib_binds(in_short_dir: str) -> None:
    with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as s:
        s.bind("n1\0tail")
        assert s.getsockname() == "n1"
    with std.socket(std.AF_UNIX, std.SOCK_DGRAM) as s:
        assert syscalls.bind(s.fileno(), join_sockaddr(AF_UNIX, UNIX_CODEC.encode("n2\0tail", SOCK))) == 0
        assert s.getsockname() == "n2"
    assert sorted(os.listdir(in_short_dir)) == ["n1", "n2"]


def teardown_module() -> None:
    os.rmdir(_DIR)
