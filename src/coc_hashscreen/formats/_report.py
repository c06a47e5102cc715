"""The incident report an organizer sends after an event: its schema and its JSON.

An organizer fills in a report (event, who reports, the people involved with
their identifiers, facts, review, actions, responses, attachments); it is
validated on construction and every refusal is a `ReportError` that names
the field, never its value.  Sealing is in `_sealed`, receipts in `_receipt`.

Plaintext of a sealed report: a 4-byte length H, H bytes of report JSON
(attachments listed by name, media type, size and SHA-256), then the
attachment bytes in order; from sealed version 2, zero bytes up to a size
bucket (`_sealed`).  Attachments themselves are in `_attachment`.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from ..core import KINDS, MAX_NAME, Identifier, check_text
from ..errors import FormatError, InvalidText, ReportError, UnsupportedFormat
from . import _wire
from ._attachment import MAX_ATTACHMENT_SIZE, MAX_NOTE, Attachment, sniff

__all__ = [
    "MAX_ATTACHMENT_SIZE",
    "MAX_REPORT_JSON",
    "ROLES",
    "Attachment",
    "IncidentReport",
    "Person",
    "report_template",
    "sniff",
]

FORMAT: Final = 1
ROLES: Final = ("reported", "affected", "reporter", "witness", "other")
MAX_TEXT: Final = 200_000
MAX_PEOPLE: Final = 100
MAX_IDENTIFIERS: Final = 20
MAX_ATTACHMENTS: Final = 50
MAX_ATTACHMENTS_TOTAL: Final = 100 * 2**20
MAX_REPORT_JSON: Final = 4 * 2**20

_TEXT_FIELDS: Final = ("facts", "review", "actions", "responses")
_SHORT_FIELDS: Final = ("event_location", "reporter_organization", "reference")
_ONE_LINE_FIELDS: Final = ("event_name", "reporter_name", *_SHORT_FIELDS)
_IDENTIFIER_KINDS: Final = tuple(k for k in KINDS if k != "name")


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
        check_text(self.notes, "a person's notes")
        if self.name:
            # Stored as an identifier is: cleaned of controls (raises if invalid).
            object.__setattr__(self, "name", Identifier("name", self.name).value)
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
        self._check_text()
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

    def _check_text(self) -> None:
        """Refuse text that is not Unicode (a lone surrogate).

        Texts are kept as the organizer wrote them: a report is evidence.
        Whoever prints them escapes them (the CLI's `out` and `safe`).
        """
        for name in (*_TEXT_FIELDS, *_ONE_LINE_FIELDS, "reporter_email"):
            check_text(getattr(self, name), name.replace("_", " "))

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
        # Checked when they were made (sealed, opened, or read back from
        # the register as stored): only the description is new here.
        attached = tuple(
            a.described(a.description or descriptions.get(a.name, "")) for a in attachments
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
            if isinstance(exc, ReportError | UnsupportedFormat | InvalidText):
                raise
            raise ReportError(f"{exc}; fix the report and try again") from None

    # -- the sealed plaintext ---------------------------------------------------

    def to_json(self) -> bytes:
        """The JSON form, as `from_json` reads it (without the attachments' bytes)."""
        return _wire.dump_json(self.to_dict())

    def to_plaintext(self) -> bytes:
        """A 4-byte length, the JSON form, then the attachments' bytes (unpadded)."""
        document = self.to_json()
        if len(document) > MAX_REPORT_JSON:
            raise ReportError(
                f"the report's text is larger than {MAX_REPORT_JSON // 2**20} MiB; shorten it"
            )
        return (
            struct.pack(">I", len(document)) + document + b"".join(a.data for a in self.attachments)
        )

    @classmethod
    def from_plaintext(cls, data: bytes, *, padded: bool = False) -> IncidentReport:
        """Read `to_plaintext`'s bytes; with *padded*, zero bytes may follow (sealed version 2)."""
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
        attachments, end = _read_attachments(data, 4 + length, listed)
        # Padding is zeros: nothing can hide in it.
        rest = len(data) - end
        if rest and not (padded and data.count(0, end) == rest):
            raise FormatError("the report has bytes after its last attachment")
        return cls.from_dict(fields.raw(), attachments)

    def __repr__(self) -> str:
        return (
            f"IncidentReport(event={self.event_name!r}, people={len(self.people)}, "
            f"attachments={len(self.attachments)})"
        )


def _read_attachments(
    data: bytes, offset: int, listed: Sequence[object]
) -> tuple[list[Attachment], int]:
    """The attachments the report JSON lists, from the bytes after it; and where they end."""
    attachments = []
    for i, item in enumerate(listed):
        if not isinstance(item, dict):
            raise FormatError("the report's attachment list is malformed")
        entry = _wire.Fields(item, f"report attachments[{i}]")
        entry.expect({"name", "media_type", "size", "sha256", "description"})
        size = entry.integer("size", maximum=MAX_ATTACHMENT_SIZE)
        blob = data[offset : offset + size]
        offset += size
        if len(blob) != size or hashlib.sha256(blob).digest() != entry.bytes_hex("sha256", size=32):
            raise FormatError("an attachment does not match its listed size or digest")
        attachments.append(
            Attachment(
                entry.text("name", max_length=MAX_NAME),
                blob,
                entry.text("description", max_length=MAX_NOTE),
                entry.text("media_type", max_length=100),
            )
        )
    return attachments, offset


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
            + ". Dates are YYYY-MM-DD. Files (screenshots, logs) are attached with "
            "--attach when sealing, not listed here. Delete this unsealed file once "
            "sealed: it is not encrypted."
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
    }
