"""Grants: an epoch key sealed to one organizer, signed by the committee.

Payload of the "grant" envelope: a JSON object (docs/formats.md).  Its
``sealed`` field is an HPKE base-mode ciphertext of the 32-byte epoch key,
sealed to the organizer's public key with the info string::

    "coc-hashscreen/v1 grant" 0x00 || series (32) || epoch (8) || organizer key id (32)

so a grant opens only for that organizer, and only as the key of that epoch
of that series, even if the signed JSON around it were ignored.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import (
    EPOCH_KEY_SIZE,
    HpkePrivateKey,
    HpkePublicKey,
    Suite,
    Validity,
    from_timestamp,
    short_id,
    timestamp,
)
from ..errors import FormatError, MismatchError
from . import _wire
from ._envelope import Signer, open_envelope, read_envelope, sign_envelope

__all__ = ["Grant", "GrantTerms", "grant_info", "issue_grant", "parse_grant", "read_grant"]

FORMAT: Final = 1
GRANT_INFO: Final = b"coc-hashscreen/v1 grant\x00"


def grant_info(series: bytes, epoch: int, organizer_key_id: bytes) -> bytes:
    return GRANT_INFO + series + epoch.to_bytes(8, "big") + organizer_key_id


@dataclass(frozen=True)
class Grant(Validity):
    """A verified grant.  The sealed key is opened only by `open`."""

    _what: ClassVar[str] = "the grant"
    _renew: ClassVar[str] = "ask the committee for a new one"

    series: bytes
    epoch: int
    organizer: bytes
    organizer_name: str
    suite: Suite
    issued_at: datetime
    expires_at: datetime
    sealed: bytes = field(repr=False)

    def __repr__(self) -> str:
        return (
            f"Grant(series={short_id(self.series)}…, epoch={self.epoch}, "
            f"organizer={short_id(self.organizer)}…, expires_at={self.expires_at:%Y-%m-%d})"
        )

    def to_dict(self) -> dict[str, object]:
        """The verified fields as plain data (times in ISO 8601); the sealed key is left out."""
        return {
            "series": self.series.hex(),
            "epoch": self.epoch,
            "organizer": self.organizer.hex(),
            "organizer_name": self.organizer_name,
            "suite": self.suite.value,
            "issued_at": self.issued_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }

    def open(self, organizer_key: HpkePrivateKey) -> bytes:
        """The epoch key, if this grant was sealed to *organizer_key*."""
        if organizer_key.key_id != self.organizer:
            raise MismatchError(
                f"this grant is for organizer key {short_id(self.organizer)}…, not for your "
                f"key {short_id(organizer_key.key_id)}…; ask the committee for a grant "
                "for your key"
            )
        if organizer_key.suite is not self.suite:
            raise MismatchError("this grant was sealed for another kind of key than yours")
        key = organizer_key.open(
            self.sealed, info=grant_info(self.series, self.epoch, self.organizer), what="grant"
        )
        if len(key) != EPOCH_KEY_SIZE:
            raise FormatError("the grant does not hold a 32-byte epoch key")
        return key


@dataclass(frozen=True)
class GrantTerms:
    """What a grant states in the clear: the epoch of which series, for whom, until when."""

    series: bytes
    epoch: int
    organizer_name: str
    issued_at: datetime
    expires_at: datetime


def issue_grant(
    terms: GrantTerms, *, epoch_key: bytes, organizer: HpkePublicKey, signer: Signer
) -> bytes:
    """Seal *epoch_key* to *organizer* under *terms* and sign the grant."""
    info = grant_info(terms.series, terms.epoch, organizer.key_id)
    document = {
        "format": FORMAT,
        "series": terms.series.hex(),
        "epoch": terms.epoch,
        "organizer": organizer.key_id.hex(),
        "organizer_name": terms.organizer_name,
        "suite": organizer.suite.value,
        "issued_at": timestamp(terms.issued_at),
        "expires_at": timestamp(terms.expires_at),
        "sealed": _wire.b64(organizer.seal(epoch_key, info=info)),
    }
    return sign_envelope("grant", _wire.dump_json(document), signer)


def parse_grant(data: bytes, trusted: Mapping[bytes, Ed25519PublicKey]) -> Grant:
    """Verify a grant signed by one of *trusted*, then parse it."""
    fields = _wire.load_json(open_envelope(data, "grant", trusted).payload, "grant")
    fields.expect(
        {
            "format", "series", "epoch", "organizer", "organizer_name", "suite", "issued_at",
            "expires_at", "sealed",
        }
    )  # fmt: skip
    fields.format_version("format", FORMAT)
    issued_at = from_timestamp(_wire.timestamp_field(fields, "issued_at"))
    expires_at = from_timestamp(_wire.timestamp_field(fields, "expires_at"))
    if not issued_at < expires_at:
        raise FormatError("the grant expires before it is issued")
    return Grant(
        series=fields.bytes_hex("series", size=32),
        epoch=fields.integer("epoch", minimum=1),
        organizer=fields.bytes_hex("organizer", size=32),
        organizer_name=fields.name("organizer_name"),
        suite=Suite.parse(fields.text("suite", max_length=40)),
        issued_at=issued_at,
        expires_at=expires_at,
        sealed=fields.bytes_b64("sealed", max_size=4096),
    )


def read_grant(path: str | os.PathLike[str], trusted: Mapping[bytes, Ed25519PublicKey]) -> Grant:
    """Read a grant file within its size limit, then verify and parse it."""
    return parse_grant(read_envelope(path, "grant"), trusted)
