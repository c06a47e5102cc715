"""Key pairs and key ids.

- Committee **signing key**: Ed25519.  Its key id is SHA-256 of the raw
  32-byte public key.
- **HPKE key pairs** (organizer keys, the committee's report key): X25519 by
  default, or the ML-KEM-768 + X25519 hybrid.  Sealing uses HPKE base mode
  (RFC 9180) from `cryptography`: the chosen KEM, HKDF-SHA256 and
  ChaCha20-Poly1305.  The key id is SHA-256 of the raw public key (for the
  hybrid: the ML-KEM-768 public key followed by the X25519 public key).

A public key is checked when it is read (`HpkePublicKey.from_raw`), so no
invalid key is ever registered, pinned or sealed to: an X25519 key must be
canonical (below 2^255 - 19) and not of low order (RFC 7748 §6.1), and the
hybrid's ML-KEM-768 key must pass FIPS 203's modulus check and not be all
zero (docs/adr/0014-organizer-keys-grants-and-list-metadata.md).

Reprs never show key material.  Key *files* are in `formats`.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import FormatError, KeyFileError, VerificationError

__all__ = [
    "HpkePrivateKey",
    "HpkePublicKey",
    "KeyPurpose",
    "SigningKey",
    "Suite",
    "ed25519_public",
    "fingerprint",
    "key_id",
    "short_id",
]

_MLKEM_SEED: Final = 64
_MLKEM_PUBLIC: Final = 1184
# The encoded vector t of an ML-KEM-768 public key; the 32-byte seed rho follows.
_MLKEM_T: Final = 1152
_X25519: Final = 32
_X25519_P: Final = 2**255 - 19
# Any private key shows a low-order peer key: its scalar is clamped to a
# multiple of the cofactor 8, so the shared secret is all zero, which
# OpenSSL refuses.  A fixed one keeps the check deterministic.
_PROBE: Final = x25519.X25519PrivateKey.from_private_bytes(bytes(range(1, 33)))


def key_id(raw_public_key: bytes) -> bytes:
    """SHA-256 of a raw public key: how every file names a key."""
    return hashlib.sha256(raw_public_key).digest()


def short_id(identifier: bytes) -> str:
    """The first 16 hex digits of a key id, for people to compare."""
    return identifier.hex()[:16]


def fingerprint(identifier: bytes) -> str:
    """A whole key id as people compare it: 16 groups of 4 hex digits."""
    text = identifier.hex()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


class Suite(enum.StrEnum):
    """The HPKE KEM of a key pair."""

    X25519 = "x25519"
    MLKEM768_X25519 = "mlkem768-x25519"

    @property
    def hpke(self) -> hpke.Suite:
        kem = hpke.KEM.X25519 if self is Suite.X25519 else hpke.KEM.MLKEM768_X25519
        return hpke.Suite(kem, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)

    @property
    def hpke_overhead(self) -> int:
        """Bytes HPKE adds to a plaintext: the encapsulated key and the AEAD tag."""
        encapsulated = 32 if self is Suite.X25519 else 1088 + 32
        return encapsulated + 16

    @property
    def public_size(self) -> int:
        return _X25519 if self is Suite.X25519 else _MLKEM_PUBLIC + _X25519

    @property
    def private_size(self) -> int:
        return _X25519 if self is Suite.X25519 else _MLKEM_SEED + _X25519

    @classmethod
    def parse(cls, value: str) -> Suite:
        try:
            return cls(value)
        except ValueError:
            raise FormatError(
                f"unknown key suite; known: {', '.join(s.value for s in cls)}"
            ) from None


class KeyPurpose(enum.StrEnum):
    """What a key file is for, so one cannot be passed where another belongs."""

    COMMITTEE_SIGNING = "committee-signing"
    COMMITTEE_REPORTS = "committee-reports"
    ORGANIZER = "organizer"


# ---------------------------------------------------------------------------
# signing keys


@dataclass(frozen=True, eq=False)
class SigningKey:
    """The committee's Ed25519 signing key."""

    _key: Ed25519PrivateKey = field(repr=False)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_bytes(cls, raw: bytes) -> SigningKey:
        if len(raw) != 32:
            raise KeyFileError("an Ed25519 private key is 32 bytes")
        return cls(Ed25519PrivateKey.from_private_bytes(raw))

    def private_bytes(self) -> bytes:
        return self._key.private_bytes_raw()

    @property
    def public_bytes(self) -> bytes:
        return self._key.public_key().public_bytes_raw()

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._key.public_key()

    @property
    def key_id(self) -> bytes:
        return key_id(self.public_bytes)

    def sign(self, message: bytes) -> bytes:
        return self._key.sign(message)

    def __repr__(self) -> str:
        return f"SigningKey(key_id={short_id(self.key_id)}…)"


def ed25519_public(raw: bytes) -> Ed25519PublicKey:
    if len(raw) != 32:
        raise FormatError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


# ---------------------------------------------------------------------------
# HPKE keys

_PublicKey = x25519.X25519PublicKey | hpke.MLKEM768X25519PublicKey
_PrivateKey = x25519.X25519PrivateKey | hpke.MLKEM768X25519PrivateKey


@dataclass(frozen=True, eq=False)
class HpkePublicKey:
    """A public key that files can be sealed to."""

    suite: Suite
    raw: bytes
    _key: _PublicKey = field(repr=False, compare=False)

    @classmethod
    def from_raw(cls, suite: Suite, raw: bytes) -> HpkePublicKey:
        """The key *raw* encodes, if it is one that can safely be sealed to.

        Refused with `FormatError`: a wrong size, an X25519 key that is not
        canonical or is of low order (sealing to it would fail, or give a
        shared secret anyone knows), and an ML-KEM-768 key that fails the
        modulus check or is all zero.
        """
        if len(raw) != suite.public_size:
            raise FormatError(f"an {suite.value} public key is {suite.public_size} bytes")
        key: _PublicKey
        try:
            if suite is Suite.X25519:
                key = _x25519_public(raw)
            else:
                key = hpke.MLKEM768X25519PublicKey(
                    _mlkem_public(raw[:_MLKEM_PUBLIC]), _x25519_public(raw[_MLKEM_PUBLIC:])
                )
        except ValueError as exc:
            raise FormatError(
                f"not a valid {suite.value} public key ({exc}); its owner must make a new key pair"
            ) from None
        return cls(suite, raw, key)

    @property
    def key_id(self) -> bytes:
        return key_id(self.raw)

    def seal(self, plaintext: bytes, *, info: bytes) -> bytes:
        """HPKE base-mode single-shot encryption to this key, bound to *info*."""
        return self.suite.hpke.encrypt(plaintext, self._key, info=info)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HpkePublicKey) and (self.suite, self.raw) == (
            other.suite,
            other.raw,
        )

    def __hash__(self) -> int:
        return hash((self.suite, self.raw))

    def __repr__(self) -> str:
        return f"HpkePublicKey(suite={self.suite.value}, key_id={short_id(self.key_id)}…)"


def _x25519_public(raw: bytes) -> x25519.X25519PublicKey:
    """An X25519 public key that is canonical and not of low order, else `ValueError`."""
    # A non-canonical encoding names the same point as a canonical one under
    # another key id; the high bit is ignored by X25519 but not by SHA-256.
    if int.from_bytes(raw, "little") >= _X25519_P:
        raise ValueError("a non-canonical X25519 encoding")
    key = x25519.X25519PublicKey.from_public_bytes(raw)
    try:
        _PROBE.exchange(key)
    except ValueError:
        raise ValueError("a low-order X25519 point") from None
    return key


def _mlkem_public(raw: bytes) -> mlkem.MLKEM768PublicKey:
    """An ML-KEM-768 public key that passes the modulus check and is not all zero."""
    if not any(raw[:_MLKEM_T]):
        # t = 0 passes FIPS 203's checks, but every ciphertext to it reveals its secret.
        raise ValueError("an all-zero ML-KEM-768 key")
    try:
        return mlkem.MLKEM768PublicKey.from_public_bytes(raw)
    except ValueError:
        # cryptography applies FIPS 203's modulus check (every coefficient below q).
        raise ValueError("an ML-KEM-768 key that fails the modulus check") from None


@dataclass(frozen=True, eq=False)
class HpkePrivateKey:
    """A private key that opens what was sealed to its public key."""

    suite: Suite
    _raw: bytes = field(repr=False)
    _key: _PrivateKey = field(repr=False)

    @classmethod
    def generate(cls, suite: Suite = Suite.X25519) -> HpkePrivateKey:
        x = x25519.X25519PrivateKey.generate()
        if suite is Suite.X25519:
            return cls(suite, x.private_bytes_raw(), x)
        m = mlkem.MLKEM768PrivateKey.generate()
        raw = m.private_bytes_raw() + x.private_bytes_raw()
        return cls(suite, raw, hpke.MLKEM768X25519PrivateKey(m, x))

    @classmethod
    def from_raw(cls, suite: Suite, raw: bytes) -> HpkePrivateKey:
        if len(raw) != suite.private_size:
            raise KeyFileError(f"an {suite.value} private key is {suite.private_size} bytes")
        try:
            if suite is Suite.X25519:
                return cls(suite, raw, x25519.X25519PrivateKey.from_private_bytes(raw))
            m = mlkem.MLKEM768PrivateKey.from_seed_bytes(raw[:_MLKEM_SEED])
            x = x25519.X25519PrivateKey.from_private_bytes(raw[_MLKEM_SEED:])
        except ValueError:
            raise KeyFileError(f"not a valid {suite.value} private key") from None
        return cls(suite, raw, hpke.MLKEM768X25519PrivateKey(m, x))

    def private_bytes(self) -> bytes:
        return self._raw

    @property
    def public_key(self) -> HpkePublicKey:
        if self.suite is Suite.X25519:
            assert isinstance(self._key, x25519.X25519PrivateKey)
            return HpkePublicKey.from_raw(self.suite, self._key.public_key().public_bytes_raw())
        m = mlkem.MLKEM768PrivateKey.from_seed_bytes(self._raw[:_MLKEM_SEED])
        x = x25519.X25519PrivateKey.from_private_bytes(self._raw[_MLKEM_SEED:])
        raw = m.public_key().public_bytes_raw() + x.public_key().public_bytes_raw()
        return HpkePublicKey.from_raw(self.suite, raw)

    @property
    def key_id(self) -> bytes:
        return self.public_key.key_id

    def open(self, ciphertext: bytes, *, info: bytes, what: str) -> bytes:
        """Open an HPKE ciphertext; any failure is the opaque `VerificationError`."""
        try:
            return self.suite.hpke.decrypt(ciphertext, self._key, info=info)
        except (InvalidTag, ValueError):
            raise VerificationError(what) from None

    def __repr__(self) -> str:
        return f"HpkePrivateKey(suite={self.suite.value}, key_id={short_id(self.key_id)}…)"
