"""Key pairs, key ids and HPKE sealing."""

from __future__ import annotations

import hashlib

import pytest

from coc_hashscreen.core import HpkePrivateKey, HpkePublicKey, SigningKey, Suite, key_id
from coc_hashscreen.errors import FormatError, KeyFileError, VerificationError


def test_key_id_is_sha256_of_raw_public_key() -> None:
    key = SigningKey.generate()
    assert key.key_id == hashlib.sha256(key.public_bytes).digest()
    assert key_id(b"abc") == hashlib.sha256(b"abc").digest()


@pytest.mark.parametrize("suite", list(Suite))
def test_hpke_round_trip(suite: Suite) -> None:
    key = HpkePrivateKey.generate(suite)
    public = key.public_key
    assert len(public.raw) == suite.public_size
    assert public.key_id == hashlib.sha256(public.raw).digest()
    sealed = public.seal(b"secret", info=b"context")
    assert key.open(sealed, info=b"context", what="test") == b"secret"
    with pytest.raises(VerificationError):
        key.open(sealed, info=b"other context", what="test")
    with pytest.raises(VerificationError):
        HpkePrivateKey.generate(suite).open(sealed, info=b"context", what="test")
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    with pytest.raises(VerificationError):
        key.open(bytes(tampered), info=b"context", what="test")


@pytest.mark.parametrize("suite", list(Suite))
def test_hpke_private_key_raw_round_trip(suite: Suite) -> None:
    key = HpkePrivateKey.generate(suite)
    again = HpkePrivateKey.from_raw(suite, key.private_bytes())
    assert again.public_key == key.public_key
    assert HpkePublicKey.from_raw(suite, key.public_key.raw) == key.public_key


def test_wrong_sizes() -> None:
    with pytest.raises(FormatError):
        HpkePublicKey.from_raw(Suite.X25519, bytes(31))
    with pytest.raises(KeyFileError):
        HpkePrivateKey.from_raw(Suite.MLKEM768_X25519, bytes(32))
    with pytest.raises(KeyFileError):
        SigningKey.from_private_bytes(bytes(31))


def test_reprs_hide_private_material() -> None:
    signing = SigningKey.generate()
    hpke = HpkePrivateKey.generate(Suite.MLKEM768_X25519)
    for obj, secret in ((signing, signing.private_bytes()), (hpke, hpke.private_bytes())):
        text = repr(obj)
        assert secret.hex() not in text
        assert repr(secret) not in text
        assert "key_id=" in text
