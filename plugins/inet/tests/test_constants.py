"""The generated and hand-written constants: static == runtime, and == the stdlib."""

from __future__ import annotations

import socket as stdlib

import sockcore_inet
from sockcore_inet import hooks
from sockcore_inet._constants import CONSTANTS

import sockcore
from sockcore.testing import check_plugin


def test_plugin_contract() -> None:
    # attrs: the plugin's own records (TcpInfo, IpMreq ...) are attrs classes
    check_plugin(hooks.plugin, static_modules=["sockcore_inet"], static_may_load=["attrs"])
    for name, value in CONSTANTS.items():
        assert getattr(sockcore_inet, name) == value, name


def test_constants_equal_the_stdlib_where_both_define_them() -> None:
    shared = [n for n in CONSTANTS if hasattr(stdlib, n)]
    assert len(shared) > 100
    assert {n: CONSTANTS[n] for n in shared} == {n: getattr(stdlib, n) for n in shared}


def test_every_stdlib_inet_name_is_provided() -> None:
    prefixes = ("IPPROTO_", "IP_", "IPV6_", "TCP_", "UDPLITE_", "INADDR_", "IPPORT_", "AI_", "NI_", "EAI_")
    wanted = {n for n in dir(stdlib) if n.startswith(prefixes)} | {"AF_INET", "AF_INET6", "SOL_IP", "SOL_TCP", "SOL_UDP"}
    assert wanted - set(CONSTANTS) == set()


def test_hand_written_names() -> None:
    assert sockcore.IPPORT_USERRESERVED == stdlib.IPPORT_USERRESERVED == 5000
    assert sockcore.UDPLITE_SEND_CSCOV == stdlib.UDPLITE_SEND_CSCOV
    assert sockcore.UDPLITE_RECV_CSCOV == stdlib.UDPLITE_RECV_CSCOV


def test_enums_carry_inet_members() -> None:
    family = sockcore.registry.tables().enums["AddressFamily"]
    assert family(stdlib.AF_INET6).name == "AF_INET6"
    assert sockcore.AF_INET is family.AF_INET
    assert sockcore.registry.tables().defaults["socket"] == stdlib.AF_INET


def test_default_socket_is_tcp_ipv4() -> None:
    with sockcore.socket() as s:
        assert (s.family, s.type) == (stdlib.AF_INET, stdlib.SOCK_STREAM)
