"""Incident reports after an event: the report, sealing, and receipts.

An organizer fills in a report (event, who reports, the people involved with
their identifiers, facts, review, actions, responses, attachments), seals it
to the committee's report key from the pinned trust file, and sends the
sealed file.  The committee opens it, records it, and returns a signed
receipt naming the SHA-256 of the sealed file; the organizer checks the
receipt against the file it sent.

Sealed report layout (integers big-endian)::

    0    7   magic "COC-HS" 0x00
    7    1   version 1
    8    1   length n of the type, 13
    9    n   type "sealed-report"
    9+n  1   length m of the suite name
    10+n m   suite: "x25519" or "mlkem768-x25519"
    .    32  key id of the committee's report key
    .    8   length L of the ciphertext
    .    L   HPKE base-mode ciphertext (encapsulated key || ciphertext)

The HPKE info is ``"coc-hashscreen/v1 sealed report" 0x00`` followed by every
header byte before the ciphertext, so a changed header byte, like a changed
ciphertext byte, makes the file fail to open.  Everything about the content,
attachment names included, is inside the ciphertext.

Plaintext: a 4-byte length H, H bytes of report JSON (attachments listed by
name, media type, size and SHA-256), then the attachment bytes in order.
"""

from __future__ import annotations

import base64
import hashlib
import os
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..core import (
    KINDS,
    MAX_NAME,
    HpkePrivateKey,
    HpkePublicKey,
    Identifier,
    from_timestamp,
    has_unsafe_characters,
    short_id,
    timestamp,
)
from ..errors import FormatError, MismatchError, ReportError, UnsupportedFormat
from . import _wire
from ._envelope import MAGIC, Signer, open_envelope, sign_envelope
from ._files import read_limited
from ._trust import TrustFile

__all__ = [
    "MAX_REPORT_JSON",
    "MAX_SEALED_SIZE",
    "ROLES",
    "Attachment",
    "IncidentReport",
    "Person",
    "Receipt",
    "open_sealed_report",
    "parse_receipt",
    "read_sealed",
    "report_id_for",
    "report_template",
    "seal_report",
    "sign_receipt",
    "verify_receipt",
]

FORMAT: Final = 1
ROLES: Final = ("reported", "affected", "reporter", "witness", "other")
MAX_TEXT: Final = 200_000
MAX_NOTE: Final = 20_000
MAX_PEOPLE: Final = 100
MAX_IDENTIFIERS: Final = 20
MAX_ATTACHMENTS: Final = 50
MAX_ATTACHMENT_SIZE: Final = 50 * 2**20
MAX_ATTACHMENTS_TOTAL: Final = 100 * 2**20
MAX_REPORT_JSON: Final = 4 * 2**20
MAX_SEALED_SIZE: Final = MAX_ATTACHMENTS_TOTAL + MAX_REPORT_JSON + 2**20
SEALED_TYPE: Final = b"sealed-report"
SEALED_INFO: Final = b"coc-hashscreen/v1 sealed report\x00"

_TEXT_FIELDS: Final = ("facts", "review", "actions", "responses")
_IDENTIFIER_KINDS: Final = tuple(k for k in KINDS if k != "name")


# ---------------------------------------------------------------------------
# attachments: accepted by content, never by file name

_SIGNATURES: Final[Sequence[tuple[str, bytes, int]]] = (
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/gif", b"GIF87a", 0),
    ("image/gif", b"GIF89a", 0),
    ("application/pdf", b"%PDF-", 0),
    ("video/webm", b"\x1a\x45\xdf\xa3", 0),
    ("audio/ogg", b"OggS", 0),
    ("audio/mpeg", b"ID3", 0),
    ("video/mp4", b"ftyp", 4),
)


def sniff(data: bytes) -> str | None:
    """The media type of an accepted attachment, from its content; None if not accepted."""
    for media_type, magic, offset in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return media_type
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE"):
        return "image/webp" if data[8:12] == b"WEBP" else "audio/wav"
    if len(data) >= 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0:
        return "audio/mpeg"
    if b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


@dataclass(frozen=True)
class Attachment:
    """A screenshot, recording or message copy, typed by its content.

    Its name and description may identify people, so neither appears in its
    repr or in the errors it raises: a committee opening a sealed report must
    not leak them into a log.  `from_file` names the local file it read.
    """

    name: str = field(repr=False)
    data: bytes = field(repr=False)
    description: str = field(default="", repr=False)
    media_type: str = field(default="", init=True)

    def __post_init__(self) -> None:
        name = Path(self.name).name.strip()
        if (
            not name
            or name in (".", "..")
            or len(name) > MAX_NAME
            or has_unsafe_characters(name)
            or "\\" in name
        ):
            raise ReportError(
                f"an attachment needs a plain file name of at most {MAX_NAME} characters"
            )
        object.__setattr__(self, "name", name)
        if len(self.data) > MAX_ATTACHMENT_SIZE:
            raise ReportError(
                f"an attachment is larger than {MAX_ATTACHMENT_SIZE // 2**20} MiB; "
                "link large recordings instead of attaching them"
            )
        sniffed = sniff(self.data)
        if sniffed is None:
            raise ReportError(
                "an attachment is not an accepted type (images, PDF, audio, video "
                "and UTF-8 text are; archives, executables and office files are not): "
                "convert it to PDF or an image"
            )
        if self.media_type and self.media_type != sniffed:
            # The declared type comes from the sender: it stays out of the message.
            raise ReportError(
                f"an attachment's declared media type does not match its content ({sniffed})"
            )
        object.__setattr__(self, "media_type", sniffed)
        if len(self.description) > MAX_NOTE:
            raise ReportError(f"an attachment's description is longer than {MAX_NOTE} characters")

    @property
    def sha256(self) -> bytes:
        return hashlib.sha256(self.data).digest()

    @classmethod
    def from_file(cls, path: str | Path, description: str = "") -> Attachment:
        label = f"attachment {os.fspath(path)!r}"
        data = read_limited(path, MAX_ATTACHMENT_SIZE, label)
        try:
            return cls(Path(path).name, data, description)
        except ReportError as exc:
            raise ReportError(f"{label}: {exc}") from None


# ---------------------------------------------------------------------------
# the report


@dataclass(frozen=True)
class Person:
    """Someone involved in an incident, with the identifiers the event knows."""

    role: str
    name: str = field(default="", repr=False)
    identifiers: tuple[Identifier, ...] = field(default=(), repr=False)
    notes: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ReportError(f"a person's role is one of {', '.join(ROLES)}")
        if self.name:
            Identifier("name", self.name)
        if not self.name and not self.identifiers:
            raise ReportError("each person needs a name or an identifier")
        if len(self.identifiers) > MAX_IDENTIFIERS or len(self.notes) > MAX_NOTE:
            raise ReportError("a person has too many identifiers or too long notes")

    @property
    def all_identifiers(self) -> tuple[Identifier, ...]:
        named = (Identifier("name", self.name),) if self.name else ()
        return named + self.identifiers


@dataclass(frozen=True)
class IncidentReport:
    """One incident report, validated on construction."""

    event_name: str
    event_start: date
    event_end: date
    reporter_name: str
    reporter_email: str
    people: tuple[Person, ...]
    facts: str
    review: str = ""
    actions: str = ""
    responses: str = ""
    event_location: str = ""
    reporter_organization: str = ""
    reference: str = ""
    attachments: tuple[Attachment, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        for name in ("event_name", "reporter_name"):
            value = getattr(self, name)
            if not value.strip() or len(value) > MAX_NAME:
                raise ReportError(
                    f"{name.replace('_', ' ')} is required (at most {MAX_NAME} characters)"
                )
        if self.event_end < self.event_start:
            raise ReportError("the event ends before it starts")
        Identifier("email", self.reporter_email)
        if not self.people or len(self.people) > MAX_PEOPLE:
            raise ReportError(f"a report names 1 to {MAX_PEOPLE} people involved")
        if not self.facts.strip():
            raise ReportError("describe the facts the event team determined")
        for name in _TEXT_FIELDS:
            if len(getattr(self, name)) > MAX_TEXT:
                raise ReportError(f"{name} is longer than {MAX_TEXT:,} characters")
        for name in ("event_location", "reporter_organization", "reference"):
            if len(getattr(self, name)) > MAX_NAME:
                raise ReportError(f"{name.replace('_', ' ')} is longer than {MAX_NAME} characters")
        if len(self.attachments) > MAX_ATTACHMENTS:
            raise ReportError(f"a report has at most {MAX_ATTACHMENTS} attachments")
        if sum(len(a.data) for a in self.attachments) > MAX_ATTACHMENTS_TOTAL:
            raise ReportError(
                f"the attachments add up to more than {MAX_ATTACHMENTS_TOTAL // 2**20} MiB"
            )
        names = [a.name for a in self.attachments]
        if len(set(names)) != len(names):
            raise ReportError("two attachments have the same file name; rename one")

    # -- the JSON form (the template organizers fill in) -----------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "event": {
                "name": self.event_name,
                "start": self.event_start.isoformat(),
                "end": self.event_end.isoformat(),
                "location": self.event_location,
            },
            "reporter": {
                "name": self.reporter_name,
                "email": self.reporter_email,
                "organization": self.reporter_organization,
            },
            "reference": self.reference,
            "people": [_person_dict(p) for p in self.people],
            "facts": self.facts,
            "review": self.review,
            "actions": self.actions,
            "responses": self.responses,
            "attachments": [
                {
                    "name": a.name,
                    "media_type": a.media_type,
                    "size": len(a.data),
                    "sha256": a.sha256.hex(),
                    "description": a.description,
                }
                for a in self.attachments
            ],
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], attachments: Sequence[Attachment] = ()
    ) -> IncidentReport:
        """Parse the JSON form; errors name the field, never echo a value."""
        fields = _wire.Fields(data, "report")
        fields.expect(
            {"format", "event", "reporter", "people", "facts"},
            {"review", "actions", "responses", "reference", "attachments", "_instructions"},
        )
        fields.format_version("format", FORMAT)
        event = fields.obj("event")
        event.expect({"name", "start", "end"}, {"location"})
        reporter = fields.obj("reporter")
        reporter.expect({"name", "email"}, {"organization"})
        people = [
            _parse_person(item, f"people[{i}]")
            for i, item in enumerate(fields.items("people", max_items=MAX_PEOPLE))
        ]
        listed = (
            fields.items("attachments", max_items=MAX_ATTACHMENTS)
            if fields.has("attachments")
            else []
        )
        descriptions = {}
        for i, item in enumerate(listed):
            if not isinstance(item, dict):
                raise ReportError(f"attachments[{i}] must be an object")
            entry = _wire.Fields(item, f"report attachments[{i}]")
            entry.expect({"name"}, {"media_type", "size", "sha256", "description"})
            descriptions[entry.text("name", max_length=MAX_NAME)] = (
                entry.text("description", max_length=MAX_NOTE) if entry.has("description") else ""
            )
        attached = tuple(
            Attachment(a.name, a.data, a.description or descriptions.get(a.name, ""))
            for a in attachments
        )
        return cls(
            event_name=event.text("name", max_length=MAX_NAME),
            event_start=_date(event, "start"),
            event_end=_date(event, "end"),
            event_location=_optional(event, "location", MAX_NAME),
            reporter_name=reporter.text("name", max_length=MAX_NAME),
            reporter_email=reporter.text("email", max_length=MAX_NAME),
            reporter_organization=_optional(reporter, "organization", MAX_NAME),
            reference=_optional(fields, "reference", MAX_NAME),
            people=tuple(people),
            facts=fields.text("facts", max_length=MAX_TEXT),
            review=_optional(fields, "review", MAX_TEXT),
            actions=_optional(fields, "actions", MAX_TEXT),
            responses=_optional(fields, "responses", MAX_TEXT),
            attachments=attached,
        )

    @classmethod
    def from_json(cls, data: bytes, attachments: Sequence[Attachment] = ()) -> IncidentReport:
        if len(data) > MAX_REPORT_JSON:
            raise ReportError(f"the report is larger than {MAX_REPORT_JSON // 2**20} MiB")
        try:
            fields = _wire.load_json(data, "report")
            return cls.from_dict(fields.raw(), attachments)
        except (FormatError, ValueError) as exc:
            if isinstance(exc, ReportError | UnsupportedFormat):
                raise
            raise ReportError(f"{exc}; fix the report and try again") from None

    # -- the sealed plaintext ---------------------------------------------------

    def to_json(self) -> bytes:
        """The JSON form, as `from_json` reads it (without the attachments' bytes)."""
        return _wire.dump_json(self.to_dict())

    def to_plaintext(self) -> bytes:
        document = self.to_json()
        return (
            struct.pack(">I", len(document)) + document + b"".join(a.data for a in self.attachments)
        )

    @classmethod
    def from_plaintext(cls, data: bytes) -> IncidentReport:
        if len(data) < 4:
            raise FormatError("the report is truncated")
        (length,) = struct.unpack(">I", data[:4])
        if length > MAX_REPORT_JSON or len(data) < 4 + length:
            raise FormatError("the report's header is too long or truncated")
        fields = _wire.load_json(data[4 : 4 + length], "report")
        listed = (
            fields.items("attachments", max_items=MAX_ATTACHMENTS)
            if fields.has("attachments")
            else []
        )
        offset = 4 + length
        attachments = []
        for i, item in enumerate(listed):
            if not isinstance(item, dict):
                raise FormatError("the report's attachment list is malformed")
            entry = _wire.Fields(item, f"report attachments[{i}]")
            entry.expect({"name", "media_type", "size", "sha256", "description"})
            size = entry.integer("size", maximum=MAX_ATTACHMENT_SIZE)
            blob = data[offset : offset + size]
            offset += size
            if len(blob) != size or hashlib.sha256(blob).digest() != entry.bytes_hex(
                "sha256", size=32
            ):
                raise FormatError("an attachment does not match its listed size or digest")
            attachments.append(
                Attachment(
                    entry.text("name", max_length=MAX_NAME),
                    blob,
                    entry.text("description", max_length=MAX_NOTE),
                    entry.text("media_type", max_length=100),
                )
            )
        if offset != len(data):
            raise FormatError("the report has bytes after its last attachment")
        return cls.from_dict(fields.raw(), attachments)

    def __repr__(self) -> str:
        return (
            f"IncidentReport(event={self.event_name!r}, people={len(self.people)}, "
            f"attachments={len(self.attachments)})"
        )


def _optional(fields: _wire.Fields, key: str, limit: int) -> str:
    return fields.text(key, max_length=limit) if fields.has(key) else ""


def _date(fields: _wire.Fields, key: str) -> date:
    text = fields.text(key, max_length=10)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReportError(f"{fields.what} {key} must be a date as YYYY-MM-DD") from None


def _person_dict(person: Person) -> dict[str, Any]:
    result: dict[str, Any] = {"role": person.role, "name": person.name, "notes": person.notes}
    for kind in _IDENTIFIER_KINDS:
        result[kind] = [i.value for i in person.identifiers if i.kind == kind]
    return result


def _parse_person(item: object, where: str) -> Person:
    if not isinstance(item, dict):
        raise ReportError(f"{where} must be an object")
    fields = _wire.Fields(item, f"report {where}")
    fields.expect({"role"}, {"name", "notes", *_IDENTIFIER_KINDS})
    identifiers = []
    for kind in _IDENTIFIER_KINDS:
        if not fields.has(kind):
            continue
        values = fields.items(kind, max_items=MAX_IDENTIFIERS)
        for n, value in enumerate(values):
            if not isinstance(value, str):
                raise ReportError(f"{where}.{kind}[{n}] must be text")
            if value.strip():
                try:
                    identifiers.append(Identifier(kind, value))
                except ValueError as exc:
                    raise ReportError(f"{where}.{kind}[{n}]: {exc}") from None
    name = _optional(fields, "name", MAX_NAME)
    try:
        return Person(
            role=fields.text("role", max_length=20),
            name=name,
            identifiers=tuple(identifiers),
            notes=_optional(fields, "notes", MAX_NOTE),
        )
    except ReportError as exc:
        raise ReportError(f"{where}: {exc}") from None
    except ValueError as exc:
        raise ReportError(f"{where}.name: {exc}") from None


def report_template() -> dict[str, Any]:
    """The JSON an organizer fills in (``coc-hashscreen report new``)."""
    return {
        "_instructions": (
            "Fill in every field you can, then seal with: coc-hashscreen report seal "
            "THIS.json --trust COMMITTEE.trust [--attach FILE]... -o SEALED. Roles: "
            + ", ".join(ROLES)
            + ". Dates are YYYY-MM-DD. Delete this unsealed file once sealed: it is "
            "not encrypted."
        ),
        "format": FORMAT,
        "event": {"name": "", "start": "YYYY-MM-DD", "end": "YYYY-MM-DD", "location": ""},
        "reporter": {"name": "", "email": "", "organization": ""},
        "reference": "",
        "people": [
            {
                "role": "reported",
                "name": "",
                "email": [],
                "github": [],
                "twitter": [],
                "mastodon": [],
                "notes": "",
            },
            {"role": "affected", "name": "", "email": [], "notes": ""},
        ],
        "facts": "",
        "review": "",
        "actions": "",
        "responses": "",
        "attachments": [],
    }


# ---------------------------------------------------------------------------
# sealing


def _sealed_header(key: HpkePublicKey, length: int) -> bytes:
    suite = key.suite.value.encode("ascii")
    return (
        MAGIC
        + bytes([1, len(SEALED_TYPE)])
        + SEALED_TYPE
        + bytes([len(suite)])
        + suite
        + key.key_id
        + struct.pack(">Q", length)
    )


def seal_report(report: IncidentReport, *, trust: TrustFile) -> bytes:
    """Seal *report* to the committee's report key from the pinned trust file."""
    key = trust.report_key
    plaintext = report.to_plaintext()
    # The ciphertext length is known in advance: HPKE adds the encapsulated
    # key and a 16-byte tag.
    length = len(plaintext) + key.suite.hpke_overhead
    header = _sealed_header(key, length)
    sealed = key.seal(plaintext, info=SEALED_INFO + header)
    if len(sealed) != length:  # pragma: no cover - guards the overhead constant
        raise AssertionError("unexpected HPKE ciphertext length")
    return header + sealed


def read_sealed(path: str | Path) -> bytes:
    return read_limited(path, MAX_SEALED_SIZE, "sealed report")


def open_sealed_report(data: bytes, report_key: HpkePrivateKey) -> IncidentReport:
    """Open a sealed report with the committee's report key, then validate it."""
    if len(data) > MAX_SEALED_SIZE:
        raise FormatError("the sealed report is larger than the limit")
    if data[:7] != MAGIC or data[8:9] != bytes([len(SEALED_TYPE)]) or data[9:22] != SEALED_TYPE:
        raise FormatError("this is not a sealed coc-hashscreen report")
    if data[7] != 1:
        raise UnsupportedFormat(f"the sealed report uses version {data[7]}; upgrade coc-hashscreen")
    offset = 9 + len(SEALED_TYPE)
    suite_length = data[offset] if len(data) > offset else 0
    header_end = offset + 1 + suite_length + 32 + 8
    if len(data) < header_end:
        raise FormatError("the sealed report is truncated")
    suite_name = data[offset + 1 : offset + 1 + suite_length].decode("ascii", "replace")
    key_id = data[header_end - 40 : header_end - 8]
    (length,) = struct.unpack(">Q", data[header_end - 8 : header_end])
    if len(data) != header_end + length:
        raise FormatError("the sealed report is truncated or has trailing bytes")
    if key_id != report_key.key_id or suite_name != report_key.suite.value:
        raise MismatchError(
            f"this report was sealed to key {short_id(key_id)}…, not to this committee's "
            "report key; the organizer must seal it with this committee's trust file"
        )
    plaintext = report_key.open(
        data[header_end:], info=SEALED_INFO + data[:header_end], what="sealed report"
    )
    try:
        return IncidentReport.from_plaintext(plaintext)
    except ReportError as exc:
        raise ReportError(f"the sealed report opened but is not valid: {exc}") from None


def report_id_for(sealed: bytes) -> str:
    """The committee's id of a sealed report: the same file always gets the same id."""
    digest = hashlib.sha256(sealed).digest()
    return "R-" + base64.b32encode(digest[:10]).decode("ascii")


# ---------------------------------------------------------------------------
# receipts


@dataclass(frozen=True)
class Receipt:
    """The committee's signed statement that it received one sealed report."""

    committee: str
    series: bytes
    report_id: str
    sealed_sha256: bytes
    received_at: datetime

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
