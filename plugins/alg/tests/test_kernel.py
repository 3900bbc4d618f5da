"""AF_ALG against the kernel (the kernel lane): hashes, ciphers and AEAD, compared with hashlib/hmac and the stdlib."""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import socket as stdlib
from typing import Any

import pytest
from sockcore_alg.options import ALG_OPTIONS

import sockcore

pytestmark = pytest.mark.kernel

OPTIONS = {opt.name: opt for opt in ALG_OPTIONS}
KEY = bytes(range(16))
IV = bytes(range(16, 32))


def operation(alg: Any) -> Any:
    """The operation socket of a bound AF_ALG socket.

    AF_ALG's accept() must pass no address buffer (the kernel answers
    ECONNABORTED otherwise); until the core does that, accept through the stdlib.
    """
    try:
        return alg.accept()[0]
    except OSError as exc:
        if exc.errno != errno.ECONNABORTED:
            raise
    with stdlib.socket(stdlib.AF_ALG, stdlib.SOCK_SEQPACKET, 0, fileno=os.dup(alg.fileno())) as std:
        op, _ = std.accept()
        return sockcore.socket(sockcore.AF_ALG, sockcore.SOCK_SEQPACKET, 0, fileno=op.detach())


def test_accept_returns_the_operation_socket() -> None:
    with sockcore.socket(sockcore.AF_ALG, sockcore.SOCK_SEQPACKET) as alg:
        alg.bind(("hash", "sha256"))
        op, address = alg.accept()
        with op:
            assert address is None  # as the stdlib: an operation socket has no address
            op.sendall(b"abc")
            assert op.recv(32) == hashlib.sha256(b"abc").digest()


def test_sha256_equals_hashlib() -> None:
    with sockcore.socket(sockcore.AF_ALG, sockcore.SOCK_SEQPACKET) as alg:
        alg.bind(("hash", "sha256"))
        with operation(alg) as op:
            op.sendall(b"abc" * 1000)
            assert op.recv(64) == hashlib.sha256(b"abc" * 1000).digest()


def test_hmac_sha256_equals_hmac() -> None:
    with sockcore.socket(sockcore.AF_ALG, sockcore.SOCK_SEQPACKET) as alg:
        alg.bind(("hash", "hmac(sha256)"))
        alg.setopt(OPTIONS["ALG_SET_KEY"], b"secret key")
        with operation(alg) as op:
            op.send(b"message", sockcore.MSG_MORE)
            op.send(b" continued")
            assert op.recv(64) == hmac.new(b"secret key", b"message continued", "sha256").digest()


def _stdlib_cbc(op: int, data: bytes) -> bytes:
    with stdlib.socket(stdlib.AF_ALG, stdlib.SOCK_SEQPACKET) as alg:
        alg.bind(("skcipher", "cbc(aes)"))
        alg.setsockopt(stdlib.SOL_ALG, stdlib.ALG_SET_KEY, KEY)
        conn, _ = alg.accept()
        with conn:
            conn.sendmsg_afalg([data], op=op, iv=IV)
            return conn.recv(len(data))


def test_cbc_aes_encrypts_and_decrypts() -> None:
    plaintext = b"sixteen byte blk" * 4
    with sockcore.socket(sockcore.AF_ALG, sockcore.SOCK_SEQPACKET) as alg:
        alg.bind(("skcipher", "cbc(aes)"))
        alg.setsockopt(sockcore.SOL_ALG, sockcore.ALG_SET_KEY, KEY)
        with operation(alg) as op:
            assert op.sendmsg_afalg([plaintext], op=sockcore.ALG_OP_ENCRYPT, iv=IV) == len(plaintext)
            ciphertext = op.recv(len(plaintext))
        with operation(alg) as op:
            # msg in two pieces, MSG_MORE then the rest
            op.sendmsg_afalg([ciphertext[:16]], op=sockcore.ALG_OP_DECRYPT, iv=IV, flags=sockcore.MSG_MORE)
            op.sendmsg_afalg([ciphertext[16:]], op=sockcore.ALG_OP_DECRYPT)
            assert op.recv(len(plaintext)) == plaintext
    assert ciphertext == _stdlib_cbc(stdlib.ALG_OP_ENCRYPT, plaintext)
    assert ciphertext != plaintext


def test_gcm_aes_aead_with_assoclen() -> None:
    assoc, plaintext, taglen = b"header!!", b"the secret payload", 16
    iv = IV[:12]

    def run(module: Any, open_op: Any) -> tuple[bytes, bytes]:
        with module.socket(module.AF_ALG, module.SOCK_SEQPACKET) as alg:
            alg.bind(("aead", "gcm(aes)"))
            alg.setsockopt(module.SOL_ALG, module.ALG_SET_KEY, KEY)
            alg.setsockopt(module.SOL_ALG, module.ALG_SET_AEAD_AUTHSIZE, None, taglen)
            with open_op(alg) as op:
                op.sendmsg_afalg([assoc + plaintext], op=module.ALG_OP_ENCRYPT, iv=iv, assoclen=len(assoc))
                sealed = op.recv(len(assoc) + len(plaintext) + taglen)
            with open_op(alg) as op:
                op.sendmsg_afalg([sealed], op=module.ALG_OP_DECRYPT, iv=iv, assoclen=len(assoc))
                opened = op.recv(len(sealed) - taglen)
            return sealed, opened

    sealed, opened = run(sockcore, operation)
    assert opened == assoc + plaintext
    assert sealed[: len(assoc)] == assoc and len(sealed) == len(assoc) + len(plaintext) + taglen
    assert (sealed, opened) == run(stdlib, lambda alg: alg.accept()[0])


def test_gcm_tag_size_through_setopt_and_bad_tag_is_ebadmsg() -> None:
    with sockcore.socket(sockcore.AF_ALG, sockcore.SOCK_SEQPACKET) as alg:
        alg.bind(("aead", "gcm(aes)"))
        alg.setopt(OPTIONS["ALG_SET_KEY"], KEY)
        alg.setopt(OPTIONS["ALG_SET_AEAD_AUTHSIZE"], 8)
        with operation(alg) as op:
            op.sendmsg_afalg([b"A" * 4 + b"payload"], op=sockcore.ALG_OP_ENCRYPT, iv=IV[:12], assoclen=4)
            sealed = op.recv(4 + 7 + 8)
        assert len(sealed) == 4 + 7 + 8
        tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
        with operation(alg) as op:
            op.sendmsg_afalg([tampered], op=sockcore.ALG_OP_DECRYPT, iv=IV[:12], assoclen=4)
            with pytest.raises(OSError) as info:
                op.recv(64)
            assert info.value.errno == errno.EBADMSG


def test_unknown_algorithm_fails_as_in_the_stdlib() -> None:
    with stdlib.socket(stdlib.AF_ALG, stdlib.SOCK_SEQPACKET) as std, pytest.raises(OSError) as expected:
        std.bind(("hash", "no-such-hash"))
    with sockcore.socket(sockcore.AF_ALG, sockcore.SOCK_SEQPACKET) as ours, pytest.raises(OSError) as got:
        ours.bind(("hash", "no-such-hash"))
    assert got.value.errno == expected.value.errno == errno.ENOENT
