"""Addresses print as the stdlib's plain tuples.

A family's address is a NamedTuple: its fields have names and types, and it
compares equal to the tuple the stdlib returns.  Its text must be equal too:
log lines, messages built with ``%s`` or f-strings, doctests and golden
files compare ``str(address)`` and ``repr(address)``.

Kept free of ``typing``: the core applies it at import (RawAddress).
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _Tuple = TypeVar("_Tuple", bound="type[tuple[Any, ...]]")

__all__ = ["argument_type_name", "tuple_text", "type_name"]


def tuple_text(cls: "_Tuple") -> "_Tuple":
    """Class decorator: ``str()`` and ``repr()`` of the NamedTuple ``cls`` are the plain tuple's.

    ``IPv4Address('127.0.0.1', 8080)`` prints ``('127.0.0.1', 8080)``; the
    fields (``.host``, ``.port``) stay.  ``str()`` follows, since a
    NamedTuple defines no ``__str__`` of its own.
    """
    cls.__repr__ = tuple.__repr__  # type: ignore[method-assign]
    return cls


def type_name(value: "Any") -> str:
    """The type name the stdlib's error messages give ``value``: an address prints as a tuple, so is named one.

    CPython names the type of what it was given (``not 'tuple'``); an address
    sockcore returned is a NamedTuple, and a message naming ``IPv4Address``
    where the stdlib says ``tuple`` would differ for the same program.
    """
    cls: Any = type(value)
    return "tuple" if issubclass(cls, tuple) and cls.__repr__ is tuple.__repr__ else str(cls.__name__)


def argument_type_name(value: "Any") -> str:
    """How CPython's argument converters name a wrong argument's type: ``None`` for None.

    ``must be int, not None`` (getargs' converterr), where a message built
    from the type alone would say ``NoneType``; addresses are named as by
    :func:`type_name`.
    """
    return "None" if value is None else type_name(value)
