"""The plugin registry: loads plugins, checks them, builds the lookup tables.

Plugins are discovered through the ``sockcore`` entry-point group the first
time anything asks for a table (never at ``import sockcore``), then every hook
is called once and the answers are folded into plain dicts (:class:`Tables`).
The data paths only ever do a dict lookup on those.

Environment:

``SOCKCORE_DISABLE_PLUGIN_AUTOLOAD=1``
    load no entry points; only the core and plugins registered at run time.
``SOCKCORE_PLUGINS=inet,unix``
    load only the entry points with these names.
"""

from __future__ import annotations

import _thread
import enum
import os
import warnings
from collections import namedtuple

from ._constants import UNSERVED_FAMILIES

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing, pluggy, attrs and importlib.metadata load on first use, not at import
    from collections.abc import Callable, Iterable
    from typing import Any, NamedTuple

    import pluggy

    from .address import AddressCodec
    from .records import CmsgCodec, Family, UriScheme
    from .sockopt import SockOpt

__all__ = [
    "PluginConflictError",
    "PluginInfo",
    "PluginLoadWarning",
    "Tables",
    "missing_name_hint",
    "plugin_manager",
    "register",
    "tables",
    "unregister",
]

ENTRY_POINT_GROUP = "sockcore"
CORE_DISTRIBUTION = "sockcore"

#: constant-name prefixes that become members of the stdlib's IntEnums
ENUM_PREFIXES = {"AddressFamily": "AF_", "AddressInfo": "AI_"}


class PluginConflictError(ImportError):
    """Two plugins claim the same name, family or codec."""


class PluginLoadWarning(RuntimeWarning):
    """An installed plugin could not be imported, or declares a hook sockcore does not have.

    The message names the distribution; for a misspelt hook (``sockcore_familes``)
    it names the hook and the nearest real one.  The plugin's other hooks still load.
    """


#: entry-point name -> why it failed to load
load_errors: dict[str, str] = {}
#: plugin name -> one line per hook it declares that no hookspec defines (misspelt, ignored)
hook_errors: dict[str, list[str]] = {}


if TYPE_CHECKING:

    class _PluginInfo(NamedTuple):
        name: str
        distribution: str
        version: str

    class FamilyEntry(NamedTuple):
        family: Family
        plugin: PluginInfo

else:
    _PluginInfo = namedtuple("PluginInfo", "name distribution version")
    FamilyEntry = namedtuple("FamilyEntry", "family plugin")


class PluginInfo(_PluginInfo):
    """Where a plugin came from: its registered name and its distribution."""

    __slots__ = ()

    def __str__(self) -> str:
        return f"{self.distribution} {self.version} (plugin {self.name!r})"


class Tables:
    """Everything the plugins declared, folded into plain dicts."""

    def __init__(self, plugins: list[PluginInfo]) -> None:
        self.plugins = plugins
        self.families: dict[int, FamilyEntry] = {}
        self.codecs: dict[tuple[int, int | None], AddressCodec] = {}
        self.constants: dict[str, Any] = {}
        self.exports: dict[str, Any] = {}
        self.methods: dict[str, Callable[..., Any]] = {}
        self.sockopts: dict[str, SockOpt[Any]] = {}
        self.cmsg_codecs: dict[tuple[int, int], CmsgCodec] = {}
        self.uri_schemes: dict[str, UriScheme] = {}
        #: which plugin owns each name above
        self.owners: dict[str, PluginInfo] = {}
        #: core function -> default family number ("socket", "socketpair")
        self.defaults: dict[str, int] = {}
        self.enums: dict[str, type[enum.IntEnum]] = {}

    def codec_for(self, family: int, proto: int) -> AddressCodec | None:
        """The codec for a socket: the protocol's own, else the family's."""
        codecs = self.codecs
        return codecs.get((family, proto)) or codecs.get((family, None))

    def family_name(self, number: int) -> str | None:
        entry = self.families.get(number)
        return entry.family.name if entry else None


_lock = _thread.RLock()
_pm: pluggy.PluginManager | None = None
_plugin_info: dict[str, PluginInfo] = {}
_tables: Tables | None = None
#: callbacks run after the tables change (the sockcore module drops its name cache)
_listeners: list[Callable[[], None]] = []


def on_change(callback: Callable[[], None]) -> None:
    """Call ``callback`` whenever plugins are registered or unregistered."""
    _listeners.append(callback)


def plugin_manager() -> pluggy.PluginManager:
    """The pluggy PluginManager, with the core and the entry-point plugins loaded."""
    global _pm
    with _lock:
        if _pm is None:
            import importlib

            import pluggy

            # import_module, not `from . import`: the package's __getattr__ must not run here
            _builtin = importlib.import_module("sockcore._builtin")
            hookspecs = importlib.import_module("sockcore.hookspecs")
            pm = pluggy.PluginManager("sockcore")
            pm.add_hookspecs(hookspecs)

            pm.register(_builtin, name="sockcore")
            _plugin_info["sockcore"] = PluginInfo("sockcore", CORE_DISTRIBUTION, _version(CORE_DISTRIBUTION))
            _load_entry_points(pm)
            _pm = pm
        return _pm


def _version(distribution: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    if os.environ.get("SOCKCORE_DISABLE_PLUGIN_AUTOLOAD"):
        return
    wanted_env = os.environ.get("SOCKCORE_PLUGINS")
    wanted = {n.strip() for n in wanted_env.split(",") if n.strip()} if wanted_env else None
    from importlib import metadata

    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if wanted is not None and ep.name not in wanted:
            continue
        if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name):
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            # One broken plugin must not take every other family down with it:
            # warn, remember it for `sockcore doctor`, and go on.
            load_errors[ep.name] = f"{type(exc).__name__}: {exc}"
            warnings.warn(f"sockcore plugin {ep.name!r} ({ep.value}) failed to load: {exc}", PluginLoadWarning, stacklevel=2)
            continue
        dist = ep.dist
        info = PluginInfo(
            ep.name,
            dist.metadata["Name"] if dist is not None else "unknown",
            dist.version if dist is not None else "unknown",
        )
        pm.register(plugin, name=ep.name)
        _plugin_info[ep.name] = info
        _check_hooks(pm, ep.name, info)


def _unknown_hooks(pm: pluggy.PluginManager, name: str) -> list[str]:
    """The hook names a plugin declares that sockcore has no spec for (pluggy's check_pending).

    pluggy accepts an implementation of an unknown hook and never calls it; a
    ``sockcore_*`` attribute without the marker is ignored the same way.  Both
    are a misspelling until proven otherwise.
    """
    plugin = pm.get_plugin(name)
    callers = vars(pm.hook)
    unknown = {
        hook
        for hook, caller in callers.items()
        if not caller.has_spec()
        and any(impl.plugin_name == name and not impl.optionalhook for impl in caller.get_hookimpls())
    }
    unknown |= {
        attr
        for attr in dir(plugin)
        if attr.startswith("sockcore_") and attr not in callers and callable(getattr(plugin, attr, None))
    }
    return sorted(unknown)


def _check_hooks(pm: pluggy.PluginManager, name: str, info: PluginInfo) -> None:
    """Warn, naming the distribution, about every hook the plugin misspelt."""
    import difflib

    known = [hook for hook, caller in vars(pm.hook).items() if caller.has_spec()]
    problems = []
    for hook in _unknown_hooks(pm, name):
        near = difflib.get_close_matches(hook, known, n=1)
        problems.append(f"{hook} is not a sockcore hook" + (f" (did you mean {near[0]}?)" if near else ""))
    if problems:
        hook_errors[name] = problems
        warnings.warn(
            f"sockcore plugin {name!r} from {info.distribution} {info.version}: "
            + "; ".join(problems)
            + ": it is never called",
            PluginLoadWarning,
            stacklevel=3,
        )
    else:
        hook_errors.pop(name, None)


def register(plugin: object, name: str | None = None, *, distribution: str = "<runtime>") -> str:
    """Add a plugin (a module or any object with hook functions) at run time.

    The tables are rebuilt at once, so a conflict raises here and leaves the
    registry as it was.  Returns the name the plugin is registered under.
    """
    with _lock:
        pm = plugin_manager()
        registered = pm.register(plugin, name=name)
        if registered is None:
            raise ValueError(f"plugin {name or plugin!r} is already registered or blocked")
        _plugin_info[registered] = PluginInfo(registered, distribution, "")
        _check_hooks(pm, registered, _plugin_info[registered])
        try:
            _rebuild()
        except BaseException:
            pm.unregister(name=registered)
            _plugin_info.pop(registered, None)
            _rebuild()
            raise
        return registered


def unregister(plugin: object | None = None, *, name: str | None = None) -> None:
    """Remove a plugin registered with :func:`register` (by object or name)."""
    with _lock:
        pm = plugin_manager()
        removed = pm.unregister(plugin, name=name)
        if removed is None:
            raise ValueError(f"plugin {name or plugin!r} is not registered")
        for key in [k for k in _plugin_info if pm.get_plugin(k) is None]:
            del _plugin_info[key]
        _rebuild()


def tables() -> Tables:
    """The lookup tables, built on first use."""
    t = _tables
    if t is None:
        with _lock:
            if _tables is None:
                _rebuild()
            t = _tables
            assert t is not None
    return t


def _rebuild() -> None:
    global _tables
    pm = plugin_manager()
    _tables = _build(pm)
    for callback in _listeners:
        callback()


def _results(pm: pluggy.PluginManager, hook_name: str) -> Iterable[tuple[PluginInfo, Any]]:
    """Each plugin's answer to one hook, oldest registration first, with its origin."""
    hook = getattr(pm.hook, hook_name)
    for impl in hook.get_hookimpls():
        answer = impl.function()
        if answer is not None:
            yield _plugin_info.get(impl.plugin_name, PluginInfo(impl.plugin_name, "<runtime>", "")), answer


def _claim(t: Tables, key: str, info: PluginInfo, what: str) -> None:
    owner = t.owners.get(key)
    if owner is not None and owner != info:
        raise PluginConflictError(f"{what} is provided by both {owner} and {info}; uninstall one of them")
    t.owners[key] = info


def _build(pm: pluggy.PluginManager) -> Tables:
    t = Tables(plugins=[_plugin_info[n] for n, _ in pm.list_name_plugin() if n in _plugin_info])

    for info, families in _results(pm, "sockcore_families"):
        for fam in families:
            _claim(t, f"family {fam.number}", info, f"address family {fam.number} ({fam.name})")
            t.families[fam.number] = FamilyEntry(fam, info)
            for use in fam.default_for:
                _claim(t, f"default:{use}", info, f"the default family of {use}()")
                t.defaults[use] = fam.number

    for info, codecs in _results(pm, "sockcore_address_codecs"):
        for codec in codecs:
            key = (codec.family, codec.proto)
            _claim(t, f"codec {key}", info, f"the address codec for family {codec.family}, proto {codec.proto}")
            t.codecs[key] = codec

    for info, constants in _results(pm, "sockcore_constants"):
        for name, value in constants.items():
            _claim(t, name, info, name)
            t.constants[name] = value
    # The numbers of families no plugin serves (AF_X25 ...), as the stdlib has
    # them; a plugin that declares one of these names has taken it over above.
    for name, value in UNSERVED_FAMILIES.items():
        if name not in t.constants:
            t.constants[name] = value
            t.owners[name] = _plugin_info["sockcore"]

    for info, exports in _results(pm, "sockcore_exports"):
        for name, value in exports.items():
            _claim(t, name, info, name)
            t.exports[name] = value

    for info, methods in _results(pm, "sockcore_socket_methods"):
        for name, function in methods.items():
            _claim(t, f"method {name}", info, f"the socket method {name}()")
            t.methods[name] = function

    for info, options in _results(pm, "sockcore_sockopts"):
        for opt in options:
            _claim(t, f"option {opt.name}", info, f"the socket option {opt.name}")
            t.sockopts[opt.name] = opt

    for info, cmsgs in _results(pm, "sockcore_cmsg_codecs"):
        for codec in cmsgs:
            key2 = (codec.level, codec.type)
            _claim(t, f"cmsg {key2}", info, f"the ancillary-data codec {codec.name}")
            t.cmsg_codecs[key2] = codec

    for info, schemes in _results(pm, "sockcore_uri_schemes"):
        for scheme in schemes:
            _claim(t, f"uri {scheme.scheme}", info, f"the URI scheme {scheme.scheme}:")
            t.uri_schemes[scheme.scheme] = scheme

    _build_enums(t)
    return t


def _build_enums(t: Tables) -> None:
    """AddressFamily and AddressInfo from the plugins' AF_* and AI_* names, as the stdlib does."""
    for enum_name, prefix in ENUM_PREFIXES.items():
        members = {
            name: value
            for name, value in t.constants.items()
            if name.startswith(prefix) and name.isupper() and isinstance(value, int)
        }
        # the functional API, as the stdlib's IntEnum._convert_ builds them
        base: Any = enum.IntFlag if enum_name == "AddressInfo" else enum.IntEnum
        made: type[enum.IntEnum] = base(enum_name, members, module="sockcore")
        t.enums[enum_name] = made
        for name in members:
            t.constants[name] = made[name]


# -------------------------------------------------------------------------
# Names that are not installed
# -------------------------------------------------------------------------

_catalogue: dict[str, Any] | None = None


def catalogue() -> dict[str, Any]:
    """The generated catalogue of first-party plugins: which distribution provides which name."""
    global _catalogue
    if _catalogue is None:
        import json

        path = os.path.join(os.path.dirname(__file__), "catalogue.json")
        try:
            with open(path, encoding="utf-8") as f:
                _catalogue = json.load(f)
        except (OSError, ValueError):
            _catalogue = {"names": {}, "families": {}}
    return _catalogue


def missing_name_hint(name: str) -> str | None:
    """``"provided by sockcore-can, which is not installed ..."`` for a known name, else None."""
    dist = catalogue().get("names", {}).get(name)
    if dist is None:
        return None
    return f"{name} is provided by {dist}, which is not installed (pip install {dist})"


def missing_family_hint(number: int) -> str | None:
    """The same hint for a family number (a CAN socket with sockcore-can missing)."""
    entry = catalogue().get("families", {}).get(str(number))
    if entry is None:
        return None
    name, dist = entry["name"], entry["distribution"]
    return f"address family {number} ({name}) is provided by {dist}, which is not installed (pip install {dist})"
