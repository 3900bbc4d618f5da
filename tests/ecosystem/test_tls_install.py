"""install(): sockcore's TLS sockets are ssl.SSLSocket, names copied from socket follow, any subset of plugins works.

Each test runs a script in a fresh interpreter: install() changes the whole
process, and what it must fix is what was imported before it.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest


def run(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONWARNINGS="error::ResourceWarning", **env), check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


CONTEXTS = """
    import ssl, trustme
    ca = trustme.CA()
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("localhost").configure_cert(server_ctx)
    client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ca.configure_trust(client_ctx)
"""


def test_tls_sockets_are_ssl_sslsockets_while_installed() -> None:
    pytest.importorskip("trustme")
    run(CONTEXTS + """
    import socket as stdlib, ftplib, threading
    import sockcore
    from sockcore.tls import TLSSocket, wrap_socket
    original = ssl.SSLSocket
    a, b = stdlib.socketpair()
    before = client_ctx.wrap_socket(a, server_hostname="localhost", do_handshake_on_connect=False)
    x, y = sockcore.socketpair()
    plain = wrap_socket(client_ctx, x, server_hostname="localhost", do_handshake_on_connect=False)
    assert not isinstance(plain, ssl.SSLSocket)  # not installed: sockcore.tls keeps its own class

    sockcore.install()
    import socket
    assert ssl.SSLSocket is TLSSocket and ssl.SSLContext.sslsocket_class is TLSSocket
    assert issubclass(ssl.SSLSocket, socket.socket)
    assert isinstance(plain, ssl.SSLSocket) and isinstance(before, ssl.SSLSocket)  # made before install()
    assert ftplib._SSLSocket is TLSSocket  # bound by ftplib when it was imported
    p, q = socket.socketpair()
    server = []
    t = threading.Thread(target=lambda: server.append(server_ctx.wrap_socket(q, server_side=True)))
    t.start()
    c = client_ctx.wrap_socket(p, server_hostname="localhost")
    t.join()
    assert type(c) is TLSSocket and type(server[0]) is TLSSocket and c.version()
    m, n = stdlib.socketpair()  # a stdlib socket made before install(): sockcore.tls takes its descriptor
    late = client_ctx.wrap_socket(m, server_hostname="localhost", do_handshake_on_connect=False)
    assert type(late) is TLSSocket and m.fileno() == -1

    sockcore.uninstall()
    assert ssl.SSLSocket is original and ssl.SSLContext.sslsocket_class is original
    assert ftplib._SSLSocket is original
    assert not isinstance(c, ssl.SSLSocket) and isinstance(before, ssl.SSLSocket)
    again = client_ctx.wrap_socket(stdlib.socket(), server_hostname="localhost")
    assert type(again) is original
    for s in (before, b, plain, y, c, server[0], late, n, again):
        s.close()
    print("ok")
    """)


def stdlib_modules_importing_from_socket() -> dict[str, set[str]]:
    """{module: names} for every stdlib module that runs ``from socket import ...`` (ssl aside)."""
    root = Path(sysconfig.get_paths()["stdlib"])
    found: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[0] in ("test", "idlelib", "lib2to3", "site-packages", "ssl", "socket") or "tests" in parts:
            continue
        text = path.read_text(errors="replace")
        if "from socket import" not in text:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module == "socket" and node.level == 0:
                name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
                found.setdefault(name, set()).update(alias.asname or alias.name for alias in node.names)
    return found


def test_names_copied_from_socket_before_install_follow_it(tmp_path: Path) -> None:
    modules = stdlib_modules_importing_from_socket()
    assert "ftplib" in modules  # 3.11-3.13 also nntplib (until 3.13); the test follows this interpreter
    early = ["socket", "create_connection", "getaddrinfo", "socketpair", "AF_UNIX", "_GLOBAL_DEFAULT_TIMEOUT"]
    (tmp_path / "early.py").write_text(f"from socket import {', '.join(early)}\n")
    names = {**{module: sorted(found) for module, found in modules.items()}, "early": early}
    out = run(f"""
    import sys, warnings, importlib
    sys.path.insert(0, {str(tmp_path)!r})
    warnings.simplefilter("ignore", DeprecationWarning)
    names = {names!r}
    for module in names:
        importlib.import_module(module)
    before = {{(m, n): getattr(sys.modules[m], n) for m, found in names.items() for n in found}}
    import sockcore
    sockcore.install()
    import socket
    for (module, name), value in before.items():
        now = getattr(sys.modules[module], name)
        expected = getattr(sockcore, name)
        assert now is expected or (isinstance(now, int) and now == expected), (module, name, now, expected)
    early = sys.modules["early"]
    a, b = early.socketpair(early.AF_UNIX)  # sockcore's function, making sockcore sockets
    assert type(a) is sockcore.socket and early.socket is sockcore.socket
    a.close(); b.close()
    sockcore.uninstall()
    for (module, name), value in before.items():
        assert getattr(sys.modules[module], name) is value, (module, name)
    print(len(before), sorted({{m for m, _ in before}}))
    """)
    count = int(out.split()[0])
    assert count == sum(map(len, names.values())), out


def test_install_with_only_the_unix_plugin() -> None:
    pytest.importorskip("trustme")
    out = run(CONTEXTS + """
    import threading
    import sockcore
    sockcore.install()
    import socket
    a, b = socket.socketpair(socket.AF_UNIX)
    server = []
    t = threading.Thread(target=lambda: server.append(server_ctx.wrap_socket(b, server_side=True)))
    t.start()
    with client_ctx.wrap_socket(a, server_hostname="localhost") as c:
        t.join()
        with server[0] as s:
            c.sendall(b"over unix")
            assert s.recv(100) == b"over unix"
    try:
        socket.AF_INET
    except AttributeError as exc:
        assert "provided by sockcore-inet, which is not installed" in str(exc), exc
    else:
        raise AssertionError("AF_INET without sockcore-inet")
    for name in ("getaddrinfo", "create_connection"):  # functions name their plugin too
        try:
            getattr(socket, name)
        except AttributeError as exc:
            assert "provided by sockcore-inet, which is not installed" in str(exc), exc
        else:
            raise AssertionError(name)
    sockcore.uninstall()
    print("ok")
    """, SOCKCORE_PLUGINS="unix")
    assert out.endswith("ok\n"), out
