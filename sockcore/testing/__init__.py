"""The test kit for plugin authors: a pytest plugin, opt-in.

Switch it on in the plugin's ``tests/conftest.py`` (or the root one)::

    pytest_plugins = ["sockcore.testing"]

or on the command line with ``pytest -p sockcore.testing`` (or ``addopts``).
It is deliberately not a ``pytest11`` entry point: pytest loads every such
entry point in every project of the environment, and this kit's autouse
descriptor-leak check and marker rules must not reach a test suite that did
not ask for them.

Layout: :mod:`.contract` (``check_plugin``: no test framework needed, so
``sockcore doctor --plugin`` uses it), :mod:`.codecs` (``check_codec``,
``junk``: hypothesis), :mod:`.pytest_plugin` (markers and fixtures).  The
last two load only where pytest and hypothesis are installed (the
``sockcore[testing]`` extra).

What it gives:

- markers ``kernel`` (runs only in the kernel lane, ``KERNEL_LANE_GUEST=1``),
  ``root``, ``netns``, ``slow``, and ``family(number, type, proto)``: skip
  unless this kernel can create such a socket;
- an autouse check that each test module closes every descriptor it opens;
- fixtures ``isolated_registry`` (register plugins for one test, always
  unregistered after) and ``fake_socket``;
- :class:`FakeSocket`, :func:`junk` (hypothesis strategy of wrong inputs),
  :func:`check_codec` and :func:`check_plugin`, the checks every family
  plugin's tests run;
- :func:`fill`, :func:`drain` and :func:`bounded_call` (:mod:`.queues`): a
  full send path, an empty receive queue, and a call that fails the test
  (:class:`Blocked`) instead of hanging it, for tests of calls that wait;
- :class:`Index` (:mod:`.values`): an int-like object that is not an int,
  for differential tests of argument converters.
"""

from __future__ import annotations

from .contract import (
    FakeSocket,
    PluginCheckError,
    PluginReport,
    check_plugin,
    registered,
    static_import_problems,
)
from .queues import Blocked, bounded_call, drain, fill
from .values import Index

__all__ = [
    "CODEC_ERRORS",
    "Blocked",
    "FakeSocket",
    "Index",
    "PluginCheckError",
    "PluginReport",
    "RegistryFixture",
    "bounded_call",
    "check_codec",
    "check_plugin",
    "drain",
    "family_available",
    "fill",
    "junk",
    "outcome",
    "plugin_fixture",
    "registered",
    "static_import_problems",
]

try:
    import hypothesis  # noqa: F401
    import pytest  # noqa: F401
except ImportError:  # an install without the test extras: check_plugin still works (doctor)
    pass
else:
    from .codecs import CODEC_ERRORS, check_codec, junk, outcome

    # what pytest looks for in the module named by -p / pytest_plugins: hooks and fixtures
    from .pytest_plugin import (  # noqa: F401
        RegistryFixture,
        fake_socket,
        family_available,
        isolated_registry,
        no_fd_leaks,
        plugin_fixture,
        pytest_collection_modifyitems,
        pytest_configure,
    )
