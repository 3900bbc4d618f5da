"""The test kit for plugin authors: a pytest plugin, opt-in.

Switch it on in the plugin's ``tests/conftest.py`` (or the root one)::

    pytest_plugins = ["sockcore.testing"]

or on the command line with ``pytest -p sockcore.testing`` (or ``addopts``).
It is deliberately not a ``pytest11`` entry point: pytest loads every such
entry point in every project of the environment, and this kit's autouse
descriptor-leak check and marker rules must not reach a test suite that did
not ask for them.

What it gives:

- markers ``kernel`` (runs only in the kernel lane, ``KERNEL_LANE_GUEST=1``),
  ``root``, ``netns``, ``slow``, and ``family(number, type, proto)``: skip
  unless this kernel can create such a socket;
- an autouse check that each test module closes every descriptor it opens;
- fixtures ``isolated_registry`` (register plugins for one test, always
  unregistered after) and ``fake_socket``;
- :class:`FakeSocket`, :func:`junk` (hypothesis strategy of wrong inputs),
  :func:`check_codec` and :func:`check_plugin`, the checks every family
  plugin's tests run.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import registry
from .plugin import SOCK_STREAM, AddressCodec

__all__ = [
    "CODEC_ERRORS",
    "FakeSocket",
    "PluginCheckError",
    "PluginReport",
    "RegistryFixture",
    "check_codec",
    "check_plugin",
    "family_available",
    "junk",
    "plugin_fixture",
    "registered",
    "static_import_problems",
]

IN_KERNEL_LANE = os.environ.get("KERNEL_LANE_GUEST") == "1"

#: what a codec may raise for bad input (UnicodeError is a ValueError)
CODEC_ERRORS: tuple[type[BaseException], ...] = (TypeError, ValueError, OverflowError)

MARKERS = (
    "kernel: needs a family this kernel lacks; runs only inside the kernel lane (KERNEL_LANE_GUEST=1)",
    "root: needs root (packet sockets, network namespaces)",
    "netns: creates a network namespace",
    "slow: takes more than a few seconds",
    "family(number, type=SOCK_STREAM, proto=0): skip unless this kernel can create such a socket",
)


# -------------------------------------------------------------------------
# Fakes and strategies
# -------------------------------------------------------------------------


class FakeSocket:
    """What a codec sees of a socket (``SocketInfo``), with no descriptor behind it."""

    __slots__ = ("family", "fd", "proto", "type")

    def __init__(self, family: int, type: int = SOCK_STREAM, proto: int = 0, fd: int = -1) -> None:
        self.family = family
        self.type = type
        self.proto = proto
        self.fd = fd

    def fileno(self) -> int:
        return self.fd

    def __repr__(self) -> str:
        return f"FakeSocket(family={self.family}, type={self.type}, proto={self.proto})"


def junk(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Anything a caller might pass as an address: scalars, and tuples and lists of them."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=8)
        | st.binary(max_size=8)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=5).map(tuple) | st.lists(inner, max_size=3),
        max_leaves=max_leaves,
    )


def _mutations(address: Any) -> st.SearchStrategy[Any]:
    """A valid tuple address with one field replaced by junk (the likeliest real mistake)."""
    if not isinstance(address, tuple) or not address:
        return st.nothing()
    fields = list(address)

    def replace(choice: tuple[int, Any]) -> tuple[Any, ...]:
        index, value = choice
        return (*fields[:index], value, *fields[index + 1 :])

    return st.tuples(st.integers(0, len(fields) - 1), junk(3)).map(replace)


def family_available(family: int, type: int = SOCK_STREAM, proto: int = 0) -> bool:
    """Whether this kernel creates a ``(family, type, proto)`` socket."""
    from . import socket

    try:
        socket(family, type, proto).close()
    except OSError:
        return False
    return True


# -------------------------------------------------------------------------
# check_codec
# -------------------------------------------------------------------------


def check_codec(
    codec: AddressCodec,
    valid_addresses: Iterable[Any],
    *,
    sock: Any = None,
    errors: tuple[type[BaseException], ...] = CODEC_ERRORS,
    max_examples: int = 200,
    inputs: st.SearchStrategy[Any] | None = None,
) -> None:
    """The contract every address codec keeps (``AddressCodec`` in DESIGN.md).

    - each valid address encodes, decodes back equal, and re-encodes to the same bytes;
    - junk, and valid addresses with one field replaced by junk, raise only ``errors``
      (add ``OSError`` for a codec that resolves names);
    - every truncated body, and the body with trailing bytes, decode or raise only ``errors``;
    - ``stable(address)``, where defined, answers a bool for anything and is True only
      when encoding that very object twice gives the same bytes.

    ``sock`` is what the codec is told about the socket (default: a :class:`FakeSocket`
    of the codec's family).  ``inputs`` replaces the junk strategy: a codec that
    resolves names must not be handed random text (it would reach a DNS server).  Raises AssertionError naming the input that broke it.
    """
    sock = sock if sock is not None else FakeSocket(codec.family, proto=codec.proto or 0)
    addresses = list(valid_addresses)
    assert addresses, "check_codec needs at least one valid address"
    stable = getattr(codec, "stable", None)
    bodies = []
    for address in addresses:
        body = codec.encode(address, sock)
        assert isinstance(body, bytes), f"encode({address!r}) returned {type(body).__name__}, not bytes"
        decoded = codec.decode(body, sock)
        assert decoded == address, f"{address!r} encodes to {body.hex()}, which decodes to {decoded!r}"
        assert codec.encode(decoded, sock) == body, f"{decoded!r} (decoded) encodes differently from {address!r}"
        if stable is not None and stable(address):
            assert codec.encode(address, sock) == body, f"stable({address!r}) but it encodes differently twice"
        bodies.append(body)

    def refuses_cleanly(address: Any) -> None:
        with contextlib.suppress(*errors):
            codec.encode(address, sock)
        if stable is not None:
            answer = stable(address)
            assert answer in (True, False), f"stable({address!r}) returned {answer!r}, not a bool"
            if answer:
                first = codec.encode(address, sock)
                assert codec.encode(address, sock) == first, f"stable({address!r}) but it encodes differently"

    strategy = junk() if inputs is None else inputs
    for address in addresses if inputs is None else ():
        strategy = strategy | _mutations(address)
    run = settings(max_examples=max_examples, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))(given(strategy)(refuses_cleanly))
    run()

    for body in bodies:
        for cut in [*range(len(body)), len(body) + 1, len(body) + 8]:
            piece = body[:cut] if cut <= len(body) else body + bytes(cut - len(body))
            try:
                codec.decode(piece, sock)
            except errors:
                pass
            except Exception as exc:
                raise AssertionError(
                    f"decode of {len(piece)} bytes ({piece.hex()}) raised {type(exc).__name__}: {exc}"
                ) from exc


# -------------------------------------------------------------------------
# check_plugin
# -------------------------------------------------------------------------


class PluginCheckError(AssertionError):
    """check_plugin found problems; the message lists each."""


class PluginReport:
    """What :func:`check_plugin` checked, what it could not check and why, what was wrong."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.checked: list[str] = []
        self.skipped: list[str] = []
        self.problems: list[str] = []

    def __str__(self) -> str:
        lines = [f"plugin {self.name}:"]
        lines += [f"  ok       {line}" for line in self.checked]
        lines += [f"  skipped  {line}" for line in self.skipped]
        lines += [f"  PROBLEM  {line}" for line in self.problems]
        return "\n".join(lines)


def _answers(plugin: object) -> dict[str, Any]:
    """Each hook's answer, read straight from the plugin object (no registry)."""
    answers: dict[str, Any] = {}
    for hook in ("families", "address_codecs", "constants", "exports", "sockopts", "cmsg_codecs", "uri_schemes"):
        method = getattr(plugin, f"sockcore_{hook}", None)
        answers[hook] = method() if method is not None else None
    return answers


def _check_records(answers: Mapping[str, Any], report: PluginReport) -> None:
    from .records import CmsgCodec, Family, UriScheme
    from .sockopt import SockOpt

    problems = report.problems
    families = list(answers["families"] or ())
    constants = dict(answers["constants"] or {})
    numbers = {f.number for f in families if isinstance(f, Family)}
    for fam in families:
        if not isinstance(fam, Family):
            problems.append(f"sockcore_families returned {fam!r}, not a Family")
            continue
        if not (fam.name.startswith("AF_") and 0 <= fam.number <= 0xFFFF):
            problems.append(f"family {fam.name}={fam.number}: the name starts with AF_ and the number is a u16")
        if constants and constants.get(fam.name, fam.number) != fam.number:
            problems.append(f"family {fam.name} is {fam.number} but the constants say {constants[fam.name]}")
        if fam.probe is not None and not (len(fam.probe) == 2 and all(isinstance(x, int) for x in fam.probe)):
            problems.append(f"family {fam.name}: probe {fam.probe!r} is not a (type, proto) pair of ints")
    for codec in answers["address_codecs"] or ():
        if not isinstance(codec, AddressCodec):
            problems.append(f"codec {codec!r} lacks family, proto, encode or decode")
        elif numbers and getattr(codec, "sa_family", codec.family) not in numbers and codec.family not in numbers:
            problems.append(f"codec {type(codec).__name__} serves family {codec.family}, which the plugin does not declare")
    for name, value in constants.items():
        if not (isinstance(name, str) and name.isidentifier() and name[:1].isupper()):
            problems.append(f"constant name {name!r} is not an upper-case identifier")
        elif not isinstance(value, (int, str)):  # str: the stdlib's BDADDR_ANY, HV_GUID_ZERO ...
            problems.append(f"constant {name} is {type(value).__name__}, not int or str")
    for opt in answers["sockopts"] or ():
        if not isinstance(opt, SockOpt):
            problems.append(f"sockcore_sockopts returned {opt!r}, not a SockOpt")
        elif opt.name in constants and constants[opt.name] != opt.optname:
            problems.append(f"option {opt.name}: optname {opt.optname}, but the constant is {constants[opt.name]}")
    for cmsg in answers["cmsg_codecs"] or ():
        if not isinstance(cmsg, CmsgCodec):
            problems.append(f"sockcore_cmsg_codecs returned {cmsg!r}, not a CmsgCodec")
    for scheme in answers["uri_schemes"] or ():
        if not isinstance(scheme, UriScheme):
            problems.append(f"sockcore_uri_schemes returned {scheme!r}, not a UriScheme")
    for name in answers["exports"] or {}:
        if name in constants:
            problems.append(f"{name} is both a constant and an export")
    report.checked.append(
        f"records: {len(families)} families, {len(constants)} constants, "
        f"{len(answers['sockopts'] or ())} options, {len(answers['exports'] or {})} exports"
    )


@contextlib.contextmanager
def registered(plugin: object, name: str, distribution: str = "<test>") -> Iterator[bool]:
    """The plugin in the registry for the block: True if this call registered it.

    A plugin the registry already holds (installed: its entry point loaded it) is left as it is.
    """
    pm = registry.plugin_manager()
    if pm.is_registered(plugin):
        yield False
        return
    registry.register(plugin, name, distribution=distribution)
    try:
        yield True
    finally:
        registry.unregister(name=name)


def _check_runtime_names(answers: Mapping[str, Any], report: PluginReport) -> None:
    import sockcore

    tables = registry.tables()
    wrong = []
    for kind, table in (("constant", tables.constants), ("export", tables.exports)):
        for name, value in (answers[f"{kind}s"] or {}).items():
            runtime = table.get(name)
            if runtime is None or not (runtime is value or runtime == value):
                wrong.append(f"{kind} {name}: static {value!r}, registry {runtime!r}")
            elif getattr(sockcore, name, None) is not runtime and getattr(sockcore, name, None) != value:
                wrong.append(f"{kind} {name}: sockcore.{name} is not the plugin's")
    report.problems.extend(wrong)
    report.checked.append("static names equal the registry's and sockcore's")


def _check_options(answers: Mapping[str, Any], report: PluginReport) -> None:
    import errno

    import sockcore

    families = {f.name: f for f in answers["families"] or ()}
    done, refused, unavailable = 0, [], set()
    for opt in answers["sockopts"] or ():
        fam = families.get(opt.family) if opt.family else None
        if fam is None or fam.probe is None or opt.access != "rw":
            continue
        try:
            sock = sockcore.socket(fam.number, *fam.probe)
        except OSError:
            unavailable.add(fam.name)
            continue
        with sock:
            try:
                value = sock.getopt(opt)
                sock.setopt(opt, value)
                again = sock.getopt(opt)
            except OSError as exc:
                # the kernel's word: the option needs another socket type, a bound socket, root ...
                refused.append(f"{opt.name} ({errno.errorcode.get(exc.errno or 0, exc.errno)})")
                continue
            if again != value and not opt.kernel_adjusts:
                report.problems.append(f"option {opt.name}: set {value!r}, got back {again!r}")
            done += 1
    report.checked.append(f"{done} typed options round-trip get -> set -> get")
    if refused:
        report.skipped.append("options the kernel refused on the probe socket: " + ", ".join(refused))
    if unavailable:
        report.skipped.append("option round trips: this kernel has no " + ", ".join(sorted(unavailable)))


def static_import_problems(modules: Sequence[str], forbidden: Sequence[str] = ("pluggy", "attrs")) -> list[str]:
    """Import each module in a fresh interpreter; which forbidden modules came with it."""
    problems = []
    for module in modules:
        code = (
            f"import sys, {module}\n"
            f"print(' '.join(m for m in {list(forbidden)!r} if m in sys.modules))"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            problems.append(f"import {module} failed: {proc.stderr.strip().splitlines()[-1:]}")
        elif proc.stdout.strip():
            problems.append(f"import {module} loads {proc.stdout.strip()} (static modules must not)")
    return problems


def _check_table(spec: str | os.PathLike[str], table: str | os.PathLike[str], report: PluginReport) -> None:
    try:
        gen = importlib.import_module("sockcore.gen_constants")
    except ImportError:
        report.skipped.append("generated table against the headers: sockcore.gen_constants is not installed")
        return
    import shutil

    if shutil.which(os.environ.get("CC", "cc")) is None:
        report.skipped.append("generated table against the headers: no C compiler (cc) on PATH")
        return
    try:
        differences = gen.check(os.fspath(spec), os.fspath(table))
    except Exception as exc:  # a missing header, a spec that does not parse
        report.skipped.append(f"generated table against the headers: {type(exc).__name__}: {exc}")
        return
    report.problems.extend(f"{table}: {line}" for line in differences)
    report.checked.append(f"the generated table {os.path.basename(os.fspath(table))} agrees with this machine's headers"
                          if not differences else "the generated table against this machine's headers")


def check_plugin(
    plugin: object,
    *,
    name: str | None = None,
    distribution: str = "<under test>",
    static_modules: Sequence[str] = (),
    static_may_load: Sequence[str] = (),
    spec: str | os.PathLike[str] | None = None,
    table: str | os.PathLike[str] | None = None,
    options: bool = True,
    raise_on_problems: bool = True,
) -> PluginReport:
    """Check a plugin object (what its entry point names) against the contract.

    - its records are well formed (``Family``, codecs, int constants, options whose
      optname is the constant's value ...);
    - it registers beside the installed plugins without a conflict;
    - static names equal runtime names (``registry``, ``sockcore.NAME``);
    - every read-write typed option round-trips get -> set -> get on the family's
      probe socket, where this kernel has the family and allows it (``options=False``
      to leave this out);
    - importing each of ``static_modules`` (``"sockcore_x"``) loads neither pluggy
      nor attrs, but for ``static_may_load``;
    - with ``spec`` and ``table``: the generated table equals what this machine's
      headers give (needs ``sockcore.gen_constants`` and a C compiler).

    Returns the :class:`PluginReport`; raises :class:`PluginCheckError` when it holds
    problems, unless ``raise_on_problems`` is False (``sockcore doctor --plugin``).
    """
    answers = _answers(plugin)
    label = name or ", ".join(f.name for f in answers["families"] or ()) or repr(plugin)
    report = PluginReport(label)
    _check_records(answers, report)
    try:
        with registered(plugin, name or f"check-{id(plugin)}", distribution):
            report.checked.append("no conflict with the installed plugins")
            _check_runtime_names(answers, report)
            if options:
                _check_options(answers, report)
    except registry.PluginConflictError as exc:
        report.problems.append(f"conflict: {exc}")
    report.problems.extend(_misspelt(plugin))
    forbidden = [m for m in ("pluggy", "attrs") if m not in static_may_load]
    if static_modules:
        found = static_import_problems(static_modules, forbidden)
        report.problems.extend(found)
        if not found:
            report.checked.append(f"importing {', '.join(static_modules)} loads no {' or '.join(forbidden)}")
    else:
        report.skipped.append("static imports: no static_modules named")
    if spec is not None and table is not None:
        _check_table(spec, table, report)
    else:
        report.skipped.append("generated table against the headers: no spec and table given")
    if report.problems and raise_on_problems:
        raise PluginCheckError(str(report))
    return report


def _misspelt(plugin: object) -> list[str]:
    """``sockcore_*`` attributes that are not hooks (the registry warns about these too)."""
    hookspecs = importlib.import_module("sockcore.hookspecs")
    known = {n for n in dir(hookspecs) if n.startswith("sockcore_")}
    return [
        f"{attr} is not a sockcore hook: it is never called"
        for attr in dir(plugin)
        if attr.startswith("sockcore_") and attr not in known and callable(getattr(plugin, attr, None))
    ]


# -------------------------------------------------------------------------
# pytest: markers, the descriptor-leak check, fixtures
# -------------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Kernel tests run only inside the kernel lane; root tests only as root; family tests where it exists."""
    skip_kernel = pytest.mark.skip(reason="needs the kernel lane (KERNEL_LANE_GUEST=1)")
    skip_root = pytest.mark.skip(reason="needs root")
    available: dict[tuple[Any, ...], bool] = {}
    for item in items:
        if "kernel" in item.keywords and not IN_KERNEL_LANE:
            item.add_marker(skip_kernel)
        if "root" in item.keywords and os.geteuid() != 0:
            item.add_marker(skip_root)
        for mark in item.iter_markers("family"):
            key = (*mark.args, *sorted(mark.kwargs.items()))
            if key not in available:
                available[key] = family_available(*mark.args, **mark.kwargs)
            if not available[key]:
                item.add_marker(pytest.mark.skip(reason=f"this kernel cannot create a socket of family {mark.args}"))


def _open_fds() -> set[int]:
    return {int(n) for n in os.listdir("/proc/self/fd")}


@pytest.fixture(autouse=True, scope="module")
def no_fd_leaks() -> Iterator[None]:
    """Every test module closes every descriptor it opens."""
    import gc

    if not os.path.isdir("/proc/self/fd"):
        yield
        return
    before = _open_fds()
    yield
    gc.collect()
    # the listing of /proc/self/fd itself may show up once
    leaked = sorted(fd for fd in _open_fds() - before if os.path.exists(f"/proc/self/fd/{fd}"))
    targets = []
    for fd in leaked:
        with contextlib.suppress(OSError):
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
    assert not leaked, f"descriptors leaked by this module: {leaked} -> " + ", ".join(targets)


class RegistryFixture:
    """Plugins registered for one test: ``isolated_registry.register(plugin)``, undone after."""

    def __init__(self) -> None:
        self._names: list[str] = []

    def register(self, plugin: object, name: str | None = None, *, distribution: str = "<test>") -> str:
        """Register ``plugin`` unless the registry already has it (installed: the entry point loaded it)."""
        if registry.plugin_manager().is_registered(plugin):
            return registry.plugin_manager().get_name(plugin) or ""
        registered = registry.register(plugin, name, distribution=distribution)
        self._names.append(registered)
        return registered

    def close(self) -> None:
        while self._names:
            registry.unregister(name=self._names.pop())


@pytest.fixture
def isolated_registry() -> Iterator[RegistryFixture]:
    """Register plugins for this test only; each is unregistered afterwards, whatever happens."""
    fixture = RegistryFixture()
    try:
        yield fixture
    finally:
        fixture.close()


def plugin_fixture(plugin: object, name: str, distribution: str = "<test>") -> Any:
    """A module-wide autouse fixture that registers ``plugin`` unless it is installed::

        plugin = plugin_fixture(hooks.plugin, "xdp", "sockcore-xdp")
    """

    @pytest.fixture(scope="module", autouse=True)
    def registered_plugin() -> Iterator[None]:
        with registered(plugin, name, distribution):
            yield

    return registered_plugin


@pytest.fixture
def fake_socket() -> Callable[..., FakeSocket]:
    """``fake_socket(family, type=SOCK_STREAM, proto=0)``: a :class:`FakeSocket`."""
    return FakeSocket
