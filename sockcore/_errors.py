"""The module's exceptions, in the stdlib's hierarchy."""

__all__ = ["error", "gaierror", "herror", "timeout"]

#: ``socket.error`` has been an alias of OSError since Python 3.3.
error = OSError
#: ``socket.timeout`` has been an alias of TimeoutError since Python 3.10.
timeout = TimeoutError


class herror(OSError):
    """An address error from the ``gethostby*`` family: ``(h_errno, hstrerror(h_errno))``."""


class gaierror(OSError):
    """An error from getaddrinfo()/getnameinfo(): ``(EAI_* code, gai_strerror(code))``."""


herror.__module__ = gaierror.__module__ = "sockcore"
