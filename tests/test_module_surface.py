"""Every public name of the stdlib's socket module is in sockcore, with the same value.

`import sockcore as socket` must lose no name a program can reach: constants
are equal and are members of the same enum (``repr`` matches), functions and
classes are there.  A name whose plugin is not installed is skipped.
"""

from __future__ import annotations

import socket as stdlib
from typing import Any

import pytest

import sockcore

#: names of the stdlib module that are its own imports, not its API
IMPORTS = {"array", "errno", "io", "os", "selectors", "sys", "IntEnum", "IntFlag"}
#: a capsule of _socket's C API: sockcore has no C module to export
NO_EQUIVALENT = {"CAPI"}

STDLIB_NAMES = sorted(n for n in dir(stdlib) if not n.startswith("_") and n not in IMPORTS | NO_EQUIVALENT)


def ours(name: str) -> Any:
    try:
        return getattr(sockcore, name)
    except AttributeError as exc:
        if "not installed" in str(exc):
            pytest.skip(str(exc))
        raise


@pytest.mark.parametrize("name", STDLIB_NAMES)
def test_stdlib_name_is_in_sockcore(name: str) -> None:
    theirs, mine = getattr(stdlib, name), ours(name)
    if isinstance(theirs, int):
        assert mine == theirs
        assert repr(mine) == repr(theirs)  # the same enum member, or a plain int as there
    elif isinstance(theirs, type):
        assert isinstance(mine, type)
        if issubclass(theirs, BaseException):
            assert [c.__name__ for c in mine.__mro__] == [c.__name__ for c in theirs.__mro__]
    else:
        assert callable(mine) == callable(theirs)


def test_unserved_family_numbers_are_address_families() -> None:
    for name in ("AF_X25", "AF_BRIDGE", "AF_KEY", "AF_APPLETALK"):
        number = getattr(stdlib, name)
        assert sockcore.AddressFamily(number) is getattr(sockcore, name)
    assert sockcore.AF_DECnet == stdlib.AF_DECnet  # not upper case: a plain int there too
    assert not hasattr(sockcore.AddressFamily, "AF_DECnet")


def test_module_dup_matches_the_stdlib() -> None:
    import os

    a, b = sockcore.socketpair()
    with a, b:
        fd = sockcore.dup(a.fileno())
        try:
            assert fd != a.fileno()
            assert not os.get_inheritable(fd)
            os.write(fd, b"x")
            assert b.recv(1) == b"x"
        finally:
            os.close(fd)
    for bad in (-1, 2**31, 2**63, "3", 1.5, None):
        with pytest.raises(Exception) as std_exc:
            stdlib.dup(bad)  # type: ignore[arg-type]
        with pytest.raises(Exception) as our_exc:
            sockcore.dup(bad)  # type: ignore[arg-type]
        assert type(our_exc.value) is type(std_exc.value), bad
        assert getattr(our_exc.value, "errno", None) == getattr(std_exc.value, "errno", None)
