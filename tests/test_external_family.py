"""A family from outside the tree: install examples/sockcore-xdp into a fresh venv.

The venv gets only the core, the example and their two dependencies.  A
script that never imports ``sockcore_xdp`` then checks that ``sockcore`` has
gained AF_XDP: its constants, its codec (round trip), its options, and, where
this kernel has AF_XDP, a socket that binds through the typed options.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sockcore-xdp"

CHECK = textwrap.dedent(
    """
    import json, sys
    import sockcore
    from sockcore import registry

    out = {"leaked_import": None}
    t = registry.tables()
    out["plugins"] = sorted(p.distribution for p in t.plugins)
    out["AF_XDP"] = int(sockcore.AF_XDP)
    out["family"] = t.family_name(sockcore.AF_XDP)

    class Info:
        family, type, proto = sockcore.AF_XDP, sockcore.SOCK_RAW, 0
        def fileno(self):
            return -1

    codec = t.codec_for(sockcore.AF_XDP, 0)
    body = codec.encode(("lo", 0, sockcore.XDP_COPY), Info())
    out["round_trip"] = list(codec.decode(body, Info()))
    try:
        codec.encode(("lo", -1), Info())
    except OverflowError:
        out["bad_queue"] = "OverflowError"
    out["options"] = sorted(n for n in t.sockopts if n.startswith("XDP_"))

    try:
        sock = sockcore.socket(sockcore.AF_XDP, sockcore.SOCK_RAW, 0)
    except OSError as exc:
        out["socket"] = f"unsupported: {exc}"
    else:
        with sock, sockcore.XdpUmem(16 * 4096) as umem:
            opts = sockcore.options
            sock.setopt(opts.XDP_UMEM_REG, umem.reg(4096))
            for ring in ("XDP_UMEM_FILL_RING", "XDP_UMEM_COMPLETION_RING", "XDP_RX_RING"):
                sock.setopt(getattr(opts, ring), 64)
            sock.bind(("lo", 0, sockcore.XDP_COPY))
            out["socket"] = "bound"
            out["statistics"] = list(sock.getopt(opts.XDP_STATISTICS))
            try:
                out["getsockname"] = list(sock.getsockname())
            except OSError as exc:
                out["getsockname"] = exc.errno
    out["leaked_import"] = sorted(m for m in sys.modules if m.startswith("sockcore_") and m != "sockcore_xdp" and not m.startswith("sockcore_xdp."))
    print(json.dumps(out))
    """
)


def _run(*cmd: str | Path, cwd: Path | None = None) -> str:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=240, cwd=cwd, check=False)
    assert proc.returncode == 0, f"{cmd}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.mark.slow
def test_example_family_installs_into_a_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    pip = (python, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q")
    # from PyPI: the core's two dependencies, and a setuptools new enough to build both
    _run(*pip, "install", "pluggy>=1.3", "attrs>=23.1", "setuptools>=68")
    _run(*pip, "install", "--no-deps", "--no-build-isolation", "-e", ROOT, "-e", EXAMPLE)

    out = json.loads(_run(python, "-I", "-c", CHECK, cwd=tmp_path))

    assert out["plugins"] == ["sockcore", "sockcore-xdp"]
    assert out["AF_XDP"] == 44 and out["family"] == "AF_XDP"
    assert out["round_trip"] == ["lo", 0, 2, 0]
    assert out["bad_queue"] == "OverflowError"
    assert {"XDP_UMEM_REG", "XDP_RX_RING", "XDP_STATISTICS"} <= set(out["options"])
    assert out["leaked_import"] == []
    if out["socket"].startswith("unsupported"):
        pytest.skip(f"this kernel has no AF_XDP ({out['socket']}); the codec and names were checked")
    assert out["socket"] == "bound"
    assert out["statistics"][:3] == [0, 0, 0]
    if os.uname().sysname == "Linux":
        # Linux's AF_XDP has no getname (sock_no_getname): a bound socket cannot
        # report its address, with the stdlib or with sockcore.
        assert out["getsockname"] == errno.EOPNOTSUPP
