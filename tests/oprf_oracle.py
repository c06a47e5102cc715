"""An independent RFC 9497 VOPRF (ristretto255-SHA512) on libsodium, for tests only.

Written from RFC 9497 (sections 2.2, 3.2, 3.3.2, 4.1) on libsodium's
ristretto255 through rbcl, sharing no code with `voprf`.  Unlike the
library it takes the blinds and the proof's random scalar as inputs, so it
replays the RFC's vectors completely (tests/core/test_oprf.py checks it
does) and then serves as the oracle our client and our server are checked
against.  Scalars are 32-byte little-endian strings, elements their 32-byte
encodings, as on the wire.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

import rbcl  # type: ignore[import-untyped]  # rbcl ships no type information

MODE_VOPRF = 0x01
CONTEXT = b"OPRFV1-" + bytes([MODE_VOPRF]) + b"-ristretto255-SHA512"
IDENTITY = bytes(32)


class ProofFailed(Exception):
    """The batched DLEQ proof did not verify."""


# Typed wrappers around the untyped rbcl calls.


def _sub(a: bytes, b: bytes) -> bytes:
    return bytes(rbcl.crypto_core_ristretto255_scalar_sub(a, b))


def _mul(a: bytes, b: bytes) -> bytes:
    return bytes(rbcl.crypto_core_ristretto255_scalar_mul(a, b))


def _invert(a: bytes) -> bytes:
    return bytes(rbcl.crypto_core_ristretto255_scalar_invert(a))


def _reduce(wide: bytes) -> bytes:
    return bytes(rbcl.crypto_core_ristretto255_scalar_reduce(wide))


def _smul(scalar: bytes, element: bytes) -> bytes:
    return bytes(rbcl.crypto_scalarmult_ristretto255(scalar, element))


def _smul_base(scalar: bytes) -> bytes:
    return bytes(rbcl.crypto_scalarmult_ristretto255_base(scalar))


def _add(p: bytes, q: bytes) -> bytes:
    return bytes(rbcl.crypto_core_ristretto255_add(p, q))


def is_valid_element(data: bytes) -> bool:
    """A canonical encoding of a ristretto255 element other than the identity."""
    if len(data) != 32 or data == IDENTITY:
        return False
    return bool(rbcl.crypto_core_ristretto255_is_valid_point(data))


def random_scalar() -> bytes:
    return bytes(rbcl.crypto_core_ristretto255_scalar_random())


# RFC 9380 section 5.3.1, with SHA-512 (b_in_bytes 64, s_in_bytes 128).


def expand_message_xmd(msg: bytes, dst: bytes, length: int) -> bytes:
    ell = -(-length // 64)
    assert ell <= 255
    assert len(dst) <= 255
    dst_prime = dst + bytes([len(dst)])
    b0 = hashlib.sha512(bytes(128) + msg + length.to_bytes(2, "big") + b"\0" + dst_prime).digest()
    blocks = [hashlib.sha512(b0 + b"\1" + dst_prime).digest()]
    for i in range(2, ell + 1):
        mixed = bytes(x ^ y for x, y in zip(b0, blocks[-1], strict=True))
        blocks.append(hashlib.sha512(mixed + bytes([i]) + dst_prime).digest())
    return b"".join(blocks)[:length]


def hash_to_group(data: bytes) -> bytes:
    uniform = expand_message_xmd(data, b"HashToGroup-" + CONTEXT, 64)
    return bytes(rbcl.crypto_core_ristretto255_from_hash(uniform))


def hash_to_scalar(data: bytes, dst: bytes = b"HashToScalar-" + CONTEXT) -> bytes:
    return _reduce(expand_message_xmd(data, dst, 64))


def _lp(data: bytes) -> bytes:
    return len(data).to_bytes(2, "big") + data


# RFC 9497 section 3.2.1.


def derive_key_pair(seed: bytes, info: bytes) -> tuple[bytes, bytes]:
    derive_input = seed + _lp(info)
    for counter in range(256):
        sk = hash_to_scalar(derive_input + bytes([counter]), b"DeriveKeyPair" + CONTEXT)
        if sk != bytes(32):
            return sk, _smul_base(sk)
    raise ValueError("DeriveKeyPairError")


# RFC 9497 section 2.2: the batched DLEQ proof.


def _composites(pk: bytes, blinded: Sequence[bytes], evaluated: Sequence[bytes]) -> list[bytes]:
    """The d_i of ComputeComposites, shared by both sides."""
    seed_dst = b"Seed-" + CONTEXT
    seed = hashlib.sha512(_lp(pk) + _lp(seed_dst)).digest()
    return [
        hash_to_scalar(_lp(seed) + i.to_bytes(2, "big") + _lp(c) + _lp(d) + b"Composite")
        for i, (c, d) in enumerate(zip(blinded, evaluated, strict=True))
    ]


def _combine(scalars: Sequence[bytes], elements: Sequence[bytes]) -> bytes:
    total = _smul(scalars[0], elements[0])
    for scalar, element in zip(scalars[1:], elements[1:], strict=True):
        total = _add(total, _smul(scalar, element))
    return total


def _challenge(pk: bytes, m: bytes, z: bytes, t2: bytes, t3: bytes) -> bytes:
    return hash_to_scalar(_lp(pk) + _lp(m) + _lp(z) + _lp(t2) + _lp(t3) + b"Challenge")


def generate_proof(
    sk: bytes, blinded: Sequence[bytes], evaluated: Sequence[bytes], r: bytes
) -> bytes:
    pk = _smul_base(sk)
    d = _composites(pk, blinded, evaluated)
    m = _combine(d, blinded)
    z = _smul(sk, m)  # ComputeCompositesFast: the server knows k
    c = _challenge(pk, m, z, _smul_base(r), _smul(r, m))
    return c + _sub(r, _mul(c, sk))


def verify_proof(
    pk: bytes, blinded: Sequence[bytes], evaluated: Sequence[bytes], proof: bytes
) -> bool:
    c, s = proof[:32], proof[32:]
    if len(proof) != 64 or _reduce(c + bytes(32)) != c or _reduce(s + bytes(32)) != s:
        return False
    d = _composites(pk, blinded, evaluated)
    m = _combine(d, blinded)
    z = _combine(d, evaluated)  # ComputeComposites: the client does not
    t2 = _add(_smul_base(s), _smul(c, pk))
    t3 = _add(_smul(s, m), _smul(c, z))
    return hmac.compare_digest(_challenge(pk, m, z, t2, t3), c)


# RFC 9497 section 3.3.2: the protocol.


def blind(data: bytes, blind_scalar: bytes) -> bytes:
    return _smul(blind_scalar, hash_to_group(data))


def blind_evaluate(sk: bytes, blinded: Sequence[bytes], r: bytes) -> tuple[list[bytes], bytes]:
    """BlindEvaluateBatch: the evaluated elements and one proof."""
    evaluated = [_smul(sk, element) for element in blinded]
    return evaluated, generate_proof(sk, blinded, evaluated, r)


def _finish(data: bytes, element: bytes) -> bytes:
    return hashlib.sha512(_lp(data) + _lp(element) + b"Finalize").digest()


def finalize(
    inputs: Sequence[bytes],
    blinds: Sequence[bytes],
    blinded: Sequence[bytes],
    answer: tuple[Sequence[bytes], bytes],
    pk: bytes,
) -> list[bytes]:
    evaluated, proof = answer
    if not verify_proof(pk, blinded, evaluated, proof):
        raise ProofFailed
    return [
        _finish(data, _smul(_invert(b), element))
        for data, b, element in zip(inputs, blinds, evaluated, strict=True)
    ]


def evaluate(sk: bytes, data: bytes) -> bytes:
    return _finish(data, _smul(sk, hash_to_group(data)))


# The wire layout of docs/formats.md: proof (c, s), then the evaluated elements.


def encode_answer(evaluated: Sequence[bytes], proof: bytes) -> bytes:
    return proof + b"".join(evaluated)


def decode_answer(answer: bytes, count: int) -> tuple[list[bytes], bytes]:
    if len(answer) != 64 + 32 * count:
        raise ValueError("wrong length")
    evaluated = [answer[i : i + 32] for i in range(64, len(answer), 32)]
    if not all(is_valid_element(e) for e in evaluated):
        raise ValueError("not an element")
    return evaluated, answer[:64]
