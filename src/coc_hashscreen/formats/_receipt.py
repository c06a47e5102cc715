"""Receipts: the committee's signed statement that it received one sealed report.

The committee returns a receipt naming the SHA-256 of the sealed file; the
organizer checks it against the file it sent.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import from_timestamp, timestamp
from ..errors import FormatError, MismatchError
from . import _wire
from ._envelope import Signer, open_envelope, read_envelope, sign_envelope
from ._sealed import report_id_for
from ._trust import TrustFile

__all__ = ["Receipt", "parse_receipt", "read_receipt", "sign_receipt", "verify_receipt"]

FORMAT: Final = 1


@dataclass(frozen=True)
class Receipt:
    """The committee's signed statement that it received one sealed report."""

    committee: str
    series: bytes
    report_id: str
    sealed_sha256: bytes
    received_at: datetime

    def to_dict(self) -> dict[str, object]:
        """The verified fields as plain data (times in ISO 8601)."""
        return {
            "committee": self.committee,
            "report_id": self.report_id,
            "sealed_sha256": self.sealed_sha256.hex(),
            "received_at": self.received_at.isoformat(),
        }

    def __repr__(self) -> str:
        return (
            f"Receipt(report_id={self.report_id!r}, received_at={self.received_at:%Y-%m-%d %H:%M})"
        )


def sign_receipt(
    *, committee: str, series: bytes, sealed: bytes, received_at: datetime, signer: Signer
) -> bytes:
    document = {
        "format": FORMAT,
        "committee": committee,
        "series": series.hex(),
        "report_id": report_id_for(sealed),
        "sealed_sha256": hashlib.sha256(sealed).hexdigest(),
        "received_at": timestamp(received_at),
    }
    return sign_envelope("receipt", _wire.dump_json(document), signer)


def parse_receipt(data: bytes, trusted: Mapping[bytes, Ed25519PublicKey]) -> Receipt:
    fields = _wire.load_json(open_envelope(data, "receipt", trusted).payload, "receipt")
    fields.expect({"format", "committee", "series", "report_id", "sealed_sha256", "received_at"})
    fields.format_version("format", FORMAT)
    return Receipt(
        committee=fields.name("committee"),
        series=fields.bytes_hex("series", size=32),
        report_id=fields.text("report_id", max_length=40, pattern=r"R-[A-Z2-7]{16}"),
        sealed_sha256=fields.bytes_hex("sealed_sha256", size=32),
        received_at=from_timestamp(_wire.timestamp_field(fields, "received_at")),
    )


def verify_receipt(receipt: bytes, *, trust: TrustFile, sealed: bytes) -> Receipt:
    """Check a receipt's signature, and that it names exactly the file *sealed*."""
    parsed = parse_receipt(receipt, trust.trusted_keys())
    if parsed.series != trust.series:
        raise MismatchError("this receipt is from another committee than your trust file's")
    if parsed.sealed_sha256 != hashlib.sha256(sealed).digest():
        raise MismatchError(
            "this receipt is for another sealed report than the one given; check that you "
            "passed the file you sent"
        )
    if parsed.report_id != report_id_for(sealed):
        raise FormatError("the receipt's report id does not match the sealed report")
    return parsed


def read_receipt(path: str | os.PathLike[str]) -> bytes:
    """A receipt file's bytes, within its size limit (verify them with `verify_receipt`)."""
    return read_envelope(path, "receipt")
