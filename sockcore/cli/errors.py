"""The one exception the commands raise for a user-facing failure."""

from __future__ import annotations

__all__ = ["CliError", "describe_oserror"]


class CliError(Exception):
    """A failure the user can act on: printed as one line, exit status ``status``."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def describe_oserror(exc: OSError) -> str:
    """``Connection refused`` rather than ``[Errno 111] Connection refused``."""
    if isinstance(exc, TimeoutError) and not exc.strerror:
        return str(exc) or "timed out"
    return exc.strerror or str(exc) or type(exc).__name__
