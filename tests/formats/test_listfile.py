"""The hashed list format: header, entries, decoys, building and parsing."""

from __future__ import annotations

import struct
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import KDF_PROFILES, EpochKey, Status, Strength, key_check, keyed_hash
from coc_hashscreen.errors import (
    ExpiredError,
    FormatError,
    NotYetValidError,
    UnknownProfile,
    UnsupportedFormat,
    UntrustedSigner,
    VerificationError,
)
from coc_hashscreen.formats import (
    ENTRY_LENGTH,
    EntryPayload,
    ListHeader,
    bucket_size,
    build_list,
    parse_list,
    sign_envelope,
)
from coc_hashscreen.formats._wire import dump_json as dump

from ..helpers import NOW, fixed_rng, fixed_signing_key

SIGNER = fixed_signing_key("list signer")
TRUSTED = {SIGNER.key_id: SIGNER.public_key}
EPOCH_KEY = bytes(range(32))
SALT = bytes(16)
CHEAP = KDF_PROFILES["test-only"]


def _header(**changes: object) -> ListHeader:
    header = ListHeader(
        series=SIGNER.key_id,
        epoch=3,
        version=7,
        issued_at=NOW,
        expires_at=NOW + timedelta(days=30),
        kdf=CHEAP,
        salt=SALT,
        key_check=key_check(EpochKey(EPOCH_KEY, SALT, CHEAP), series=SIGNER.key_id, epoch=3),
        entry_count=64,
    )
    return replace(header, **changes)  # type: ignore[arg-type]


def _hash(kind: str, form: str) -> object:
    return keyed_hash(EpochKey(EPOCH_KEY, SALT, CHEAP), version=7, kind=kind, canonical_form=form)


ENTRIES = [
    (_hash("email", "jane@example.com"), EntryPayload(Status.BANNED, Strength.STRONG, "CoC-1")),
    (_hash("name", "doe jane"), EntryPayload(Status.BANNED, Strength.NAME_ONLY, "CoC-1")),
    (_hash("github", "mallory"), EntryPayload(Status.FLAGGED, Strength.STRONG, "CoC-2")),
]


def _build(header: ListHeader | None = None, seed: bytes = b"seed") -> bytes:
    return build_list(header or _header(), ENTRIES, SIGNER, rng=fixed_rng(seed))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("count", "size"),
    [(0, 64), (1, 64), (64, 64), (65, 128), (1000, 1024), (2**20, 2**20)],
)
def test_bucket_size(count: int, size: int) -> None:
    assert bucket_size(count) == size


def test_bucket_size_limit() -> None:
    with pytest.raises(Exception, match="do not fit"):
        bucket_size(2**20 + 1)


def test_entry_payload_round_trip() -> None:
    payload = EntryPayload(Status.FLAGGED, Strength.NAME_ONLY, "CoC-7KQ2M9XD")
    encoded = payload.encode()
    assert len(encoded) == 64
    assert encoded[:3] == bytes([1, 2, 12])
    assert EntryPayload.decode(encoded) == payload


@pytest.mark.parametrize(
    "encoded",
    [
        bytes([3, 1, 1]) + b"A" + bytes(60),  # unknown status
        bytes([1, 3, 1]) + b"A" + bytes(60),  # unknown strength
        bytes([1, 1, 1]) + b"A" + b"\x01" + bytes(59),  # padding not zero
        bytes([1, 1, 2]) + b"A " + bytes(59),  # bad case reference
        bytes([1, 1, 0]) + bytes(61),  # empty case reference
        bytes([1, 1, 70]) + bytes(61),  # length past the end
    ],
)
def test_entry_payload_decode_is_strict(encoded: bytes) -> None:
    with pytest.raises(FormatError):
        EntryPayload.decode(encoded)


def test_minor_is_never_an_entry() -> None:
    with pytest.raises(ValueError, match="only flagged and banned"):
        EntryPayload(Status.MINOR, Strength.STRONG, "CoC-1")


def test_round_trip_and_lookup() -> None:
    data = _build()
    parsed = parse_list(data, TRUSTED)
    assert parsed.header == _header()
    assert parsed.signer == SIGNER.key_id
    for hashed, payload in ENTRIES:
        assert parsed.lookup(hashed) == payload  # type: ignore[arg-type]
    assert parsed.lookup(_hash("email", "someone@else.org")) is None  # type: ignore[arg-type]
    tags = list(parsed.tags())
    assert tags == sorted(tags)
    assert len(tags) == 64


def test_deterministic_given_randomness() -> None:
    assert _build(seed=b"a") == _build(seed=b"a")
    assert _build(seed=b"a") != _build(seed=b"b")


def test_size_depends_only_on_the_bucket() -> None:
    header_length = len(dump(_header().to_dict()))
    data = _build()
    assert len(data) == 9 + 4 + 32 + 8 + 4 + header_length + 64 * ENTRY_LENGTH + 64


def test_decoys_never_match() -> None:
    parsed = parse_list(_build(), TRUSTED)
    real = {h.tag for h, _ in ENTRIES}  # type: ignore[attr-defined]
    decoys = [t for t in parsed.tags() if t not in real]
    assert len(decoys) == 61
    # A decoy's tag does find its entry, but no key opens it.
    for tag in decoys[:5]:
        assert parsed.find(tag) is not None


def test_validity() -> None:
    header = _header()
    header.check_validity(NOW)
    header.check_validity(NOW - timedelta(minutes=4))  # within the clock-skew allowance
    with pytest.raises(NotYetValidError, match="clock"):
        header.check_validity(NOW - timedelta(minutes=6))
    header.check_validity(NOW + timedelta(days=30, minutes=4))
    with pytest.raises(ExpiredError, match="expired"):
        header.check_validity(NOW + timedelta(days=30, minutes=6))
    assert header.is_expired(NOW + timedelta(days=31))
    assert not header.is_expired(NOW)


@pytest.mark.parametrize(
    "changes",
    [
        {"series": b"\x00" * 31},
        {"salt": b"\x00" * 15},
        {"epoch": 0},
        {"version": 0},
        {"expires_at": NOW},
        {"entry_count": 0},
        {"entry_count": 2**20 + 1},
    ],
)
def test_header_validates_on_construction(changes: dict[str, object]) -> None:
    with pytest.raises(FormatError):
        _header(**changes)


def _signed_with_header(document: dict[str, object], entries: bytes = b"") -> bytes:
    header_json = dump(document)
    payload = struct.pack(">I", len(header_json)) + header_json + entries
    return sign_envelope("list", payload, SIGNER)


def _entries(count: int) -> bytes:
    return b"".join(
        bytes([i // 256, i % 256]) + bytes(ENTRY_LENGTH - 2) for i in range(1, count + 1)
    )


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"format": 3}, UnsupportedFormat, "format version 3"),
        # An offline header that calls itself online lacks the service's key.
        ({"format": 2}, FormatError, "lacks the field"),
        ({"profile": "v9"}, UnknownProfile, "upgrade"),
        ({"entry_length": 100}, FormatError, "entries must be 108 bytes"),
        ({"extra": 1}, FormatError, "unknown field"),
        ({"kdf": {**CHEAP.to_dict(), "memory_cost": 4 * 2**20}}, FormatError, "memory_cost"),
        ({"kdf": {**CHEAP.to_dict(), "time_cost": 10_000}}, FormatError, "time_cost"),
        ({"epoch": 1.0}, FormatError, "epoch"),
        ({"salt": "zz"}, FormatError, "salt"),
        ({"issued_at": 2**70}, FormatError, "issued_at"),
    ],
)
def test_header_parse_is_strict(
    change: dict[str, object], error: type[Exception], match: str
) -> None:
    document = {**_header().to_dict(), **change}
    with pytest.raises(error, match=match):
        parse_list(_signed_with_header(document, _entries(64)), TRUSTED)


def test_missing_header_field() -> None:
    document = _header().to_dict()
    del document["key_check"]
    with pytest.raises(FormatError, match="lacks"):
        parse_list(_signed_with_header(document, _entries(64)), TRUSTED)


def test_entry_count_must_match() -> None:
    document = _header().to_dict()
    with pytest.raises(FormatError, match="different number of entries"):
        parse_list(_signed_with_header(document, _entries(63)), TRUSTED)


def test_entries_must_be_sorted_and_unique() -> None:
    document = _header().to_dict()
    entries = bytearray(_entries(64))
    entries[ENTRY_LENGTH : 2 * ENTRY_LENGTH] = entries[:ENTRY_LENGTH]
    with pytest.raises(FormatError, match="sorted"):
        parse_list(_signed_with_header(document, bytes(entries)), TRUSTED)


def test_header_length_bounds() -> None:
    payload = struct.pack(">I", 10**6) + b"{}"
    with pytest.raises(FormatError, match="header"):
        parse_list(sign_envelope("list", payload, SIGNER), TRUSTED)
    with pytest.raises(FormatError, match="truncated"):
        parse_list(sign_envelope("list", b"\x00", SIGNER), TRUSTED)


def test_tampered_entry_under_a_valid_signature_fails_opaquely() -> None:
    # The committee's own bug (or a forged list with a stolen signing key)
    # that corrupts a real entry: the AEAD catches it.
    data = bytearray(_build())
    parsed = parse_list(bytes(data), TRUSTED)
    hashed = ENTRIES[0][0]
    entry = parsed.find(hashed.tag)  # type: ignore[attr-defined]
    assert entry is not None
    start = bytes(parsed.entries).find(entry)
    entries = bytearray(parsed.entries)
    entries[start + 40] ^= 1
    header_json = dump(parsed.header.to_dict())
    payload = struct.pack(">I", len(header_json)) + header_json + bytes(entries)
    resigned = parse_list(sign_envelope("list", payload, SIGNER), TRUSTED)
    with pytest.raises(VerificationError):
        resigned.lookup(hashed)  # type: ignore[arg-type]


@given(st.data())
def test_any_flipped_byte_is_refused(data: st.DataObject) -> None:
    signed = _build()
    position = data.draw(st.integers(0, len(signed) - 1))
    tampered = bytearray(signed)
    tampered[position] ^= data.draw(st.integers(1, 255))
    with pytest.raises((FormatError, VerificationError, UntrustedSigner)):
        parse_list(bytes(tampered), TRUSTED)
