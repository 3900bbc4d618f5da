"""PF_SYSTEM's constants on macOS, written by hand.

There is no Linux header to generate them from.  Sources: macOS's
``<sys/sys_domain.h>`` (AF_SYSTEM, SYSPROTO_*, AF_SYS_CONTROL) and
``<sys/kern_control.h>`` (MAX_KCTL_NAME, CTLIOC*, CTL_*, KEV_CTL_*), and
CPython's ``Modules/socketmodule.c``, which exports PF_SYSTEM, AF_SYSTEM and
SYSPROTO_CONTROL.  ``CTLIOC*`` are the expanded ``_IOR``/``_IOWR`` values.
"""

from typing import Final

AF_SYSTEM: Final = 32  # sys/socket.h
PF_SYSTEM: Final = 32  # == AF_SYSTEM
SYSPROTO_EVENT: Final = 1  # sys_domain.h: kernel events protocol
SYSPROTO_CONTROL: Final = 2  # sys_domain.h: kernel control protocol
AF_SYS_CONTROL: Final = 2  # sys_domain.h: sockaddr_ctl.ss_sysaddr for SYSPROTO_CONTROL

MAX_KCTL_NAME: Final = 96  # kern_control.h: ctl_info.ctl_name size
CTLIOCGCOUNT: Final = 0x40044E02  # _IOR('N', 2, int)
CTLIOCGINFO: Final = 0xC0644E03  # _IOWR('N', 3, struct ctl_info): name -> id
CTL_FLAG_PRIVILEGED: Final = 0x1
CTL_FLAG_REG_ID_UNIT: Final = 0x2
CTL_FLAG_REG_SOCK_STREAM: Final = 0x4
CTL_DATA_NOWAKEUP: Final = 0x1
CTL_DATA_EOR: Final = 0x2
KEV_CTL_SUBCLASS: Final = 2
KEV_CTL_REGISTERED: Final = 1
KEV_CTL_DEREGISTERED: Final = 2

CONSTANTS: Final[dict[str, int]] = {
    "AF_SYSTEM": AF_SYSTEM,
    "PF_SYSTEM": PF_SYSTEM,
    "SYSPROTO_EVENT": SYSPROTO_EVENT,
    "SYSPROTO_CONTROL": SYSPROTO_CONTROL,
    "AF_SYS_CONTROL": AF_SYS_CONTROL,
    "MAX_KCTL_NAME": MAX_KCTL_NAME,
    "CTLIOCGCOUNT": CTLIOCGCOUNT,
    "CTLIOCGINFO": CTLIOCGINFO,
    "CTL_FLAG_PRIVILEGED": CTL_FLAG_PRIVILEGED,
    "CTL_FLAG_REG_ID_UNIT": CTL_FLAG_REG_ID_UNIT,
    "CTL_FLAG_REG_SOCK_STREAM": CTL_FLAG_REG_SOCK_STREAM,
    "CTL_DATA_NOWAKEUP": CTL_DATA_NOWAKEUP,
    "CTL_DATA_EOR": CTL_DATA_EOR,
    "KEV_CTL_SUBCLASS": KEV_CTL_SUBCLASS,
    "KEV_CTL_REGISTERED": KEV_CTL_REGISTERED,
    "KEV_CTL_DEREGISTERED": KEV_CTL_DEREGISTERED,
}
