"""The hook contract between the sockcore core and its family plugins.

A plugin is a module (or any object) with functions named after the hooks
below, marked with :data:`sockcore.plugin.hookimpl`;
:class:`sockcore.plugin.StaticPlugin` is such an object for fixed tables.  It
is found through the ``sockcore`` entry-point group or added at run time with
:func:`sockcore.registry.register`.

Every hook returns *declarative data*: records, mappings, codecs.  Plugins
never mutate the core; the registry collects what every plugin returns, checks
that no two plugins claim the same name, and builds plain lookup tables once.
Hooks are called when the tables are (re)built, never on a data path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .address import AddressCodec
    from .records import CmsgCodec, Family, UriScheme
    from .sockopt import SockOpt

hookspec = pluggy.HookspecMarker("sockcore")


# -------------------------------------------------------------------------
# Families and addresses
# -------------------------------------------------------------------------


@hookspec
def sockcore_families() -> Sequence[Family]:
    """Return the address families this plugin provides.

    Each :class:`~sockcore.records.Family` names its number, which core
    functions default to it (``default_for={"socketpair"}``), and how to
    probe whether the running kernel supports it.  Two plugins may not
    provide the same family number.
    """
    raise NotImplementedError


@hookspec
def sockcore_address_codecs() -> Sequence[AddressCodec]:
    """Return the address codecs this plugin provides.

    Each codec is keyed by ``(codec.family, codec.proto)``; ``proto`` ``None``
    serves every protocol of the family.  Two plugins may not provide a codec
    for the same key.
    """
    raise NotImplementedError


# -------------------------------------------------------------------------
# Names
# -------------------------------------------------------------------------


@hookspec
def sockcore_constants() -> Mapping[str, Any]:
    """Return this platform's constants, ``{name: value}``.

    Usually the plugin's generated table plus the documented names the
    headers lack.  They become attributes of the ``sockcore`` module.  ``AF_*``,
    ``SOCK_*``, ``MSG_*`` and ``AI_*`` names also become members of the
    :class:`AddressFamily`, :class:`SocketKind`, :class:`MsgFlag` and
    :class:`AddressInfo` enums, as in the stdlib.
    """
    raise NotImplementedError


@hookspec
def sockcore_exports() -> Mapping[str, Any]:
    """Return other module-level names: functions, classes, flags.

    ``getaddrinfo``, ``inet_pton``, ``send_fds``, ``has_ipv6`` ... become
    attributes of the ``sockcore`` module, just like constants.
    """
    raise NotImplementedError


@hookspec
def sockcore_socket_methods() -> Mapping[str, Callable[..., Any]]:
    """Return extra socket methods, ``{name: function(sock, *args, **kwargs)}``.

    ``sendmsg_afalg`` reaches ``sockcore.socket`` this way: the core's
    socket class looks an unknown attribute up here and binds it.
    """
    raise NotImplementedError


# -------------------------------------------------------------------------
# Options and ancillary data
# -------------------------------------------------------------------------


@hookspec
def sockcore_sockopts() -> Sequence[SockOpt[Any]]:
    """Return typed socket options (:class:`~sockcore.sockopt.SockOpt`).

    They are reachable as ``sockcore.options.NAME`` and usable with
    ``sock.getopt(opt)`` / ``sock.setopt(opt, value)``.
    """
    raise NotImplementedError


@hookspec
def sockcore_cmsg_codecs() -> Sequence[CmsgCodec]:
    """Return typed ancillary-data codecs, each keyed by ``(level, type)``."""
    raise NotImplementedError


# -------------------------------------------------------------------------
# The command line
# -------------------------------------------------------------------------


@hookspec
def sockcore_uri_schemes() -> Sequence[UriScheme]:
    """Return URI schemes for the ``sockcore`` command (``tcp://``, ``unix:`` ...)."""
    raise NotImplementedError
