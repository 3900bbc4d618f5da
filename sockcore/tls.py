"""TLS over any connected stream socket, with ``ssl.MemoryBIO`` and OpenSSL's TLS object.

``ssl.SSLSocket`` only wraps the C socket object.  :func:`wrap_socket` wraps a
sockcore socket of any stream family (TCP, Unix-domain, vsock ...) and returns a
:class:`TLSSocket`: a sockcore socket subclass with ``ssl.SSLSocket``'s API and
behaviour — ``send``/``recv``/``recv_into``/``sendall``/``makefile``/
``sendfile``/``shutdown``/``close``/``unwrap``, ``do_handshake``,
``getpeercert``, ``cipher``, ``version``, ``selected_alpn_protocol`` ... —
the same exceptions (certificate and hostname errors come from OpenSSL
itself), and the same timeout rules:

* blocking: every call waits as long as it takes;
* timeout: one deadline per call, ``TimeoutError("The read operation timed
  out")`` (or write, handshake) when it passes;
* non-blocking: ``ssl.SSLWantReadError`` / ``ssl.SSLWantWriteError``; as with
  OpenSSL, retry a write that raised SSLWantWriteError with the same data.

How: OpenSSL reads ciphertext from one MemoryBIO and writes ciphertext to
another; this module moves bytes between those BIOs and the descriptor with
``os.read``/``os.write`` and waits with the core's timeout engine.  Two rules
keep it indistinguishable from OpenSSL on a socket:

* it never holds a complete record the caller has not been given: it reads
  the TLS record OpenSSL is working on (header, then body), as OpenSSL does
  without read-ahead, or, for ``recv_into()`` with nothing buffered, as much
  ciphertext as the buffer can take as plaintext, and decrypts every record
  that read completes.  What the peer sent next stays in the kernel, so
  ``select``/``poll`` on the descriptor say whether there is more;
* a call that returns has handed every byte of its ciphertext to the kernel
  (a non-blocking write that could not, raises SSLWantWriteError and is
  retried), so nothing written is lost by ``close()``, ``shutdown()`` or
  ``unwrap()``.

Errors are OpenSSL's own; a reset or broken pipe is what ``ssl.SSLSocket``
makes of it (the OSError during the handshake, and after it too from
Python 3.13 on; before 3.13 ``SSLEOFError`` or a ragged ``b""`` after it),
unless the peer sent an alert or clear text first: then OpenSSL's
``SSLError`` for that.

``sockcore.install()`` makes this class ``ssl.SSLSocket`` (and every
``SSLContext``'s ``sslsocket_class``) for the process.
"""

from __future__ import annotations

import _thread
import contextlib
import errno
import os
import select
import ssl
import sys
from typing import TYPE_CHECKING, Any, TypeVar

from . import timeouts as _timeouts
from ._constants import CONSTANTS as _C
from ._socket import socket
from ._syscalls import libc as _syscalls
from .libc import raise_errno

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["TLSSocket", "wrap_socket"]

T = TypeVar("T")

_SOL_SOCKET = _C["SOL_SOCKET"]
_SO_TYPE = _C["SO_TYPE"]
_SOCK_STREAM = _C["SOCK_STREAM"]
_MSG_DONTWAIT = _C["MSG_DONTWAIT"]
#: ciphertext read per syscall once the peer has shown it does not speak TLS
_RECV_CHUNK = 256 * 1024
#: plaintext encrypted per step of sendall: bounds the ciphertext held in memory
_SEND_CHUNK = 256 * 1024
_TLS_HEADER = 5
#: record content types (change_cipher_spec .. heartbeat) and the largest record body (RFC 8446 5.2)
_RECORD_TYPES = frozenset(range(20, 25))
_MAX_RECORD = 2**14 + 2048
_NOT_TLS = -1
_SSLWantReadError = ssl.SSLWantReadError
_SSLError = ssl.SSLError
_SSL_ERROR_EOF = ssl.SSL_ERROR_EOF
_WANT = (ssl.SSL_ERROR_WANT_READ, ssl.SSL_ERROR_WANT_WRITE)
#: how ssl.SSLSocket reports ECONNRESET/EPIPE after the handshake: as an EOF
#: (SSLEOFError, b"" for ragged EOFs) up to 3.12, as the OSError from 3.13 on
_RESET_IS_EOF = sys.version_info < (3, 13)
_read = os.read
_write = os.write


def _send_now(fd: int, data: Any) -> int:
    """write(2) that never waits, whatever the descriptor's mode (MSG_DONTWAIT): BlockingIOError when full."""
    n = _syscalls.sendto(fd, bytes(data), _MSG_DONTWAIT, None)
    if n < 0:
        raise_errno(-n)
    return n
_len = len


def wrap_socket(
    context: ssl.SSLContext,
    sock: Any,
    server_side: bool = False,
    do_handshake_on_connect: bool = True,
    suppress_ragged_eofs: bool = True,
    server_hostname: str | bytes | None = None,
    session: ssl.SSLSession | None = None,
) -> TLSSocket:
    """Wrap ``sock`` (a sockcore stream socket of any family) like ``context.wrap_socket``.

    The new object takes over the descriptor; ``sock`` is detached (as the
    stdlib does).  With ``do_handshake_on_connect`` a connected socket
    handshakes now.
    """
    return TLSSocket._create(
        sock, server_side=server_side, do_handshake_on_connect=do_handshake_on_connect,
        suppress_ragged_eofs=suppress_ragged_eofs, server_hostname=server_hostname, context=context,
        session=session,
    )


def _readable(fd: int) -> bool:
    """Data (or EOF, or an error) is waiting on ``fd`` now."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


def _nbytes(buffer: Any) -> int:
    with memoryview(buffer) as view:  # bytes, not items; and never the object's own __len__
        return view.nbytes


def _timed_out(what: str) -> TimeoutError:
    return TimeoutError(f"The {what} operation timed out")


#: while sockcore is installed: the stdlib's own SSLSocket class, whose instances
#: (made before install()) still pass ``isinstance(x, ssl.SSLSocket)``
_also_instances: tuple[type, ...] = ()


class _SSLSocketType(type):
    """TLSSocket's metaclass: stands in for ``ssl.SSLSocket`` in isinstance() while installed."""

    def __instancecheck__(cls, instance: Any) -> bool:
        if type.__instancecheck__(cls, instance):
            return True
        return bool(_also_instances) and cls is TLSSocket and isinstance(instance, _also_instances)


class TLSSocket(socket, metaclass=_SSLSocketType):
    """A sockcore socket with a TLS layer: ``ssl.SSLSocket``'s API on any stream family."""

    __slots__ = (
        "_connected", "_context", "_eof", "_head", "_incoming", "_openssl", "_outgoing", "_pending", "_plain_ahead",
        "_record_left", "_record_size", "_sending", "_session", "_settled", "_sslobj", "_unsent", "do_handshake_on_connect", "server_hostname", "server_side",
        "suppress_ragged_eofs",
    )

    #: OpenSSL's TLS object (``_ssl._SSLSocket``, as in ssl.SSLSocket), None before and after TLS
    _sslobj: Any
    _context: ssl.SSLContext
    _session: ssl.SSLSession | None
    _incoming: ssl.MemoryBIO
    _outgoing: ssl.MemoryBIO
    _pending: bytes | memoryview
    _sending: _thread.LockType
    _openssl: _thread.LockType
    _unsent: int
    _record_left: int
    _record_size: int
    _plain_ahead: bytes
    _head: bytes
    _eof: bool
    _settled: bool
    _connected: bool
    server_side: bool
    server_hostname: str | None
    do_handshake_on_connect: bool
    suppress_ragged_eofs: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            f"{type(self).__name__} does not have a public constructor. "
            "Instances are returned by sockcore.tls.wrap_socket() or SSLContext.wrap_socket()."
        )

    @classmethod
    def _create(
        cls,
        sock: Any,
        server_side: bool = False,
        do_handshake_on_connect: bool = True,
        suppress_ragged_eofs: bool = True,
        server_hostname: str | bytes | None = None,
        context: ssl.SSLContext | None = None,
        session: ssl.SSLSession | None = None,
    ) -> TLSSocket:
        """``ssl.SSLSocket._create``'s signature: ``SSLContext.wrap_socket`` calls it once installed."""
        assert context is not None
        if not isinstance(sock, socket):  # a stdlib socket: TLS on sockcore takes over its descriptor
            if sock.getsockopt(_SOL_SOCKET, _SO_TYPE) != _SOCK_STREAM:
                raise NotImplementedError("only stream sockets are supported")
            from .bridge import from_stdlib

            sock = from_stdlib(sock, detach=True)
        if sock.getsockopt(_SOL_SOCKET, _SO_TYPE) != _SOCK_STREAM:
            raise NotImplementedError("only stream sockets are supported")
        if server_side:
            if server_hostname:
                raise ValueError("server_hostname can only be specified in client mode")
            if session is not None:
                raise ValueError("session can only be specified in client mode")
        if context.check_hostname and not server_hostname:
            raise ValueError("check_hostname requires server_hostname")
        self = cls.__new__(cls)
        socket.__init__(self, sock._family, sock._type, sock._proto, fileno=sock.fileno())
        timeout = sock.gettimeout()
        sock.detach()
        self._context = context
        self._session = session
        self._sslobj = None
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        self._pending = b""  # ciphertext taken from _outgoing that the descriptor has not accepted yet
        # Two threads may share a connection, one reading and one writing, as with
        # ssl.SSLSocket.  OpenSSL writes into _outgoing from whichever thread calls
        # it, and a MemoryBIO is not safe to use from two threads at once: every
        # OpenSSL call and every read of _outgoing holds _openssl (briefly: those
        # calls never wait).  _sending orders what goes to the descriptor.
        self._openssl = _thread.allocate_lock()
        self._sending = _thread.allocate_lock()  # held by the one thread moving _pending/_outgoing to the descriptor
        self._unsent = -1  # a non-blocking write's count, kept until its ciphertext is sent
        self._record_left = 0  # bytes of the incoming record still in the kernel (_NOT_TLS: not a record)
        self._head = b""  # the part of a record header read so far
        self._record_size = 0  # header and body of the record being read
        self._plain_ahead = b""  # clear text read with the peer's last records, for recv() after unwrap()
        self._eof = False
        self._settled = False  # handshake done, nothing owed to the peer: read() may go straight to the descriptor
        self.server_side = server_side
        self.server_hostname = None
        self.do_handshake_on_connect = do_handshake_on_connect
        self.suppress_ragged_eofs = suppress_ragged_eofs
        try:  # from here on this object owns the descriptor: any failure closes it (as 3.13's ssl does)
            self.server_hostname = context._encode_hostname(server_hostname)  # type: ignore[attr-defined]
            try:
                self.getpeername()
            except OSError as exc:
                if exc.errno != errno.ENOTCONN:
                    raise
                connected = False
                self._refuse_early_data()
            else:
                connected = True
            self.settimeout(timeout)
            self._connected = connected
            if connected:
                self._sslobj = self._new_sslobj()
                if do_handshake_on_connect:
                    if self.gettimeout() == 0.0:
                        raise ValueError("do_handshake_on_connect should not be specified for non-blocking sockets")
                    self.do_handshake()
        except BaseException:
            with contextlib.suppress(OSError):
                self.close()
            raise
        return self

    def _refuse_early_data(self) -> None:
        """As ssl.SSLSocket: data already queued on a socket that is not connected is not TLS's."""
        try:
            data = _read(self._fd, 1) if self._timeout == 0.0 else self._peek_one()
        except OSError as exc:
            if exc.errno not in (errno.ENOTCONN, errno.EINVAL):
                raise
            return
        if data:
            reason = "Closed before TLS handshake with data in recv buffer."
            error = ssl.SSLError(errno.ENOTCONN, reason)
            error.reason = reason
            error.library = None  # type: ignore[assignment]
            raise error

    def _peek_one(self) -> bytes:
        blocking = self._timeout is None
        if blocking:
            os.set_blocking(self._fd, False)
        try:
            return _read(self._fd, 1)
        except BlockingIOError:
            return b""
        finally:
            if blocking:
                os.set_blocking(self._fd, True)

    def _new_sslobj(self) -> Any:
        # OpenSSL's object with this socket as its owner: the SNI callback and
        # msg_callback see the TLSSocket, as they see the SSLSocket in the stdlib
        return self._context._wrap_bio(  # type: ignore[attr-defined]
            self._incoming, self._outgoing, server_side=self.server_side,
            server_hostname=self.server_hostname, owner=self, session=self._session,
        )

    # -- moving ciphertext between the BIOs and the descriptor -----------------------

    def _run(self, op: Callable[..., T], what: str, *args: Any) -> T:
        """Run one OpenSSL call to completion under the socket's timeout rules."""
        timeout = self._timeout
        deadline = _timeouts.Deadline(timeout) if timeout else None
        while True:
            if self._pending or self._outgoing.pending:
                self._flush_explained(deadline, what)
            try:
                with self._openssl:
                    result = op(*args)
            except _SSLWantReadError:
                if self._outgoing.pending:
                    self._flush_explained(deadline, what)
                self._fill(deadline, what)
                continue
            except _SSLError:
                self._flush_quietly()  # the alert tells the peer why, as OpenSSL on a socket does
                raise
            if self._outgoing.pending:
                self._flush_explained(deadline, what)
            return result

    def _flush_explained(self, deadline: _timeouts.Deadline | None, what: str, reading: bool = False) -> None:
        """_flush; if the peer has reset the connection, raise the SSLError for what it sent first.

        OpenSSL on a socket reads the peer's alert (or clear-text reply) before
        it writes again; here the write can come first and meet the reset that
        followed the alert.
        """
        try:
            self._flush(deadline, what, reading)
        except (ConnectionResetError, BrokenPipeError):
            self._pending = b""
            reason = self._reason_for_reset()
            if reason is None:
                if what == "handshake" or not _RESET_IS_EOF:
                    raise  # as ssl.SSLSocket does
                reason = ssl.SSLEOFError(_SSL_ERROR_EOF, "EOF occurred in violation of protocol")
            raise reason from None

    def _reason_for_reset(self) -> ssl.SSLError | None:
        """OpenSSL's error for what the peer sent before its reset (an alert, clear text), if it sent anything."""
        sslobj = self._sslobj
        try:
            while _readable(self._fd):
                data = _read(self._fd, _RECV_CHUNK)
                if not data:
                    break
                self._incoming.write(data)
        except OSError:
            pass
        self._end()
        try:
            while sslobj is not None and self._decrypt(sslobj, _RECV_CHUNK, None):
                pass  # plaintext that came before the alert is dropped with the connection
        except _SSLError as exc:
            if exc.args[0] != _SSL_ERROR_EOF:
                return exc
        return None

    def _flush(self, deadline: _timeouts.Deadline | None, what: str, reading: bool = False) -> None:
        """Write every byte of ciphertext waiting to go out (SSLWantWriteError when non-blocking).

        One thread at a time moves ciphertext to the descriptor: a thread reading
        and another writing on one connection would otherwise interleave parts of
        records on the wire.  A reader (``reading``) that finds another thread
        sending leaves its records to that thread, which looks at the BIO again
        after it lets go; a writer queues behind it, as its call may not return
        before its bytes are out.  A reader never waits for the kernel to take
        ciphertext: while it waited it would not read, and a peer that echoes
        would stop reading too; what the kernel does not take stays pending for
        the writer or the next call.
        """
        sending = self._sending
        if reading:
            if not sending.acquire(False):
                return
        elif deadline is None:
            sending.acquire()
        elif not sending.acquire(True, max(deadline.remaining(), 0.0)):
            raise _timed_out(what)
        while True:
            try:
                self._drain(deadline, what, reading)
            finally:
                sending.release()
            if not self._outgoing.pending or not sending.acquire(False):
                return

    def _drain(self, deadline: _timeouts.Deadline | None, what: str, reading: bool) -> None:
        """_flush's work, by the thread holding ``_sending``."""
        data: Any = self._pending or self._take()
        fd = self._fd
        while data:
            try:
                n = _send_now(fd, data) if reading else _write(fd, data)
            except BlockingIOError:
                if reading:
                    self._pending = data
                    return
                if self._timeout == 0.0:
                    self._pending = data
                    raise ssl.SSLWantWriteError(ssl.SSL_ERROR_WANT_WRITE, "The operation did not complete (write)") from None
                try:
                    _timeouts.wait(fd, True, deadline)
                except TimeoutError:
                    self._pending = data
                    raise _timed_out(what) from None
                continue
            data = memoryview(data)[n:] if n < len(data) else self._take()
        self._pending = b""

    def _take(self) -> bytes:
        """The ciphertext OpenSSL has written so far (by the thread holding ``_sending``)."""
        with self._openssl:
            return self._outgoing.read()

    def _encrypt(self, sslobj: Any, data: Any) -> int:
        """OpenSSL's write: the records go into _outgoing."""
        with self._openssl:
            return sslobj.write(data)  # type: ignore[no-any-return]

    def _decrypt(self, sslobj: Any, len: int, buffer: Any) -> Any:
        """OpenSSL's read (which may also write: an alert, a key update's answer)."""
        with self._openssl:
            return sslobj.read(len, buffer) if buffer is not None else sslobj.read(len)

    def _flush_quietly(self) -> None:
        """One attempt to send what is waiting (an alert, a non-blocking write's tail), errors ignored."""
        if not self._sending.acquire(False):
            return  # another thread is sending it
        try:
            data = self._pending or self._take()
            if data and self._fd != -1:
                _write(self._fd, data)
        except OSError:
            pass
        finally:
            self._pending = b""
            self._sending.release()

    def _fill(self, deadline: _timeouts.Deadline | None, what: str) -> None:
        """Give OpenSSL more of the record it is reading, never bytes past its end (EOF is passed on too).

        At a record boundary it reads the 5-byte header first; a header that
        is not TLS's is handed over alone, so OpenSSL rejects it as it would
        on a socket and the rest of what the peer sent stays unread.
        """
        left = self._record_left
        if left == 0:
            head = self._recv_some(deadline, what, _TLS_HEADER - len(self._head))
            if not head:
                self._end()
                return
            self._incoming.write(head)
            head = self._head + head
            if len(head) < _TLS_HEADER:
                self._head = head
                return
            self._head = b""
            left = (head[3] << 8) | head[4]
            if head[0] not in _RECORD_TYPES or head[1] != 3 or left > _MAX_RECORD:
                self._record_left = _NOT_TLS
                return
            self._record_left = left
            self._record_size = _TLS_HEADER + left
            if not left:
                return
        elif left == _NOT_TLS:
            left = _RECV_CHUNK
        data = self._recv_some(deadline, what, left)
        if not data:
            self._end()
            return
        self._incoming.write(data)
        if self._record_left != _NOT_TLS:
            self._record_left -= len(data)

    def _track(self, data: bytes) -> None:
        """Follow the record boundaries through ``data``, ciphertext just given to OpenSSL."""
        pos, end = 0, len(data)
        left = self._record_left
        while pos < end and left != _NOT_TLS:
            if left > 0:
                step = min(left, end - pos)
                pos += step
                left -= step
                continue
            had = len(self._head)
            head = self._head + data[pos : pos + _TLS_HEADER - had]
            pos += len(head) - had
            if len(head) < _TLS_HEADER:
                self._head = head
                break
            self._head = b""
            left = (head[3] << 8) | head[4]
            if head[0] not in _RECORD_TYPES or head[1] != 3 or left > _MAX_RECORD:
                left = _NOT_TLS
            self._record_size = _TLS_HEADER + left
        self._record_left = left

    def _read_into(self, sslobj: Any, len: int, buffer: Any) -> Any:
        """recv_into() with nothing buffered: every record one read(2) brings, decrypted into ``buffer``.

        It asks the kernel for no more than the buffer can take (less the part
        of a record already read), so each record this read completes fits in
        the buffer: none is left where select() cannot see it.
        """
        with memoryview(buffer) as view, view.cast("B") as out:
            size = out.nbytes
            if len <= 0 or len > size:
                len = size
            left = self._record_left
            budget = len - (self._record_size - left if left > 0 else _len(self._head))
            if left == _NOT_TLS or budget <= left + _TLS_HEADER:  # no room for a second record
                return self._read_more(sslobj, len, buffer)
            timeout = self._timeout
            data = self._recv_some(_timeouts.Deadline(timeout) if timeout else None, "read", budget)
            if data:
                self._incoming.write(data)
                self._track(data)
            else:
                self._end()
            got = 0
            while got < len:
                try:
                    n = self._decrypt(sslobj, len - got, out[got:])
                except _SSLWantReadError:
                    break
                except _SSLError:
                    if not got:
                        self._flush_quietly()
                        raise
                    self._settled = False  # the error is the next call's answer
                    break
                if not n:  # the peer's close_notify
                    self._settled = False
                    break
                got += n
                if not self._incoming.pending:  # no ciphertext left: no other record can be complete
                    break
        if self._outgoing.pending:
            with contextlib.suppress(ssl.SSLWantWriteError, TimeoutError):
                self._flush_explained(None, "read", reading=True)
        if got or not self._settled:
            return got
        return self._read_more(sslobj, len, buffer)  # a record still incomplete

    def _end(self) -> None:
        self._eof = True
        self._incoming.write_eof()

    def _recv_some(self, deadline: _timeouts.Deadline | None, what: str, limit: int) -> bytes:
        """Up to ``limit`` bytes from the descriptor (b"" at EOF), under the timeout rules."""
        fd = self._fd
        while True:
            try:
                return _read(fd, limit)
            except ConnectionResetError:
                if what == "handshake" or not _RESET_IS_EOF:  # ssl.SSLSocket raises the OSError itself
                    raise
                return b""  # ssl.SSLSocket takes a reset after the handshake for an EOF (SSLEOFError, or b"")
            except BlockingIOError:
                if self._timeout == 0.0:
                    raise _SSLWantReadError(ssl.SSL_ERROR_WANT_READ, "The operation did not complete (read)") from None
                try:
                    _timeouts.wait(fd, False, deadline)
                except TimeoutError:
                    raise _timed_out(what) from None

    # -- the TLS layer --------------------------------------------------------------

    @property
    def context(self) -> ssl.SSLContext:
        """The SSLContext this socket's TLS layer uses."""
        return self._context

    @context.setter
    def context(self, ctx: ssl.SSLContext) -> None:
        self._context = ctx
        self._sslobj.context = ctx

    @property
    def session(self) -> ssl.SSLSession | None:
        return self._sslobj.session if self._sslobj is not None else None

    @session.setter
    def session(self, session: ssl.SSLSession) -> None:
        self._session = session
        if self._sslobj is not None:
            self._sslobj.session = session

    @property
    def session_reused(self) -> bool | None:
        return self._sslobj.session_reused if self._sslobj is not None else None

    def _check_connected(self) -> None:
        if not self._connected:
            self.getpeername()  # ENOTCONN when it really is not connected

    def do_handshake(self, block: bool = False) -> None:
        """Run the TLS handshake (``block`` makes a non-blocking socket wait for it)."""
        self._check_connected()
        timeout = self._timeout
        try:
            if timeout == 0.0 and block:
                self.settimeout(None)
            self._run(self._sslobj.do_handshake, "handshake")
            self._settled = True
        finally:
            self.settimeout(timeout)

    def read(self, len: int = 1024, buffer: Any = None) -> Any:
        """Read up to ``len`` bytes of plaintext (into ``buffer`` if given); b"" / 0 at EOF."""
        sslobj = self._sslobj
        if sslobj is None:
            raise ValueError("Read on closed or unwrapped SSL socket.")
        try:
            # Once the handshake is done, OpenSSL with nothing decrypted and no
            # ciphertext in hand can only ask for more: skip that round trip
            # (not for a zero length or an empty buffer: OpenSSL answers those at once).
            if not self._settled or len <= 0 or (buffer is not None and not _nbytes(buffer)) or sslobj.pending() or self._incoming.pending:
                try:
                    result = self._decrypt(sslobj, len, buffer)
                except _SSLWantReadError:
                    result = self._read_more(sslobj, len, buffer)
            elif buffer is not None:
                result = self._read_into(sslobj, len, buffer)
            else:
                result = self._read_more(sslobj, len, buffer)
        except _SSLError as exc:
            if exc.args[0] not in _WANT:  # a failed connection answers every later call at once
                self._settled = False
            if exc.args[0] == _SSL_ERROR_EOF and self.suppress_ragged_eofs:
                return 0 if buffer is not None else b""
            raise
        if not result and len:
            self._settled = False  # the peer's close_notify: every later read returns at once
        return result

    def _read_more(self, sslobj: Any, len: int, buffer: Any) -> Any:
        """read(), once OpenSSL needs more ciphertext: one record at a time."""
        timeout = self._timeout
        deadline = _timeouts.Deadline(timeout) if timeout else None
        while True:
            if self._pending or self._outgoing.pending:  # the handshake, a key update, a client certificate
                self._flush_explained(deadline, "read", reading=True)
            self._fill(deadline, "read")
            try:
                result = self._decrypt(sslobj, len, buffer)
            except _SSLWantReadError:
                continue
            except _SSLError:
                self._flush_quietly()
                raise
            if self._outgoing.pending:  # what reading made OpenSSL answer; a later call retries
                with contextlib.suppress(ssl.SSLWantWriteError, TimeoutError):
                    self._flush_explained(deadline, "read", reading=True)
            return result

    def write(self, data: Any) -> int:
        """Encrypt and send ``data``; returns how many bytes of it were taken."""
        sslobj = self._sslobj
        if sslobj is None:
            raise ValueError("Write on closed or unwrapped SSL socket.")
        if self._timeout != 0.0:
            if self._pending or self._outgoing.pending or not self._settled:
                return self._run(sslobj.write, "write", data)  # type: ignore[no-any-return]
            # the common case, inlined: encrypt, then one write(2) usually takes it all
            try:
                n: int = self._encrypt(sslobj, data)
            except _SSLError:  # OpenSSL wants to read first, or fails: the general loop says which
                self._settled = False
                return self._run(sslobj.write, "write", data)  # type: ignore[no-any-return]
            timeout = self._timeout
            sending = self._sending
            if not sending.acquire(False):  # another thread is sending: this write's records go after its
                self._flush_explained(_timeouts.Deadline(timeout) if timeout else None, "write")
                return n
            try:
                out = self._take()
                try:
                    sent = _write(self._fd, out)
                except BlockingIOError:
                    sent = 0
                except (ConnectionResetError, BrokenPipeError):
                    reason = self._reason_for_reset()
                    if reason is None:
                        if not _RESET_IS_EOF:
                            raise
                        reason = ssl.SSLEOFError(_SSL_ERROR_EOF, "EOF occurred in violation of protocol")
                    raise reason from None
                if sent < len(out):
                    self._pending = memoryview(out)[sent:]
            finally:
                sending.release()
            if self._pending or self._outgoing.pending:
                self._flush_explained(_timeouts.Deadline(timeout) if timeout else None, "write")
            return n
        # Non-blocking: as with OpenSSL, a write that raised SSLWantWriteError
        # is retried with the same data, and counts once its ciphertext is out.
        if self._unsent >= 0:
            self._flush_explained(None, "write")
            n = self._unsent
            self._unsent = -1
            return n
        if self._pending or self._outgoing.pending:
            self._flush_explained(None, "write")
        while True:
            try:
                n = self._encrypt(sslobj, data)
                break
            except _SSLWantReadError:  # the handshake is not done: OpenSSL reads what is there
                self._flush_explained(None, "write")
                self._fill(None, "write")
        try:
            self._flush_explained(None, "write")
        except ssl.SSLWantWriteError:
            self._unsent = n
            raise
        return n

    def getpeercert(self, binary_form: bool = False) -> Any:
        self._check_connected()
        return self._sslobj.getpeercert(binary_form)  # after close: AttributeError, as ssl.SSLSocket's

    if hasattr(ssl.SSLSocket, "get_verified_chain"):  # Python 3.13+

        def get_verified_chain(self) -> list[bytes]:
            chain = self._sslobj.get_verified_chain()
            return [] if chain is None else [cert.public_bytes(ssl._ssl.ENCODING_DER) for cert in chain]  # type: ignore[attr-defined]

        def get_unverified_chain(self) -> list[bytes]:
            chain = self._sslobj.get_unverified_chain()
            return [] if chain is None else [cert.public_bytes(ssl._ssl.ENCODING_DER) for cert in chain]  # type: ignore[attr-defined]

    def selected_alpn_protocol(self) -> str | None:
        return self._sslobj.selected_alpn_protocol() if self._sslobj is not None else None

    def selected_npn_protocol(self) -> None:
        import warnings

        warnings.warn("ssl NPN is deprecated, use ALPN instead", DeprecationWarning, stacklevel=2)
        return None

    def cipher(self) -> tuple[str, str, int] | None:
        return self._sslobj.cipher() if self._sslobj is not None else None

    def shared_ciphers(self) -> list[tuple[str, str, int]] | None:
        return self._sslobj.shared_ciphers() if self._sslobj is not None else None

    def compression(self) -> str | None:
        return self._sslobj.compression() if self._sslobj is not None else None

    def version(self) -> str | None:
        return self._sslobj.version() if self._sslobj is not None else None

    def pending(self) -> int:
        """Plaintext bytes already decrypted and waiting to be read."""
        return self._sslobj.pending() if self._sslobj is not None else 0

    def get_channel_binding(self, cb_type: str = "tls-unique") -> bytes | None:
        if self._sslobj is not None:
            return self._sslobj.get_channel_binding(cb_type)  # type: ignore[no-any-return]
        if cb_type not in ssl.CHANNEL_BINDING_TYPES:
            raise ValueError(f"{cb_type} channel binding type not implemented")
        return None

    def verify_client_post_handshake(self) -> None:
        """Ask the client for its certificate (TLS 1.3): sent with the next write or read."""
        if not self._sslobj:
            raise ValueError("No SSL wrapper around " + str(self))
        self._sslobj.verify_client_post_handshake()
        self._settled = False  # the request goes out with the next read or write

    def unwrap(self) -> TLSSocket:
        """Close the TLS layer (close_notify both ways) and return this socket, now plain.

        It reads no further than the peer's close_notify: what follows it on
        the connection is clear text for the caller.
        """
        sslobj = self._sslobj
        if not sslobj:
            raise ValueError("No SSL wrapper around " + str(self))
        self._settled = False
        self._run(sslobj.shutdown, "read")
        self._plain_ahead = self._incoming.read()  # what followed close_notify in the last read(2)
        self._sslobj = None
        return self

    # -- the socket API, through the TLS layer ---------------------------------------

    def send(self, data: Any, flags: int = 0) -> int:
        if self._sslobj is None:
            return super().send(data, flags)
        if flags != 0:
            raise ValueError(f"non-zero flags not allowed in calls to send() on {type(self)}")
        return self.write(data)

    def sendall(self, data: Any, flags: int = 0) -> None:
        if self._sslobj is None:
            return super().sendall(data, flags)
        if flags != 0:
            raise ValueError(f"non-zero flags not allowed in calls to sendall() on {type(self)}")
        with memoryview(data) as view, view.cast("B") as byte_view:
            amount = len(byte_view)
            count = 0
            while count < amount:
                count += self.send(byte_view[count : count + _SEND_CHUNK])
        return None

    # ssl.SSLSocket's signature (keywords and all), not the socket's positional-only one
    def sendto(self, data: Any, flags_or_addr: Any, addr: Any = None) -> int:  # type: ignore[override]
        if self._sslobj is not None:
            raise ValueError(f"sendto not allowed on instances of {type(self)}")
        if addr is None:
            return super().sendto(data, flags_or_addr)
        return super().sendto(data, flags_or_addr, addr)

    def sendmsg(self, *args: Any, **kwargs: Any) -> int:
        # never send clear text through a method that bypasses the TLS layer
        raise NotImplementedError(f"sendmsg not allowed on instances of {type(self)}")

    def sendfile(self, file: Any, offset: int = 0, count: int | None = None) -> int:
        """Send a file: os.sendfile cannot encrypt, so this reads and sends it in blocks."""
        if self._sslobj is None:
            return super().sendfile(file, offset, count)
        if offset:
            file.seek(offset)
        total = 0
        while count is None or total < count:
            block = min(_SEND_CHUNK, count - total) if count is not None else _SEND_CHUNK
            data = file.read(block)
            if not data:
                break
            self.sendall(data)
            total += len(data)
        if total and hasattr(file, "seek"):
            file.seek(offset + total)
        return total

    def recv(self, buflen: int = 1024, flags: int = 0) -> bytes:
        if self._sslobj is None:
            if self._plain_ahead and not flags and buflen > 0:
                data, self._plain_ahead = self._plain_ahead[:buflen], self._plain_ahead[buflen:]
                return data
            return super().recv(buflen, flags)
        if flags != 0:
            raise ValueError(f"non-zero flags not allowed in calls to recv() on {type(self)}")
        return self.read(buflen)  # type: ignore[no-any-return]

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        if nbytes is None:
            nbytes = 1024
            if buffer is not None:
                with memoryview(buffer) as view:  # bytes, not items: an array('i') view has len 1 for 4 bytes
                    nbytes = view.nbytes or 1024
        if self._sslobj is None:
            ahead = self._plain_ahead
            if ahead and not flags:
                with memoryview(buffer) as view, view.cast("B") as out:
                    n = min(nbytes, out.nbytes, _len(ahead))
                    out[:n] = ahead[:n]
                self._plain_ahead = ahead[n:]
                return n
            return super().recv_into(buffer, nbytes, flags)
        if flags != 0:
            raise ValueError(f"non-zero flags not allowed in calls to recv_into() on {type(self)}")
        return self.read(nbytes, buffer)  # type: ignore[no-any-return]

    def recvfrom(self, bufsize: int = 1024, flags: int = 0) -> tuple[bytes, Any]:
        if self._sslobj is not None:
            raise ValueError(f"recvfrom not allowed on instances of {type(self)}")
        return super().recvfrom(bufsize, flags)

    def recvfrom_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> tuple[int, Any]:
        if self._sslobj is not None:
            raise ValueError(f"recvfrom_into not allowed on instances of {type(self)}")
        return super().recvfrom_into(buffer, nbytes, flags)

    def recvmsg(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"recvmsg not allowed on instances of {type(self)}")

    def recvmsg_into(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"recvmsg_into not allowed on instances of {type(self)}")

    def shutdown(self, how: int) -> None:
        if self._pending or self._outgoing.pending:
            self._flush_quietly()  # a non-blocking write's tail goes before the FIN
        self._sslobj = None
        super().shutdown(how)

    def _real_close(self) -> None:
        if self._pending or self._outgoing.pending:
            self._flush_quietly()
        self._sslobj = None
        super()._real_close()

    def dup(self) -> socket:
        raise NotImplementedError(f"Can't dup() {type(self).__name__} instances")

    # -- connecting and accepting ---------------------------------------------------

    def _real_connect(self, address: Any, connect_ex: bool) -> int | None:
        if self.server_side:
            raise ValueError("can't connect in server-side mode")
        if self._connected or self._sslobj is not None:
            raise ValueError("attempt to connect already-connected SSLSocket!")
        self._sslobj = self._new_sslobj()
        try:
            rc: int | None = None
            if connect_ex:
                rc = super().connect_ex(address)
            else:
                super().connect(address)
            if not rc:
                self._connected = True
                if self.do_handshake_on_connect:
                    self.do_handshake()
            return rc
        except (OSError, ValueError):
            self._sslobj = None
            raise

    def connect(self, address: Any) -> None:
        """Connect, then run the TLS handshake (when do_handshake_on_connect)."""
        self._real_connect(address, False)

    def connect_ex(self, address: Any) -> int:
        return self._real_connect(address, True)  # type: ignore[return-value]

    def accept(self) -> tuple[TLSSocket, Any]:
        """Accept a connection and wrap it server-side with this socket's context."""
        plain, address = socket.accept(self)
        wrapped = type(self)._create(
            plain, server_side=True, do_handshake_on_connect=self.do_handshake_on_connect,
            suppress_ragged_eofs=self.suppress_ragged_eofs, context=self._context,
        )
        return wrapped, address
