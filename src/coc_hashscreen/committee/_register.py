"""The committee's register: one database, one store per concern.

`Register` opens the database (`_db`) and hands each concern its store:
``register.records``, ``register.epochs``, ``register.organizers`` and
``register.reports``.  What spans them, expunging what is past its
retention and removing a record for good, is here.

A record deleted while the epoch it was last listed in is current takes
that epoch with it: a new epoch starts and the old key is wiped, in the same
transaction, so that the register no longer holds a key that confirms the
person against a list anyone kept (ADR 0011).  An update that takes
something off the lists of that epoch (an identifier, or the whole record
by lowering it to minor) does the same.  The next publish lists the new
epoch and grants it to every active organizer.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core import Closing, resolve_now
from ..errors import InputError
from ..formats import Random
from ._audit import AuditLog, checked_actor
from ._db import Database
from ._epochs import EpochStore
from ._import import ImportOptions, ImportPlan, plan_import
from ._organizers import OrganizerStore
from ._records import Record, RecordChange, RecordStore, canonical_set, changed
from ._reports import ReportStore
from ._retention import RetentionPolicy
from ._settings import PublishFloor, SettingsStore

__all__ = ["ExpungePlan", "ExpungeResult", "Register", "UpdateResult"]


@dataclass(frozen=True)
class ExpungePlan:
    """What an expunge at a given time would delete: case references and report ids."""

    case_refs: tuple[str, ...]
    reports: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"case_refs": list(self.case_refs), "reports": list(self.reports)}


@dataclass(frozen=True)
class ExpungeResult:
    """What an expunge or a removal deleted, and the epoch it started, if any.

    ``reports`` counts every report deleted: past its own retention, or
    linked to a deleted record.  ``epoch_keys`` counts the keys wiped,
    the current one included when a deleted record was listed with it;
    ``rotated_to`` is then the new epoch, which needs a publish.
    ``case_refs`` names the records deleted, so that the committee can
    delete them from any other place it kept them.
    """

    records: int
    reports: int
    epoch_keys: int
    rotated_to: int | None = None
    case_refs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "reports": self.reports,
            "epoch_keys": self.epoch_keys,
            "rotated_to": self.rotated_to,
            "case_refs": list(self.case_refs),
        }


@dataclass(frozen=True)
class UpdateResult:
    """A record as an update left it, and the epoch the update started, if any.

    ``rotated_to`` is set when the update took something off the lists of
    the current epoch (see `Register.update_record`); the new epoch needs a
    publish.
    """

    record: Record
    rotated_to: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The record (`Record.to_dict`) and the epoch started, for the committee's own use."""
        return {"record": self.record.to_dict(), "rotated_to": self.rotated_to}


def unlists(before: Record, after: Record, now: datetime) -> bool:
    """Whether a list issued before the change holds something the changed record no longer does.

    An identifier taken off the record, or the record no longer published
    (lowered to minor).  Adding identifiers, raising the status or changing
    the note, the case reference or a future expiry takes nothing off: a
    record whose expiry comes nearer leaves the lists when it is expunged.
    """
    removed = canonical_set(before.identifiers) - canonical_set(after.identifiers)
    return bool(removed) or (before.is_published(now) and not after.is_published(now))


class Register(Closing):
    """An open register file.  Use `create` or `open`, as a context manager."""

    def __init__(self, db: Database, *, actor: str | None = None) -> None:
        self._db = db
        self.audit = AuditLog(db, actor)
        self.settings = SettingsStore(db)
        self.records = RecordStore(db, self.settings, self.audit)
        self.epochs = EpochStore(db, self.audit)
        self.organizers = OrganizerStore(db, self.audit)
        self.reports = ReportStore(db, self.records, self.audit)

    @classmethod
    def create(cls, path: str | os.PathLike[str], *, actor: str | None = None) -> Register:
        """Create a new, empty register (mode 0600); refuse to overwrite an existing file.

        *actor* names who makes the changes, in the audit trail (default:
        `default_actor`).
        """
        # Checked before the file is made: a refusal leaves no file, no connection.
        name = None if actor is None else checked_actor(actor)
        return cls(Database.create(path), actor=name)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, actor: str | None = None) -> Register:
        """Open an existing register, migrating its schema forward if needed."""
        name = None if actor is None else checked_actor(actor)
        return cls(Database.open(path), actor=name)

    @property
    def path(self) -> Path:
        return self._db.path

    @property
    def schema_version(self) -> int:
        return self._db.schema_version

    def close(self) -> None:
        self._db.close()

    def expunge(self, *, now: datetime | None = None, rng: Random = os.urandom) -> ExpungeResult:
        """Delete every record and report past its expiry, and retired epoch keys, then scrub.

        Rotates the epoch when an expired record was listed in the current
        one (the new key from *rng*).
        """
        now = resolve_now(now)
        with self._db.write():
            # The stores' own writes, joining this one transaction.  Reports
            # first: their expiry depends on the records they are linked to.
            reports = self.reports._delete_expired(now)
            result = self._delete_records(self.records._expired(now), reports, now=now, rng=rng)
            self.audit._write("expunge", now, case_refs=result.case_refs, details=_counts(result))
        self.scrub()
        return result

    def expunge_plan(self, *, now: datetime | None = None) -> ExpungePlan:
        """What `expunge` at *now* would delete, changing nothing (``expunge --dry-run``).

        The reports are those past their own retention or linked to an
        expired record; reports that name an expired record's person without
        a link go too, and are not listed here.
        """
        now = resolve_now(now)
        record_ids = self.records._expired(now)
        refs = tuple(self.records.get(r).case_ref for r in record_ids)
        return ExpungePlan(refs, tuple(self.reports._expired_ids(now)))

    def remove_record(
        self, record_id: int, *, now: datetime | None = None, rng: Random = os.urandom
    ) -> ExpungeResult:
        """Delete a record and every report linked to it, rotating its epoch if current; scrub."""
        now = resolve_now(now)
        with self._db.write():
            result = self._delete_records([record_id], 0, now=now, rng=rng)
            self.audit._write("remove", now, case_refs=result.case_refs, details=_counts(result))
        self.scrub()
        return result

    def update_record(
        self,
        record_id: int,
        change: RecordChange,
        *,
        now: datetime | None = None,
        rng: Random = os.urandom,
    ) -> UpdateResult:
        """Apply *change* to a record; rotate the epoch if it un-lists what the current one listed.

        When the change takes an identifier off a record listed in the
        current epoch, or lowers it so it is no longer published, a new epoch
        starts (its key from *rng*) and the old key is wiped, in the same
        transaction: an update then leaves no more behind than a removal.
        The register is scrubbed after a removed identifier or a rotation.
        """
        now = resolve_now(now)
        change.check_expiry(now)
        with self._db.write():
            before = self.records.get(record_id)
            after = self.records._update(record_id, change, now)
            rotated_to = None
            if unlists(before, after, now):
                listed = self.records._listed_epoch([record_id])
                rotated_to = self._rotate_if_current(listed, now=now, rng=rng)
            details = {**changed(before, after), "rotated_to": rotated_to}
            self.audit._write(
                "update", now, case_refs=[before.case_ref, after.case_ref], details=details
            )
        if change.remove or rotated_to is not None:
            self.scrub()
        return UpdateResult(after, rotated_to)

    def _delete_records(
        self, record_ids: Sequence[int], reports: int, *, now: datetime, rng: Random
    ) -> ExpungeResult:
        """What `expunge` and `remove_record` share: delete, wipe, rotate if listed.

        Runs inside the caller's transaction; the caller scrubs after it.
        """
        listed = self.records._listed_epoch(record_ids)
        refs = tuple(self.records.get(r).case_ref for r in record_ids)
        reports += self.reports._delete_naming(record_ids)
        reports += self.records._delete(record_ids)
        keys = self.epochs._wipe_retired_keys()
        rotated_to = self._rotate_if_current(listed, now=now, rng=rng)
        if rotated_to is not None:
            keys += 1  # the current key, wiped by the new epoch
        return ExpungeResult(len(record_ids), reports, keys, rotated_to, refs)

    def _rotate_if_current(self, listed: int | None, *, now: datetime, rng: Random) -> int | None:
        """Start a new epoch, wiping the current key, if *listed* (an epoch) is the current one.

        What a deletion and an un-listing update share; runs inside the
        caller's transaction.  Returns the new epoch, or None.
        """
        current = self.epochs.current()
        if listed is None or current is None or listed < current.number:
            return None
        return self.epochs._start(
            self.epochs.next_key(rng=rng),
            at_least=self.settings.floor().epoch,
            now=now,
            online=self.epochs.next_online(rng=rng),
        )

    def plan_import(
        self,
        header: Sequence[str],
        rows: Iterable[tuple[int, Sequence[str]]],
        options: ImportOptions | None = None,
        *,
        now: datetime | None = None,
    ) -> ImportPlan:
        """What importing these rows would add and refuse, changing nothing (see `plan_import`)."""
        now = resolve_now(now)
        existing = self.records.all()
        retired = frozenset(self.audit.all_refs()) - {r.case_ref for r in existing}
        options = replace(
            options or ImportOptions(), policy=self.settings.policy(), retired_refs=retired
        )
        return plan_import(header, rows, existing=existing, now=now, options=options)

    def import_rows(
        self,
        header: Sequence[str],
        rows: Iterable[tuple[int, Sequence[str]]],
        options: ImportOptions | None = None,
        *,
        now: datetime | None = None,
        skip_refused: bool = False,
    ) -> tuple[ImportPlan, tuple[Record, ...]]:
        """Import every row in one transaction: all of them, or (*skip_refused*) the accepted.

        The plan is made inside the transaction, against the register as it
        is then.  Without *skip_refused* a plan with a refused row imports
        nothing and raises `InputError`; any failure while adding leaves the
        register as it was.
        """
        now = resolve_now(now)
        listed = list(rows)
        with self._db.write():
            plan = self.plan_import(header, listed, options, now=now)
            if plan.refused and not skip_refused:
                raise InputError(
                    f"{len(plan.refused)} of {len(plan.rows)} row(s) are refused, so nothing "
                    "was imported; see why with --dry-run, fix the source, or import the "
                    "others with --skip-refused"
                )
            ids = {self.records._insert(row.record, now) for row in plan.accepted if row.record}
            added = tuple(r for r in self.records.all() if r.id in ids)
            if not added:
                return plan, added
            self.audit._write(
                "import",
                now,
                case_refs=[r.case_ref for r in added],
                details={"records": len(added), "refused_rows": len(plan.refused)},
            )
        return plan, added

    def set_policy(self, policy: RetentionPolicy, *, now: datetime | None = None) -> None:
        """Set the committee's retention policy, for records decided or added from now on.

        Records already in the register keep their expiry: a policy change
        is not a decision about them.
        """
        now = resolve_now(now)
        with self._db.write():
            self.settings._set_policy(policy)
            self.audit._write("retention", now, details=policy.to_dict())

    def snapshot(self) -> bytes:
        """A consistent copy of the register file, for a backup (see `Database.snapshot`)."""
        return self._db.snapshot()

    def _after_restore(
        self, floor: PublishFloor, *, now: datetime, rng: Random, details: dict[str, Any]
    ) -> int | None:
        """Make a register restored from a backup safe to publish from; the epoch it started.

        In one transaction: the publish floor is raised to *floor*, a new
        epoch starts (at least ``floor.epoch``, its key from *rng*) and the
        restored epoch key is wiped, and the audit trail says so.  A key in
        a backup may be one the committee wiped after the backup was taken;
        organizers have seen the epochs and versions the backup knew, and
        maybe later ones.  A register that never had an epoch starts none.
        """
        with self._db.write():
            current = self.settings.floor()
            floor = PublishFloor(
                max(floor.version, current.version), max(floor.epoch, current.epoch)
            )
            self.settings._set_floor(floor.version, floor.epoch)
            started = None
            if self.epochs.current() is not None:
                started = self.epochs._start(
                    self.epochs.next_key(rng=rng),
                    at_least=floor.epoch,
                    now=now,
                    online=self.epochs.next_online(rng=rng),
                )
            details = {**details, "floor_version": floor.version, "floor_epoch": floor.epoch}
            self.audit._write("restore", now, details={**details, "epoch": started})
        self.scrub()
        return started

    def scrub(self) -> None:
        """Leave no deleted byte in the register's files (see `Database.scrub`)."""
        self._db.scrub()


def _counts(result: ExpungeResult) -> dict[str, Any]:
    """What the audit trail says of a deletion: counts and the epoch it started."""
    return {
        "records": result.records,
        "reports": result.reports,
        "epoch_keys": result.epoch_keys,
        "rotated_to": result.rotated_to,
    }
