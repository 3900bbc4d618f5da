"""AF_ALG codec, constants and sendmsg_afalg argument checks: no kernel AF_ALG needed.

The stdlib checks an address or sendmsg_afalg's arguments before any system
call, so a socket object that claims AF_ALG over a Unix socket's descriptor
(``socket(AF_ALG, ..., fileno=fd)``) compares the two modules on this host.
"""

from __future__ import annotations

import contextlib
import socket as stdlib
import struct
from collections.abc import Iterator
from typing import Any

import pytest
import sockcore_alg
from hypothesis import given
from hypothesis import strategies as st
from sockcore_alg import AlgAddress, afalg_control, hooks
from sockcore_alg._constants import CONSTANTS, HAND_WRITTEN
from sockcore_alg.address import AlgCodec
from sockcore_alg.options import ALG_OPTIONS

import sockcore
import sockcore.address
from sockcore.testing import FakeSocket, check_codec, check_plugin

FAKE = FakeSocket(sockcore_alg.AF_ALG, stdlib.SOCK_SEQPACKET)


@contextlib.contextmanager
def pretend_alg() -> Iterator[tuple[Any, Any]]:
    """A stdlib and a sockcore socket object that say AF_ALG, over Unix datagram sockets."""
    with stdlib.socket(stdlib.AF_UNIX, stdlib.SOCK_DGRAM) as u1, stdlib.socket(stdlib.AF_UNIX, stdlib.SOCK_DGRAM) as u2:
        std = stdlib.socket(stdlib.AF_ALG, stdlib.SOCK_SEQPACKET, 0, fileno=u1.fileno())
        ours = sockcore.socket(sockcore.AF_ALG, sockcore.SOCK_SEQPACKET, 0, fileno=u2.fileno())
        try:
            yield std, ours
        finally:
            std.detach()
            ours.detach()


def outcome(call: Any) -> Any:
    try:
        call()
    except Exception as exc:  # comparing what each module raises
        return type(exc)
    return None


# -- constants -----------------------------------------------------------------


def test_constants_equal_the_stdlib() -> None:
    names = [n for n in dir(stdlib) if n.startswith(("ALG_", "AF_ALG", "PF_ALG", "SOL_ALG"))]
    assert {n: CONSTANTS.get(n) for n in names} == {n: getattr(stdlib, n) for n in names}
    assert set(HAND_WRITTEN) <= set(names)


def test_plugin_contract() -> None:
    # attrs: the plugin's own option records (AuthSize) are attrs classes
    check_plugin(hooks.plugin, static_modules=["sockcore_alg"], static_may_load=["attrs"])
    for name, value in CONSTANTS.items():
        assert getattr(sockcore_alg, name) == value


def test_methods_and_family_come_from_the_plugin() -> None:
    from sockcore import registry

    tables = registry.tables()
    assert tables.methods["sendmsg_afalg"] is sockcore_alg.sendmsg_afalg
    entry = tables.families[sockcore_alg.AF_ALG]
    assert (entry.family.name, entry.plugin.distribution) == ("AF_ALG", "sockcore-alg")


# -- the address codec -----------------------------------------------------------

names = st.text(st.characters(min_codepoint=1, max_codepoint=0x7F), max_size=13)


@given(names, st.text(st.characters(min_codepoint=1, max_codepoint=0x7F), max_size=63), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_round_trip(kind: str, name: str, feat: int, mask: int) -> None:
    """feat and mask are 16-bit as the stdlib parses them ("H"); strict() passes the kernel's whole u32."""
    codec = AlgCodec()
    body = codec.encode((kind, name, feat, mask), FAKE)
    assert len(body) == 86  # sizeof(struct sockaddr_alg) - sa_family
    assert codec.decode(body, FAKE) == (kind, name, feat & 0xFFFF, mask & 0xFFFF)
    with sockcore.address.strict():
        assert codec.decode(codec.encode((kind, name, feat, mask), FAKE), FAKE) == (kind, name, feat, mask)


def test_layout() -> None:
    body = AlgCodec().encode(("hash", "sha256", 1, 2), FAKE)
    assert body == struct.pack("=14sII64s", b"hash", 1, 2, b"sha256")
    assert AlgCodec().encode(("hash", "sha256"), FAKE) == struct.pack("=14sII64s", b"hash", 0, 0, b"sha256")


BAD_ADDRESSES = [
    "hash",
    ["hash", "sha256"],
    ("hash",),
    ("hash", "sha256", 0, 0, 0),
    ("hash", b"sha256"),
    (b"hash", "sha256"),
    ("h" * 14, "sha256"),
    ("hash", "n" * 64),
    ("ha\0sh", "sha256"),
    ("hash", "sha\0256"),
    ("hash", "sha256", 1.5),
    ("hash", "sha256", "1"),
    ("hash", "\udcff"),
    ("h" * 13, "n" * 63),  # fits: both sides reach the system call
]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_bad_addresses_fail_as_in_the_stdlib(address: Any) -> None:
    with pretend_alg() as (std, ours):
        assert outcome(lambda: ours.bind(address)) == outcome(lambda: std.bind(address))


@pytest.mark.parametrize("field", [-1, 2**32, 0x12345])
def test_feat_wraps_as_the_stdlib_and_strict_refuses_beyond_u32(field: int) -> None:
    assert AlgCodec().encode(("hash", "sha256", field), FAKE) == AlgCodec().encode(("hash", "sha256", field & 0xFFFF), FAKE)
    with sockcore.address.strict():
        if 0 <= field < 2**32:
            assert AlgCodec().decode(AlgCodec().encode(("hash", "sha256", field), FAKE), FAKE).feat == field
        else:
            with pytest.raises(OverflowError):
                AlgCodec().encode(("hash", "sha256", field), FAKE)


def test_codec_contract() -> None:
    check_codec(AlgCodec(), [AlgAddress("hash", "sha256", 0, 0), AlgAddress("skcipher", "cbc(aes)", 0xFFFF, 1)], sock=FAKE)


# -- sendmsg_afalg ------------------------------------------------------------------


def test_control_messages() -> None:
    ancdata = afalg_control(sockcore_alg.ALG_OP_ENCRYPT, b"\x01" * 16, 8)
    assert ancdata == [
        (sockcore_alg.SOL_ALG, sockcore_alg.ALG_SET_OP, struct.pack("=I", 1)),
        (sockcore_alg.SOL_ALG, sockcore_alg.ALG_SET_IV, struct.pack("=I", 16) + b"\x01" * 16),
        (sockcore_alg.SOL_ALG, sockcore_alg.ALG_SET_AEAD_ASSOCLEN, struct.pack("=I", 8)),
    ]
    assert afalg_control(0) == [(sockcore_alg.SOL_ALG, sockcore_alg.ALG_SET_OP, bytes(4))]


BAD_CALLS: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
    (([b"x"],), {}),
    (([b"x"],), {"op": -1}),
    (([b"x"],), {"op": 1.0}),
    (([b"x"],), {"op": 2**40}),
    (([b"x"],), {"op": "1"}),
    (([b"x"],), {"op": 1, "iv": "x"}),
    (([b"x"],), {"op": 1, "iv": 5}),
    (([b"x"],), {"op": 1, "assoclen": -1}),
    (([b"x"],), {"op": 1, "assoclen": 2**40}),
    (([b"x"],), {"op": 1, "assoclen": 1.0}),
    (([b"x"],), {"op": 1, "flags": 1.5}),
    ((5,), {"op": 1}),
    (([5],), {"op": 1}),
    (([b"x"],), {"op": 1, "unknown": 1}),
    (([b"x"], 1), {}),
]


@pytest.mark.parametrize(("args", "kwargs"), BAD_CALLS)
def test_bad_arguments_fail_as_in_the_stdlib(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    with pretend_alg() as (std, ours):
        expected = outcome(lambda: std.sendmsg_afalg(*args, **kwargs))
        assert expected is not None
        assert outcome(lambda: ours.sendmsg_afalg(*args, **kwargs)) == expected


def test_sendmsg_afalg_needs_an_alg_socket() -> None:
    with sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_DGRAM) as sock, pytest.raises(OSError, match="only supported for AF_ALG"):
        sock.sendmsg_afalg([b"x"], op=1)


# -- options -------------------------------------------------------------------------


def test_options() -> None:
    options = {opt.name: opt for opt in ALG_OPTIONS}
    assert options["ALG_SET_KEY"].codec.pack(b"k" * 32) == b"k" * 32
    # the tag length travels as the option's length
    assert options["ALG_SET_AEAD_AUTHSIZE"].codec.pack(16) == bytes(16)
    with pytest.raises(OverflowError):
        options["ALG_SET_AEAD_AUTHSIZE"].codec.pack(-1)
