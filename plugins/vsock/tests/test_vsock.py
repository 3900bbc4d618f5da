"""AF_VSOCK: the codec, the constants, the options, and sockets on the host.

This machine's vsock transport reaches the real hypervisor, so on the host
these tests only create, bind and listen on VMADDR_CID_ANY and read or set
options: nothing connects.  The echo test runs in the kernel lane, on CID 1.
"""

from __future__ import annotations

import os
import socket as stdlib
import sys
import threading

import pytest
import sockcore_vsock
from hypothesis import given
from hypothesis import strategies as st
from sockcore_vsock import hooks
from sockcore_vsock.codec import CODEC
from sockcore_vsock.options import VSOCK_OPTIONS
from sockcore_vsock.records import ConnectTimeout, VsockAddress
from sockcore_vsock.uri import parse_vsock_uri

import sockcore
import sockcore.address
from sockcore import registry
from sockcore.testing import FakeSocket, check_codec, check_plugin, junk, outcome

U32 = st.integers(0, 2**32 - 1)
ANY = (sockcore_vsock.VMADDR_CID_ANY, sockcore_vsock.VMADDR_PORT_ANY)


SOCK = FakeSocket(sockcore_vsock.AF_VSOCK, stdlib.SOCK_STREAM)
needs_vsock = pytest.mark.family(stdlib.AF_VSOCK, stdlib.SOCK_STREAM)  # a vsock transport


# -- the codec ---------------------------------------------------------------------


@given(U32, U32)
def test_round_trip(cid: int, port: int) -> None:
    body = CODEC.encode((cid, port), SOCK)
    assert len(body) == 14  # sizeof(struct sockaddr_vm) - sizeof(sa_family_t)
    assert CODEC.encode((cid, port), SOCK) is body  # cached
    assert CODEC.decode(body, SOCK) == (cid, port)
    assert CODEC.decode(body, SOCK) == VsockAddress(cid, port)


@pytest.mark.parametrize(
    ("address", "error"),
    [
        (5, TypeError),
        ((1,), TypeError),
        ((1, 2, 3), TypeError),
        ((1.0, 2), TypeError),
        (("1", 2), TypeError),
    ],
)
def test_bad_addresses(address: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        CODEC.encode(address, SOCK)


@pytest.mark.parametrize("address", [(-1, 5), (2**32 + 5, 3), (3, 2**64)])
def test_out_of_range_wraps_as_the_stdlib_and_strict_refuses(address: tuple[int, int]) -> None:
    """The stdlib's "II" masks to 32 bits (-1 is VMADDR_CID_ANY); sockcore.strict() raises instead."""
    assert CODEC.encode(address, SOCK) == CODEC.encode(tuple(x & 0xFFFFFFFF for x in address), SOCK)
    with sockcore.address.strict(), pytest.raises(OverflowError):
        CODEC.encode(address, SOCK)


def test_floats_never_hit_the_int_cache() -> None:
    CODEC.encode((7, 8), SOCK)
    with pytest.raises(TypeError):
        CODEC.encode((7.0, 8), SOCK)


def test_codec_contract() -> None:
    check_codec(CODEC, [VsockAddress(0, 0), VsockAddress(2**32 - 1, 2**32 - 1)], sock=SOCK)


@given(st.binary(max_size=20))
def test_any_kernel_body_decodes(body: bytes) -> None:
    assert isinstance(CODEC.decode(body, SOCK), VsockAddress)


@needs_vsock
@given(st.tuples(st.integers(-(2**33), 2**33), st.integers(-(2**33), 2**33)) | junk())
def test_errors_match_the_stdlib(address: object) -> None:
    """Same exception type as the stdlib's bind, for everything the stdlib does not mask."""
    masked = (
        isinstance(address, tuple)
        and len(address) == 2
        and all(isinstance(x, int) for x in address)
        and not all(0 <= x < 2**32 for x in address)
    )
    if masked:  # the stdlib wraps these to 32 bits, and so does the codec outside strict()
        with sockcore.address.strict(), pytest.raises(OverflowError):
            CODEC.encode(address, SOCK)
    ours = outcome(lambda: CODEC.encode(address, SOCK))
    with stdlib.socket(stdlib.AF_VSOCK, stdlib.SOCK_STREAM) as theirs_sock:
        # bind never leaves this machine; a valid address fails in the kernel (EADDRNOTAVAIL ...) or binds
        theirs = outcome(lambda: theirs_sock.bind(address))  # type: ignore[arg-type]
    assert ours == theirs


# -- names ---------------------------------------------------------------------------


def test_plugin_contract() -> None:
    check_plugin(hooks.plugin, static_modules=["sockcore_vsock"])


def test_constants_match_the_stdlib() -> None:
    shared = [name for name in sockcore_vsock.CONSTANTS if hasattr(stdlib, name)]
    assert {"AF_VSOCK", "VMADDR_CID_ANY", "VMADDR_PORT_ANY", "SO_VM_SOCKETS_BUFFER_SIZE", "IOCTL_VM_SOCKETS_GET_LOCAL_CID"} <= set(shared)
    for name in shared:
        assert sockcore_vsock.CONSTANTS[name] == getattr(stdlib, name), name


def test_registry_view() -> None:
    t = registry.tables()
    assert t.family_name(stdlib.AF_VSOCK) == "AF_VSOCK"
    assert t.codec_for(stdlib.AF_VSOCK, 0) is CODEC
    for opt in VSOCK_OPTIONS:
        assert t.sockopts[opt.name] is opt
    assert sockcore.get_local_cid is sockcore_vsock.get_local_cid


@pytest.mark.parametrize(
    ("uri", "type_name", "address"),
    [
        ("vsock://1:1234", "SOCK_STREAM", (1, 1234)),
        ("vsock://local:5000?type=seqpacket", "SOCK_SEQPACKET", (1, 5000)),
        ("vsock://any:any?type=dgram", "SOCK_DGRAM", (stdlib.VMADDR_CID_ANY, stdlib.VMADDR_PORT_ANY)),  # -1 on 32-bit
        ("vsock://HOST:80", "SOCK_STREAM", (2, 80)),
    ],
)
def test_vsock_uri(uri: str, type_name: str, address: tuple[int, int]) -> None:
    target = parse_vsock_uri(uri)
    assert (target.family, target.type, target.proto) == (stdlib.AF_VSOCK, getattr(stdlib, type_name), 0)
    assert target.address == address


@pytest.mark.parametrize(
    "uri", ["vsock://1", "vsock://:5", "vsock://1:x", "vsock://1:4294967296", "vsock://-1:5", "vsock://1:2?type=raw", "tcp://1:2"]
)
def test_bad_vsock_uri(uri: str) -> None:
    with pytest.raises(ValueError):
        parse_vsock_uri(uri)


# -- sockets on the host: create, bind, listen, options; never connect -----------------


@needs_vsock
@pytest.mark.qemu("qemu-user does not translate the IOCTL_VM_SOCKETS_GET_LOCAL_CID ioctl: ENOSYS")
def test_local_cid_matches_the_stdlib_ioctl() -> None:
    import fcntl

    with open("/dev/vsock", "rb") as dev:
        expected = int.from_bytes(fcntl.ioctl(dev, stdlib.IOCTL_VM_SOCKETS_GET_LOCAL_CID, bytes(4)), sys.byteorder)
    assert sockcore_vsock.get_local_cid() == expected


def test_local_cid_without_a_device() -> None:
    from sockcore_vsock.libc import get_local_cid

    with pytest.raises(FileNotFoundError):
        get_local_cid("/nonexistent/vsock")


@needs_vsock
@pytest.mark.parametrize("kind", ["SOCK_STREAM", "SOCK_SEQPACKET"])
def test_bind_listen_getsockname_like_the_stdlib(kind: str) -> None:
    with sockcore.socket(sockcore.AF_VSOCK, getattr(sockcore, kind)) as ours, stdlib.socket(
        stdlib.AF_VSOCK, getattr(stdlib, kind)
    ) as theirs:
        ours.bind(ANY)
        theirs.bind(ANY)
        ours.listen()
        theirs.listen()
        name = ours.getsockname()
        assert isinstance(name, VsockAddress)
        # getsockname() gives the unsigned CID; the constant is -1 where a C long is 32 bits
        assert name.cid == theirs.getsockname()[0] == stdlib.VMADDR_CID_ANY & 0xFFFFFFFF
        assert name.port != stdlib.VMADDR_PORT_ANY
        # both read every AF_VSOCK option into a u64 (a big-endian one shows 1 << 32)
        assert ours.getsockopt(stdlib.SOL_SOCKET, stdlib.SO_ACCEPTCONN) == theirs.getsockopt(stdlib.SOL_SOCKET, stdlib.SO_ACCEPTCONN)


@needs_vsock
def test_bind_a_port_twice_is_eaddrinuse() -> None:
    with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as first:
        first.bind(ANY)
        port = first.getsockname().port
        with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as second, pytest.raises(OSError) as info:
            second.bind((stdlib.VMADDR_CID_ANY, port))
        assert info.value.errno == 98  # EADDRINUSE


@needs_vsock
@pytest.mark.qemu("qemu-user translates no AF_VSOCK option level: EOPNOTSUPP or ENOPROTOOPT")
@pytest.mark.parametrize("name", ["SO_VM_SOCKETS_BUFFER_MAX_SIZE", "SO_VM_SOCKETS_BUFFER_SIZE", "SO_VM_SOCKETS_BUFFER_MIN_SIZE"])
def test_buffer_size_options_set_then_get(name: str) -> None:
    opt = registry.tables().sockopts[name]
    with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as sock:
        default = sock.getopt(opt)
        assert isinstance(default, int)
        # stays between the defaults of MIN (128) and MAX (256 KiB)
        sock.setopt(opt, 200_000 if name != "SO_VM_SOCKETS_BUFFER_MIN_SIZE" else 4096)
        assert sock.getopt(opt) == (200_000 if name != "SO_VM_SOCKETS_BUFFER_MIN_SIZE" else 4096)


@needs_vsock
@pytest.mark.qemu("qemu-user translates no AF_VSOCK option level: EOPNOTSUPP or ENOPROTOOPT")
def test_connect_timeout_option_set_then_get() -> None:
    opt = registry.tables().sockopts["SO_VM_SOCKETS_CONNECT_TIMEOUT"]
    with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as sock:
        assert isinstance(sock.getopt(opt), ConnectTimeout)
        sock.setopt(opt, ConnectTimeout(3, 500_000))
        assert sock.getopt(opt) == (3, 500_000)
        assert float(sock.getopt(opt)) == 3.5


@needs_vsock
@pytest.mark.qemu("qemu-user translates no AF_VSOCK option level: EOPNOTSUPP or ENOPROTOOPT")
def test_options_read_like_the_stdlib() -> None:
    """The stdlib reads every option of an AF_VSOCK socket as a 64-bit integer."""
    with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as ours, stdlib.socket(
        stdlib.AF_VSOCK, stdlib.SOCK_STREAM
    ) as theirs:
        for name in ("SO_VM_SOCKETS_BUFFER_SIZE", "SO_VM_SOCKETS_BUFFER_MIN_SIZE", "SO_VM_SOCKETS_BUFFER_MAX_SIZE"):
            opt = registry.tables().sockopts[name]
            assert ours.getopt(opt) == theirs.getsockopt(stdlib.AF_VSOCK, getattr(stdlib, name))


@needs_vsock
@pytest.mark.qemu("qemu-user translates no AF_VSOCK option level: EOPNOTSUPP or ENOPROTOOPT")
def test_plain_getsockopt_and_setsockopt_are_64_bit_like_the_stdlib() -> None:
    level, name = stdlib.AF_VSOCK, stdlib.SO_VM_SOCKETS_BUFFER_SIZE
    with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as ours, stdlib.socket(
        stdlib.AF_VSOCK, stdlib.SOCK_STREAM
    ) as theirs:
        ours.setsockopt(level, name, 100_000)
        theirs.setsockopt(level, name, 100_000)
        assert ours.getsockopt(level, name) == theirs.getsockopt(level, name) == 100_000
        with pytest.raises(OSError):
            ours.getsockopt(level, name, 8)  # the stdlib: "getsockopt string buffer not allowed"


# -- the kernel lane: a real stream over the loopback transport ------------------------


@pytest.mark.kernel
def test_stream_echo_over_cid_1() -> None:
    assert os.environ.get("KERNEL_LANE_GUEST") == "1"  # never on the host: CID 1 is safe only in the lane
    with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as server:
        server.bind((sockcore.VMADDR_CID_ANY, sockcore.VMADDR_PORT_ANY))
        server.listen()
        port = server.getsockname().port
        server.settimeout(30)

        def echo() -> None:
            conn, _peer = server.accept()
            with conn:
                conn.sendall(conn.recv(1024)[::-1])

        thread = threading.Thread(target=echo)
        thread.start()
        try:
            with sockcore.socket(sockcore.AF_VSOCK, sockcore.SOCK_STREAM) as client:
                client.settimeout(30)
                client.connect((sockcore.VMADDR_CID_LOCAL, port))
                assert client.getpeername() == (1, port)
                client.sendall(b"hello vsock")
                assert client.recv(1024) == b"kcosv olleh"
        finally:
            thread.join(30)
