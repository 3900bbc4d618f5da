"""check_codec and the junk strategy: the address-codec contract, as hypothesis checks it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..plugin import AddressCodec
from .contract import FakeSocket

__all__ = ["CODEC_ERRORS", "check_codec", "junk", "outcome"]

#: what a codec may raise for bad input (UnicodeError is a ValueError)
CODEC_ERRORS: tuple[type[Exception], ...] = (TypeError, ValueError, OverflowError)


def junk(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    """Anything a caller might pass as an address: scalars, and tuples and lists of them."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=8)
        | st.binary(max_size=8)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=5).map(tuple) | st.lists(inner, max_size=3),
        max_leaves=max_leaves,
    )


def _mutations(address: Any) -> st.SearchStrategy[Any]:
    """A valid tuple address with one field replaced by junk (the likeliest real mistake)."""
    if not isinstance(address, tuple) or not address:
        return st.nothing()
    fields = list(address)

    def replace(choice: tuple[int, Any]) -> tuple[Any, ...]:
        index, value = choice
        return (*fields[:index], value, *fields[index + 1 :])

    return st.tuples(st.integers(0, len(fields) - 1), junk(3)).map(replace)


def check_codec(
    codec: AddressCodec,
    valid_addresses: Iterable[Any] | st.SearchStrategy[Any],
    *,
    sock: Any = None,
    errors: tuple[type[Exception], ...] = CODEC_ERRORS,
    max_examples: int = 200,
    inputs: st.SearchStrategy[Any] | None = None,
) -> None:
    """The contract every address codec keeps (``AddressCodec`` in DESIGN.md).

    - each valid address encodes, decodes back equal, and re-encodes to the same bytes;
      ``valid_addresses`` is a list, or a hypothesis strategy that draws them;
    - junk, and valid addresses with one field replaced by junk, raise only ``errors``
      (add ``OSError`` for a codec that looks up interfaces or names);
    - every truncated body, and the body with trailing bytes, decode or raise only ``errors``;
    - ``stable(address)``, where defined, answers a bool for anything and is True only
      when encoding that very object twice gives the same bytes.

    ``sock`` is what the codec is told about the socket (default: a :class:`FakeSocket`
    of the codec's family).  ``inputs`` replaces the junk strategy: a codec that
    resolves host names must never be handed random text (it would reach a DNS
    server).  Raises AssertionError naming the input that broke it.
    """
    sock = sock if sock is not None else FakeSocket(codec.family, proto=codec.proto or 0)
    stable = getattr(codec, "stable", None)
    if isinstance(valid_addresses, st.SearchStrategy):
        valid, fixed = valid_addresses, []
    else:
        fixed = list(valid_addresses)
        assert fixed, "check_codec needs at least one valid address"
        valid = st.sampled_from(fixed)

    def round_trips(address: Any) -> None:
        body = codec.encode(address, sock)
        assert isinstance(body, bytes), f"encode({address!r}) returned {type(body).__name__}, not bytes"
        decoded = codec.decode(body, sock)
        assert decoded == address, f"{address!r} encodes to {body.hex()}, which decodes to {decoded!r}"
        assert codec.encode(decoded, sock) == body, f"{decoded!r} (decoded) encodes differently from {address!r}"
        if stable is not None and stable(address):
            assert codec.encode(address, sock) == body, f"stable({address!r}) but it encodes differently twice"
        for cut in [*range(len(body)), len(body) + 1, len(body) + 8]:
            piece = body[:cut] if cut <= len(body) else body + bytes(cut - len(body))
            try:
                codec.decode(piece, sock)
            except errors:
                pass
            except Exception as exc:
                raise AssertionError(
                    f"decode of {len(piece)} bytes ({piece.hex()}) raised {type(exc).__name__}: {exc}"
                ) from exc

    def refuses_cleanly(address: Any) -> None:
        with contextlib.suppress(*errors):
            codec.encode(address, sock)
        if stable is not None:
            answer = stable(address)
            assert answer in (True, False), f"stable({address!r}) returned {answer!r}, not a bool"
            if answer:
                first = codec.encode(address, sock)
                assert codec.encode(address, sock) == first, f"stable({address!r}) but it encodes differently"

    for address in fixed:  # every listed address, not just the ones hypothesis draws
        round_trips(address)
    strategy = inputs if inputs is not None else junk() | valid.flatmap(_mutations)
    checks = settings(max_examples=max_examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    checks(given(valid)(round_trips))()
    checks(given(strategy)(refuses_cleanly))()


def outcome(call: Callable[[], object]) -> type[BaseException] | None:
    """What ``call()`` raised, for differential tests against the stdlib: None when it returned.

    An OSError with an errno is the kernel's (or resolver's) answer to an address that
    parsed, so it counts as None too: ``outcome(lambda: ours.bind(a)) == outcome(lambda: theirs.bind(a))``.
    """
    try:
        call()
    except OSError as exc:
        return None if exc.errno is not None else type(exc)
    except Exception as exc:
        return type(exc)
    return None
