"""The committee's trust file (ADR 0005, ADR 0012).

A **trust file** (type "trust") names the committee, its series, the
current signing key and the key organizers seal reports to.  It is signed by
the signing key it names.  Its payload is that key's 32 raw bytes followed by
a JSON object, so the signature is checked before anything is parsed.

The series is the key id of the committee's first signing key and never
changes.  Every trust file embeds the whole chain of rotation statements
(`_rotation`) from that first key to its current key, so any trust file can
be checked back to the series an organizer pinned, however many rotations
it missed.

Format 2 adds ``expires_at`` (at most `MAX_TRUST_VALIDITY` after
``issued_at``; the committee renews it) and the **head fingerprint**
(`TrustFile.fingerprint`): a digest of the series, the generation, every
key of the chain, the compromise flags and the report key: what people
compare, and what an organizer's state remembers per generation.  The
validity window is left out of it on purpose, so a renewed file of the same
generation has the same fingerprint.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import ClassVar, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import (
    HpkePublicKey,
    SigningKey,
    Suite,
    Validity,
    ed25519_public,
    from_timestamp,
    key_id,
    short_id,
    timestamp,
)
from ..errors import FormatError, MismatchError, RollbackError, UntrustedSigner
from . import _wire
from ._envelope import open_self_signed, read_envelope, sign_envelope
from ._rotation import (
    LEGACY_FORMAT,
    MAX_GENERATION,
    Rotation,
    parse_rotation,
    read_format,
)

__all__ = [
    "DEFAULT_TRUST_VALIDITY",
    "MAX_TRUST_VALIDITY",
    "TrustContent",
    "TrustFile",
    "check_successor",
    "make_trust",
    "parse_trust",
    "read_trust",
]

FORMAT: Final = 2
DEFAULT_TRUST_VALIDITY: Final = timedelta(days=365)
# A trust file that leaked (a stolen laptop's copy, an old mail) can be
# replayed to a new organizer only this long.
MAX_TRUST_VALIDITY: Final = timedelta(days=400)
FINGERPRINT_CONTEXT: Final = b"coc-hashscreen/v2 trust head\x00"


@dataclass(frozen=True)
class TrustFile(Validity):
    """A verified trust file."""

    committee: str
    series: bytes
    generation: int
    signing_key: bytes
    report_key: HpkePublicKey
    issued_at: datetime
    # Format 1 files had no expiry: they are read as expiring when issued.
    expires_at: datetime
    rotations: tuple[bytes, ...] = field(repr=False)
    raw: bytes = field(repr=False, compare=False)
    # The key id of each generation's signing key, generation 1 first: the
    # verified chain from the series to the current key.
    chain: tuple[bytes, ...] = field(repr=False, compare=False, default=())
    # The key ids the chain declares compromised (by a rotation away from them).
    compromised: tuple[bytes, ...] = field(repr=False, default=())
    format_version: int = FORMAT
    # When the current key's lifetime ends (its rotation statement's expiry);
    # None for the series' first key, which nothing certifies.
    key_expires_at: datetime | None = None

    _what: ClassVar[str] = "the committee's trust file"
    _renew: ClassVar[str] = (
        "get the committee's current trust file (the committee writes one with "
        "'committee renew-trust')"
    )

    @property
    def signing_key_id(self) -> bytes:
        return key_id(self.signing_key)

    @property
    def fingerprint(self) -> bytes:
        """The chain head as people compare it: series, generation, keys, flags, report key.

        Not the validity window: a renewed file keeps its fingerprint.
        """
        digest = hashlib.sha256(FINGERPRINT_CONTEXT)
        digest.update(self.series + self.generation.to_bytes(4, "big"))
        for generation_key in self.chain:
            digest.update(generation_key + bytes([generation_key in self.compromised]))
        digest.update(self.report_key.key_id)
        return digest.digest()

    def to_dict(self) -> dict[str, object]:
        """The verified fields as plain data (times in ISO 8601); the chain is left out."""
        return {
            "committee": self.committee,
            "series": self.series.hex(),
            "generation": self.generation,
            "fingerprint": self.fingerprint.hex(),
            "report_key": self.report_key.suite.value,
            "issued_at": self.issued_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "compromised_generations": [
                n for n, k in enumerate(self.chain, start=1) if k in self.compromised
            ],
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
        # An old copy, or the real file after a fork pinned a higher one:
        # the advice covers both, since only the committee can tell.
        raise RollbackError(
            f"this trust file is generation {newer.generation}, older than generation "
            f"{generation} pinned. If it is an old copy, get the committee's current "
            f"trust file. If the committee says generation {newer.generation} is current, "
            "the file you pinned is a fork made with a stolen key: confirm the "
            "fingerprint with the committee, run 'trust forget' on the pinned one, then "
            "'trust pin' this file with --fingerprint"
        )
    if newer.key_id_at(generation) != signing_key_id:
        raise UntrustedSigner(
            f"this trust file's chain does not pass through the key you pinned for "
            f"generation {generation} of series {short_id(series)}…: two different keys "
            "claim that generation, so the committee's chain forked and an old key may be "
            "compromised: contact the committee, and do not use either file until it "
            "confirms which fingerprint is its own"
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

    def with_report_key(self, report_key: HpkePublicKey) -> TrustContent:
        return replace(self, report_key=report_key)


def make_trust(
    content: TrustContent,
    *,
    signing_key: SigningKey,
    now: datetime,
    validity: timedelta = DEFAULT_TRUST_VALIDITY,
) -> bytes:
    """Build and sign a trust file valid for *validity*; it is parsed back before it is returned."""
    document = {
        "format": FORMAT,
        "committee": content.committee,
        "series": content.series.hex(),
        "generation": content.generation,
        "report_key": _report_key_fields(content.report_key),
        "issued_at": timestamp(now),
        "expires_at": timestamp(now + validity),
        "rotations": [_wire.b64(r) for r in content.rotations],
    }
    payload = signing_key.public_bytes + _wire.dump_json(document)
    data = sign_envelope("trust", payload, signing_key)
    parse_trust(data)  # never hand out a file that we would refuse
    return data


def _parse_chain(
    encoded: list[object], *, series: bytes, legacy: bool
) -> tuple[list[bytes], list[Rotation]]:
    rotations: list[bytes] = []
    links: list[Rotation] = []
    for index, item in enumerate(encoded):
        raw = _wire.Fields({"rotation": item}, "trust file").bytes_b64("rotation", max_size=4096)
        links.append(
            parse_rotation(
                raw,
                series=series,
                generation=index + 2,
                previous=links[-1] if links else None,
                legacy=legacy,
            )
        )
        rotations.append(raw)
    return rotations, links


def _validity(fields: _wire.Fields, version: int) -> tuple[datetime, datetime | None]:
    issued_at = from_timestamp(_wire.timestamp_field(fields, "issued_at"))
    if version == LEGACY_FORMAT:
        return issued_at, None
    expires_at = from_timestamp(_wire.timestamp_field(fields, "expires_at"))
    if not issued_at < expires_at <= issued_at + MAX_TRUST_VALIDITY:
        raise FormatError(f"a trust file is valid for at most {MAX_TRUST_VALIDITY.days} days")
    return issued_at, expires_at


def parse_trust(data: bytes, *, legacy: bool = False) -> TrustFile:
    """Verify a trust file: its signature, and its chain back to its series.

    Format 1 (no expiry) is refused unless *legacy*: only the committee
    reads its own old file, to renew it (ADR 0012).
    """
    payload = open_self_signed(data, "trust").payload
    signing_key = payload[:32]
    fields = _wire.load_json(payload[32:], "trust file")
    version = read_format(fields, legacy=legacy, what="trust file")
    required = {"format", "committee", "series", "generation", "report_key", "issued_at"}
    if version != LEGACY_FORMAT:
        fields.format_version("format", FORMAT)
        required.add("expires_at")
    fields.expect(required | {"rotations"})
    committee = fields.name("committee")
    series = fields.bytes_hex("series", size=32)
    generation = fields.integer("generation", minimum=1, maximum=MAX_GENERATION)
    report = fields.obj("report_key")
    report.expect({"algorithm", "public"})
    report_key = HpkePublicKey.from_raw(
        Suite.parse(report.text("algorithm", max_length=40)),
        report.bytes_hex("public", max_size=2048),
    )
    issued_at, expires_at = _validity(fields, version)
    encoded = fields.items("rotations", max_items=MAX_GENERATION)
    if len(encoded) != generation - 1:
        raise FormatError("the trust file's generation and its rotation chain disagree")
    rotations, links = _parse_chain(encoded, series=series, legacy=legacy)
    chain = [series, *(link.new_key_id for link in links)]
    if key_id(signing_key) != chain[-1] or (links and not links[-1].certifies(issued_at)):
        raise UntrustedSigner(
            "the trust file is signed by a key that its series does not lead to, or "
            "outside that key's lifetime; do not use it"
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
        expires_at=expires_at or issued_at,
        compromised=tuple(link.old_key_id for link in links if link.compromised),
        format_version=version,
        key_expires_at=links[-1].expires_at if links else None,
    )


def read_trust(path: str | os.PathLike[str], *, legacy: bool = False) -> TrustFile:
    """Read and verify a trust file, within its size limit."""
    return parse_trust(read_envelope(path, "trust"), legacy=legacy)
