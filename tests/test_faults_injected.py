"""ENOBUFS and ENOMEM from the C library, injected: the same outcome as the stdlib, nothing left open.

The kernel rarely runs out of buffers or memory on demand, so a small shim
(compiled here with the system's C compiler and loaded with LD_PRELOAD) makes
one libc function fail with the errno the test names.  The stdlib's C module
and sockcore (ctypes on the interpreter's own libc, whose symbols the
preloaded shim comes before) both call it.  ``read``/``write``/``recv*`` and
``send*`` fail only on sockets, so the interpreter can still read its files.

Each case runs in a child process, for the stdlib and for sockcore: the
exception (type, errno, message) or the value, and the descriptors left open,
must be the same.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int fault(const char *name, int fd) {
    const char *which = getenv("FAULT_CALL");
    if (which == NULL || strcmp(which, name) != 0) return 0;
    if (fd >= 0) {  /* only on sockets: the interpreter reads its own files too */
        struct stat st;
        if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return 0;
    }
    errno = atoi(getenv("FAULT_ERRNO"));
    return 1;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

int socket(int d, int t, int p) { return fault("socket", -1) ? -1 : REAL(socket)(d, t, p); }
int socketpair(int d, int t, int p, int sv[2]) { return fault("socketpair", -1) ? -1 : REAL(socketpair)(d, t, p, sv); }
int accept4(int fd, struct sockaddr *a, socklen_t *l, int f) { return fault("accept", fd) ? -1 : REAL(accept4)(fd, a, l, f); }
int accept(int fd, struct sockaddr *a, socklen_t *l) { return fault("accept", fd) ? -1 : REAL(accept)(fd, a, l); }
int connect(int fd, const struct sockaddr *a, socklen_t l) { return fault("connect", fd) ? -1 : REAL(connect)(fd, a, l); }
int bind(int fd, const struct sockaddr *a, socklen_t l) { return fault("bind", fd) ? -1 : REAL(bind)(fd, a, l); }
int setsockopt(int fd, int lv, int n, const void *v, socklen_t l) { return fault("setsockopt", fd) ? -1 : REAL(setsockopt)(fd, lv, n, v, l); }
int getsockopt(int fd, int lv, int n, void *v, socklen_t *l) { return fault("getsockopt", fd) ? -1 : REAL(getsockopt)(fd, lv, n, v, l); }
ssize_t send(int fd, const void *b, size_t n, int f) { return fault("send", fd) ? -1 : REAL(send)(fd, b, n, f); }
ssize_t sendto(int fd, const void *b, size_t n, int f, const struct sockaddr *a, socklen_t l) { return fault("send", fd) ? -1 : REAL(sendto)(fd, b, n, f, a, l); }
ssize_t sendmsg(int fd, const struct msghdr *m, int f) { return fault("send", fd) || fault("sendmsg", fd) ? -1 : REAL(sendmsg)(fd, m, f); }
ssize_t write(int fd, const void *b, size_t n) { return fault("send", fd) ? -1 : REAL(write)(fd, b, n); }
ssize_t writev(int fd, const struct iovec *v, int n) { return fault("send", fd) ? -1 : REAL(writev)(fd, v, n); }
ssize_t recv(int fd, void *b, size_t n, int f) { return fault("recv", fd) ? -1 : REAL(recv)(fd, b, n, f); }
ssize_t recvfrom(int fd, void *b, size_t n, int f, struct sockaddr *a, socklen_t *l) { return fault("recv", fd) ? -1 : REAL(recvfrom)(fd, b, n, f, a, l); }
ssize_t recvmsg(int fd, struct msghdr *m, int f) { return fault("recv", fd) || fault("recvmsg", fd) ? -1 : REAL(recvmsg)(fd, m, f); }
ssize_t read(int fd, void *b, size_t n) { return fault("recv", fd) ? -1 : REAL(read)(fd, b, n); }
ssize_t readv(int fd, const struct iovec *v, int n) { return fault("recv", fd) ? -1 : REAL(readv)(fd, v, n); }
"""

CHILD = textwrap.dedent(
    """
    import json, os, sys
    import socket as std
    import sockcore
    mod = std if sys.argv[1] == "stdlib" else sockcore
    case = sys.argv[2]
    a, b = mod.socketpair(std.AF_UNIX, std.SOCK_STREAM)
    d1, d2 = mod.socketpair(std.AF_UNIX, std.SOCK_DGRAM)
    listener = mod.socket(std.AF_INET, std.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    pending = std.create_connection(listener.getsockname())  # waits to be accepted
    b.sendall(b"queued"); d2.send(b"queued")
    calls = {
        "socket": lambda: mod.socket(std.AF_INET, std.SOCK_STREAM),
        "socketpair": lambda: mod.socketpair(),
        "accept": lambda: listener.accept(),
        "connect": lambda: mod.create_connection(listener.getsockname()),
        "bind": lambda: mod.socket(std.AF_INET, std.SOCK_DGRAM).bind(("127.0.0.1", 0)),
        "setsockopt": lambda: a.setsockopt(std.SOL_SOCKET, std.SO_RCVBUF, 65536),
        "getsockopt": lambda: a.getsockopt(std.SOL_SOCKET, std.SO_RCVBUF),
        "send": lambda: a.send(b"x"),
        "sendall": lambda: a.sendall(b"x" * 100),
        "sendto": lambda: d1.sendto(b"x", d2.getsockname()) if d2.getsockname() else d1.send(b"x"),
        "sendmsg": lambda: a.sendmsg([b"x"]),
        "recv": lambda: a.recv(10),
        "recv_into": lambda: a.recv_into(bytearray(10)),
        "recvfrom": lambda: d1.recvfrom(10),
        "recvmsg": lambda: a.recvmsg(10),
    }
    call = calls[case]
    def open_fds():
        return sorted(fd for fd in (int(n) for n in os.listdir("/proc/self/fd")) if os.path.exists(f"/proc/self/fd/{fd}"))
    before = open_fds()
    os.environ["FAULT_CALL"] = sys.argv[3]  # read by the shim from here on
    try:
        result = ["returned", repr(call())]
    except OSError as exc:
        result = [type(exc).__name__, exc.errno, str(exc)]
    finally:
        del os.environ["FAULT_CALL"]
    result.append(len(open_fds()) - len(before))
    print(json.dumps(result))
    """
)

# (the case, the shim's name for the libc calls it makes fail)
CASES = [
    ("socket", "socket"), ("socketpair", "socketpair"), ("accept", "accept"), ("connect", "connect"),
    ("bind", "bind"), ("setsockopt", "setsockopt"), ("getsockopt", "getsockopt"),
    ("send", "send"), ("sendall", "send"), ("sendto", "send"), ("sendmsg", "send"),
    ("recv", "recv"), ("recv_into", "recv"), ("recvfrom", "recv"), ("recvmsg", "recv"),
]


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None or not sys.platform.startswith("linux"):
        pytest.skip("needs a C compiler on Linux to build the fault shim")
    out = tmp_path_factory.mktemp("shim")
    (out / "shim.c").write_text(SHIM)
    build = subprocess.run(
        [compiler, "-shared", "-fPIC", "-O1", "-o", str(out / "shim.so"), str(out / "shim.c"), "-ldl"],
        capture_output=True, text=True, check=False,
    )
    if build.returncode != 0:
        pytest.skip(f"the fault shim does not build here: {build.stderr.strip()[:200]}")
    return out / "shim.so"


def run(module: str, case: str, call: str, fault: int, shim: Path) -> list[object]:
    env = dict(os.environ, LD_PRELOAD=str(shim), FAULT_ERRNO=str(fault))
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, module, case, call], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("fault", [errno.ENOBUFS, errno.ENOMEM], ids=["ENOBUFS", "ENOMEM"])
@pytest.mark.parametrize(("case", "call"), CASES, ids=[case for case, _ in CASES])
def test_injected_fault_as_the_stdlib(case: str, call: str, fault: int, shim: Path) -> None:
    theirs = run("stdlib", case, call, fault, shim)
    ours = run("sockcore", case, call, fault, shim)
    assert ours == theirs
    assert theirs[0] == "OSError" and theirs[1] == fault, theirs  # the fault was met
    assert theirs[-1] == 0, theirs  # nothing left open by the failed call
