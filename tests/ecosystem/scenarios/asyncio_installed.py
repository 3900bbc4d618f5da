"""asyncio with sockcore installed: streams, servers, sock_* calls, sendfile, datagrams, TLS streams."""

import asyncio
import os
import socket
import tempfile

import _common

server_ctx, client_ctx, _ca = _common.tls_contexts()


async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while data := await reader.read(65536):
        writer.write(data)
        await writer.drain()
    writer.close()


async def main() -> None:
    loop = asyncio.get_running_loop()
    # TCP streams, plain and TLS (asyncio's own TLS layer over sockcore sockets)
    for ssl_server, ssl_client in ((None, None), (server_ctx, client_ctx)):
        server = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=ssl_server)
        port = server.sockets[0].getsockname()[1]
        kw = {"server_hostname": "localhost"} if ssl_client else {}
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ssl_client, **kw)
        payload = os.urandom(300_000)
        writer.write(payload)
        await writer.drain()
        got = await reader.readexactly(len(payload))
        assert got == payload
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
    # Unix streams
    path = os.path.join(tempfile.mkdtemp(), "a.sock")
    server = await asyncio.start_unix_server(echo, path)
    reader, writer = await asyncio.open_unix_connection(path)
    writer.write(b"unix line\n")
    assert await reader.readline() == b"unix line\n"
    writer.close()
    await writer.wait_closed()
    server.close()
    await server.wait_closed()
    if os.path.exists(path):  # from 3.13 the server removes its socket file when it closes
        os.unlink(path)
    os.rmdir(os.path.dirname(path))
    # sock_* functions and sendfile on the loop
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.setblocking(False)
        client = socket.socket()
        client.setblocking(False)
        accept = asyncio.ensure_future(loop.sock_accept(listener))
        await loop.sock_connect(client, listener.getsockname())
        conn, _ = await accept
        with client, conn:
            await loop.sock_sendall(client, b"x" * 100_000)
            got = b""
            while len(got) < 100_000:
                got += await loop.sock_recv(conn, 65536)
            with tempfile.TemporaryFile() as f:
                f.write(b"file contents " * 1000)
                f.seek(0)
                sent = await loop.sock_sendfile(conn, f)
            assert sent == 14_000
            buf = bytearray(14_000)
            view, n = memoryview(buf), 0
            while n < 14_000:
                n += await loop.sock_recv_into(client, view[n:])
            assert bytes(buf) == b"file contents " * 1000
    # datagrams
    received: asyncio.Future[bytes] = loop.create_future()

    class Proto(asyncio.DatagramProtocol):
        def datagram_received(self, data: bytes, addr: object) -> None:
            received.set_result(data)

    transport, _ = await loop.create_datagram_endpoint(Proto, local_addr=("127.0.0.1", 0))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.sendto(b"dgram", transport.get_extra_info("sockname"))
        assert await asyncio.wait_for(received, 10) == b"dgram"
    transport.close()


asyncio.run(main())
_common.check_all_sockcore(8)
