"""The record type of PF_SYSTEM / SYSPROTO_CONTROL addresses."""

from __future__ import annotations

from typing import NamedTuple

from sockcore.address import tuple_text


@tuple_text
class ControlAddress(NamedTuple):
    """``struct sockaddr_ctl`` as the stdlib shows it: ``(id, unit)``."""

    id: int
    unit: int
