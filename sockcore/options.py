"""Every typed socket option the installed plugins declare, by name.

``sockcore.options.SO_RCVBUF`` is a :class:`~sockcore.sockopt.SockOpt`; use it
with ``sock.getopt(...)`` and ``sock.setopt(..., value)``.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    from .registry import tables

    try:
        return tables().sockopts[name]
    except KeyError:
        raise AttributeError(f"no installed plugin declares a socket option named {name!r}") from None


def __dir__() -> list[str]:
    from .registry import tables

    return sorted(tables().sockopts)
