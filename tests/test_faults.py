"""Faults the kernel reports, same outcome as the stdlib: EMFILE in every call that makes a descriptor.

Each case runs in a child process whose descriptor limit is the number it
has open plus a margin, so the call under test is the one that runs out.
The child prints the outcome (exception type and errno, or the type of what
came back) and the descriptors it has left open, for the stdlib and for
sockcore; both must match: the same error, and no half-made pair left open.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

CHILD = textwrap.dedent(
    """
    import json, os, resource, sys
    import socket as std
    import sockcore
    mod = std if sys.argv[1] == "stdlib" else sockcore
    case, spare = sys.argv[2], int(sys.argv[3])
    listener = std.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = std.create_connection(listener.getsockname())  # a connection waiting to be accepted
    server = mod.socket(fileno=os.dup(listener.fileno())) if case == "accept" else None
    base = mod.socket(std.AF_UNIX, std.SOCK_STREAM)
    calls = {
        "socket": lambda: mod.socket(std.AF_INET, std.SOCK_STREAM),
        "socketpair": lambda: mod.socketpair(),
        "dup": lambda: base.dup(),
        "fromfd": lambda: mod.fromfd(base.fileno(), std.AF_UNIX, std.SOCK_STREAM),
        "module dup": lambda: mod.dup(base.fileno()),
        "accept": lambda: server.accept(),
        "create_connection": lambda: mod.create_connection(listener.getsockname()),
    }
    def open_fds():  # without the listing's own descriptor
        return sorted(fd for fd in (int(n) for n in os.listdir("/proc/self/fd")) if os.path.exists(f"/proc/self/fd/{fd}"))
    before = open_fds()
    # fill the holes, so the limit leaves exactly `spare` numbers free
    filler = [os.open(os.devnull, os.O_RDONLY) for n in range(max(before)) if n not in before]
    before = open_fds()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(before) + 1 + spare, hard))
    try:
        made = calls[case]()
        result = ["returned", type(made).__name__]
    except OSError as exc:
        result = [type(exc).__name__, exc.errno]
        made = None
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    after = open_fds()
    # what the call left open beyond what it returned (the listing's own descriptor aside)
    kept = []
    for item in (made if isinstance(made, tuple) else (made,)):
        if hasattr(item, "fileno"):
            kept.append(item.fileno())
        elif isinstance(item, int):
            kept.append(item)
    leaked = [fd for fd in after if fd not in before and fd not in kept and os.path.exists(f"/proc/self/fd/{fd}")]
    print(json.dumps({"result": result, "leaked": leaked}))
    """
)

CASES = ["socket", "socketpair", "dup", "fromfd", "module dup", "accept", "create_connection"]


def _run(module: str, case: str, spare: int) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, module, case, str(spare)], capture_output=True, text=True, timeout=60, env=os.environ
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


@pytest.mark.parametrize("spare", [0, 1, 2], ids=["none left", "one left", "two left"])
@pytest.mark.parametrize("case", CASES)
def test_emfile_as_the_stdlib(case: str, spare: int) -> None:
    """With no descriptor left, and with one (a pair then gets one end only): the stdlib's outcome, no leak."""
    expected = _run("stdlib", case, spare)
    got = _run("sockcore", case, spare)
    assert got == expected
    assert got["leaked"] == []
