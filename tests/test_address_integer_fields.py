"""Integer address fields out of range: what the stdlib does, and OverflowError only where it raises one.

CPython converts many fields with unchecked C conversions (the ``I``, ``k``,
``K``, ``H`` and ``B`` format codes, or an ``int`` stored in a narrower struct
field): the value wraps and the kernel decides, so ``bind((-2, 0))`` on
AF_QIPCRTR fails with the kernel's OSError, which programs catch.  It raises
OverflowError where it checks a range itself (an AF_INET port above 65535, a
flowinfo above 0xfffff, an AF_PACKET proto).  sockcore does the same; inside
``sockcore.strict()`` the fields the stdlib wraps raise OverflowError instead.

Random integers go through both modules' bind() on real sockets for the
families this kernel has (inet, inet6, netlink, vsock, packet as root), and
through a socket object that claims the family over a UDP descriptor for the
families it lacks (the stdlib parses the address before the kernel refuses
it).  vsock sockets are only ever bound, never connected.
"""

from __future__ import annotations

import contextlib
import os
import socket as std
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sockcore
import sockcore.address

# boundaries of every C type the stdlib converts to, and a little around them
_EDGES = [0, 1, 2, 255, 256, 0x7FFF, 0xFFFF, 0x10000, 0xFFFFF, 0x100000, 2**31 - 1, 2**31, 2**32 - 1, 2**32,
          2**63 - 1, 2**63, 2**64 - 1, 2**64, 2**70]
INTS = st.one_of(
    st.sampled_from(_EDGES + [-n for n in _EDGES]),
    st.integers(min_value=-(2**72), max_value=2**72),
    st.integers(min_value=-300, max_value=300),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bind_outcome(make: Callable[[], Any], address: Any) -> tuple[str, int | None]:
    """What bind() did: the exception's type and errno, or "ok"."""
    with make() as sock:
        try:
            sock.bind(address)
        except Exception as exc:  # the outcome is what is compared
            return type(exc).__name__, getattr(exc, "errno", None)
    return "ok", None


def _same(family: str, kind: str, proto: int, address: Any) -> tuple[str, int | None]:
    try:
        probe = std.socket(getattr(std, family), getattr(std, kind), proto)
    except OSError as exc:
        pytest.skip(f"{family} unavailable here: {exc}")
    probe.close()
    theirs = _bind_outcome(lambda: std.socket(getattr(std, family), getattr(std, kind), proto), address)
    ours = _bind_outcome(lambda: sockcore.socket(getattr(sockcore, family), getattr(sockcore, kind), proto), address)
    assert ours == theirs, address
    return theirs


# -- families of this kernel -----------------------------------------------------------------


@SETTINGS
@given(port=INTS.filter(lambda p: not 0 < p <= 0xFFFF))  # a real port could be taken by another test
def test_inet_port(port: int) -> None:
    outcome = _same("AF_INET", "SOCK_DGRAM", 0, ("127.0.0.1", port))
    assert outcome[0] == ("ok" if port == 0 else "OverflowError")


@SETTINGS
@given(flowinfo=INTS, scope_id=INTS)
def test_inet6_flowinfo_and_scope_id(flowinfo: int, scope_id: int) -> None:
    _same("AF_INET6", "SOCK_DGRAM", 0, ("::1", 0, flowinfo, scope_id))


@SETTINGS
@given(pid=INTS, groups=INTS)
def test_netlink_pid_and_groups(pid: int, groups: int) -> None:
    _same("AF_NETLINK", "SOCK_RAW", 0, (pid, groups))


@SETTINGS
@given(cid=INTS, port=INTS)
def test_vsock_cid_and_port(cid: int, port: int) -> None:
    """bind only: a vsock socket here is never connected."""
    _same("AF_VSOCK", "SOCK_STREAM", 0, (cid, port))


@pytest.mark.root
@SETTINGS
@given(proto=INTS, pkttype=INTS, hatype=INTS)
def test_packet_proto_pkttype_hatype(proto: int, pkttype: int, hatype: int) -> None:
    _same("AF_PACKET", "SOCK_RAW", 0, ("lo", proto, pkttype, hatype))


# -- families this kernel lacks: the stdlib's parser on a socket object that claims the family ----

_PRETEND = [
    ("AF_QIPCRTR", "SOCK_DGRAM", 0, lambda a, b, c: (a, b)),
    ("AF_TIPC", "SOCK_RDM", 0, lambda a, b, c: (2, a, b, c)),
    ("AF_TIPC", "SOCK_RDM", 0, lambda a, b, c: (1, a, b, 0, c)),
    ("AF_CAN", "SOCK_DGRAM", 6, lambda a, b, c: ("", a, b)),  # CAN_ISOTP
    ("AF_CAN", "SOCK_DGRAM", 7, lambda a, b, c: ("", a, b, c)),  # CAN_J1939
    ("AF_ALG", "SOCK_SEQPACKET", 0, lambda a, b, c: ("hash", "sha256", a, b)),
]


def _pretend_outcome(module: Any, family: str, kind: str, proto: int, address: Any) -> tuple[str, int | None]:
    with std.socket(std.AF_INET, std.SOCK_DGRAM) as udp:
        return _bind_outcome(
            lambda: module.socket(getattr(module, family), getattr(module, kind), proto, fileno=os.dup(udp.fileno())),
            address,
        )


@pytest.mark.parametrize(("family", "kind", "proto", "shape"), _PRETEND, ids=lambda v: str(v)[:12])
@SETTINGS
@given(a=INTS, b=INTS, c=INTS)
def test_families_this_kernel_lacks(family: str, kind: str, proto: int, shape: Any, a: int, b: int, c: int) -> None:
    if not hasattr(std, family):
        pytest.skip(f"this interpreter's socket module has no {family}")
    address = shape(a, b, c)
    theirs = _pretend_outcome(std, family, kind, proto, address)
    assert _pretend_outcome(sockcore, family, kind, proto, address) == theirs, address
    assert theirs[0] == "OSError"  # the stdlib wraps every field: only the kernel says no


# -- strict(): OverflowError exactly where a field leaves its C range ------------------------------


@SETTINGS
@given(cid=INTS, port=INTS)
def test_strict_vsock(cid: int, port: int) -> None:
    in_range = 0 <= cid < 2**32 and 0 <= port < 2**32
    with sockcore.address.strict():
        outcome = _bind_outcome(lambda: sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM), (cid, port))
    if in_range:
        assert outcome == _bind_outcome(lambda: std.socket(std.AF_VSOCK, std.SOCK_STREAM), (cid, port))
    else:
        assert outcome == ("OverflowError", None)


@SETTINGS
@given(pid=INTS, groups=INTS)
def test_strict_netlink(pid: int, groups: int) -> None:
    with sockcore.address.strict():
        outcome = _bind_outcome(lambda: sockcore.socket(sockcore.AF_NETLINK, sockcore.SOCK_RAW), (pid, groups))
    if not (0 <= pid < 2**32 and 0 <= groups < 2**32):
        assert outcome == ("OverflowError", None)


def test_strict_is_scoped_and_nests() -> None:
    codec = pytest.importorskip("sockcore_qipcrtr.codec")
    assert codec.encode_qrtr((-2, 0)) == codec.encode_qrtr((2**32 - 2, 0))
    with sockcore.address.strict():
        with sockcore.address.strict():
            assert sockcore.address.is_strict()
        assert sockcore.address.is_strict()
        with pytest.raises(OverflowError, match="AF_QIPCRTR node must be 0-4294967295, not -2"):
            codec.encode_qrtr((-2, 0))
    assert not sockcore.address.is_strict()


def test_strict_does_not_reuse_a_cached_wrapped_encoding() -> None:
    """The netlink and vsock codecs cache encodings: never one of a wrapped value, which strict() must refuse."""
    for module, address in (("sockcore_netlink.codec", (2**32 + 7, 0)), ("sockcore_vsock.codec", (2**32 + 7, 5))):
        codec = pytest.importorskip(module).CODEC
        first = codec.encode(address, None)
        assert codec.encode(address, None) == first
        with sockcore.address.strict(), pytest.raises(OverflowError):
            codec.encode(address, None)


def test_the_stdlib_range_checks_stay() -> None:
    """OverflowError where the stdlib raises it, with or without strict()."""
    for strict in (False, True):
        with sockcore.address.strict() if strict else contextlib.nullcontext():
            assert _same("AF_INET", "SOCK_DGRAM", 0, ("127.0.0.1", 65536)) == ("OverflowError", None)
            assert _same("AF_INET", "SOCK_DGRAM", 0, ("127.0.0.1", -1)) == ("OverflowError", None)
            assert _same("AF_INET6", "SOCK_DGRAM", 0, ("::1", 0, 0x100000)) == ("OverflowError", None)
