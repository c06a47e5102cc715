"""The committee's trust file and signing-key rotation statements.

A **trust file** (type "trust") names the committee, its series, the
current signing key and the key organizers seal reports to.  It is signed by
the signing key it names.  Its payload is that key's 32 raw bytes followed by
a JSON object, so the signature is checked before anything is parsed.

A **rotation statement** (type "key-rotation") says "generation g+1 of this
series is signed by key N", and is signed by the key it replaces.  Its
payload is the previous key, the new key (32 raw bytes each), then JSON.

The series is the key id of the committee's first signing key and never
changes.  Every trust file embeds the whole chain of rotation statements
from that first key to its current key, so any trust file can be checked
back to the series an organizer pinned, however many rotations it missed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import (
    HpkePublicKey,
    SigningKey,
    Suite,
    ed25519_public,
    from_timestamp,
    key_id,
    short_id,
    timestamp,
)
from ..errors import FormatError, MismatchError, RollbackError, UntrustedSigner
from . import _wire
from ._envelope import open_self_signed, read_envelope, sign_envelope

__all__ = [
    "TrustContent",
    "TrustFile",
    "check_successor",
    "make_rotation",
    "make_trust",
    "parse_trust",
    "read_trust",
]

FORMAT: Final = 1
MAX_GENERATION: Final = 1000


@dataclass(frozen=True)
class TrustFile:
    """A verified trust file."""

    committee: str
    series: bytes
    generation: int
    signing_key: bytes
    report_key: HpkePublicKey
    issued_at: datetime
    rotations: tuple[bytes, ...] = field(repr=False)
    raw: bytes = field(repr=False, compare=False)
    # The key id of each generation's signing key, generation 1 first: the
    # verified chain from the series to the current key.
    chain: tuple[bytes, ...] = field(repr=False, compare=False, default=())

    @property
    def signing_key_id(self) -> bytes:
        return key_id(self.signing_key)

    def to_dict(self) -> dict[str, object]:
        """The verified fields as plain data (times in ISO 8601); the chain is left out."""
        return {
            "committee": self.committee,
            "series": self.series.hex(),
            "generation": self.generation,
            "report_key": self.report_key.suite.value,
            "issued_at": self.issued_at.isoformat(),
        }

    @property
    def content(self) -> TrustContent:
        """What this file says, to build its successor from."""
        return TrustContent(self.committee, self.series, self.report_key, self.rotations)

    def key_id_at(self, generation: int) -> bytes:
        """The key id that signed *generation* of this series, by the verified chain."""
        if not 1 <= generation <= self.generation:
            raise ValueError(f"generation {generation} is not in this trust file's chain")
        return self.chain[generation - 1]

    def trusted_keys(self) -> dict[bytes, Ed25519PublicKey]:
        """Keys that may sign lists, grants and receipts: the current one only."""
        return {self.signing_key_id: ed25519_public(self.signing_key)}

    def check_successor(self, newer: TrustFile) -> None:
        """Refuse *newer* unless it may replace this pinned trust file."""
        check_successor(
            series=self.series,
            generation=self.generation,
            signing_key_id=self.signing_key_id,
            newer=newer,
        )


def check_successor(
    *, series: bytes, generation: int, signing_key_id: bytes, newer: TrustFile
) -> None:
    """Refuse *newer* unless it may replace a pin of (series, generation, key).

    Same series; a generation not lower; and *newer*'s verified chain must
    pass through the pinned key at the pinned generation.  A different key
    there means a key retired (and perhaps stolen) signed a second,
    different rotation: a fork, refused however many generations it runs
    ahead.
    """
    if newer.series != series:
        raise MismatchError(
            f"this trust file is for series {short_id(newer.series)}…, but you pinned "
            f"series {short_id(series)}…: it is another committee's"
        )
    if newer.generation < generation:
        raise RollbackError(
            f"this trust file is generation {newer.generation}, older than generation "
            f"{generation} already seen; get the committee's current trust file"
        )
    if newer.key_id_at(generation) != signing_key_id:
        raise UntrustedSigner(
            f"this trust file's chain does not pass through the key you pinned for "
            f"generation {generation} of series {short_id(series)}…: two different keys "
            "claim that generation, so an old key may be compromised: contact the committee"
        )


def _report_key_fields(key: HpkePublicKey) -> dict[str, str]:
    return {"algorithm": key.suite.value, "public": key.raw.hex()}


@dataclass(frozen=True)
class TrustContent:
    """What a trust file says: whose it is, its series, the report key, the rotation chain.

    The generation is not stated but counted: one more than the rotations
    that lead from the series' first key to the current one.
    """

    committee: str
    series: bytes
    report_key: HpkePublicKey
    rotations: tuple[bytes, ...] = field(default=(), repr=False)

    @property
    def generation(self) -> int:
        return len(self.rotations) + 1


def make_trust(content: TrustContent, *, signing_key: SigningKey, now: datetime) -> bytes:
    """Build and sign a trust file.  It is parsed back before being returned."""
    document = {
        "format": FORMAT,
        "committee": content.committee,
        "series": content.series.hex(),
        "generation": content.generation,
        "report_key": _report_key_fields(content.report_key),
        "issued_at": timestamp(now),
        "rotations": [_wire.b64(r) for r in content.rotations],
    }
    payload = signing_key.public_bytes + _wire.dump_json(document)
    data = sign_envelope("trust", payload, signing_key)
    parse_trust(data)  # never hand out a file that we would refuse
    return data


def make_rotation(
    *, series: bytes, generation: int, old: SigningKey, new_public: bytes, now: datetime
) -> bytes:
    """A statement, signed by *old*, that *new_public* signs generation *generation*."""
    document = {
        "format": FORMAT,
        "series": series.hex(),
        "generation": generation,
        "issued_at": timestamp(now),
    }
    return sign_envelope(
        "key-rotation", old.public_bytes + new_public + _wire.dump_json(document), old
    )


def _parse_rotation(data: bytes, *, series: bytes, generation: int, previous: bytes) -> bytes:
    """Verify one rotation statement of a chain; return the new key it names."""
    payload = open_self_signed(data, "key-rotation").payload
    old, new = payload[:32], payload[32:64]
    fields = _wire.load_json(payload[64:], "rotation statement")
    fields.expect({"format", "series", "generation", "issued_at"})
    fields.format_version("format", FORMAT)
    _wire.timestamp_field(fields, "issued_at")
    if len(new) != 32:
        raise FormatError("the rotation statement is truncated")
    if (
        fields.bytes_hex("series", size=32) != series
        or fields.integer("generation", maximum=MAX_GENERATION) != generation
        or key_id(old) != previous
    ):
        raise UntrustedSigner(
            "the trust file's chain of signing keys does not lead from the committee's "
            "first key to its current key; do not use it"
        )
    return new


def parse_trust(data: bytes) -> TrustFile:
    """Verify a trust file: its signature, and its chain back to its series."""
    payload = open_self_signed(data, "trust").payload
    signing_key = payload[:32]
    fields = _wire.load_json(payload[32:], "trust file")
    fields.expect(
        {"format", "committee", "series", "generation", "report_key", "issued_at", "rotations"}
    )
    fields.format_version("format", FORMAT)
    committee = fields.name("committee")
    series = fields.bytes_hex("series", size=32)
    generation = fields.integer("generation", minimum=1, maximum=MAX_GENERATION)
    report = fields.obj("report_key")
    report.expect({"algorithm", "public"})
    report_key = HpkePublicKey.from_raw(
        Suite.parse(report.text("algorithm", max_length=40)),
        report.bytes_hex("public", max_size=2048),
    )
    issued_at = from_timestamp(_wire.timestamp_field(fields, "issued_at"))
    encoded = fields.items("rotations", max_items=MAX_GENERATION)
    if len(encoded) != generation - 1:
        raise FormatError("the trust file's generation and its rotation chain disagree")
    rotations: list[bytes] = []
    chain = [series]
    for index, item in enumerate(encoded):
        raw = _wire.Fields({"rotation": item}, "trust file").bytes_b64("rotation", max_size=4096)
        new_key = _parse_rotation(raw, series=series, generation=index + 2, previous=chain[-1])
        chain.append(key_id(new_key))
        rotations.append(raw)
    current = chain[-1]
    if key_id(signing_key) != current:
        raise UntrustedSigner(
            "the trust file is signed by a key that its series does not lead to; do not use it"
        )
    return TrustFile(
        committee=committee,
        series=series,
        generation=generation,
        signing_key=signing_key,
        report_key=report_key,
        issued_at=issued_at,
        rotations=tuple(rotations),
        raw=data,
        chain=tuple(chain),
    )


def read_trust(path: str | os.PathLike[str]) -> TrustFile:
    """Read and verify a trust file, within its size limit."""
    return parse_trust(read_envelope(path, "trust"))
