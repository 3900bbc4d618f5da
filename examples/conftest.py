"""The examples are separate distributions; from sockcore's tree their tests run on their sources.

Each example's ``src`` goes on ``sys.path`` when the example is not installed,
and its tests register the plugin at run time (``sockcore.testing.plugin_fixture``).
"""

import importlib.util
import sys
from pathlib import Path

for _src in sorted(Path(__file__).resolve().parent.glob("sockcore-*/src")):
    _package = next((p.name for p in _src.iterdir() if p.name.startswith("sockcore_")), None)
    if _package is not None and importlib.util.find_spec(_package) is None:
        sys.path.append(str(_src))
