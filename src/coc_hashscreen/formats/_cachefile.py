"""The organizer's Argon2 cache file: one epoch's Argon2 outputs, encrypted at rest.

Layout (all integers big-endian)::

    magic     8 bytes   b"CHSCACHE"
    format    1 byte    1
    series   32 bytes   the committee's series
    epoch     8 bytes
    expires   8 bytes   Unix seconds: the grant's expiry; the file goes with it
    nonce    12 bytes
    sealed    rest      ChaCha20-Poly1305 of (count: 4 bytes, then count x
                        (fingerprint 16 bytes, Argon2 output 32 bytes)),
                        with every byte before the nonce as associated data

The key is HKDF-SHA256 of the organizer's private key, salted with the
epoch key, for this series and epoch (`cache_file_key`): only a holder of
both the grant and the key it was sealed to can read the file or write one
that this organizer will accept.  A fingerprint is `cache_fingerprint`, a
keyed hash of the identifier; no identifier is in the file, even sealed.
The header stays readable so that a file can be deleted once its grant has
expired or its epoch has ended without opening it (ADR 0021).
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..core import ARGON2_OUTPUT_SIZE, HashKey, HpkePrivateKey, timestamp
from ..errors import FormatError, VerificationError

__all__ = [
    "CACHE_ENTRY_SIZE",
    "CACHE_FINGERPRINT_SIZE",
    "CacheHeader",
    "cache_file_key",
    "open_cache",
    "parse_cache_header",
    "seal_cache",
]

CACHE_MAGIC: Final = b"CHSCACHE"
CACHE_FORMAT: Final = 1
CACHE_FINGERPRINT_SIZE: Final = 16
CACHE_ENTRY_SIZE: Final = CACHE_FINGERPRINT_SIZE + ARGON2_OUTPUT_SIZE
_HEADER: Final = struct.Struct(">8sB32sQQ")
_NONCE: Final = 12
_COUNT: Final = struct.Struct(">I")


@dataclass(frozen=True)
class CacheHeader:
    """What a cache file says of itself in clear: whose, which epoch, until when."""

    series: bytes
    epoch: int
    expires: datetime

    def to_bytes(self) -> bytes:
        return _HEADER.pack(
            CACHE_MAGIC, CACHE_FORMAT, self.series, self.epoch, timestamp(self.expires)
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "series": self.series.hex(),
            "epoch": self.epoch,
            "expires": self.expires.isoformat(),
        }


def cache_file_key(
    organizer_key: HpkePrivateKey, epoch_key: HashKey, *, series: bytes, epoch: int
) -> bytes:
    """The key of one epoch's cache file: the organizer's private key and the epoch's
    cache secret (the epoch key offline; online, a secret derived from the organizer's
    own key, never the access token, so that a re-grant keeps the cache: ADR 0025)."""
    info = b"coc-hashscreen argon2 cache file\x00" + series + epoch.to_bytes(8, "big")
    salt = epoch_key.cache_secret
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(
        organizer_key.private_bytes()
    )


def parse_cache_header(data: bytes) -> CacheHeader:
    """The clear header of a cache file; `FormatError` if it is not one."""
    if len(data) < _HEADER.size + _NONCE or not data.startswith(CACHE_MAGIC):
        raise FormatError("not an Argon2 cache file")
    _, version, series, epoch, expires = _HEADER.unpack_from(data)
    if version != CACHE_FORMAT:
        raise FormatError(
            f"an Argon2 cache file of format {version}, which this version does not read"
        )
    return CacheHeader(series, epoch, datetime.fromtimestamp(expires, UTC))


def seal_cache(
    entries: Sequence[tuple[bytes, bytes]], *, header: CacheHeader, key: bytes, nonce: bytes
) -> bytes:
    """A cache file holding *entries* (fingerprint, Argon2 output), sealed under *key*."""
    if len(nonce) != _NONCE:
        raise ValueError("a cache file's nonce is 12 bytes")
    body = bytearray(_COUNT.pack(len(entries)))
    for fingerprint, value in entries:
        if len(fingerprint) != CACHE_FINGERPRINT_SIZE or len(value) != ARGON2_OUTPUT_SIZE:
            raise ValueError("a cache entry is a 16-byte fingerprint and a 32-byte Argon2 output")
        body += fingerprint + value
    head = header.to_bytes()
    return head + nonce + ChaCha20Poly1305(key).encrypt(nonce, bytes(body), head)


def open_cache(data: bytes, *, key: bytes) -> tuple[CacheHeader, list[tuple[bytes, bytes]]]:
    """The header and entries of a cache file.

    A file sealed under another key, or with any byte changed, is the one
    opaque `VerificationError`; one that is not a cache file is a
    `FormatError`.
    """
    header = parse_cache_header(data)
    start = _HEADER.size
    nonce, sealed = data[start : start + _NONCE], data[start + _NONCE :]
    try:
        body = ChaCha20Poly1305(key).decrypt(nonce, sealed, data[:start])
    except InvalidTag:
        raise VerificationError("Argon2 cache file") from None
    (count,) = _COUNT.unpack_from(body) if len(body) >= _COUNT.size else (-1,)
    if count < 0 or len(body) != _COUNT.size + count * CACHE_ENTRY_SIZE:
        raise FormatError("an Argon2 cache file whose length does not match its count")
    entries = [
        (
            body[offset : offset + CACHE_FINGERPRINT_SIZE],
            body[offset + CACHE_FINGERPRINT_SIZE : offset + CACHE_ENTRY_SIZE],
        )
        for offset in range(_COUNT.size, len(body), CACHE_ENTRY_SIZE)
    ]
    return header, entries
