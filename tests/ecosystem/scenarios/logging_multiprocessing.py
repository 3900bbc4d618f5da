"""logging.handlers (SocketHandler over TCP, DatagramHandler and SysLogHandler over UDP)
and multiprocessing.connection (Listener/Client over AF_INET and AF_UNIX, with authkey)."""

import logging
import logging.handlers
import multiprocessing.connection
import os
import pickle
import socket
import struct
import tempfile
import threading

import _common

log = logging.getLogger("sockcore-test")
log.propagate = False
log.setLevel(logging.INFO)


def unpickle_record(data: bytes) -> logging.LogRecord:
    return logging.makeLogRecord(pickle.loads(data))


# TCP: SocketHandler sends a 4-byte length and a pickled record dict
with socket.create_server(("127.0.0.1", 0)) as listener:
    handler = logging.handlers.SocketHandler("127.0.0.1", listener.getsockname()[1])
    log.addHandler(handler)
    log.info("over %s", "tcp")
    conn, _ = listener.accept()
    with conn, conn.makefile("rb") as f:
        (size,) = struct.unpack(">L", f.read(4))
        assert unpickle_record(f.read(size)).getMessage() == "over tcp"
    log.removeHandler(handler)
    handler.close()

# UDP: DatagramHandler (pickle per datagram) and SysLogHandler (RFC 3164 text)
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
    udp.bind(("127.0.0.1", 0))
    udp.settimeout(10)
    port = udp.getsockname()[1]
    handler = logging.handlers.DatagramHandler("127.0.0.1", port)
    log.addHandler(handler)
    log.warning("over udp")
    data, _ = udp.recvfrom(65536)
    assert unpickle_record(data[4:]).getMessage() == "over udp"
    log.removeHandler(handler)
    handler.close()
    syslog = logging.handlers.SysLogHandler(("127.0.0.1", port), facility=logging.handlers.SysLogHandler.LOG_USER)
    log.addHandler(syslog)
    log.error("to syslog")
    data, _ = udp.recvfrom(65536)
    assert data == b"<11>to syslog\x00", data  # facility user (1) * 8 + error (3)
    log.removeHandler(syslog)
    syslog.close()


def serve_one(listener: multiprocessing.connection.Listener) -> None:
    with listener.accept() as conn:
        request = conn.recv()
        conn.send({"echo": request, "pid": os.getpid()})
        conn.send_bytes(b"raw" * 1000)


for address in (("127.0.0.1", 0), os.path.join(tempfile.mkdtemp(), "mp.sock")):
    family = "AF_INET" if isinstance(address, tuple) else "AF_UNIX"
    with multiprocessing.connection.Listener(address, family, authkey=b"secret") as listener:
        t = threading.Thread(target=serve_one, args=(listener,))
        t.start()
        with multiprocessing.connection.Client(listener.address, family, authkey=b"secret") as client:
            client.send(["hello", 1, 2.5])
            assert client.recv() == {"echo": ["hello", 1, 2.5], "pid": os.getpid()}
            assert client.recv_bytes() == b"raw" * 1000
        t.join(10)
    if family == "AF_UNIX":
        os.rmdir(os.path.dirname(address))  # type: ignore[arg-type]
_common.check_all_sockcore(8)
