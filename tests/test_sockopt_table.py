"""Every typed option in the registry: get -> set the same value -> get again.

The kernel may round or double what is set (SO_RCVBUF), so the test sets the
value it just read back: a codec that packs or unpacks wrongly cannot survive
that round trip, whatever the option.  Options a socket of that kind does not
support are skipped with the kernel's reason, as nix's tests do.
"""

from __future__ import annotations

import errno
from typing import Any

import pytest

import sockcore
from sockcore import registry
from sockcore.sockopt import SockOpt

NOT_APPLICABLE = {errno.ENOPROTOOPT, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM, errno.ENOENT,
                  errno.ENOTCONN, errno.EAFNOSUPPORT, errno.EPROTONOSUPPORT, errno.ESOCKTNOSUPPORT,
                  errno.ENODEV, errno.EACCES, errno.EBADF}


def all_options() -> list[SockOpt[Any]]:
    return sorted(registry.tables().sockopts.values(), key=lambda o: o.name)


def socket_for(opt: SockOpt[Any]) -> sockcore.socket:
    """A socket of the option's family (by AF_* name), or of the socketpair default."""
    t = registry.tables()
    if opt.family:
        for entry in t.families.values():
            fam = entry.family
            if opt.family in (fam.name, entry.plugin.name) and fam.probe is not None:
                kind, proto = fam.probe
                try:
                    return sockcore.socket(fam.number, kind, proto)
                except OSError as exc:
                    pytest.skip(f"{fam.name} sockets are not available here: {exc}")
        pytest.skip(f"no creatable family for {opt.family}")
    a, b = sockcore.socketpair()
    b.close()
    return a


#: options qemu-user does not translate (../shared/tools/PLATFORM-LANE.md)
_QEMU_UNTRANSLATED = {
    "TCP_INFO": pytest.mark.qemu("qemu-user answers TCP_INFO with 4 bytes, not struct tcp_info"),
}


@pytest.mark.parametrize(
    "opt", [pytest.param(o, marks=_QEMU_UNTRANSLATED.get(o.name, ())) for o in all_options()], ids=lambda o: o.name
)
def test_get_set_round_trip(opt: SockOpt[Any]) -> None:
    with socket_for(opt) as sock:
        if opt.access == "w":
            pytest.skip("write-only option")
        try:
            value = sock.getopt(opt)
        except OSError as exc:
            if exc.errno in NOT_APPLICABLE:
                pytest.skip(f"not applicable to this socket: {exc}")
            raise
        assert isinstance(value, object)
        if opt.access == "r":
            with pytest.raises(ValueError, match="read-only"):
                sock.setopt(opt, value)
            return
        try:
            sock.setopt(opt, value)
        except OSError as exc:
            if exc.errno in NOT_APPLICABLE:
                pytest.skip(f"cannot be set on this socket: {exc}")
            raise
        again = sock.getopt(opt)
        if opt.kernel_adjusts:
            assert type(again) is type(value)
        else:
            assert again == value


def test_typed_matches_untyped() -> None:
    a, b = sockcore.socketpair()
    with a, b:
        opts = sockcore.options
        a.setopt(opts.SO_KEEPALIVE, True)
        assert a.getsockopt(sockcore.SOL_SOCKET, sockcore.SO_KEEPALIVE) == 1
        assert a.getopt(opts.SO_KEEPALIVE) is True
        a.setopt(opts.SO_LINGER, opts.SO_LINGER.codec.make(1, 7))
        assert tuple(a.getopt(opts.SO_LINGER)) == (1, 7)
        cred = a.getopt(opts.SO_PEERCRED)
        import os

        assert (cred.pid, cred.uid, cred.gid) == (os.getpid(), os.getuid(), os.getgid())


def test_bad_values() -> None:
    a, b = sockcore.socketpair()
    with a, b:
        opts = sockcore.options
        with pytest.raises(TypeError):
            a.setopt(opts.SO_RCVBUF, "big")
        with pytest.raises(OverflowError):
            a.setopt(opts.SO_RCVBUF, 2**40)
        with pytest.raises(TypeError):
            a.setopt(opts.SO_LINGER, 5)
