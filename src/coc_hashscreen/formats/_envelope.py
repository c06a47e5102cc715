"""The signed envelope: one implementation for every signed file type.

Layout (all integers big-endian)::

    offset  size  field
    0       7     magic "COC-HS" 0x00
    7       1     envelope version, 1
    8       1     length n of the file type (1..32)
    9       n     file type, ASCII: "list", "grant", "trust", "key-rotation", "receipt"
    9+n     32    key id of the signer: SHA-256 of its raw Ed25519 public key
    41+n    8     payload length L
    49+n    L     payload (its format depends on the file type)
    49+n+L  64    Ed25519 signature

The signature covers ``"coc-hashscreen signature v1" 0x00`` followed by every
byte from offset 0 to the end of the payload: the file type is part of what
is signed, so a signature on a grant can never pass as one on a list.  The
file must end exactly after the signature.

`open_envelope` checks, in this order: the size limit of the expected type
(before reading, in `read_envelope`), the magic and version, the file type,
that the signer is a trusted key, the lengths, and the signature.  Only then
is the payload handed to a parser.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..errors import (
    FormatError,
    UnsupportedFormat,
    UntrustedSigner,
    VerificationError,
    WrongFileType,
)
from ._files import read_limited

__all__ = [
    "FILE_TYPES",
    "FILE_TYPE_NAMES",
    "MAX_SIZES",
    "Envelope",
    "Signer",
    "claimed_type",
    "open_envelope",
    "open_self_signed",
    "peek_type",
    "read_envelope",
    "sign_envelope",
    "type_prefix",
]

MAGIC: Final = b"COC-HS\x00"
VERSION: Final = 1
SIGNATURE_CONTEXT: Final = b"coc-hashscreen signature v1\x00"
KEY_ID_SIZE: Final = 32
SIGNATURE_SIZE: Final = 64

# Size limit per file type, checked before a file is read.  A list of
# 1,048,576 entries of 108 bytes is 108 MiB plus its header.
MAX_SIZES: Final[Mapping[str, int]] = {
    "list": 120 * 2**20,
    "grant": 64 * 2**10,
    "trust": 1 * 2**20,
    "key-rotation": 16 * 2**10,
    "receipt": 64 * 2**10,
}
FILE_TYPES: Final = frozenset(MAX_SIZES)

# What a person calls each type, for messages.
FILE_TYPE_NAMES: Final[Mapping[str, str]] = {
    "list": "hashed list",
    "grant": "grant",
    "trust": "trust file",
    "key-rotation": "signing-key rotation statement",
    "receipt": "receipt",
}


class Signer(Protocol):
    """What `sign_envelope` needs: a key id and a signing function."""

    @property
    def key_id(self) -> bytes: ...

    def sign(self, message: bytes) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Envelope:
    """A verified envelope: its type, signer and payload."""

    file_type: str
    signer: bytes
    data: bytes = field(repr=False)
    start: int
    end: int

    @property
    def payload(self) -> bytes:
        return self.data[self.start : self.end]

    @property
    def payload_view(self) -> memoryview:
        """The payload without a copy: lists are large."""
        return memoryview(self.data)[self.start : self.end]


def type_prefix(file_type: str, version: int = VERSION) -> bytes:
    """How every file of ours starts: the magic, the version and the length-prefixed file type.

    Signed envelopes and sealed reports share it, so one look at the first
    bytes tells what a file claims to be.  Signed envelopes are version 1;
    sealed reports have their own versions.
    """
    kind = file_type.encode("ascii")
    return MAGIC + bytes([version, len(kind)]) + kind


def claimed_type(data: bytes) -> tuple[int, str] | None:
    """(version, file type) a file's prefix claims, unverified; None if it has no prefix.

    A file cut short inside its type still claims what is there, so that it
    is refused as a truncated file of that type rather than as a stranger.
    """
    if len(data) < 9 or data[:7] != MAGIC:
        return None
    try:
        return data[7], data[9 : 9 + data[8]].decode("ascii")
    except UnicodeDecodeError:
        return None


def _prefix(file_type: str, signer: bytes, payload_length: int) -> bytes:
    return type_prefix(file_type) + signer + struct.pack(">Q", payload_length)


def sign_envelope(file_type: str, payload: bytes, signer: Signer) -> bytes:
    """Wrap *payload* in a signed envelope of *file_type*."""
    if file_type not in FILE_TYPES:
        raise ValueError(f"unknown file type {file_type!r}")
    signed = _prefix(file_type, signer.key_id, len(payload)) + payload
    limit = MAX_SIZES[file_type]
    if len(signed) + SIGNATURE_SIZE > limit:
        raise FormatError(
            f"the {FILE_TYPE_NAMES[file_type]} would be larger than the {limit:,}-byte limit"
        )
    return signed + signer.sign(SIGNATURE_CONTEXT + signed)


def peek_type(data: bytes) -> str | None:
    """The signed file type an envelope claims, without verifying anything; None if none."""
    claimed = claimed_type(data)
    return claimed[1] if claimed is not None and claimed[1] in FILE_TYPES else None


def open_envelope(
    data: bytes, file_type: str, trusted: Mapping[bytes, Ed25519PublicKey]
) -> Envelope:
    """Verify an envelope of *file_type* signed by one of the *trusted* keys."""
    what = FILE_TYPE_NAMES[file_type]
    if len(data) > MAX_SIZES[file_type]:
        raise FormatError(f"the {what} is larger than the {MAX_SIZES[file_type]:,}-byte limit")
    if len(data) < 9 or data[:7] != MAGIC:
        raise FormatError(f"this is not a coc-hashscreen file, so it cannot be the {what}")
    if data[7] != VERSION:
        raise UnsupportedFormat(
            f"the {what} uses envelope version {data[7]}; this release reads version "
            f"{VERSION}: use a matching release of coc-hashscreen"
        )
    claimed = peek_type(data)
    if claimed != file_type:
        given = f"a {FILE_TYPE_NAMES[claimed]}" if claimed else "a file of unknown type"
        raise WrongFileType(f"expected a {what} but this is {given}; check which file you passed")
    start = 9 + data[8]
    if len(data) < start + KEY_ID_SIZE + 8 + SIGNATURE_SIZE:
        raise FormatError(f"the {what} is truncated")
    signer = data[start : start + KEY_ID_SIZE]
    (length,) = struct.unpack(">Q", data[start + KEY_ID_SIZE : start + KEY_ID_SIZE + 8])
    payload_start = start + KEY_ID_SIZE + 8
    if len(data) != payload_start + length + SIGNATURE_SIZE:
        raise FormatError(f"the {what} is truncated or has trailing bytes")
    key = trusted.get(signer)
    if key is None:
        raise UntrustedSigner(
            f"the {what} was signed by key {signer.hex()[:16]}…, which your trust file does "
            "not know: it comes from another committee, or your committee changed its "
            "signing key (then get its current trust file)"
        )
    signed_end = payload_start + length
    # One contiguous copy of the signed bytes, freed once verified.
    message = b"".join((SIGNATURE_CONTEXT, memoryview(data)[:signed_end]))
    try:
        key.verify(data[signed_end:], message)
    except InvalidSignature:
        raise VerificationError(what) from None
    finally:
        del message
    return Envelope(file_type, signer, data, payload_start, signed_end)


def read_envelope(path: str | os.PathLike[str], file_type: str) -> bytes:
    """Read a file that should be a *file_type* envelope, enforcing its size limit."""
    return read_limited(path, MAX_SIZES[file_type], FILE_TYPE_NAMES[file_type])


def open_self_signed(data: bytes, file_type: str) -> Envelope:
    """Verify an envelope whose payload starts with its signer's raw public key.

    Trust files and rotation statements carry the key that signed them; the
    key sits at a fixed offset, so the signature is still checked before any
    of the payload is parsed.  What this proves is possession of that key;
    whether the key is *trusted* is for the caller to decide.
    """
    what = FILE_TYPE_NAMES[file_type]
    if peek_type(data) == file_type and len(data) >= 9:
        start = 9 + data[8] + KEY_ID_SIZE + 8
        raw = data[start : start + 32]
        if len(raw) == 32:
            try:
                key = Ed25519PublicKey.from_public_bytes(raw)
            except ValueError:
                raise VerificationError(what) from None
            return open_envelope(data, file_type, {hashlib.sha256(raw).digest(): key})
    # Not even the shape of one: let open_envelope say precisely why.
    open_envelope(data, file_type, {})
    raise FormatError(f"the {what} is truncated")  # pragma: no cover - open_envelope raised
