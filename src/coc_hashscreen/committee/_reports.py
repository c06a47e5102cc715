"""Incident reports in the register: as received, where they are in the review, what they link to.

The review rules are in `_review`; this store only reads and writes.  The
``expires_at`` column holds a report's own retention; the expiry a report
shows and is expunged at is `report_expiry` of it and of the records the
report is linked to, computed when read, so it follows every change of a
link or of a record's expiry without being written anywhere.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from ..core import STRONG_KINDS, Status, from_timestamp, resolve_now, timestamp
from ..errors import RegisterError
from ..formats import Attachment, IncidentReport, report_id_for
from ._audit import AuditLog
from ._db import Database, from_db_time, to_db_time
from ._records import RecordStore, canonical_set
from ._retention import DEFAULT_REPORT_RETENTION, check_future, report_expiry
from ._review import NewRecordFor, ReviewAction, check_transition, plan_outcome, report_retention

__all__ = ["ReportStep", "ReportStore", "StoredReport"]


@dataclass(frozen=True)
class ReportStep:
    step: str
    at: datetime
    actor: str
    note: str = field(repr=False)


@dataclass(frozen=True)
class StoredReport:
    """A report in the register: where it is in the review, and what it links to.

    ``people`` holds (role, linked record id or None) in the report's order;
    ``expires_at`` is when expunge deletes the report (`report_expiry`).
    """

    id: str
    sealed_sha256: bytes
    received_at: datetime
    step: str
    outcome: Status | None
    expires_at: datetime | None
    event_name: str
    people: tuple[tuple[str, int | None], ...]
    attachments: int
    steps: tuple[ReportStep, ...]

    def to_dict(self) -> dict[str, Any]:
        """The report's place in the review as plain data (times in ISO 8601)."""
        return {
            "id": self.id,
            "event": self.event_name,
            "received_at": self.received_at.isoformat(),
            "step": self.step,
            "outcome": self.outcome.value if self.outcome else None,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "people": [{"role": role, "record": record} for role, record in self.people],
            "attachments": self.attachments,
            "steps": [
                {"step": s.step, "at": s.at.isoformat(), "by": s.actor, "note": s.note}
                for s in self.steps
            ],
        }


class ReportStore:
    """The incident reports of one register."""

    def __init__(self, db: Database, records: RecordStore, audit: AuditLog) -> None:
        self._db = db
        self._records = records
        self._audit = audit

    def store(
        self, report: IncidentReport, *, sealed: bytes, received_at: datetime, actor: str
    ) -> tuple[StoredReport, bool]:
        """Record a received report once; a second delivery returns the first, unchanged.

        People are linked to the records they share an e-mail address or a
        handle with, through one index of the register built for this intake.
        The report is kept `DEFAULT_REPORT_RETENTION` unless its assessment
        says otherwise, and never after a record it is linked to.  Returns
        the stored report and whether it was already there.
        """
        report_id, digest = report_id_for(sealed), hashlib.sha256(sealed).digest()
        index = self._records.index()
        links = [index.link(p.all_identifiers) for p in report.people]
        with self._db.write() as db:
            row = db.execute("SELECT id FROM reports WHERE sealed_sha256 = ?", (digest,)).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO reports (id, sealed_sha256, received_at, step, expires_at,"
                    " event_name, content) VALUES (?, ?, ?, 'received', ?, ?, ?)",
                    (report_id, digest, timestamp(received_at),
                     timestamp(received_at + DEFAULT_REPORT_RETENTION), report.event_name,
                     report.to_json().decode("utf-8")),
                )  # fmt: skip
                db.executemany(
                    "INSERT INTO report_people (report_id, position, role, record_id)"
                    " VALUES (?, ?, ?, ?)",
                    [(report_id, n, p.role, links[n]) for n, p in enumerate(report.people)],
                )
                db.executemany(
                    "INSERT INTO report_attachments (report_id, name, media_type, data)"
                    " VALUES (?, ?, ?, ?)",
                    [(report_id, a.name, a.media_type, a.data) for a in report.attachments],
                )
                self._add_step(report_id, "received", received_at, actor, "")
                linked = sorted({r for r in links if r is not None})
                self._audit._write(
                    "intake",
                    received_at,
                    actor=actor,
                    case_refs=[self._records.get(r).case_ref for r in linked],
                    details={"report": report_id, "people": len(report.people),
                             "attachments": len(report.attachments)},
                )  # fmt: skip
        return self.get(row[0] if row else report_id), row is not None

    def get(self, report_id: str) -> StoredReport:
        row = self._db.execute(
            "SELECT id, sealed_sha256, received_at, step, outcome, expires_at, event_name"
            " FROM reports WHERE id = ?",
            (report_id,),
        ).fetchone()
        if row is None:
            raise RegisterError(f"no report {report_id[:30]!r}; see 'committee reports'")
        steps = tuple(
            ReportStep(step, from_timestamp(at), actor, note)
            for step, at, actor, note in self._db.execute(
                "SELECT step, at, actor, note FROM report_steps WHERE report_id = ? ORDER BY id",
                (report_id,),
            )
        )
        people = self._db.execute(
            "SELECT p.role, p.record_id, r.expires_at FROM report_people p"
            " LEFT JOIN records r ON r.id = p.record_id WHERE p.report_id = ? ORDER BY p.position",
            (report_id,),
        ).fetchall()
        received_at = from_timestamp(row[2])
        (attachments,) = self._db.execute(
            "SELECT COUNT(*) FROM report_attachments WHERE report_id = ?", (report_id,)
        ).fetchone()
        return StoredReport(
            id=row[0],
            sealed_sha256=row[1],
            received_at=received_at,
            step=row[3],
            outcome=Status(row[4]) if row[4] else None,
            expires_at=report_expiry(
                own=from_db_time(row[5]),
                received_at=received_at,
                linked=[from_db_time(end) for _, rid, end in people if rid is not None],
            ),
            event_name=row[6],
            people=tuple((role, record_id) for role, record_id, _ in people),
            attachments=attachments,
            steps=steps,
        )

    def all(self) -> list[StoredReport]:
        ids = [r[0] for r in self._db.execute("SELECT id FROM reports ORDER BY received_at, id")]
        return [self.get(i) for i in ids]

    def content(self, report_id: str) -> IncidentReport:
        """The full report as received, attachments included."""
        self.get(report_id)
        (content,) = self._db.execute(
            "SELECT content FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        attachments = [
            Attachment.as_stored(name, data, media_type)
            for name, media_type, data in self._db.execute(
                "SELECT name, media_type, data FROM report_attachments WHERE report_id = ?"
                " ORDER BY id",
                (report_id,),
            )
        ]
        return IncidentReport.from_dict(json.loads(content), attachments)

    def link(self, report_id: str, position: int, record_id: int | None) -> None:
        """Link person *position* (from 0) of a report to a record, or unlink it (None).

        For the committee to correct a link, or to make one a name alone
        suggested, before the report is assessed.
        """
        with self._db.write() as db:
            # The case linked before, and the one linked now: an unlink names
            # the case it took the person from.
            before = db.execute(
                "SELECT r.case_ref FROM report_people p JOIN records r ON r.id = p.record_id"
                " WHERE p.report_id = ? AND p.position = ?",
                (report_id, position),
            ).fetchone()
            refs = [before[0]] if before else []
            if record_id is not None:
                refs.append(self._records.get(record_id).case_ref)
            cursor = db.execute(
                "UPDATE report_people SET record_id = ? WHERE report_id = ? AND position = ?",
                (record_id, report_id, position),
            )
            if cursor.rowcount != 1:
                raise RegisterError(
                    f"report {report_id[:30]!r} has no person {position + 1}; see "
                    "'committee show-report'"
                )
            self._audit._write(
                "link",
                resolve_now(None),
                case_refs=refs,
                details={"report": report_id, "person": position + 1, "linked": bool(refs)},
            )

    def advance(
        self, report_id: str, action: ReviewAction, *, now: datetime | None = None
    ) -> StoredReport:
        """Take one review step (see `_review`), and record its outcome, in one transaction."""
        now = resolve_now(now)
        check_future(action.expires_at, now)
        content = self.content(report_id) if action.outcome is not None else None
        with self._db.write() as db:
            current = self.get(report_id)
            check_transition(report_id, current.step, action.to)
            refs: list[str] = []
            if action.outcome is not None and action.outcome.published:
                assert content is not None
                refs = self._record_outcome(current, content, action, now)
            db.execute("UPDATE reports SET step = ? WHERE id = ?", (action.to, report_id))
            if action.outcome is not None:
                # The outcome replaces the retention given at intake: None
                # keeps the report as long as the records it is linked to.
                db.execute(
                    "UPDATE reports SET outcome = ?, expires_at = ? WHERE id = ?",
                    (action.outcome.value,
                     to_db_time(report_retention(action, now, self._records._settings.policy())),
                     report_id),
                )  # fmt: skip
            self._add_step(report_id, action.to, now, action.actor, action.note)
            self._audit._write(
                "review",
                now,
                actor=action.actor,
                case_refs=refs,
                details={"report": report_id, "step": action.to,
                         "outcome": action.outcome.value if action.outcome else None},
            )  # fmt: skip
        if action.outcome is not None:
            self._db.scrub()
        return self.get(report_id)

    def _record_outcome(
        self, stored: StoredReport, content: IncidentReport, action: ReviewAction, now: datetime
    ) -> list[str]:
        """Make or raise the records an outcome names; their case references."""
        refs = []
        linked = {rid: self._records.get(rid) for _, rid in stored.people if rid is not None}
        for item in plan_outcome(stored.id, content, stored.people, action, linked):
            # The records' store is this package's own: its writes join this
            # transaction.
            if isinstance(item, NewRecordFor):
                record_id = self._records._insert(item.record, now)
            else:
                self._records._save(replace(item.record, updated_at=now))
                record_id = item.record.id
            self._db.execute(
                "UPDATE report_people SET record_id = ? WHERE report_id = ? AND position = ?",
                (record_id, stored.id, item.position),
            )
            refs.append(self._records.get(record_id).case_ref)
        return refs

    def _add_step(self, report_id: str, step: str, at: datetime, actor: str, note: str) -> None:
        self._db.execute(
            "INSERT INTO report_steps (report_id, step, at, actor, note) VALUES (?, ?, ?, ?, ?)",
            (report_id, step, timestamp(at), actor, note),
        )

    def _delete_naming(self, record_ids: Sequence[int]) -> int:
        """Delete the reports that name these records' people, in the caller's transaction.

        A report linked to one of the records goes with it (the register's
        trigger does that when the record is deleted); this also deletes a
        report not linked to it in which a person shares an e-mail address or
        a handle with the record: the committee unlinked it, or added that
        identifier to the record after intake.  A shared name alone is not
        enough, as names collide.  Returns how many reports it deleted.
        """
        wanted: set[tuple[str, str]] = set()
        for record_id in record_ids:
            record = self._records.get(record_id)
            wanted |= canonical_set(i for i in record.identifiers if i.kind in STRONG_KINDS)
        if not wanted:
            return 0
        naming = [
            (report_id,)
            for report_id, content in self._db.execute("SELECT id, content FROM reports")
            if any(
                canonical_set(person.identifiers) & wanted
                for person in IncidentReport.from_dict(json.loads(content)).people
            )
        ]
        self._db.executemany("DELETE FROM reports WHERE id = ?", naming)
        return len(naming)

    def _delete_expired(self, now: datetime) -> int:
        """Delete reports past `report_expiry`, inside the caller's transaction (for expunge)."""
        expired = [(report_id,) for report_id in self._expired_ids(now)]
        self._db.executemany("DELETE FROM reports WHERE id = ?", expired)
        return len(expired)

    def _expired_ids(self, now: datetime) -> list[str]:
        """The reports past `report_expiry` at *now*: past their own retention or a record's."""
        rows = self._db.execute(
            "SELECT rp.id, rp.expires_at, rp.received_at, p.record_id, r.expires_at"
            " FROM reports rp LEFT JOIN report_people p ON p.report_id = rp.id"
            " LEFT JOIN records r ON r.id = p.record_id"
        ).fetchall()
        own: dict[str, tuple[int | None, int]] = {}
        linked: dict[str, list[datetime | None]] = {}
        for report_id, expires, received, record_id, record_expires in rows:
            own[report_id] = (expires, received)
            ends = linked.setdefault(report_id, [])
            if record_id is not None:
                ends.append(from_db_time(record_expires))
        expired = []
        for report_id, (expires, received) in own.items():
            end = report_expiry(
                own=from_db_time(expires),
                received_at=from_timestamp(received),
                linked=linked[report_id],
            )
            if end is not None and end <= now:
                expired.append(report_id)
        return expired
