"""Put sockcore in place of the stdlib ``socket`` module for the whole process.

``sockcore.install()`` makes ``import socket`` return :mod:`sockcore`, so the
standard library's socket users (asyncio, selectors, socketserver, http,
urllib, xmlrpc, smtplib, ftplib, poplib, imaplib, telnetlib, wsgiref,
logging.handlers, multiprocessing.connection) create sockcore sockets.
``sockcore.uninstall()`` puts everything back.  What changes, exactly:

* ``sys.modules["socket"]`` is :mod:`sockcore` (modules imported from then on
  bind it);
* modules already imported whose global ``socket`` is the stdlib module get
  :mod:`sockcore` in that global instead, and the functions and classes they
  copied with ``from socket import x`` become sockcore's ``x`` (constants
  stay the stdlib's equal ints), so a module imported before install()
  behaves as one imported after;
* ``ssl`` is imported *before* the swap, with the real module (its own
  names keep the C socket), then :class:`sockcore.tls.TLSSocket` becomes
  ``ssl.SSLSocket`` and ``ssl.SSLContext.sslsocket_class``: ``wrap_socket``
  makes sockcore TLS sockets (of a stdlib socket too, taking over its
  descriptor), ``isinstance(sock, ssl.SSLSocket)`` holds for them (and for
  SSLSockets made before install()), and modules that copied
  ``ssl.SSLSocket`` (ftplib's ``_SSLSocket``) get the new class;
  ``ssl.create_connection`` becomes sockcore's when a plugin provides it;
* ``sockcore._GLOBAL_DEFAULT_TIMEOUT`` becomes the stdlib's marker object, so
  default arguments bound before and after the swap mean the same thing;
* stdlib code that tests ``type(address) == tuple`` (only
  ``multiprocessing.connection.address_type`` in 3.11) is given plain tuples
  for sockcore's NamedTuple addresses: patched now if it is imported, else
  when it is (an import hook, see ``_COMPAT``).

Run a program with it from the start::

    python -m sockcore.install script.py [args]
    python -m sockcore.install -m module [args]
    python -m sockcore.install -c "code" [args]

The module itself is callable (``sockcore.install()``) because the package's
``install`` name and this submodule are the same attribute once imported.
"""

from __future__ import annotations

import contextlib
import sys
import types
from typing import Any

__all__ = ["install", "installed", "main", "uninstall"]


class _State:
    """What install() changed, so uninstall() can undo exactly that."""

    def __init__(self) -> None:
        self.real: types.ModuleType | None = None  # the stdlib socket module, if it was loaded
        self.rebound: list[types.ModuleType] = []
        self.ssl: Any = None
        self.ssl_socket: Any = None  # the stdlib's ssl.SSLSocket
        self.wrap_socket: Any = None
        self.create_connection: Any = None
        self.names: list[tuple[dict[str, Any], str, Any]] = []  # (module globals, name, original value)
        self.marker: object = None
        self.compat: list[tuple[Any, str, Any]] = []  # (module, attribute, original value)
        self.finder: Any = None


_state: _State | None = None


def installed() -> bool:
    """True while sockcore stands in for ``socket``."""
    return _state is not None


def install(*, rebind: bool = True) -> None:
    """Make ``socket`` mean :mod:`sockcore` for this process (idempotent).

    ``rebind=False`` leaves the ``socket`` global of already-imported modules alone.
    """
    global _state
    if _state is not None:
        return
    import sockcore

    state = _State()
    try:
        import ssl  # loads the real socket module first: ssl subclasses its C socket
    except ImportError:  # a Python built without OpenSSL
        ssl = None  # type: ignore[assignment]
    state.real = sys.modules.get("socket")
    if state.real is sockcore:  # pragma: no cover - someone swapped by hand
        state.real = None
    state.marker = sockcore._GLOBAL_DEFAULT_TIMEOUT
    if state.real is not None:
        sockcore._GLOBAL_DEFAULT_TIMEOUT = state.real._GLOBAL_DEFAULT_TIMEOUT
    sys.modules["socket"] = sockcore
    # plain tuples, as the stdlib returns: its own code tests type(address) == tuple
    sockcore._socket.set_plain_addresses(True)
    if rebind and state.real is not None:
        for module in list(sys.modules.values()):
            if _rebindable(module, state.real):
                module.socket = sockcore  # type: ignore[attr-defined]
                state.rebound.append(module)
    if ssl is not None:
        _patch_ssl(ssl, state)
    if rebind and state.real is not None:
        _rebind_copied_names(state)
    _install_compat(state)
    _state = state


def uninstall() -> None:
    """Give ``socket`` back to the stdlib and undo every change install() made."""
    global _state
    state = _state
    if state is None:
        return
    import sockcore

    if state.finder is not None and state.finder in sys.meta_path:
        sys.meta_path.remove(state.finder)
    for module, attribute, original in reversed(state.compat):
        setattr(module, attribute, original)
    for namespace, name, original in reversed(state.names):
        namespace[name] = original
    if state.ssl is not None:
        from . import tls

        state.ssl.SSLContext.wrap_socket = state.wrap_socket
        state.ssl.create_connection = state.create_connection
        state.ssl.SSLSocket = state.ssl.SSLContext.sslsocket_class = state.ssl_socket
        tls._also_instances = ()
    for module in state.rebound:
        if getattr(module, "socket", None) is sockcore:
            module.socket = state.real  # type: ignore[attr-defined]
    if state.real is not None:
        sys.modules["socket"] = state.real
    else:
        sys.modules.pop("socket", None)
    sockcore._GLOBAL_DEFAULT_TIMEOUT = state.marker
    sockcore._socket.set_plain_addresses(False)
    _state = None


def _rebindable(module: object, real: types.ModuleType) -> bool:
    if not isinstance(module, types.ModuleType) or module is real:
        return False
    if module.__name__ == "ssl" or module.__name__.startswith("sockcore"):
        return False  # ssl's SSLSocket must keep subclassing the C socket
    try:
        return module.__dict__.get("socket") is real
    except Exception:  # a lazy module object may refuse __dict__ access
        return False


def _patch_ssl(ssl: Any, state: _State) -> None:
    """Make sockcore.tls.TLSSocket the ssl module's SSLSocket, as gevent's patch_ssl makes its own.

    ``isinstance(sock, ssl.SSLSocket)`` (ftplib, asyncio, urllib3 ...) then
    holds for sockcore's TLS sockets, and ``SSLContext.wrap_socket`` makes them
    through ``sslsocket_class``: of a sockcore socket directly, of a stdlib
    socket by taking over its descriptor.  SSLSockets made before install()
    still pass the isinstance check (TLSSocket's metaclass).
    """
    import sockcore

    from . import tls

    state.ssl = ssl
    state.ssl_socket = original_class = ssl.SSLSocket
    state.wrap_socket = original = ssl.SSLContext.wrap_socket
    state.create_connection = ssl.create_connection

    def wrap_socket(
        self: Any,
        sock: Any,
        server_side: bool = False,
        do_handshake_on_connect: bool = True,
        suppress_ragged_eofs: bool = True,
        server_hostname: str | bytes | None = None,
        session: Any = None,
    ) -> Any:
        cls = self.sslsocket_class
        if not issubclass(cls, tls.TLSSocket):  # a context subclass with the stdlib's class (or its subclass)
            cls = tls.TLSSocket
        return cls._create(
            sock=sock, server_side=server_side, do_handshake_on_connect=do_handshake_on_connect,
            suppress_ragged_eofs=suppress_ragged_eofs, server_hostname=server_hostname, context=self, session=session,
        )

    wrap_socket.__doc__ = original.__doc__
    wrap_socket.__wrapped__ = original  # type: ignore[attr-defined]
    ssl.SSLContext.wrap_socket = wrap_socket
    ssl.SSLSocket = ssl.SSLContext.sslsocket_class = tls.TLSSocket
    tls._also_instances = (original_class,)
    with contextlib.suppress(AttributeError):  # no plugin provides it: ssl keeps the stdlib's
        ssl.create_connection = sockcore.create_connection


def _rebind_copied_names(state: _State) -> None:
    """Names modules copied before install(): ``from socket import create_connection``, ftplib's ``_SSLSocket``.

    A global that *is* a function or class of the stdlib's socket module (or
    the stdlib's ssl.SSLSocket) becomes sockcore's object of the same name, so
    a module imported before install() behaves as one imported after.  Only
    identity counts: an int that equals a constant is left alone.
    """
    import sockcore

    real = state.real
    assert real is not None
    replacements: dict[int, tuple[Any, Any]] = {}  # id(stdlib object) -> (stdlib object, sockcore's)
    for name, value in vars(real).items():
        if not callable(value) or getattr(value, "__module__", None) not in ("socket", "_socket"):
            continue  # not the socket module's own (enum's IntEnum, the builtin OSError ...)
        try:
            ours = getattr(sockcore, name)
        except AttributeError:  # a plugin that is not installed provides it
            continue
        if ours is not value:
            replacements[id(value)] = (value, ours)
    if state.ssl is not None:
        replacements[id(state.ssl_socket)] = (state.ssl_socket, state.ssl.SSLSocket)
    for module in list(sys.modules.values()):
        if not isinstance(module, types.ModuleType) or module is real or module is state.ssl:
            continue  # ssl's own names stay the C socket's: its SSLSocket subclasses it
        name = getattr(module, "__name__", "")
        if not isinstance(name, str) or name.startswith("sockcore") or not _python_source(module):
            continue  # an extension module's names are its own (_socket.socket is the C class)
        try:
            namespace = module.__dict__
            items = list(namespace.items())
        except Exception:  # a lazy module object may refuse __dict__ access
            continue
        for attribute, value in items:
            found = replacements.get(id(value))
            if found is not None and found[0] is value:
                state.names.append((namespace, attribute, value))
                namespace[attribute] = found[1]


def _python_source(module: types.ModuleType) -> bool:
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or getattr(module, "__file__", None)
    return isinstance(origin, str) and origin.endswith(".py")


# -- stdlib code that needs exactly tuple addresses ------------------------------------


def _plain_tuple_addresses(module: Any, state: _State) -> None:
    """multiprocessing.connection.address_type tests ``type(address) == tuple``."""
    original = module.address_type

    def address_type(address: Any) -> str:
        if isinstance(address, tuple) and type(address) is not tuple:
            address = tuple(address)  # an IPv4Address NamedTuple is an inet address
        return original(address)  # type: ignore[no-any-return]

    state.compat.append((module, "address_type", original))
    module.address_type = address_type


#: module name -> the patch it needs while sockcore is installed
_COMPAT = {"multiprocessing.connection": _plain_tuple_addresses}


def _install_compat(state: _State) -> None:
    import importlib.abc
    import importlib.machinery

    for name, patch in _COMPAT.items():
        if name in sys.modules:
            patch(sys.modules[name], state)

    class PatchingLoader(importlib.abc.Loader):
        def __init__(self, loader: Any, patch: Any) -> None:
            self._loader, self._patch = loader, patch

        def create_module(self, spec: Any) -> Any:
            return self._loader.create_module(spec)

        def exec_module(self, module: Any) -> None:
            self._loader.exec_module(module)
            if _state is state:
                self._patch(module, state)

        def __getattr__(self, name: str) -> Any:  # get_source, get_code ... for tracebacks
            return getattr(self._loader, name)

    class CompatFinder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            patch = _COMPAT.get(fullname)
            if patch is None:
                return None
            spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = PatchingLoader(spec.loader, patch)
            return spec

    state.finder = CompatFinder()
    sys.meta_path.insert(0, state.finder)


# -- the runner: python -m sockcore.install ... ----------------------------------------

_USAGE = "usage: python -m sockcore.install (script.py | -m module | -c code) [args ...]"


def main(argv: list[str] | None = None) -> int:
    """Install, then run a script, a module or a code string as ``__main__``."""
    import runpy

    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(_USAGE, file=sys.stderr if not args else sys.stdout)
        return 2 if not args else 0
    install()
    if args[0] == "-m" and len(args) > 1:
        sys.argv = [args[1], *args[2:]]
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    elif args[0] == "-c" and len(args) > 1:
        sys.argv = ["-c", *args[2:]]
        code = compile(args[1], "<string>", "exec")
        exec(code, {"__name__": "__main__", "__builtins__": __builtins__})
    elif args[0].startswith("-"):
        print(_USAGE, file=sys.stderr)
        return 2
    else:
        sys.argv = list(args)
        sys.path.insert(0, _script_dir(args[0]))
        runpy.run_path(args[0], run_name="__main__")
    return 0


def _script_dir(path: str) -> str:
    import os

    return os.path.dirname(os.path.abspath(path))


class _CallableModule(types.ModuleType):
    """``sockcore.install()`` calls :func:`install` even after this submodule is imported."""

    def __call__(self, *, rebind: bool = True) -> None:
        install(rebind=rebind)


sys.modules[__name__].__class__ = _CallableModule

if __name__ == "__main__":
    import sockcore.install as _installer  # the package's module, not this __main__ copy

    sys.exit(_installer.main())
