"""sockcore-xdp's own tests: run them where the plugin is installed (``pip install -e .``).

The plugin is registered at run time when it is importable but not installed
as an entry point, the way a program can add a family without packaging it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

sockcore_xdp = pytest.importorskip("sockcore_xdp", reason="sockcore-xdp is not installed (pip install -e examples/sockcore-xdp)")

from sockcore_xdp import hooks  # noqa: E402
from sockcore_xdp.codec import CODEC  # noqa: E402
from sockcore_xdp.records import XdpAddress  # noqa: E402

import sockcore  # noqa: E402
from sockcore import registry  # noqa: E402

ALLOWED = (TypeError, ValueError, OverflowError, OSError, UnicodeError)


@attrs.frozen
class FakeSocket:
    family: int = 44
    type: int = 3
    proto: int = 0

    def fileno(self) -> int:
        return -1


SOCK = FakeSocket()


@pytest.fixture(scope="module", autouse=True)
def plugin() -> Iterator[None]:
    if registry.tables().family_name(sockcore_xdp.AF_XDP) is not None:
        yield  # installed: the entry point loaded it
        return
    registry.register(hooks.plugin, "xdp", distribution="sockcore-xdp")
    try:
        yield
    finally:
        registry.unregister(name="xdp")


@given(st.integers(0, 2**32 - 1), st.integers(0, 0xFFFF), st.integers(0, 2**32 - 1))
def test_round_trip(queue_id: int, flags: int, shared: int) -> None:
    address = XdpAddress("lo", queue_id, flags, shared)
    assert CODEC.decode(CODEC.encode(address, SOCK), SOCK) == address


anything = st.recursive(
    st.none() | st.integers() | st.floats() | st.text(max_size=6) | st.binary(max_size=6),
    lambda inner: st.lists(inner, max_size=5).map(tuple),
    max_leaves=6,
)


@given(anything)
def test_bad_input_raises_only_documented_errors(address: object) -> None:
    with contextlib.suppress(*ALLOWED):
        CODEC.encode(address, SOCK)


def test_static_constants_equal_the_runtime_ones() -> None:
    for name, value in sockcore_xdp.CONSTANTS.items():
        assert getattr(sockcore, name) == value


@pytest.mark.skipif(os.geteuid() != 0, reason="AF_XDP sockets need CAP_NET_RAW")
def test_bind_on_lo_with_a_umem() -> None:
    try:
        sock = sockcore.socket(sockcore.AF_XDP, sockcore.SOCK_RAW, 0)
    except OSError as exc:
        pytest.skip(f"this kernel has no AF_XDP: {exc}")
    opts = sockcore.options
    with sock, sockcore.XdpUmem(16 * 4096) as umem:
        sock.setopt(opts.XDP_UMEM_REG, umem.reg(4096))
        for ring in (opts.XDP_UMEM_FILL_RING, opts.XDP_UMEM_COMPLETION_RING, opts.XDP_RX_RING):
            sock.setopt(ring, 64)
        sock.bind(("lo", 0, sockcore.XDP_COPY))
        assert sock.getopt(opts.XDP_STATISTICS)[:3] == (0, 0, 0)
        assert sock.getopt(opts.XDP_OPTIONS) == 0  # copy mode, not zero-copy
