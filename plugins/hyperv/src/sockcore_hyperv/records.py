"""The record type of AF_HYPERV addresses."""

from __future__ import annotations

from typing import NamedTuple

from sockcore.address import tuple_text


@tuple_text
class HyperVAddress(NamedTuple):
    """``SOCKADDR_HV`` as the stdlib shows it: ``(vm_id, service_id)``, two GUID strings."""

    vm_id: str
    service_id: str
