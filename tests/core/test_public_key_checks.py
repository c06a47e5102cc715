"""Public keys are checked when read: none that cannot safely be sealed to gets in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import HpkePrivateKey, HpkePublicKey, Suite
from coc_hashscreen.errors import FormatError

# Every X25519 encoding of a point of order 1, 2, 4 or 8, as libsodium and
# the Curve25519 literature list them, with the non-canonical ones (u >= p,
# or the ignored top bit set) that name the same points.
LOW_ORDER = [
    "00" * 32,
    "01" + "00" * 31,
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ec" + "ff" * 30 + "7f",
    "ed" + "ff" * 30 + "7f",
    "ee" + "ff" * 30 + "7f",
    "cdeb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
    "4c9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7",
    "d9" + "ff" * 31,
    "da" + "ff" * 31,
    "db" + "ff" * 31,
]


@pytest.mark.parametrize("raw", LOW_ORDER)
def test_low_order_x25519_keys_are_refused(raw: str) -> None:
    with pytest.raises(FormatError, match=r"not a valid x25519 public key.*new key pair"):
        HpkePublicKey.from_raw(Suite.X25519, bytes.fromhex(raw))


@pytest.mark.parametrize("raw", LOW_ORDER)
def test_a_hybrid_key_with_a_low_order_x25519_half_is_refused(raw: str) -> None:
    good = HpkePrivateKey.generate(Suite.MLKEM768_X25519).public_key.raw
    with pytest.raises(FormatError, match="X25519"):
        HpkePublicKey.from_raw(Suite.MLKEM768_X25519, good[:1184] + bytes.fromhex(raw))


def test_a_non_canonical_encoding_of_a_good_key_is_refused() -> None:
    """The top bit is ignored by X25519 but not by the key id: one key, one id."""
    good = bytearray(HpkePrivateKey.generate().public_key.raw)
    good[31] |= 0x80
    with pytest.raises(FormatError, match="non-canonical"):
        HpkePublicKey.from_raw(Suite.X25519, bytes(good))


def test_bad_ml_kem_halves_are_refused() -> None:
    good = HpkePrivateKey.generate(Suite.MLKEM768_X25519).public_key.raw
    with pytest.raises(FormatError, match="all-zero ML-KEM"):
        HpkePublicKey.from_raw(Suite.MLKEM768_X25519, bytes(1152) + good[1152:])
    # Coefficients of 4095, above q = 3329: FIPS 203's modulus check fails.
    with pytest.raises(FormatError, match="modulus check"):
        HpkePublicKey.from_raw(Suite.MLKEM768_X25519, b"\xff" * 1152 + good[1152:])


@given(st.binary(min_size=32, max_size=32))
def test_any_32_bytes_are_refused_or_can_be_sealed_to(raw: bytes) -> None:
    try:
        key = HpkePublicKey.from_raw(Suite.X25519, raw)
    except FormatError:
        return
    assert len(key.seal(b"secret", info=b"context")) == 32 + 6 + 16


@pytest.mark.parametrize("suite", list(Suite))
def test_generated_keys_pass(suite: Suite) -> None:
    for _ in range(20):
        public = HpkePrivateKey.generate(suite).public_key
        assert HpkePublicKey.from_raw(suite, public.raw) == public
