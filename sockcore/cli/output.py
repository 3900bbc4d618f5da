"""Plain-text tables and JSON for the listing commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

__all__ = ["print_json", "print_table"]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], out: TextIO | None = None) -> None:
    """Columns padded to their widest cell; the last column is never padded."""
    out = out or sys.stdout
    cells = [[str(c) for c in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    for row in [list(headers), ["-" * w for w in widths], *cells]:
        line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:-1]))
        out.write((line + "  " + row[-1] if line else row[-1]).rstrip() + "\n")


def print_json(data: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    json.dump(data, out, indent=1, default=str)
    out.write("\n")
