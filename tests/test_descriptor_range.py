"""Descriptor numbers beyond a C int: the stdlib truncates them to another descriptor; sockcore refuses.

CPython converts ``socket(fileno=n)`` through a C long and stores it in an
int, so ``2**32 + fd`` adopts descriptor ``fd``: a socket object over a
descriptor the caller never named.  sockcore raises ValueError instead
(listed in docs/DIFFERENCES.md).
"""

from __future__ import annotations

import socket as std
import struct

import pytest

import sockcore


@pytest.mark.skipif(struct.calcsize("l") == struct.calcsize("i"), reason="C long is C int on this ABI: the stdlib raises OverflowError, nothing is truncated")
def test_stdlib_truncates_to_another_descriptor() -> None:
    with std.socket(std.AF_INET, std.SOCK_DGRAM) as real:
        adopted = std.socket(fileno=real.fileno() + 2**32)
        try:
            assert adopted.fileno() == real.fileno()
        finally:
            adopted.detach()


@pytest.mark.parametrize("offset", [2**32, 2**31, -(2**32)])
def test_sockcore_refuses(offset: int) -> None:
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as real:
        with pytest.raises((ValueError, OverflowError)):
            sockcore.socket(fileno=real.fileno() + offset)
        assert real.fileno() >= 0  # untouched
