"""The incident report an organizer sends after an event: its schema and its JSON.

An organizer fills in a report (event, who reports, the people involved with
their identifiers, facts, review, actions, responses, attachments); it is
validated on construction and every refusal is a `ReportError` that names
the field, never its value.  Sealing is in `_sealed`, receipts in `_receipt`.

Plaintext of a sealed report: a 4-byte length H, H bytes of report JSON
(attachments listed by name, media type, size and SHA-256), then the
attachment bytes in order.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

from ..core import KINDS, MAX_NAME, Identifier, has_unsafe_characters
from ..errors import FormatError, ReportError, UnsupportedFormat
from . import _wire
from ._files import read_limited

__all__ = ["MAX_REPORT_JSON", "ROLES", "Attachment", "IncidentReport", "Person", "report_template"]

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

_TEXT_FIELDS: Final = ("facts", "review", "actions", "responses")
_SHORT_FIELDS: Final = ("event_location", "reporter_organization", "reference")
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
        self._check_lengths()
        _check_attachments(self.attachments)

    def _check_lengths(self) -> None:
        for names, limit in ((_TEXT_FIELDS, MAX_TEXT), (_SHORT_FIELDS, MAX_NAME)):
            for name in names:
                if len(getattr(self, name)) > limit:
                    raise ReportError(
                        f"{name.replace('_', ' ')} is longer than {limit:,} characters"
                    )

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


def _check_attachments(attachments: Sequence[Attachment]) -> None:
    if len(attachments) > MAX_ATTACHMENTS:
        raise ReportError(f"a report has at most {MAX_ATTACHMENTS} attachments")
    if sum(len(a.data) for a in attachments) > MAX_ATTACHMENTS_TOTAL:
        raise ReportError(
            f"the attachments add up to more than {MAX_ATTACHMENTS_TOTAL // 2**20} MiB"
        )
    names = [a.name for a in attachments]
    if len(set(names)) != len(names):
        raise ReportError("two attachments have the same file name; rename one")


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
