"""The signed hashed list: its header, its entries, building and parsing.

Payload of the "list" envelope (integers big-endian)::

    4 bytes        length H of the header
    H bytes        header: a JSON object (fields in docs/formats.md)
    N * 108 bytes  entries, sorted by tag, N = header.entry_count

Entry (108 bytes)::

    tag (16) || nonce (12) || ChaCha20-Poly1305(payload_key, nonce, payload (64), aad) (80)
    aad = "coc-hashscreen/v1 entry" 0x00 || series (32) || epoch (8) || tag (16)

Entry payload (64 bytes)::

    status (1: 1 flagged, 2 banned) || strength (1: 1 strong, 2 name-only)
    || length n of the case reference (1) || case reference (n, ASCII)
    || zero bytes to 64

Format 2 is an online list (issue 16, ADR 0025): its header carries
``online`` (the VOPRF suite, the service's public key and its address)
instead of ``key_check``, and its tags and payload keys come from the
VOPRF output rather than the HMAC pepper (`core._hashing`).  The entries
are laid out as in format 1.

Decoys are 108 random bytes.  Real entries and decoys together are padded to
a size bucket (see `bucket_size`), so the file reveals only a range for the
number of entries.
"""

from __future__ import annotations

import bisect
import os
import re
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from ..core import (
    CASE_REF_PATTERN,
    PROFILE,
    SALT_SIZE,
    TAG_SIZE,
    Argon2Params,
    KeyedHash,
    Status,
    Strength,
    Validity,
    check_case_ref,
    check_profile,
    from_timestamp,
    timestamp,
)
from ..errors import FormatError, InvalidParameters, VerificationError
from . import _wire
from ._envelope import Envelope, Signer, open_envelope, read_envelope, sign_envelope
from ._service import OnlineService

__all__ = [
    "ENTRY_LENGTH",
    "EntryPayload",
    "HashedList",
    "ListHeader",
    "Random",
    "bucket_size",
    "build_list",
    "parse_list",
    "read_list",
]

FORMAT: Final = 1
ONLINE_FORMAT: Final = 2
NONCE_SIZE: Final = 12
AEAD_TAG_SIZE: Final = 16
PAYLOAD_SIZE: Final = 64
ENTRY_LENGTH: Final = TAG_SIZE + NONCE_SIZE + PAYLOAD_SIZE + AEAD_TAG_SIZE
MIN_BUCKET: Final = 64
MAX_ENTRIES: Final = 2**20
MAX_HEADER: Final = 4096
ENTRY_AAD: Final = b"coc-hashscreen/v1 entry\x00"

# Where padding and nonces come from: os.urandom, or a seeded source in tests.
Random = Callable[[int], bytes]

_STATUS_CODES: Final = {Status.FLAGGED: 1, Status.BANNED: 2}
_STRENGTH_CODES: Final = {Strength.STRONG: 1, Strength.NAME_ONLY: 2}
_COMMON: Final = 0x80
_SHARED: Final = 0x40


def bucket_size(count: int) -> int:
    """Entries in a list holding *count* real ones: a power of two, at least 64."""
    size = max(MIN_BUCKET, 1 << max(0, count - 1).bit_length())
    if size > MAX_ENTRIES:
        raise InvalidParameters(
            f"{count:,} entries do not fit in one list (at most {MAX_ENTRIES:,})"
        )
    return size


@dataclass(frozen=True, slots=True)
class EntryPayload:
    """What a matching organizer learns from one entry."""

    status: Status
    strength: Strength
    case_ref: str
    # Marks of a name-only entry, in the strength byte's two high bits and
    # never set in profile v1 lists: every record with this key marked its
    # name common (0x80); more than one record has this key, of which the
    # payload names the most severe (0x40).
    common_name: bool = False
    shared: bool = False

    def __post_init__(self) -> None:
        if self.status not in _STATUS_CODES:
            raise InvalidParameters("only flagged and banned records are published")
        if (self.common_name or self.shared) and self.strength is not Strength.NAME_ONLY:
            raise InvalidParameters("only a name-only entry can be marked common or shared")
        check_case_ref(self.case_ref)

    def encode(self) -> bytes:
        ref = self.case_ref.encode("ascii")
        strength = (
            _STRENGTH_CODES[self.strength]
            | (_COMMON if self.common_name else 0)
            | (_SHARED if self.shared else 0)
        )
        body = bytes([_STATUS_CODES[self.status], strength, len(ref)]) + ref
        return body.ljust(PAYLOAD_SIZE, b"\x00")

    @classmethod
    def decode(cls, data: bytes) -> EntryPayload:
        statuses = {v: k for k, v in _STATUS_CODES.items()}
        strengths = {v: k for k, v in _STRENGTH_CODES.items()}
        n = data[2]
        ref = data[3 : 3 + n]
        strength, marks = data[1] & ~(_COMMON | _SHARED), data[1] & (_COMMON | _SHARED)
        if (
            len(data) != PAYLOAD_SIZE
            or data[0] not in statuses
            or strength not in strengths
            or (marks and strengths[strength] is not Strength.NAME_ONLY)
            or any(data[3 + n :])
            or not re.fullmatch(CASE_REF_PATTERN.encode(), ref)
        ):
            raise FormatError("a list entry's payload is malformed")
        return cls(
            statuses[data[0]],
            strengths[strength],
            ref.decode("ascii"),
            common_name=bool(marks & _COMMON),
            shared=bool(marks & _SHARED),
        )


def entry_aad(series: bytes, epoch: int, tag: bytes) -> bytes:
    return ENTRY_AAD + series + epoch.to_bytes(8, "big") + tag


def seal_entry(
    hashed: KeyedHash, payload: EntryPayload, *, series: bytes, epoch: int, nonce: bytes
) -> bytes:
    aad = entry_aad(series, epoch, hashed.tag)
    sealed = ChaCha20Poly1305(hashed.payload_key).encrypt(nonce, payload.encode(), aad)
    return hashed.tag + nonce + sealed


@dataclass(frozen=True)
class ListHeader(Validity):
    """The public header of a hashed list, validated on construction."""

    _what: ClassVar[str] = "the list"
    _renew: ClassVar[str] = "get the current list from the committee"

    series: bytes
    epoch: int
    version: int
    issued_at: datetime
    expires_at: datetime
    kdf: Argon2Params
    salt: bytes
    # Offline lists prove their epoch key by this check; online lists leave
    # it empty, and the service's proof, checked under `online.public_key`,
    # does that work instead.
    key_check: bytes
    entry_count: int
    profile: str = PROFILE
    online: OnlineService | None = None

    @property
    def format(self) -> int:
        return FORMAT if self.online is None else ONLINE_FORMAT

    def __post_init__(self) -> None:
        if len(self.key_check) != (0 if self.online is not None else 32):
            raise FormatError("a list header has a key check of the wrong size")
        if len(self.series) != 32 or len(self.salt) != SALT_SIZE:
            raise FormatError("a list header has a series or salt of the wrong size")
        if self.epoch < 1 or self.version < 1:
            raise FormatError("a list's epoch and version start at 1")
        if not self.issued_at < self.expires_at:
            raise FormatError("a list must expire after it is issued")
        if not 0 < self.entry_count <= MAX_ENTRIES:
            raise FormatError(f"a list holds 1 to {MAX_ENTRIES:,} entries")

    def to_dict(self) -> dict[str, object]:
        """The header's JSON object, exactly as it is signed (times as Unix seconds)."""
        header: dict[str, object] = {
            "format": self.format,
            "series": self.series.hex(),
            "epoch": self.epoch,
            "version": self.version,
            "issued_at": timestamp(self.issued_at),
            "expires_at": timestamp(self.expires_at),
            "profile": self.profile,
            "kdf": self.kdf.to_dict(),
            "salt": self.salt.hex(),
            "key_check": self.key_check.hex(),
            "entry_length": ENTRY_LENGTH,
            "entry_count": self.entry_count,
        }
        if self.online is not None:
            del header["key_check"]
            header["online"] = self.online.to_dict()
        return header

    @classmethod
    def from_json(cls, data: bytes) -> ListHeader:
        fields = _wire.load_json(data, "list header")
        version = (
            fields.format_version("format", (FORMAT, ONLINE_FORMAT))
            if fields.has("format")
            else FORMAT
        )
        fields.expect(
            {
                "format", "series", "epoch", "version", "issued_at", "expires_at", "profile",
                "kdf", "salt", "entry_length", "entry_count",
                "key_check" if version == FORMAT else "online",
            }
        )  # fmt: skip
        profile = check_profile(fields.text("profile", max_length=20))
        if fields.integer("entry_length") != ENTRY_LENGTH:
            raise FormatError(f"list entries must be {ENTRY_LENGTH} bytes in format {version}")
        online = OnlineService.from_fields(fields.obj("online")) if version != FORMAT else None
        return cls(
            series=fields.bytes_hex("series", size=32),
            epoch=fields.integer("epoch", minimum=1),
            version=fields.integer("version", minimum=1),
            issued_at=from_timestamp(_wire.timestamp_field(fields, "issued_at")),
            expires_at=from_timestamp(_wire.timestamp_field(fields, "expires_at")),
            profile=profile,
            kdf=Argon2Params.from_dict(fields.obj("kdf").raw()),
            salt=fields.bytes_hex("salt", size=SALT_SIZE),
            key_check=fields.bytes_hex("key_check", size=32) if online is None else b"",
            entry_count=fields.integer("entry_count", minimum=1, maximum=MAX_ENTRIES),
            online=online,
        )


@dataclass(frozen=True)
class HashedList:
    """A verified, parsed list: a header and sorted entries to look tags up in."""

    header: ListHeader
    signer: bytes
    # A view into the verified file: a large list is never copied.
    entries: memoryview | bytes = field(repr=False)

    def _tag(self, index: int) -> bytes:
        start = index * ENTRY_LENGTH
        return bytes(self.entries[start : start + TAG_SIZE])

    def tags(self) -> Iterator[bytes]:
        return (self._tag(i) for i in range(self.header.entry_count))

    def find(self, tag: bytes) -> bytes | None:
        """The entry with *tag*, by binary search over the sorted tags."""
        count = self.header.entry_count
        i = bisect.bisect_left(range(count), tag, key=self._tag)
        if i < count and self._tag(i) == tag:
            start = i * ENTRY_LENGTH
            return bytes(self.entries[start : start + ENTRY_LENGTH])
        return None

    def lookup(self, hashed: KeyedHash) -> EntryPayload | None:
        """Decrypt the entry for *hashed*, or None when the list has no such tag."""
        entry = self.find(hashed.tag)
        if entry is None:
            return None
        nonce = entry[TAG_SIZE : TAG_SIZE + NONCE_SIZE]
        aad = entry_aad(self.header.series, self.header.epoch, hashed.tag)
        try:
            plain = ChaCha20Poly1305(hashed.payload_key).decrypt(
                nonce, entry[TAG_SIZE + NONCE_SIZE :], aad
            )
        except InvalidTag:
            raise VerificationError("list entry") from None
        return EntryPayload.decode(plain)


def build_list(
    header: ListHeader,
    entries: Iterable[tuple[KeyedHash, EntryPayload]],
    signer: Signer,
    *,
    rng: Random = os.urandom,
) -> bytes:
    """Seal *entries*, pad with decoys to ``header.entry_count``, sort, sign."""
    sealed: dict[bytes, bytes] = {}
    for hashed, payload in entries:
        if hashed.tag in sealed:
            raise InvalidParameters("two entries share a tag; merge them before building")
        sealed[hashed.tag] = seal_entry(
            hashed, payload, series=header.series, epoch=header.epoch, nonce=rng(NONCE_SIZE)
        )
    if len(sealed) > header.entry_count:
        raise InvalidParameters("more entries than the header's entry count")
    while len(sealed) < header.entry_count:
        decoy = rng(ENTRY_LENGTH)
        sealed.setdefault(decoy[:TAG_SIZE], decoy)
    header_json = _wire.dump_json(header.to_dict())
    body = b"".join(sealed[tag] for tag in sorted(sealed))
    return sign_envelope("list", struct.pack(">I", len(header_json)) + header_json + body, signer)


def parse_envelope_payload(envelope: Envelope) -> HashedList:
    payload = envelope.payload_view
    if len(payload) < 4:
        raise FormatError("the hashed list is truncated")
    (header_length,) = struct.unpack(">I", payload[:4])
    if header_length > MAX_HEADER or len(payload) < 4 + header_length:
        raise FormatError("the hashed list header is too long or truncated")
    header = ListHeader.from_json(bytes(payload[4 : 4 + header_length]))
    entries = payload[4 + header_length :]
    if len(entries) != header.entry_count * ENTRY_LENGTH:
        raise FormatError("the hashed list holds a different number of entries than it says")
    hashed = HashedList(header, envelope.signer, entries)
    previous = b""
    for tag in hashed.tags():
        if tag <= previous:
            raise FormatError("the hashed list's entries are not sorted by tag")
        previous = tag
    return hashed


def parse_list(data: bytes, trusted: Mapping[bytes, Ed25519PublicKey]) -> HashedList:
    """Verify and parse a list signed by one of *trusted* (key id -> public key)."""
    return parse_envelope_payload(open_envelope(data, "list", trusted))


def read_list(
    path: str | os.PathLike[str], trusted: Mapping[bytes, Ed25519PublicKey]
) -> HashedList:
    """Read a list file within its size limit, then verify and parse it."""
    return parse_list(read_envelope(path, "list"), trusted)
