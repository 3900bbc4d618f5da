"""The stdlib's IntEnums.

``SocketKind`` and ``MsgFlag`` hold only core-owned names, so they are built
at import from the core's generated table.  ``AddressFamily`` and
``AddressInfo`` hold names the plugins provide: the registry builds them when
it loads the plugins (:func:`sockcore.registry._build_enums`).
"""

from __future__ import annotations

import enum

from ._constants import CONSTANTS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MsgFlag", "SocketKind", "to_enum"]


def _members(prefix: str) -> dict[str, int]:
    return {name: value for name, value in CONSTANTS.items() if name.startswith(prefix) and name.isupper()}


SocketKind = enum.IntEnum("SocketKind", _members("SOCK_"), module="sockcore")  # type: ignore[misc]
MsgFlag = enum.IntFlag("MsgFlag", _members("MSG_"), module="sockcore")  # type: ignore[misc]


def to_enum(value: int, enum_class: Any) -> int:
    """``enum_class(value)`` when it has such a member, else the plain int (as the stdlib)."""
    if enum_class is None:
        return value
    try:
        return enum_class(value)  # type: ignore[no-any-return]
    except ValueError:
        return value
