"""from_stdlib/to_stdlib, asyncio on sockcore sockets without install(), and install()/uninstall() in-process."""

from __future__ import annotations

import asyncio
import os
import socket as stdlib
import sys
from collections.abc import Callable
from typing import Any

import pytest

import sockcore

# -- the bridge -------------------------------------------------------------------------


@pytest.mark.parametrize("detach", [False, True])
def test_from_stdlib_and_back(detach: bool) -> None:
    a, b = stdlib.socketpair()
    with a, b:
        a.settimeout(3.5)
        ours = sockcore.socket.from_stdlib(a, detach=detach)
        with ours:
            assert isinstance(ours, sockcore.socket)
            assert (a.fileno() == -1) is detach
            assert ours.gettimeout() == 3.5 and ours.family == stdlib.AF_UNIX and ours.type == stdlib.SOCK_STREAM
            ours.sendall(b"from sockcore")
            assert b.recv(100) == b"from sockcore"
            back = ours.to_stdlib(detach=detach)
            with back:
                assert type(back) is stdlib.socket
                assert (ours.fileno() == -1) is detach
                assert back.gettimeout() == 3.5
                back.sendall(b"back again")
                assert b.recv(100) == b"back again"


def test_from_stdlib_rejects_non_sockets() -> None:
    with pytest.raises(TypeError):
        sockcore.socket.from_stdlib(object())


# -- asyncio accepts sockcore sockets directly (no install) ------------------------------


def _tcp() -> tuple[Any, Any]:
    listener = sockcore.socket(sockcore.AF_INET, sockcore.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    return listener, sockcore.socket(sockcore.AF_INET, sockcore.SOCK_STREAM)


def _tcp6() -> tuple[Any, Any]:
    listener = sockcore.socket(sockcore.AF_INET6, sockcore.SOCK_STREAM)
    listener.bind(("::1", 0))
    return listener, sockcore.socket(sockcore.AF_INET6, sockcore.SOCK_STREAM)


def _unix(tmp: str) -> tuple[Any, Any]:
    listener = sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_STREAM)
    listener.bind(os.path.join(tmp, "s"))
    return listener, sockcore.socket(sockcore.AF_UNIX, sockcore.SOCK_STREAM)


def _vsock(tmp: str) -> tuple[Any, Any]:
    listener = sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM)
    listener.bind((1, sockcore.VMADDR_PORT_ANY))
    return listener, sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM)


FAMILIES: list[Any] = [
    pytest.param(lambda tmp: _tcp(), id="inet"),
    pytest.param(lambda tmp: _tcp6(), id="inet6"),
    pytest.param(_unix, id="unix"),
    pytest.param(_vsock, id="vsock", marks=pytest.mark.kernel),
]


@pytest.mark.parametrize("make", FAMILIES)
def test_asyncio_sock_functions_and_streams(make: Callable[[str], tuple[Any, Any]], tmp_path: Any) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        listener, client = make(str(tmp_path))
        with listener, client:
            listener.listen()
            listener.setblocking(False)
            client.setblocking(False)
            accepting = asyncio.ensure_future(loop.sock_accept(listener))
            await loop.sock_connect(client, listener.getsockname())
            conn, _ = await accepting
            assert isinstance(conn, sockcore.socket)
            with conn:
                await loop.sock_sendall(client, b"ping" * 10_000)
                got = b""
                while len(got) < 40_000:
                    got += await loop.sock_recv(conn, 65536)
                assert got == b"ping" * 10_000
        # servers and connections built on sockcore sockets passed as sock=
        os.mkdir(tmp_path / "again")
        listener, client = make(str(tmp_path / "again"))
        listener.listen()

        async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.write(await reader.readline())
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(echo, sock=listener)
        client.connect(listener.getsockname())
        reader, writer = await asyncio.open_connection(sock=client)
        writer.write(b"line over sockcore\n")
        assert await reader.readline() == b"line over sockcore\n"
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()

    asyncio.run(main())


def test_asyncio_datagram_endpoint_with_sockcore_socket() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        got: asyncio.Future[tuple[bytes, Any]] = loop.create_future()

        class Proto(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: Any) -> None:
                got.set_result((data, addr))

        sock = sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        transport, _ = await loop.create_datagram_endpoint(Proto, sock=sock)
        with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as sender:
            sender.sendto(b"datagram", sock.getsockname())
            data, addr = await asyncio.wait_for(got, 10)
            assert data == b"datagram" and addr[1] == sender.getsockname()[1]
        transport.close()

    asyncio.run(main())


# -- install() / uninstall() in this process ------------------------------------------------


def test_install_and_uninstall_restore_everything() -> None:
    import ssl

    real = sys.modules["socket"]
    wrap = ssl.SSLContext.wrap_socket
    marker = sockcore._GLOBAL_DEFAULT_TIMEOUT
    import asyncio.base_events as base_events

    sockcore.install()
    try:
        assert sockcore.install.installed()
        import socket as now

        assert now is sockcore
        assert base_events.socket is sockcore  # already-imported modules are rebound
        assert ssl.socket is real.socket  # ssl keeps the C socket its SSLSocket subclasses
        assert ssl.SSLContext.wrap_socket is not wrap
        assert sockcore._GLOBAL_DEFAULT_TIMEOUT is real._GLOBAL_DEFAULT_TIMEOUT
        sockcore.install()  # idempotent
    finally:
        sockcore.uninstall()
    assert not sockcore.install.installed()
    assert sys.modules["socket"] is real and base_events.socket is real
    assert ssl.SSLContext.wrap_socket is wrap
    assert sockcore._GLOBAL_DEFAULT_TIMEOUT is marker
    sockcore.uninstall()  # a second uninstall does nothing


def test_wrap_socket_routes_by_socket_type(client_ctx: Any) -> None:
    import ssl

    from sockcore.tls import TLSSocket

    sockcore.install()
    try:
        a, b = sockcore.socketpair()
        with b, pytest.raises(TimeoutError):  # no server: the handshake times out, in sockcore.tls
            a.settimeout(0.05)
            client_ctx.wrap_socket(a, server_hostname="localhost")
        a.close()
        sa, sb = stdlib.socketpair()
        with sa, sb:
            sa.settimeout(0.05)
            with pytest.raises(TimeoutError):  # a stdlib socket's descriptor is taken over by sockcore.tls too
                client_ctx.wrap_socket(sa, server_hostname="localhost")
            assert sa.fileno() == -1 and ssl.SSLSocket is TLSSocket
    finally:
        sockcore.uninstall()
    assert ssl.SSLSocket is not TLSSocket and ssl.SSLContext.sslsocket_class is ssl.SSLSocket
