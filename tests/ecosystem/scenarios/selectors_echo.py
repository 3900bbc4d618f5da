"""selectors: a non-blocking echo server multiplexed with DefaultSelector."""

import selectors
import socket
import threading

import _common

sel = selectors.DefaultSelector()
listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen()
listener.setblocking(False)
sel.register(listener, selectors.EVENT_READ, "accept")
done = threading.Event()


def loop() -> None:
    while not done.is_set():
        for key, _ in sel.select(0.1):
            if key.data == "accept":
                conn, _addr = key.fileobj.accept()
                conn.setblocking(False)
                sel.register(conn, selectors.EVENT_READ, "echo")
            else:
                data = key.fileobj.recv(4096)
                if data:
                    key.fileobj.sendall(data.upper())
                else:
                    sel.unregister(key.fileobj)
                    key.fileobj.close()


t = threading.Thread(target=loop)
t.start()
for i in range(3):
    with socket.create_connection(listener.getsockname(), timeout=10) as c:
        c.sendall(b"hello %d" % i)
        assert c.recv(100) == b"HELLO %d" % i
done.set()
t.join()
# the loop may stop before it reads the last connection's end: close what it still holds
# (the stdlib's socket warns of an unclosed one just the same)
for key in list(sel.get_map().values()):
    key.fileobj.close()
sel.close()
listener.close()
_common.check_all_sockcore(4)
