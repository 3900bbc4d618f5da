"""AF_QIPCRTR on a real kernel (the kernel lane): bind and getsockname, checked by the stdlib."""

from __future__ import annotations

import os
import socket as stdlib

import pytest
from sockcore_qipcrtr import AF_QIPCRTR, QrtrAddress

import sockcore

pytestmark = pytest.mark.kernel


def test_bind_and_getsockname_agree_with_the_stdlib() -> None:
    with sockcore.socket(AF_QIPCRTR, sockcore.SOCK_DGRAM) as sock:
        node, _ = sock.getsockname()
        sock.bind((node, 0))
        name = sock.getsockname()
        assert isinstance(name, QrtrAddress)
        assert name.node == node and name.port > 0
        with stdlib.socket(fileno=os.dup(sock.fileno())) as view:
            assert view.family == AF_QIPCRTR
            assert view.getsockname() == name


def test_bind_to_a_chosen_port() -> None:
    with sockcore.socket(AF_QIPCRTR, sockcore.SOCK_DGRAM) as sock:
        node, _ = sock.getsockname()
        sock.bind((node, 4242))
        assert sock.getsockname() == (node, 4242)
