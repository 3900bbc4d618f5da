"""The timeout engine every blocking socket call goes through.

CPython's semantics, exactly:

* a socket is *blocking* (timeout ``None``), *non-blocking* (``0.0``) or has a
  *timeout* (``> 0``); the last two have O_NONBLOCK set on the descriptor;
* a call on a timeout socket tries the syscall, and when it would block waits
  with ``poll()`` until the descriptor is ready or the deadline passes, then
  raises ``TimeoutError("timed out")``;
* EINTR is retried with the remaining time (PEP 475) — ``select.poll`` and
  ``os.read``/``os.write`` do that themselves, and a signal handler that
  raises ends the call;
* one deadline covers a whole call, however many times it waits (``sendall``).

Calls try first and wait second: on a ready socket that saves a ``poll()``.
"""

from __future__ import annotations

import math
import operator
import select
from time import monotonic

__all__ = ["Deadline", "default_timeout", "set_default_timeout", "validate", "wait"]

_POLLIN = select.POLLIN
_POLLOUT = select.POLLOUT
_POLLERR = select.POLLERR | select.POLLHUP | select.POLLNVAL

_default: float | None = None
_PYTIME_MAX = (1 << 63) - 1  # CPython keeps timeouts as PyTime_t: int64 nanoseconds on every ABI
_NS_LIMIT = float(_PYTIME_MAX + 1)
_NS_PER_SECOND = 10**9
_MAX_INT_SECONDS = _PYTIME_MAX // _NS_PER_SECOND


def _overflow_message(seconds: float) -> str:
    """This interpreter's own OverflowError text for a timeout it cannot hold.

    select.select() converts its timeout with the same function as
    settimeout() (_PyTime_FromSecondsObject, rounding away from zero) and
    fails before any system call; the text names CPython's C type and changed
    between releases, patch releases included (3.13 made it PyTime_t).
    """
    try:
        select.select([], [], [], seconds)
    except OverflowError as exc:
        return str(exc)
    return "timestamp too large to convert to C _PyTime_t"  # not reached: the value cannot convert


_INT_OVERFLOW = _overflow_message(_MAX_INT_SECONDS + 1)
_FLOAT_OVERFLOW = _overflow_message(_NS_LIMIT)


def validate(value: object) -> float | None:
    """A timeout as the stdlib accepts it: None, a float, or anything with __index__.

    CPython first converts it to int64 nanoseconds, rounding away from zero
    (OverflowError, with the message of the float or the int conversion),
    then rejects negatives; the timeout it reports is those nanoseconds.
    """
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError("Invalid value NaN (not a number)")
        scaled = value * 1e9
        if not -_NS_LIMIT <= scaled < _NS_LIMIT:
            raise OverflowError(_FLOAT_OVERFLOW)
        # _PyTime_ROUND_TIMEOUT rounds away from zero: 1e-300 is 1 ns, not 0 (non-blocking)
        ns = math.ceil(scaled) if scaled >= 0 else math.floor(scaled)
    else:
        try:
            seconds = operator.index(value)  # type: ignore[arg-type]
        except TypeError:
            raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer") from None
        if not -_MAX_INT_SECONDS <= seconds <= _MAX_INT_SECONDS:
            raise OverflowError(_INT_OVERFLOW)
        ns = seconds * _NS_PER_SECOND
    if ns < 0:
        raise ValueError("Timeout value out of range")
    # back to seconds as CPython's _PyTime_AsSecondsDouble: exact for whole seconds
    return float(ns // _NS_PER_SECOND) if ns % _NS_PER_SECOND == 0 else ns / 1e9


def default_timeout() -> float | None:
    return _default


def set_default_timeout(value: object, /) -> None:
    global _default
    checked = validate(value)
    _default = checked  # one store: atomic under the GIL


class Deadline:
    """A monotonic deadline, started on first use so a ready call pays nothing."""

    __slots__ = ("_at", "_timeout")

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._at = -1.0

    def remaining(self) -> float:
        if self._at < 0:
            self._at = monotonic() + self._timeout
            return self._timeout
        return self._at - monotonic()


def wait(fd: int, writing: bool, deadline: Deadline | None) -> None:
    """Wait until ``fd`` is readable (or writable); raise TimeoutError at the deadline.

    ``deadline`` None waits forever (a blocking socket whose syscall was
    interrupted and cannot simply be restarted, such as connect).  Errors and
    hang-ups count as ready: the retried syscall then reports them.
    """
    poller = select.poll()
    poller.register(fd, (_POLLOUT if writing else _POLLIN) | _POLLERR)
    if deadline is None:
        poller.poll()
        return
    remaining = deadline.remaining()
    if remaining <= 0:
        raise TimeoutError("timed out")
    # poll() takes milliseconds: round up so we never wake before the deadline
    if not poller.poll(math.ceil(remaining * 1000)):
        raise TimeoutError("timed out")
