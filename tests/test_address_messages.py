"""Bad addresses: the stdlib's exception, errno and exact message, for every family, through bind, connect and sendto.

CPython's getsockaddrarg words some errors with the calling method in front
("sendto(): AF_INET address must be tuple, not NoneType"), some with
"getsockaddrarg" (AF_VSOCK, AF_QIPCRTR) and most with none.  A codec raises
the text after the prefix and marks the prefixed ones with
``sockcore.address.caller_error``; the socket method adds its name.

A socket object that claims the family over a UDP descriptor compares the two
modules for the families this kernel lacks: the stdlib parses the address
before the kernel refuses it.  Listed in docs/DIFFERENCES.md: a CAN_ISOTP or
CAN_J1939 address that is not a tuple (the stdlib's SystemError).
"""

from __future__ import annotations

import os
import socket as std
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sockcore

FAMILIES = [
    ("AF_INET", "SOCK_DGRAM", 0), ("AF_INET6", "SOCK_DGRAM", 0), ("AF_UNIX", "SOCK_DGRAM", 0),
    ("AF_NETLINK", "SOCK_RAW", 0), ("AF_VSOCK", "SOCK_STREAM", 0), ("AF_PACKET", "SOCK_RAW", 0),
    ("AF_QIPCRTR", "SOCK_DGRAM", 0), ("AF_TIPC", "SOCK_RDM", 0), ("AF_CAN", "SOCK_RAW", 1),
    ("AF_CAN", "SOCK_DGRAM", 6), ("AF_CAN", "SOCK_DGRAM", 7), ("AF_ALG", "SOCK_SEQPACKET", 0),
    ("AF_RDS", "SOCK_SEQPACKET", 0),
]
ADDRESSES: list[Any] = [
    None, 5, 1.5, b"\0abstract-name-that-is-not-bound", (), (1,), ("a",), (1, 2, 3, 4, 5, 6),
    ("127.0.0.1", 2**40), ("127.0.0.1", -1), ("::1", 0, 2**20), (1.5, 2), ("x", "y"), ("lo", 2**16),
    ("lo", 0, 2**31), ("hash", 5), ("hash", "sha256", 1.0), (2**40, 2**40), ("", 1.0, 2), (1, 2, 3, 4),
    ("hash" * 4, "x"), ("x", "y" * 70),
]
METHODS = ("bind", "connect", "connect_ex", "sendto")
#: the stdlib raises SystemError (its parser gets a non-tuple); sockcore a TypeError, listed in DIFFERENCES.md
SYSTEM_ERROR_CASES = {("AF_CAN", 6), ("AF_CAN", 7)}


def _outcome(module: Any, family: str, kind: str, proto: int, method: str, address: Any) -> tuple[Any, ...]:
    with std.socket(std.AF_INET, std.SOCK_DGRAM) as udp:
        sock = module.socket(getattr(module, family), getattr(module, kind), proto, fileno=os.dup(udp.fileno()))
        with sock:
            try:
                if method == "sendto":
                    sock.sendto(b"", address)
                else:
                    getattr(sock, method)(address)
            except OSError as exc:
                return type(exc).__name__, exc.errno if exc.errno is not None else str(exc)
            except Exception as exc:  # the outcome is what is compared
                return type(exc).__name__, str(exc)
    return ("returned",)


#: hosts that resolve from /etc/hosts or numerically to this machine: no other name ever reaches a resolver
SAFE_HOSTS = {"", "127.0.0.1", "::1", b"127.0.0.1", "0.0.0.0", "::"}
_RESOLVING = {"AF_INET", "AF_INET6", "AF_RDS"}


def _stays_local(family: str, address: Any) -> bool:
    """No DNS query and no datagram to another machine: a name host is never tried on the inet families."""
    if family not in _RESOLVING or not isinstance(address, tuple) or not address:
        return True
    host = address[0]
    return not isinstance(host, (str, bytes, bytearray)) or host in SAFE_HOSTS


def _check(family: str, kind: str, proto: int, method: str, address: Any) -> None:
    if not _stays_local(family, address):
        return
    if not hasattr(std, family):
        pytest.skip(f"this interpreter's socket module has no {family}")
    theirs = _outcome(std, family, kind, proto, method, address)
    ours = _outcome(sockcore, family, kind, proto, method, address)
    if theirs[0] == "SystemError" and (family, proto) in SYSTEM_ERROR_CASES:
        assert ours[0] == "TypeError"
        return
    assert ours == theirs


@pytest.mark.parametrize(("family", "kind", "proto"), FAMILIES, ids=lambda v: str(v))
@pytest.mark.parametrize("method", METHODS)
def test_bad_addresses(family: str, kind: str, proto: int, method: str) -> None:
    for address in ADDRESSES:
        _check(family, kind, proto, method, address)


_JUNK = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**66), 2**66) | st.floats(allow_nan=False) | st.text(max_size=5)
    | st.binary(max_size=5),
    lambda inner: st.lists(inner, max_size=5).map(tuple),
    max_leaves=6,
)


@settings(max_examples=150, deadline=None)
@given(family=st.sampled_from(FAMILIES), method=st.sampled_from(METHODS), address=_JUNK)
def test_random_addresses(family: tuple[str, str, int], method: str, address: Any) -> None:
    _check(*family, method, address)
