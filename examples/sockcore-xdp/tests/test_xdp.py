"""sockcore-xdp's own tests: the kit's contract checks, then AF_XDP on this kernel."""

from __future__ import annotations

from pathlib import Path

import pytest
import sockcore
from sockcore.testing import CODEC_ERRORS, check_codec, check_plugin, plugin_fixture

import sockcore_xdp
from sockcore_xdp import hooks
from sockcore_xdp.codec import CODEC
from sockcore_xdp.records import XdpAddress

SPEC = Path(__file__).resolve().parent.parent / "constants.toml"

# registers the plugin for this module when it is importable but not installed
registered = plugin_fixture(hooks.plugin, "xdp", "sockcore-xdp")


def test_codec_contract() -> None:
    # OSError: an interface name this machine lacks (if_nametoindex)
    addresses = [XdpAddress("lo", 0), XdpAddress("lo", 2**32 - 1, 0xFFFF, 2**32 - 1)]
    check_codec(CODEC, addresses, errors=(*CODEC_ERRORS, OSError))


def test_plugin_contract() -> None:
    check_plugin(
        hooks.plugin,
        distribution="sockcore-xdp",
        static_modules=["sockcore_xdp"],
        spec=SPEC if SPEC.is_file() else None,
        table=sockcore_xdp._constants,
    )


@pytest.mark.root
@pytest.mark.family(sockcore_xdp.AF_XDP, sockcore.SOCK_RAW)
def test_bind_on_lo_with_a_umem() -> None:
    opts = sockcore.options
    with sockcore.socket(sockcore.AF_XDP, sockcore.SOCK_RAW, 0) as sock, sockcore.XdpUmem(16 * 4096) as umem:
        sock.setopt(opts.XDP_UMEM_REG, umem.reg(4096))
        for ring in (opts.XDP_UMEM_FILL_RING, opts.XDP_UMEM_COMPLETION_RING, opts.XDP_RX_RING):
            sock.setopt(ring, 64)
        sock.bind(("lo", 0, sockcore.XDP_COPY))
        assert sock.getopt(opts.XDP_STATISTICS)[:3] == (0, 0, 0)
        assert sock.getopt(opts.XDP_OPTIONS) == 0  # copy mode, not zero-copy
