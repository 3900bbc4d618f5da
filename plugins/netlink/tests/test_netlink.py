"""AF_NETLINK: the codec, the constants, the options, the message reader, a real RTM_GETLINK dump."""

from __future__ import annotations

import contextlib
import os
import socket as stdlib
import sys
from typing import Any

import pytest
import sockcore_netlink
from hypothesis import given
from hypothesis import strategies as st
from sockcore_netlink import hooks
from sockcore_netlink.cmsg import decode_pktinfo, encode_pktinfo
from sockcore_netlink.codec import CODEC
from sockcore_netlink.message import (
    Attribute,
    Message,
    check_error,
    iter_attributes,
    iter_messages,
    pack_attribute,
    pack_message,
)
from sockcore_netlink.options import MEMBERSHIPS, NETLINK_OPTIONS
from sockcore_netlink.records import NetlinkAddress, NlPktinfo
from sockcore_netlink.rtnetlink import getlink_request, parse_links

import sockcore
import sockcore.address
from sockcore import registry
from sockcore.testing import FakeSocket, check_codec, check_plugin, junk, outcome

U32 = st.integers(0, 2**32 - 1)
ROUTE = sockcore_netlink.NETLINK_ROUTE


SOCK = FakeSocket(sockcore_netlink.AF_NETLINK, stdlib.SOCK_RAW)


# -- the codec ---------------------------------------------------------------------


@given(U32, U32)
def test_round_trip(pid: int, groups: int) -> None:
    body = CODEC.encode((pid, groups), SOCK)
    assert len(body) == 10  # sizeof(struct sockaddr_nl) - sizeof(sa_family_t)
    assert CODEC.decode(body, SOCK) == (pid, groups) == NetlinkAddress(pid, groups)


@pytest.mark.parametrize(
    ("address", "error"),
    [
        (5, TypeError),
        ((1,), TypeError),
        ((1, 2, 3), TypeError),
        ((1.0, 2), TypeError),
        ((1, "2"), TypeError),
    ],
)
def test_bad_addresses(address: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        CODEC.encode(address, SOCK)


@pytest.mark.parametrize("address", [(-1, 0), (0, 2**32), (2**64 + 1, -(2**40))])
def test_out_of_range_wraps_as_the_stdlib_and_strict_refuses(address: tuple[int, int]) -> None:
    """The stdlib's "II" masks to 32 bits (-1 is 0xffffffff); sockcore.strict() raises instead."""
    assert CODEC.encode(address, SOCK) == CODEC.encode(tuple(x & 0xFFFFFFFF for x in address), SOCK)
    with sockcore.address.strict(), pytest.raises(OverflowError):
        CODEC.encode(address, SOCK)


def test_codec_contract() -> None:
    check_codec(CODEC, [NetlinkAddress(0, 0), NetlinkAddress(2**32 - 1, 2**32 - 1)], sock=SOCK)


@given(st.binary(max_size=16))
def test_any_kernel_body_decodes(body: bytes) -> None:
    assert isinstance(CODEC.decode(body, SOCK), NetlinkAddress)


@given(st.tuples(U32, U32) | junk())
def test_errors_match_the_stdlib(address: object) -> None:
    """Same exception type as the stdlib's connect, which only records the peer (no message is sent)."""
    if (
        isinstance(address, tuple)
        and len(address) == 2
        and all(isinstance(x, int) for x in address)
        and not all(0 <= x < 2**32 for x in address)
    ):  # the stdlib wraps these to 32 bits, and so does the codec outside strict()
        with sockcore.address.strict(), pytest.raises(OverflowError):
            CODEC.encode(address, SOCK)
    ours = outcome(lambda: CODEC.encode(address, SOCK))
    with stdlib.socket(stdlib.AF_NETLINK, stdlib.SOCK_RAW, ROUTE) as theirs_sock:
        theirs = outcome(lambda: theirs_sock.connect(address))  # type: ignore[arg-type]
    assert ours == theirs


# -- names ---------------------------------------------------------------------------


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_netlink"])


def test_constants_match_the_stdlib() -> None:
    shared = [name for name in sockcore_netlink.CONSTANTS if hasattr(stdlib, name)]
    assert {"AF_NETLINK", "NETLINK_ROUTE", "NETLINK_USERSOCK", "NETLINK_XFRM", "NETLINK_CRYPTO"} <= set(shared)
    for name in shared:
        assert sockcore_netlink.CONSTANTS[name] == getattr(stdlib, name), name


def test_registry_view() -> None:
    t = registry.tables()
    assert t.family_name(stdlib.AF_NETLINK) == "AF_NETLINK"
    assert t.codec_for(stdlib.AF_NETLINK, ROUTE) is CODEC
    for opt in NETLINK_OPTIONS:
        assert t.sockopts[opt.name] is opt
    assert t.cmsg_codecs[(sockcore_netlink.SOL_NETLINK, sockcore_netlink.NETLINK_PKTINFO)].decode is decode_pktinfo


@given(U32)
def test_pktinfo_round_trip(group: int) -> None:
    assert decode_pktinfo(encode_pktinfo(NlPktinfo(group))) == (group,)


@given(st.lists(st.integers(1, 256), unique=True))
def test_memberships_codec(groups: list[int]) -> None:
    words = [0] * 8
    for group in groups:
        words[(group - 1) // 32] |= 1 << ((group - 1) % 32)
    data = b"".join(w.to_bytes(4, sys.byteorder) for w in words)  # u32 words in host order
    assert MEMBERSHIPS.unpack(data) == tuple(sorted(groups))


# -- the message reader ---------------------------------------------------------------

messages = st.builds(
    Message, st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), U32, U32, st.binary(max_size=40)
)


@given(st.lists(messages, max_size=5))
def test_messages_round_trip(msgs: list[Message]) -> None:
    data = b"".join(pack_message(*m) for m in msgs)
    assert len(data) % 4 == 0
    parsed = list(iter_messages(data))
    assert [m[:4] for m in parsed] == [m[:4] for m in msgs]
    assert [p.payload[: len(m.payload)] for p, m in zip(parsed, msgs, strict=True)] == [m.payload for m in msgs]


@given(st.lists(st.tuples(st.integers(0, 0x3FFF), st.binary(max_size=30)), max_size=6))
def test_attributes_round_trip(attrs_: list[tuple[int, bytes]]) -> None:
    data = b"".join(pack_attribute(t, p) for t, p in attrs_)
    assert list(iter_attributes(data)) == [Attribute(t, p) for t, p in attrs_]


def test_attribute_flags_are_split_off() -> None:
    (attr,) = iter_attributes(pack_attribute(5 | sockcore_netlink.NLA_F_NESTED, b"abcd"))
    assert attr == Attribute(5, b"abcd", sockcore_netlink.NLA_F_NESTED)


@given(st.binary(max_size=64))
def test_reader_raises_only_value_error_on_garbage(data: bytes) -> None:
    with contextlib.suppress(ValueError):
        for msg in iter_messages(data):
            list(iter_attributes(msg.payload))


def test_error_message_raises_its_errno() -> None:
    error = Message(sockcore_netlink.NLMSG_ERROR, 0, 1, 0, (-13).to_bytes(4, sys.byteorder, signed=True) + bytes(16))
    with pytest.raises(PermissionError):
        check_error(error)
    check_error(error._replace(payload=bytes(20)))  # an acknowledgement


# -- real sockets -----------------------------------------------------------------------


def test_bind_and_getsockname_like_the_stdlib() -> None:
    with sockcore.socket(sockcore.AF_NETLINK, sockcore.SOCK_RAW, ROUTE) as ours, stdlib.socket(
        stdlib.AF_NETLINK, stdlib.SOCK_RAW, ROUTE
    ) as theirs:
        ours.bind((0, 0))
        theirs.bind((0, 0))
        name = ours.getsockname()
        assert isinstance(name, NetlinkAddress)
        assert name.groups == theirs.getsockname()[1] == 0
        assert name.pid != 0 and name.pid != theirs.getsockname()[0]


def _dump_links(sock: Any) -> list[tuple[int, str]]:
    sock.sendto(getlink_request(seq=7), (0, 0))
    links: list[tuple[int, str]] = []
    while True:
        data, sender = sock.recvfrom(65536)
        assert sender == (0, 0)  # from the kernel
        found, done = parse_links(m for m in iter_messages(data) if m.seq == 7)
        links.extend((link.ifindex, link.name) for link in found)
        if done:
            return sorted(links)


@pytest.mark.qemu("qemu-user does not byte-swap the rtnetlink attributes it does not know for a big-endian guest", arches=("s390x",))
def test_rtm_getlink_dump_lists_the_interfaces_of_if_nameindex() -> None:
    with sockcore.socket(sockcore.AF_NETLINK, sockcore.SOCK_RAW, ROUTE) as sock:
        sock.settimeout(10)
        assert _dump_links(sock) == sorted(stdlib.if_nameindex())


@pytest.mark.parametrize("opt", [o for o in NETLINK_OPTIONS if o.access == "rw"], ids=lambda o: o.name)
def test_boolean_options_set_then_get(opt: sockcore.sockopt.SockOpt[bool]) -> None:
    with sockcore.socket(sockcore.AF_NETLINK, sockcore.SOCK_RAW, ROUTE) as sock:
        for value in (True, False, True):
            sock.setopt(opt, value)
            assert sock.getopt(opt) is value
        # the same bytes as the stdlib's getsockopt
        with stdlib.socket(stdlib.AF_NETLINK, stdlib.SOCK_RAW, ROUTE) as theirs:
            theirs.setsockopt(opt.level, opt.optname, 1)
            assert theirs.getsockopt(opt.level, opt.optname) == sock.getsockopt(opt.level, opt.optname) == 1


def test_memberships_add_list_drop() -> None:
    t = registry.tables().sockopts
    add, drop, listed = t["NETLINK_ADD_MEMBERSHIP"], t["NETLINK_DROP_MEMBERSHIP"], t["NETLINK_LIST_MEMBERSHIPS"]
    with sockcore.socket(sockcore.AF_NETLINK, sockcore.SOCK_RAW, ROUTE) as sock:
        sock.bind((0, 0))
        assert sock.getopt(listed) == ()
        sock.setopt(add, 1)  # RTNLGRP_LINK
        sock.setopt(add, 3)  # RTNLGRP_NEIGH
        assert sock.getopt(listed) == (1, 3)
        assert sock.getsockname().groups == 0b101
        sock.setopt(drop, 1)
        assert sock.getopt(listed) == (3,)


def test_ext_ack_error_comes_back_as_oserror() -> None:
    t = registry.tables().sockopts
    with sockcore.socket(sockcore.AF_NETLINK, sockcore.SOCK_RAW, ROUTE) as sock:
        sock.settimeout(10)
        sock.setopt(t["NETLINK_EXT_ACK"], True)
        # RTM_GETLINK for an interface index that does not exist: ENODEV
        request = pack_message(18, sockcore_netlink.NLM_F_REQUEST, 9, 0, bytes(4) + (2**31 - 1).to_bytes(4, sys.byteorder) + bytes(8))
        sock.sendto(request, (0, 0))
        (reply,) = [m for m in iter_messages(sock.recv(65536)) if m.seq == 9]
        with pytest.raises(OSError) as info:
            check_error(reply)
        assert info.value.errno == 19


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
def test_no_enobufs_needs_nothing_but_works_as_root() -> None:
    opt = registry.tables().sockopts["NETLINK_NO_ENOBUFS"]
    with sockcore.socket(sockcore.AF_NETLINK, sockcore.SOCK_RAW, ROUTE) as sock:
        sock.setopt(opt, True)
        assert sock.getopt(opt) is True
