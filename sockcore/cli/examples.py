"""Examples for --help, made from what the installed plugins declare (the core names no family)."""

from __future__ import annotations

import contextlib
import shlex
from typing import Any

from .. import registry
from ..address import RAW_CODEC, join_sockaddr

__all__ = ["Examples"]


def _quote(text: str) -> str:
    """Double quotes read better than shlex's for a tuple literal; shlex when they would not be safe."""
    return f'"{text}"' if not set(text) & set('"$`\\!') else shlex.quote(text)


class _Info:
    def __init__(self, family: int, type: int, proto: int) -> None:
        self.family, self.type, self.proto = family, type, proto

    def fileno(self) -> int:
        return -1


class Examples:
    """Example URIs (connection-oriented first), a family and a plugin name, or placeholders."""

    def __init__(self) -> None:
        self.streams: list[str] = []
        self.datagrams: list[str] = []
        self.family = "AF_NAME"
        self.plugin = "NAME"
        self.address = "ADDRESS"
        self.sockaddr_hex = "HEX"
        with contextlib.suppress(Exception):  # a broken installation still gets its --help
            self._collect(registry.tables())

    def _collect(self, t: registry.Tables) -> None:
        from .lookup import connection_oriented, literal_address

        parsed = []
        for name, scheme in t.uri_schemes.items():
            if not scheme.example:
                continue
            try:
                target = scheme.parse(scheme.example)
            except Exception:
                continue  # an example naming an interface this machine lacks
            entry = t.families.get(target.family)
            # the families a core function defaults to are the ones everyone has: show them first
            mainstream = entry is not None and bool(entry.family.default_for)
            parsed.append((not mainstream, name, scheme.example, target))
        first: Any = None
        for _, _, example, target in sorted(parsed, key=lambda p: (p[0], p[1])):
            stream = connection_oriented(target.type)
            (self.streams if stream else self.datagrams).append(example)
            if first is None or (stream and not connection_oriented(first.type)):
                first = target
        if first is not None:
            self.family = t.family_name(first.family) or str(first.family)
            self.address = _quote(literal_address(first.address))
            info = _Info(first.family, first.type, first.proto)
            codec = t.codec_for(first.family, first.proto) or RAW_CODEC
            with contextlib.suppress(Exception):
                self.sockaddr_hex = join_sockaddr(first.family, codec.encode(first.address, info)).hex()
        plugins = [p.name for p in t.plugins if p.distribution != registry.CORE_DISTRIBUTION]
        if plugins:
            self.plugin = plugins[0]

    def uri(self, index: int = 0) -> str:
        """The ``index``-th example URI, preferring connection-oriented ones."""
        uris = self.streams + self.datagrams
        return uris[index % len(uris)] if uris else "SCHEME:ADDRESS"

    def datagram_uri(self) -> str:
        return self.datagrams[0] if self.datagrams else self.uri()
