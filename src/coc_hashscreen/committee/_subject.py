"""A person's own data, gathered for an access request (GDPR Art. 15).

`subject_export` finds the person's records as `committee search` does
(`SearchIndex`): those sharing an e-mail address or a handle with the
person, and those the committee named after judging them (*records*).  A
record that shares only a name (or a name variant) is another person until
the committee judges otherwise: it is listed by id and case reference under
``records_with_same_name``, without its content, and is never offered for
erasure.  Then everything the register holds about the person: the
records with their identifiers, aliases, dates and notes; every report
linked to one of the records, or in which someone (the reporter included)
shares a key with the person's identifiers or records, whole, attachments
included; and the audit entries of those records and reports.  Reports in
which only a name matches are listed by position, without their content:
names collide, and a person judges whether it is the same one.

The export is for the committee to review before anything is sent: a
report names other people too (reporters, witnesses, those affected),
whose data the committee must redact first.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

from ..core import STRONG_KINDS, Identifier
from ..errors import InputError, InvalidIdentifier
from ..formats import Attachment, IncidentReport
from ._audit import AuditEntry
from ._lookup import Match, SearchIndex, current_profile
from ._publish import published_keys
from ._register import Register
from ._reports import StoredReport

__all__ = ["EXPORT_NOTICE", "ExportedReport", "SubjectExport", "subject_export"]

EXPORT_FORMAT: Final = 1
EXPORT_NOTICE: Final = (
    "Everything the committee's register holds about the person found through the "
    "identifiers below. It is as sensitive as the register. Review it before sending: "
    "reports name other people (reporters, witnesses, people affected), whose data must "
    "be redacted; records and reports listed under records_with_same_name and "
    "reports_with_same_name share only a name and may be about someone else; audit entries "
    "name only this person's case references."
)


@dataclass(frozen=True)
class ExportedReport:
    """A report the export holds whole, and why: the people in it who are the person.

    *why* holds ``"linked"``, ``"identifier"`` (a person shares an e-mail
    address or a handle) and ``"reporter"`` (the reporter's address).
    """

    stored: StoredReport
    content: IncidentReport = field(repr=False)
    why: tuple[str, ...]
    people: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.stored.to_dict(),
            "why": list(self.why),
            "people_found": [n + 1 for n in self.people],
            "content": self.content.to_dict(),
            "attachment_data": [_attachment(a) for a in self.content.attachments],
        }


def _attachment(attachment: Attachment) -> dict[str, Any]:
    # As stored, base64: one file to review, send and delete, and nothing
    # refused that the register holds (see `Attachment.as_stored`).
    return {
        "name": attachment.name,
        "media_type": attachment.media_type,
        "size": len(attachment.data),
        "sha256": attachment.sha256.hex(),
        "data_base64": base64.b64encode(attachment.data).decode("ascii"),
    }


@dataclass(frozen=True)
class SubjectExport:
    """What the register holds about one person."""

    identifiers: tuple[Identifier, ...] = field(repr=False)
    profile: str
    records: tuple[Match, ...]
    same_name_records: tuple[Match, ...]
    reports: tuple[ExportedReport, ...]
    same_name: tuple[tuple[str, tuple[int, ...]], ...]
    audit: tuple[AuditEntry, ...]
    exported_at: datetime

    def to_dict(self) -> dict[str, Any]:
        now = self.exported_at
        return {
            "format": EXPORT_FORMAT,
            "notice": EXPORT_NOTICE,
            "exported_at": now.isoformat(),
            "profile": self.profile,
            "identifiers": [
                {"kind": i.kind, "value": i.value, "alias": i.alias} for i in self.identifiers
            ],
            "records": [match.to_dict(now) for match in self.records],
            "records_with_same_name": [
                {"id": m.record.id, "case_ref": m.record.case_ref, "rule": m.rule}
                for m in self.same_name_records
            ],
            "reports": [report.to_dict() for report in self.reports],
            "reports_with_same_name": [
                {"report": report_id, "people": [n + 1 for n in people]}
                for report_id, people in self.same_name
            ],
            "audit": [entry.to_dict() for entry in self.audit],
        }

    def to_json(self) -> bytes:
        """The export as JSON; ASCII, so that a terminal shows the file as it is."""
        return (json.dumps(self.to_dict(), indent=2, ensure_ascii=True) + "\n").encode("ascii")


@dataclass(frozen=True)
class _Keys:
    """The (kind, key) pairs that are the person: strong ones identify, names only suggest."""

    index: SearchIndex
    strong: frozenset[tuple[str, str]]
    names: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, index: SearchIndex, identifiers: Iterable[Identifier]) -> _Keys:
        strong: set[tuple[str, str]] = set()
        names: set[tuple[str, str]] = set()
        for identifier in identifiers:
            keys = {
                (identifier.kind, key) for key in published_keys(identifier, profile=index.profile)
            }
            (strong if identifier.kind in STRONG_KINDS else names).update(keys)
        return cls(index, frozenset(strong), frozenset(names))

    def which(self, identifier: Identifier) -> str | None:
        """ "strong" or "name" if *identifier* (as screening reads it) is the person's."""
        try:
            key = self.index.key_of(identifier.kind, identifier.value)
        except InvalidIdentifier:
            # Valid when received, not under this (older) profile: not a match.
            return None
        if key in self.strong:
            return "strong"
        return "name" if key in self.names else None


def subject_export(
    register: Register,
    identifiers: Sequence[Identifier],
    *,
    now: datetime,
    records: Sequence[int] = (),
) -> SubjectExport:
    """Gather what the register holds about the person with *identifiers* (see the module).

    *records* are ids of records the committee has judged to be the
    person although they share only a name (from ``records_with_same_name``
    of an earlier export): they are exported whole, as strong matches are.
    """
    if not identifiers and not records:
        raise InputError("give at least one identifier of the person")
    profile = current_profile(register)
    every = register.records.all()
    index = SearchIndex.of(every, profile=profile)
    found = index.find_any(identifiers)
    chosen = set(records)
    unknown = chosen - {r.id for r in every}
    if unknown:
        raise InputError(f"no record with id {min(unknown)}; see 'committee list'")
    # A record the person's e-mail or handle hits is theirs; one a name alone
    # hits is someone else until the committee says otherwise.
    strong = {m.record.id for m in _strong_matches(index, identifiers)}
    matches = [m for m in found if m.record.id in strong or m.record.id in chosen]
    matches += [
        Match(r, r.identifiers[0], "chosen by the committee")
        for r in every
        if r.id in chosen and r.id not in {m.record.id for m in found}
    ]
    matches.sort(key=lambda m: m.record.id)
    same_name = tuple(m for m in found if m.record.id not in {x.record.id for x in matches})
    keys = _Keys.of(index, [*identifiers, *(i for m in matches for i in m.record.identifiers)])
    record_ids = {m.record.id for m in matches}
    reports: list[ExportedReport] = []
    same_name_reports: list[tuple[str, tuple[int, ...]]] = []
    for stored in register.reports.all():
        content = register.reports.content(stored.id)
        exported = _report(stored, content, record_ids, keys)
        if exported is not None:
            reports.append(exported)
            continue
        named = tuple(
            n
            for n, person in enumerate(content.people)
            if any(keys.which(i) == "name" for i in person.all_identifiers)
        )
        if named:
            same_name_reports.append((stored.id, named))
    refs = register.audit.history_refs(m.record.case_ref for m in matches)
    report_ids = {r.stored.id for r in reports}
    # Entries name only this person's cases: an import or an expunge also
    # lists other people's case references.
    audit = tuple(
        replace(entry, case_refs=tuple(r for r in entry.case_refs if r in refs))
        for entry in register.audit.entries()
        if refs.intersection(entry.case_refs) or entry.details.get("report") in report_ids
    )
    return SubjectExport(
        identifiers=tuple(identifiers),
        profile=profile,
        records=tuple(matches),
        same_name_records=same_name,
        reports=tuple(reports),
        same_name=tuple(same_name_reports),
        audit=audit,
        exported_at=now,
    )


def _strong_matches(index: SearchIndex, identifiers: Sequence[Identifier]) -> list[Match]:
    return index.find_any(i for i in identifiers if i.kind in STRONG_KINDS)


def _report(
    stored: StoredReport, content: IncidentReport, record_ids: set[int], keys: _Keys
) -> ExportedReport | None:
    """*stored* as exported, if it is linked to one of the records or names the person."""
    why: list[str] = []
    people: list[int] = []
    for n, ((_, record_id), person) in enumerate(zip(stored.people, content.people, strict=True)):
        if record_id in record_ids:
            why.append("linked")
            people.append(n)
        elif any(keys.which(i) == "strong" for i in person.identifiers):
            why.append("identifier")
            people.append(n)
    if keys.which(Identifier("email", content.reporter_email)) == "strong":
        why.append("reporter")
    if not why:
        return None
    return ExportedReport(stored, content, tuple(dict.fromkeys(why)), tuple(people))
