"""TCP, UDP and UDP-Lite over 127.0.0.1 and ::1 through sockcore, beside the stdlib."""

from __future__ import annotations

import os
import socket as stdlib
import tempfile

import pytest
from sockcore_inet import In6Pktinfo, InPktinfo, TcpInfo

import sockcore

LOOPBACKS = [(stdlib.AF_INET, "127.0.0.1"), (stdlib.AF_INET6, "::1")]
opts = sockcore.registry.tables().sockopts


@pytest.mark.parametrize(("family", "host"), LOOPBACKS)
def test_udp_sendto_recvfrom(family: int, host: str) -> None:
    with sockcore.socket(family, sockcore.SOCK_DGRAM) as a, sockcore.socket(family, sockcore.SOCK_DGRAM) as b:
        a.bind((host, 0))
        b.bind((host, 0))
        b.sendto(b"ping", a.getsockname())
        data, peer = a.recvfrom(100)
        assert (data, peer) == (b"ping", b.getsockname())


@pytest.mark.parametrize(("family", "host"), LOOPBACKS)
def test_udp_interoperates_with_the_stdlib(family: int, host: str) -> None:
    with sockcore.socket(family, sockcore.SOCK_DGRAM) as ours, stdlib.socket(family, stdlib.SOCK_DGRAM) as theirs:
        ours.bind((host, 0))
        theirs.bind((host, 0))
        theirs.sendto(b"x", ours.getsockname())
        _data, peer = ours.recvfrom(10)
        assert peer == theirs.getsockname()
        ours.sendto(b"y", peer)
        assert theirs.recvfrom(10) == (b"y", ours.getsockname())


@pytest.mark.parametrize(("family", "host"), LOOPBACKS)
def test_tcp_connect_accept_send_recv_shutdown(family: int, host: str) -> None:
    with sockcore.create_server((host, 0), family=family) as server, \
            sockcore.create_connection(server.getsockname()[:2], timeout=5) as client:
        conn, addr = server.accept()
        with conn:
            assert addr == client.getsockname()
            assert conn.getpeername() == client.getsockname()
            client.sendall(b"hello")
            assert conn.recv(5) == b"hello"
            client.shutdown(sockcore.SHUT_WR)
            assert conn.recv(5) == b""


def test_tcp_makefile_and_sendfile() -> None:
    with sockcore.create_server(("127.0.0.1", 0)) as server, sockcore.create_connection(server.getsockname()) as client:
        conn, _ = server.accept()
        with conn, tempfile.TemporaryFile() as f:
            f.write(b"line one\nline two\n")
            f.seek(0)
            client.sendfile(f)
            with conn.makefile("rb") as reader:
                assert reader.readline() == b"line one\n"
                assert reader.readline() == b"line two\n"


def test_timeouts_and_non_blocking_connect() -> None:
    with sockcore.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.05)
        with pytest.raises(TimeoutError):
            server.accept()
        with sockcore.socket() as client:
            client.setblocking(False)
            err = client.connect_ex(server.getsockname())
            assert err in (0, 115)  # EINPROGRESS
            server.settimeout(5)
            conn, _ = server.accept()
            conn.close()


def test_create_connection_all_errors_raises_a_group() -> None:
    with sockcore.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(ExceptionGroup) as info:
            sockcore.create_connection(("127.0.0.1", port), all_errors=True)
        assert all(isinstance(e, ConnectionRefusedError) for e in info.value.exceptions)
        with pytest.raises(ConnectionRefusedError):
            sockcore.create_connection(("127.0.0.1", port))


def test_create_server_options() -> None:
    assert sockcore.has_ipv6 is stdlib.has_ipv6
    assert sockcore.has_dualstack_ipv6() == stdlib.has_dualstack_ipv6()
    with sockcore.create_server(("::", 0), family=sockcore.AF_INET6, dualstack_ipv6=True, backlog=3) as server:
        assert server.getsockopt(stdlib.IPPROTO_IPV6, stdlib.IPV6_V6ONLY) == 0
        with sockcore.create_connection(("127.0.0.1", server.getsockname()[1])):
            conn, addr = server.accept()
            conn.close()
            assert addr[0] == "::ffff:127.0.0.1"
    with pytest.raises(ValueError, match="requires AF_INET6"):
        sockcore.create_server(("", 0), dualstack_ipv6=True)
    with sockcore.create_server(("127.0.0.1", 0), reuse_port=True) as a, \
            sockcore.create_server(a.getsockname(), reuse_port=True) as b:
        assert b.getsockname() == a.getsockname()
    with sockcore.create_server(("127.0.0.1", 0)) as a, pytest.raises(OSError, match="while attempting to bind"):
        sockcore.create_server(a.getsockname())


@pytest.mark.qemu("qemu-user translates only some IP/IPv6/TCP/UDP-Lite options: the rest answer ENOPROTOOPT, TCP_INFO 4 bytes, string options fail")
@pytest.mark.parametrize("family", [stdlib.AF_INET, stdlib.AF_INET6])
def test_udplite(family: int) -> None:
    host = "127.0.0.1" if family == stdlib.AF_INET else "::1"
    with sockcore.socket(family, sockcore.SOCK_DGRAM, sockcore.IPPROTO_UDPLITE) as a, \
            sockcore.socket(family, sockcore.SOCK_DGRAM, sockcore.IPPROTO_UDPLITE) as b:
        b.setopt(opts["UDPLITE_SEND_CSCOV"], 10)
        assert b.getopt(opts["UDPLITE_SEND_CSCOV"]) == 10
        a.setsockopt(sockcore.IPPROTO_UDPLITE, sockcore.UDPLITE_RECV_CSCOV, 10)
        a.bind((host, 0))
        b.sendto(b"0123456789abcdef", a.getsockname())
        assert a.recvfrom(100)[0] == b"0123456789abcdef"


SETTABLE = {
    "IP_TOS": 0x10, "IP_TTL": 7, "IP_MULTICAST_TTL": 3, "IP_MULTICAST_LOOP": False, "IP_PKTINFO": True,
    "IP_RECVTTL": True, "IP_RECVTOS": True, "IP_RECVERR": True, "IP_MTU_DISCOVER": 0, "IP_FREEBIND": True,
    "IP_BIND_ADDRESS_NO_PORT": True, "IP_MINTTL": 2, "IP_MULTICAST_ALL": False, "IP_MULTICAST_IF": "127.0.0.1",
    "IP_RECVORIGDSTADDR": True,
}
SETTABLE6 = {
    "IPV6_V6ONLY": True, "IPV6_UNICAST_HOPS": 9, "IPV6_MULTICAST_HOPS": 4, "IPV6_MULTICAST_LOOP": False,
    "IPV6_RECVPKTINFO": True, "IPV6_RECVHOPLIMIT": True, "IPV6_RECVTCLASS": True, "IPV6_TCLASS": 0x20,
    "IPV6_RECVERR": True, "IPV6_MTU_DISCOVER": 0, "IPV6_DONTFRAG": True, "IPV6_FREEBIND": True, "IPV6_MULTICAST_IF": 1,
}
SETTABLE_TCP = {
    "TCP_NODELAY": True, "TCP_MAXSEG": 1000, "TCP_CORK": True, "TCP_KEEPIDLE": 30, "TCP_KEEPINTVL": 5, "TCP_KEEPCNT": 4,
    "TCP_SYNCNT": 3, "TCP_LINGER2": 10, "TCP_DEFER_ACCEPT": 0, "TCP_USER_TIMEOUT": 1234, "TCP_NOTSENT_LOWAT": 4096,
    "TCP_CONGESTION": "reno", "TCP_FASTOPEN_CONNECT": True, "TCP_INQ": True, "TCP_THIN_LINEAR_TIMEOUTS": True,
}


def _congestion_algorithms() -> list[str]:
    with open("/proc/sys/net/ipv4/tcp_available_congestion_control") as f:
        return f.read().split()


@pytest.mark.qemu("qemu-user translates only some IP/IPv6/TCP/UDP-Lite options: the rest answer ENOPROTOOPT, TCP_INFO 4 bytes, string options fail")
@pytest.mark.parametrize(("family", "kind", "table"), [
    (stdlib.AF_INET, stdlib.SOCK_DGRAM, SETTABLE), (stdlib.AF_INET6, stdlib.SOCK_DGRAM, SETTABLE6),
    (stdlib.AF_INET, stdlib.SOCK_STREAM, SETTABLE_TCP),
])
def test_set_then_get_every_option(family: int, kind: int, table: dict[str, object]) -> None:
    for name, value in table.items():
        with sockcore.socket(family, kind) as s:
            opt = opts[name]
            if name == "TCP_CONGESTION" and value not in _congestion_algorithms():
                continue
            s.setopt(opt, value)
            assert s.getopt(opt) == value, name
            with stdlib.socket(family, kind) as t:  # the raw option reads the same through the stdlib
                if opt.codec.type_name in ("int", "bool"):
                    t.setsockopt(opt.level, opt.optname, int(value))  # type: ignore[call-overload]
                    assert t.getsockopt(opt.level, opt.optname) == s.getsockopt(opt.level, opt.optname), name


@pytest.mark.qemu("qemu-user translates only some IP/IPv6/TCP/UDP-Lite options: the rest answer ENOPROTOOPT, TCP_INFO 4 bytes, string options fail")
def test_tcp_info_is_typed() -> None:
    with sockcore.create_server(("127.0.0.1", 0)) as server, sockcore.create_connection(server.getsockname()) as client:
        conn, _ = server.accept()
        with conn:
            info = client.getopt(opts["TCP_INFO"])
        assert isinstance(info, TcpInfo)
        assert info.state == 1 and info.snd_mss > 0  # TCP_ESTABLISHED


@pytest.mark.qemu("qemu-user does not byte-swap the ifindex of ip_mreqn for a big-endian guest (ENODEV)", arches=("s390x",))
def test_multicast_membership() -> None:
    from sockcore_inet import IpMreq, IpMreqn, Ipv6Mreq

    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as s:
        s.setopt(opts["IP_ADD_MEMBERSHIP"], IpMreqn("239.1.2.3", "0.0.0.0", 1))
        s.setopt(opts["IP_DROP_MEMBERSHIP"], IpMreqn("239.1.2.3", "0.0.0.0", 1))
        s.setopt(opts["IP_ADD_MEMBERSHIP"], IpMreq("239.1.2.4", "127.0.0.1"))
    with sockcore.socket(sockcore.AF_INET6, sockcore.SOCK_DGRAM) as s:
        s.setopt(opts["IPV6_JOIN_GROUP"], Ipv6Mreq("ff02::123", 1))
        s.setopt(opts["IPV6_LEAVE_GROUP"], Ipv6Mreq("ff02::123", 1))


def _cmsg_codec(level: int, kind: int) -> object:
    return sockcore.registry.tables().cmsg_codecs[(level, kind)]


@pytest.mark.qemu("qemu-user does not byte-swap IP_PKTINFO and IPV6_PKTINFO/TCLASS control messages for a big-endian guest", arches=("s390x",))
def test_ipv4_ancillary_data() -> None:
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as a, sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as b:
        a.bind(("127.0.0.1", 0))
        a.setopt(opts["IP_PKTINFO"], True)
        a.setopt(opts["IP_RECVTTL"], True)
        b.setopt(opts["IP_TTL"], 33)
        b.sendto(b"x", a.getsockname())
        _data, ancdata, _flags, _addr = a.recvmsg(10, sockcore.CMSG_SPACE(64))
        decoded = {(lvl, kind): _cmsg_codec(lvl, kind).decode(payload) for lvl, kind, payload in ancdata}  # type: ignore[attr-defined]
        assert decoded[(sockcore.IPPROTO_IP, sockcore.IP_TTL)] == 33
        info = decoded[(sockcore.IPPROTO_IP, sockcore.IP_PKTINFO)]
        assert isinstance(info, InPktinfo) and info.addr == "127.0.0.1" and info.ifindex == 1


@pytest.mark.qemu("qemu-user does not byte-swap IP_PKTINFO and IPV6_PKTINFO/TCLASS control messages for a big-endian guest", arches=("s390x",))
def test_ipv6_rfc3542_ancillary_data_with_recvmsg_and_recvmsg_into() -> None:
    with sockcore.socket(sockcore.AF_INET6, sockcore.SOCK_DGRAM) as a, sockcore.socket(sockcore.AF_INET6, sockcore.SOCK_DGRAM) as b:
        a.bind(("::1", 0))
        for name in ("IPV6_RECVPKTINFO", "IPV6_RECVHOPLIMIT", "IPV6_RECVTCLASS"):
            a.setopt(opts[name], True)
        b.setopt(opts["IPV6_TCLASS"], 0x28)
        b.setopt(opts["IPV6_UNICAST_HOPS"], 17)
        for receive in ("recvmsg", "recvmsg_into"):
            b.sendto(b"hello", a.getsockname())
            if receive == "recvmsg":
                data, ancdata, _flags, _addr = a.recvmsg(10, sockcore.CMSG_SPACE(256))
            else:
                buf = bytearray(10)
                n, ancdata, _flags, _addr = a.recvmsg_into([buf], sockcore.CMSG_SPACE(256))
                data = bytes(buf[:n])
            assert data == b"hello"
            decoded = {(lvl, kind): _cmsg_codec(lvl, kind).decode(payload) for lvl, kind, payload in ancdata}  # type: ignore[attr-defined]
            assert decoded[(sockcore.IPPROTO_IPV6, sockcore.IPV6_HOPLIMIT)] == 17
            assert decoded[(sockcore.IPPROTO_IPV6, sockcore.IPV6_TCLASS)] == 0x28
            info = decoded[(sockcore.IPPROTO_IPV6, sockcore.IPV6_PKTINFO)]
            assert isinstance(info, In6Pktinfo) and info.addr == "::1"


def test_ip_recverr_extended_error() -> None:
    from sockcore_inet import SockExtendedErr

    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_DGRAM) as s:
        s.setopt(opts["IP_RECVERR"], True)
        s.connect(("127.0.0.1", port))
        s.send(b"x")  # port unreachable comes back on loopback
        s.settimeout(2)
        for _ in range(50):
            try:
                _data, ancdata, _flags, _addr = s.recvmsg(10, 512, sockcore.MSG_ERRQUEUE)
                break
            except BlockingIOError:
                import time

                time.sleep(0.02)
            except ConnectionRefusedError:
                continue
        else:
            pytest.skip("no ICMP error queued")
        (level, kind, payload), = ancdata
        err = _cmsg_codec(level, kind).decode(payload)  # type: ignore[attr-defined]
        assert isinstance(err, SockExtendedErr)
        assert err.errno == 111 and err.origin == 2  # ECONNREFUSED from ICMP
        assert err.offender == ("127.0.0.1", 0)


def test_uri_schemes() -> None:
    schemes = sockcore.registry.tables().uri_schemes
    tcp, udp = schemes["tcp"].parse, schemes["udp"].parse
    assert tcp("tcp://127.0.0.1:80").address == ("127.0.0.1", 80)
    target = udp("udp://[::1]:53")
    assert (target.family, target.type, target.address) == (sockcore.AF_INET6, sockcore.SOCK_DGRAM, ("::1", 53, 0, 0))
    assert tcp("tcp://:8080").address == ("", 8080)
    for bad in ("tcp://127.0.0.1", "tcp://::1:80", "tcp://[::1:80", "tcp://h:99999", "udp://h:80", "tcp://[xyz]:1"):
        with pytest.raises(ValueError):
            tcp(bad)


def test_no_fd_leaked_by_failing_calls() -> None:
    before = set(os.listdir("/proc/self/fd"))
    for address in [("127.0.0.1", 70000), ("::1", 1), (1, 2), ("a\0", 1)]:
        with sockcore.socket(sockcore.AF_INET, sockcore.SOCK_STREAM) as s, pytest.raises((TypeError, OverflowError, OSError)):
            s.connect(address)
    with pytest.raises(OSError):
        sockcore.create_connection(("127.0.0.1", 1))
    assert set(os.listdir("/proc/self/fd")) <= before | {str(max(map(int, before)) + 1)}


@pytest.mark.parametrize("marker", ["sockcore", "stdlib"])
def test_create_connection_takes_either_default_timeout_marker(marker: str) -> None:
    """Code written for the stdlib passes socket._GLOBAL_DEFAULT_TIMEOUT along; both mean getdefaulttimeout()."""
    timeout = (sockcore if marker == "sockcore" else stdlib)._GLOBAL_DEFAULT_TIMEOUT
    with sockcore.create_server(("127.0.0.1", 0)) as server:
        old = sockcore.getdefaulttimeout()
        sockcore.setdefaulttimeout(7.0)
        try:
            with sockcore.create_connection(server.getsockname(), timeout) as client:
                assert client.gettimeout() == 7.0
        finally:
            sockcore.setdefaulttimeout(old)
