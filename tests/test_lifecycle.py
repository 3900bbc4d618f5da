"""One lifecycle: every way a socket is made goes through ``_adopt``, every way it ends through ``_release``.

A subclass records both.  The paths: the constructor, ``socket(fileno=)``,
``dup``, ``fromfd``, ``socketpair``, ``accept``; ``close``, the context
manager, ``detach``, ``__del__``, and a close deferred by ``makefile``.
"""

from __future__ import annotations

import gc
import os
import socket as std
import warnings
from typing import Any
from unittest import mock

import pytest

import sockcore


class Recording(sockcore.socket):
    adopted: list[int] = []
    released: list[int] = []

    def _adopt(self, fd: int, *args: Any) -> None:
        super()._adopt(fd, *args)
        Recording.adopted.append(id(self))

    def _release(self) -> int:
        Recording.released.append(id(self))
        return super()._release()


@pytest.fixture(autouse=True)
def fresh() -> None:
    Recording.adopted.clear()
    Recording.released.clear()


def test_every_way_in_adopts() -> None:
    with mock.patch.object(sockcore, "socket", Recording):
        made = [Recording(std.AF_UNIX, std.SOCK_STREAM)]
        made.append(Recording(fileno=os.dup(made[0].fileno())))
        made.append(made[0].dup())
        made.append(sockcore.fromfd(made[0].fileno(), std.AF_UNIX, std.SOCK_STREAM))
        made.extend(sockcore.socketpair())
        listener = Recording(std.AF_INET, std.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        client = Recording(std.AF_INET, std.SOCK_STREAM)
        client.connect(listener.getsockname())
        accepted, _ = listener.accept()
        made += [listener, client, accepted]
        try:
            for sock in made:
                assert type(sock) is Recording
                assert id(sock) in Recording.adopted
        finally:
            for sock in made:
                sock.close()


def _state(sock: sockcore.socket) -> dict[str, Any]:
    """Every slot but the descriptor (and the weakref list): what _adopt sets."""
    names = [n for n in sockcore.socket.__slots__ if n not in ("__weakref__", "_fd")]
    return {name: getattr(sock, name) for name in names}


@pytest.mark.parametrize("timeout", [None, 0.0, 2.5], ids=["blocking", "non-blocking", "timeout"])
def test_the_base_class_sets_what_adopt_sets(timeout: float | None) -> None:
    """__init__ inlines _adopt for the base class: the same state, slot for slot, as through _adopt (accept too)."""
    previous = sockcore.getdefaulttimeout()
    sockcore.setdefaulttimeout(timeout)
    made: list[sockcore.socket] = []
    try:
        for family, kind in ((std.AF_INET, std.SOCK_STREAM), (std.AF_UNIX, std.SOCK_DGRAM)):
            base, sub = sockcore.socket(family, kind), Recording(family, kind)
            made += [base, sub]
            assert type(base) is sockcore.socket and id(sub) in Recording.adopted
            assert _state(base) == _state(sub)
        listener = sockcore.socket(std.AF_INET, std.SOCK_STREAM)
        made.append(listener)
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        accepted = []
        for cls in (sockcore.socket, Recording):
            client = sockcore.socket(std.AF_INET, std.SOCK_STREAM)
            made.append(client)
            client.setblocking(True)  # the default may be non-blocking: a loopback connect is then done at once
            client.connect(listener.getsockname())
            with mock.patch.object(sockcore, "socket", cls):
                sock, _ = listener.accept()
            made.append(sock)
            accepted.append(sock)
        assert type(accepted[0]) is sockcore.socket and type(accepted[1]) is Recording
        assert id(accepted[1]) in Recording.adopted
        assert _state(accepted[0]) == _state(accepted[1])
    finally:
        sockcore.setdefaulttimeout(previous)
        for sock in made:
            sock.close()


def _made() -> Recording:
    return Recording(std.AF_UNIX, std.SOCK_DGRAM)


def test_close_releases() -> None:
    sock = _made()
    sock.close()
    sock.close()  # a second close is harmless: the release is idempotent
    assert set(Recording.released) == {id(sock)}
    assert sock.fileno() == -1


def test_context_manager_releases() -> None:
    with _made() as sock:
        pass
    assert Recording.released == [id(sock)]


def test_detach_releases_and_keeps_the_descriptor() -> None:
    sock = _made()
    fd = sock.detach()
    try:
        assert Recording.released == [id(sock)]
        assert sock.fileno() == -1
        os.fstat(fd)  # still open
    finally:
        os.close(fd)


def test_del_releases() -> None:
    sock = _made()
    ident = id(sock)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        del sock
        gc.collect()
    assert Recording.released == [ident]


def test_makefile_defers_the_release_to_the_last_close() -> None:
    sock = _made()
    reader = sock.makefile("rb")
    sock.close()
    assert Recording.released == []
    reader.close()
    assert Recording.released == [id(sock)]


@pytest.mark.parametrize("mod", [std, sockcore], ids=["stdlib", "sockcore"])
def test_the_paths_end_alike(mod: Any) -> None:
    """The same observable ends as the stdlib's: fileno -1, repr [closed], EBADF after."""
    a, b = mod.socketpair()
    fd = b.detach()
    os.close(fd)
    a.close()
    for sock in (a, b):
        assert sock.fileno() == -1
        assert "[closed]" in repr(sock)
        with pytest.raises(OSError) as caught:
            sock.send(b"x")
        assert caught.value.errno == 9


def test_one_object_caches() -> None:
    """The sendto and decode caches are one tuple each, replaced in one store (DESIGN.md: threads)."""
    rx = sockcore.socket(std.AF_INET, std.SOCK_DGRAM)
    tx = sockcore.socket(std.AF_INET, std.SOCK_DGRAM)
    with rx, tx:
        rx.bind(("127.0.0.1", 0))
        address = rx.getsockname()
        tx.sendto(b"x", address)
        _, peer = rx.recvfrom(10)
        assert tx._sent == (address, tx._sent[1]) and isinstance(tx._sent[1], bytes)
        assert rx._decoded[1] == peer


def _with_reader(sock: sockcore.socket) -> sockcore.socket:
    """The socket, with its lazily made recv_into reader made."""
    sock.setblocking(False)
    with pytest.raises(BlockingIOError):
        sock.recv_into(bytearray(1))
    assert sock._reader is not None
    return sock


def test_the_base_class_close_leaves_what_release_leaves() -> None:
    """close() inlines _release for the base class: the same slots end the same way."""
    closed, released = (_with_reader(sock) for sock in sockcore.socketpair())
    closed.close()
    os.close(released._release())
    for name in ("_fd", "_reader"):
        assert getattr(closed, name) == getattr(released, name)
