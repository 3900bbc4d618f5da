"""create_connection, create_server and has_dualstack_ipv6 make their sockets with ``sockcore.socket``
as it is at call time, as the stdlib's socket.py does with its global ``socket``.

Tests and libraries replace the class (unittest.mock, pytest-socket, wrappers
that add tracing); the module functions must use the replacement.
"""

from __future__ import annotations

import socket as std
from typing import Any
from unittest import mock

import pytest

import sockcore


def _recording(module: Any) -> tuple[type, list[tuple[Any, ...]]]:
    made: list[tuple[Any, ...]] = []

    class Wrapper(module.socket):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            made.append(args)
            super().__init__(*args, **kwargs)

    return Wrapper, made


@pytest.mark.parametrize("module", [std, sockcore], ids=["stdlib", "sockcore"])
def test_create_server_and_connection_use_the_patched_class(module: Any) -> None:
    wrapper, made = _recording(module)
    with mock.patch.object(module, "socket", wrapper):
        server = module.create_server(("127.0.0.1", 0))
        client = module.create_connection(server.getsockname(), timeout=5)
    with server, client:
        assert type(server) is wrapper
        assert type(client) is wrapper
    assert [args[:2] for args in made] == [(module.AF_INET, module.SOCK_STREAM)] * 2


@pytest.mark.parametrize("module", [std, sockcore], ids=["stdlib", "sockcore"])
def test_has_dualstack_ipv6_uses_the_patched_class(module: Any) -> None:
    wrapper, made = _recording(module)
    with mock.patch.object(module, "socket", wrapper):
        module.has_dualstack_ipv6()
    assert [args[:2] for args in made] == [(module.AF_INET6, module.SOCK_STREAM)]


def test_a_class_that_refuses_stops_create_connection() -> None:
    """pytest-socket's way: a replacement that raises; both modules let its error through."""

    class Refused(RuntimeError):
        pass

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise Refused

    for module in (std, sockcore):
        with mock.patch.object(module, "socket", refuse), pytest.raises(Refused):
            module.create_connection(("127.0.0.1", 9))
        with mock.patch.object(module, "socket", refuse), pytest.raises(Refused):
            module.create_server(("127.0.0.1", 0))
