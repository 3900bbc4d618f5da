"""Moving a socket between the stdlib ``socket`` module and sockcore.

``sockcore.socket.from_stdlib(sock)`` and ``sock.to_stdlib()`` make an object
of the other world on the same kernel socket:

* ``detach=False`` (the default) *duplicates* the descriptor (``os.dup``): both
  objects stay usable and each closes its own descriptor.  They share the
  kernel socket, so they share its data, its options and its O_NONBLOCK flag
  (a file status flag): a timeout or non-blocking mode set on one changes
  how the other's descriptor behaves.  The new object starts with the
  source's timeout.
* ``detach=True`` *moves* the descriptor: the source object is detached
  (closed without closing the descriptor) and the new one owns it.

This is the one place implementation code touches the stdlib ``socket``
module (DESIGN.md rule 2): ``to_stdlib()`` must return its socket type.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._socket import socket

__all__ = ["from_stdlib", "stdlib_socket_module", "to_stdlib"]


def stdlib_socket_module() -> Any:
    """The stdlib ``socket`` module, even while sockcore is installed in its place."""
    from . import install

    state = install._state
    if state is not None and state.real is not None:
        return state.real  # the module install() set aside
    module = sys.modules.get("socket")
    if module is None:
        import importlib

        return importlib.import_module("socket")  # rule 2's exception: to_stdlib() returns its type
    if not module.__name__.startswith("sockcore"):
        return module
    # sockcore was put in sys.modules["socket"] by hand: load the stdlib's from its file
    import importlib.machinery
    import importlib.util

    spec = importlib.machinery.PathFinder.find_spec("socket")
    if spec is None or spec.loader is None:  # pragma: no cover - a Python without socket.py
        raise ImportError("the stdlib socket module cannot be found")
    real = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real)
    return real


def from_stdlib(sock: Any, *, detach: bool = False, cls: type[socket] | None = None) -> socket:
    """A sockcore socket on ``sock``'s kernel socket (a duplicate descriptor unless ``detach``)."""
    if cls is None:
        from ._socket import socket as default_cls

        cls = default_cls
    if not hasattr(sock, "fileno") or not hasattr(sock, "gettimeout"):
        raise TypeError(f"from_stdlib() needs a socket object, not {type(sock).__name__}")
    timeout = sock.gettimeout()
    family, kind, proto = int(sock.family), int(sock.type), sock.proto
    fd = sock.detach() if detach else os.dup(sock.fileno())
    try:
        new = cls(family, kind, proto, fileno=fd)
    except BaseException:
        os.close(fd)
        raise
    new.settimeout(timeout)
    return new


def to_stdlib(sock: socket, *, detach: bool = False) -> Any:
    """A stdlib ``socket.socket`` on ``sock``'s kernel socket (a duplicate descriptor unless ``detach``)."""
    stdlib = stdlib_socket_module()
    timeout = sock.gettimeout()
    family, kind, proto = int(sock.family), int(sock.type), sock.proto
    fd = sock.detach() if detach else os.dup(sock.fileno())
    try:
        new = stdlib.socket(family, kind, proto, fileno=fd)
    except BaseException:
        os.close(fd)
        raise
    new.settimeout(timeout)
    return new
