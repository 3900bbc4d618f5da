"""AF_MCTP's socket option (level SOL_MCTP): one table line each."""

from __future__ import annotations

from sockcore.plugin import BOOL, option_table

from ._constants import CONSTANTS, SOL_MCTP

__all__ = ["MCTP_OPTIONS"]

opt = option_table("AF_MCTP", SOL_MCTP, CONSTANTS)

MCTP_OPTIONS = (
    opt("MCTP_OPT_ADDR_EXT", BOOL, "recvfrom returns MctpExtAddress: the interface and hardware address too"),
)
