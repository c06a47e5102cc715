"""Private keys encrypted under a passphrase: the KDF, the AEAD and their values.

::

    k  = Argon2id(passphrase, salt, t, m, p) → 32 bytes     (salt: 16 random bytes)
    ct = ChaCha20-Poly1305(k).encrypt(nonce, private key bytes, AD)   (nonce: 12 random bytes)
    AD = "coc-hashscreen private key v2" ‖ 0x00 ‖ canonical JSON of every other field

The passphrase is NFC-normalized and UTF-8 encoded, so the same words typed
on two systems give the same key.  The Argon2 cost is stored in the file and
bounded when read (`PassphraseKdf`), so a damaged or planted file cannot make
a command allocate gigabytes or spin for minutes before it fails.  Nothing
here reads a terminal or a file: where a passphrase comes from is the
command line's business (``cli/_passphrase.py``).  docs/adr/0015.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from argon2.exceptions import HashingError
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from ..errors import FormatError, InputError, InvalidParameters

__all__ = [
    "DEFAULT_PASSPHRASE_KDF",
    "KeyProtection",
    "Passphrase",
    "PassphraseKdf",
    "PassphraseSource",
    "open_private_bytes",
    "seal_private_bytes",
]

AEAD_NAME: Final = "chacha20-poly1305"
SALT_SIZE: Final = 16
NONCE_SIZE: Final = 12
KEY_SIZE: Final = 32
_AD_PREFIX: Final = b"coc-hashscreen private key v2\x00"

PASSPHRASE_MAX_BYTES: Final = 1024
NEW_PASSPHRASE_MIN_CHARS: Final = 8

# Bounds on the cost a key file may ask for.  The default below costs
# 512 MiB·passes; a file may ask for up to eight times that (about 5 s here)
# and at most 1 GiB of memory at once.  Anything beyond is refused unread.
MAX_KDF_TIME_COST: Final = 16
MAX_KDF_MEMORY_COST: Final = 1024 * 1024  # KiB
MAX_KDF_PARALLELISM: Final = 16
MAX_KDF_WORK: Final = 8 * 2 * 256 * 1024  # time_cost × memory_cost, KiB·passes
_ARGON2_VERSION: Final = 0x13


@dataclass(frozen=True)
class Passphrase:
    """A passphrase as the KDF sees it: NFC-normalized UTF-8, never shown in a repr."""

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.secret, bytes) or not 1 <= len(self.secret) <= PASSPHRASE_MAX_BYTES:
            raise InputError(f"a passphrase is 1 to {PASSPHRASE_MAX_BYTES} bytes of UTF-8")

    @classmethod
    def from_text(cls, text: str, *, new: bool = False) -> Passphrase:
        """The passphrase *text*; a *new* one must have at least eight characters."""
        normalized = unicodedata.normalize("NFC", text)
        if new and len(normalized) < NEW_PASSPHRASE_MIN_CHARS:
            raise InputError(
                f"a new passphrase needs at least {NEW_PASSPHRASE_MIN_CHARS} characters; "
                "a few unrelated words are easier to type and harder to guess"
            )
        try:
            secret = normalized.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, from a mis-decoded file
            raise InputError("the passphrase is not valid Unicode text") from None
        return cls(secret)

    def __repr__(self) -> str:
        return "Passphrase(…)"


# Called only when an encrypted key file is opened, so that plain files and
# commands that open no key never ask.  It may be called more than once in
# one command (two key files): a source that asks a person should remember
# the answer.
PassphraseSource = Callable[[], Passphrase]


@dataclass(frozen=True)
class PassphraseKdf:
    """The Argon2id cost of one encrypted key file (RFC 9106 names; memory in KiB)."""

    time_cost: int
    memory_cost: int
    parallelism: int

    def __post_init__(self) -> None:
        values = (self.time_cost, self.memory_cost, self.parallelism)
        if not all(type(v) is int for v in values):
            raise InvalidParameters("the key file's Argon2 costs must be integers")
        if not (
            1 <= self.time_cost <= MAX_KDF_TIME_COST
            and 1 <= self.parallelism <= MAX_KDF_PARALLELISM
            and 8 * self.parallelism <= self.memory_cost <= MAX_KDF_MEMORY_COST
            and self.time_cost * self.memory_cost <= MAX_KDF_WORK
        ):
            raise InvalidParameters(
                f"the key file's Argon2 cost ({self.describe()}) is outside what this "
                "release accepts"
            )

    def to_dict(self) -> dict[str, int | str]:
        return {
            "algorithm": "argon2id",
            "version": _ARGON2_VERSION,
            "time_cost": self.time_cost,
            "memory_cost": self.memory_cost,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> PassphraseKdf:
        """Parse the ``kdf`` object of a key file, refusing a cost out of bounds."""
        if set(data) != {"algorithm", "version", "time_cost", "memory_cost", "parallelism"}:
            raise FormatError("the kdf parameters do not have exactly the expected fields")
        if data["algorithm"] != "argon2id" or data["version"] != _ARGON2_VERSION:
            raise FormatError("the kdf is not Argon2id version 0x13")
        costs = (data["time_cost"], data["memory_cost"], data["parallelism"])
        try:
            return cls(*costs)  # type: ignore[arg-type]  # checked in __post_init__
        except InvalidParameters as exc:
            raise FormatError(str(exc)) from None

    def describe(self) -> str:
        m = self.memory_cost
        memory = f"{m // 1024} MiB" if m % 1024 == 0 else f"{m} KiB"
        return f"Argon2id t={self.time_cost}, m={memory}, p={self.parallelism}"

    def derive(self, passphrase: Passphrase, salt: bytes) -> bytes:
        try:
            return hash_secret_raw(
                passphrase.secret,
                salt,
                time_cost=self.time_cost,
                memory_cost=self.memory_cost,
                parallelism=self.parallelism,
                hash_len=KEY_SIZE,
                type=Type.ID,
                version=_ARGON2_VERSION,
            )
        except HashingError:  # pragma: no cover - out of memory
            raise InvalidParameters(
                f"Argon2 could not run with {self.describe()}: not enough memory"
            ) from None


# About half a second on one core of the machine ADR 0015 measured (2 GHz,
# loaded): 256 MiB makes each guess cost an attacker as much memory as it
# costs us; one lane keeps the time the same on a two-core laptop.
DEFAULT_PASSPHRASE_KDF: Final = PassphraseKdf(time_cost=2, memory_cost=256 * 1024, parallelism=1)


@dataclass(frozen=True)
class KeyProtection:
    """How a private key file is written: under *passphrase*, at the Argon2 cost *kdf*.

    *kdf* is for tests and for keeping an existing file's cost; the command
    line always writes `DEFAULT_PASSPHRASE_KDF`.  *rng* gives the salt and
    the nonce (``os.urandom``; fixed only for the frozen test vectors).
    """

    passphrase: Passphrase = field(repr=False)
    kdf: PassphraseKdf = DEFAULT_PASSPHRASE_KDF
    rng: Callable[[int], bytes] = field(default=os.urandom, repr=False, compare=False)


def associated_data(header: bytes) -> bytes:
    return _AD_PREFIX + header


def seal_private_bytes(
    raw: bytes, protection: KeyProtection, header: Callable[[bytes, bytes], bytes]
) -> tuple[bytes, bytes, bytes]:
    """Encrypt *raw*: returns (salt, nonce, ciphertext).

    *header* gives the canonical bytes of every other field of the file for
    a salt and a nonce; they are the AEAD's associated data.
    """
    salt, nonce = protection.rng(SALT_SIZE), protection.rng(NONCE_SIZE)
    if len(salt) != SALT_SIZE or len(nonce) != NONCE_SIZE:
        raise InvalidParameters("the random source gave the wrong number of bytes")
    key = protection.kdf.derive(protection.passphrase, salt)
    ad = associated_data(header(salt, nonce))
    return salt, nonce, ChaCha20Poly1305(key).encrypt(nonce, raw, ad)


@dataclass(frozen=True)
class SealedKey:
    """The encrypted part of a key file as read, and the header it is bound to."""

    kdf: PassphraseKdf
    salt: bytes
    nonce: bytes
    ciphertext: bytes = field(repr=False)
    header: bytes = field(repr=False)


def open_private_bytes(sealed: SealedKey, passphrase: Passphrase) -> bytes | None:
    """The private key bytes, or None when the passphrase or any byte of the file is wrong."""
    key = sealed.kdf.derive(passphrase, sealed.salt)
    try:
        return ChaCha20Poly1305(key).decrypt(
            sealed.nonce, sealed.ciphertext, associated_data(sealed.header)
        )
    except InvalidTag:
        return None
