"""sockcore-packet: AF_PACKET for sockcore.

Static names, usable without the plugin machinery::

    from sockcore_packet import ETH_P_ALL, PACKET_HOST, PacketAddress

The constants come from the generated table for this platform
(``_constants/linux.py``); the records are the typed values of the
address, the options and the PACKET_AUXDATA ancillary message.
"""

from ._constants import *  # noqa: F403
from ._constants import CONSTANTS
from .records import AuxData, Fanout, PacketAddress, PacketMreq, PacketStats

__all__ = ["CONSTANTS", "AuxData", "Fanout", "PacketAddress", "PacketMreq", "PacketStats", *CONSTANTS]
