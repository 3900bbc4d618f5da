"""The record types of AF_TIPC: its address and the TIPC_GROUP_JOIN request."""

from __future__ import annotations

from typing import NamedTuple

from sockcore.address import tuple_text


@tuple_text
class TipcAddress(NamedTuple):
    """``struct sockaddr_tipc`` as the stdlib shows it: ``(addr_type, v1, v2, v3, scope)``.

    The meaning of ``v1``-``v3`` depends on ``addr_type``:

    * ``TIPC_ADDR_NAMESEQ`` (service range): ``(type, lower, upper)``
    * ``TIPC_ADDR_NAME`` (service address): ``(type, instance, instance)``
      (``v3`` is ignored when encoding, and repeats ``instance`` when decoding)
    * ``TIPC_ADDR_ID`` (socket address): ``(node, ref, 0)``
    """

    addr_type: int
    v1: int
    v2: int
    v3: int
    scope: int


class GroupRequest(NamedTuple):
    """``struct tipc_group_req``: the value of TIPC_GROUP_JOIN."""

    type: int
    instance: int
    scope: int
    flags: int
