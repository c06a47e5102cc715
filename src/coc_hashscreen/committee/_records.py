"""The register's records: the people the committee has decided about.

`NewRecord` and `RecordChange` are values checked on construction, and
`RecordChange.apply` is a pure function from a record to its next state;
`RecordStore` writes what they produce, one transaction per change.
"""

from __future__ import annotations

import dataclasses
import enum
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from ..core import (
    Identifier,
    Status,
    check_case_ref,
    from_timestamp,
    resolve_now,
    timestamp,
)
from ..errors import InputError, RegisterError, RetentionEnded
from ._audit import AuditLog, kind_counts
from ._db import Database, from_db_time, to_db_time
from ._record import IdentifierIndex, Record
from ._retention import (
    DEFAULT_POLICY,
    RetentionPolicy,
    check_decided,
    check_future,
    record_expiry,
)
from ._settings import SettingsStore

__all__ = [
    "KEEP",
    "IdentifierIndex",
    "Keep",
    "NewRecord",
    "Record",
    "RecordChange",
    "RecordStore",
]

_CASE_REF_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


class Keep(enum.Enum):
    """The type of `KEEP`: "leave this field as it is" where None has a meaning."""

    KEEP = enum.auto()


KEEP: Final = Keep.KEEP


def unique_identifiers(identifiers: Iterable[Identifier]) -> tuple[Identifier, ...]:
    """*identifiers* without repeats of the same canonical form (the first spelling wins)."""
    seen: dict[tuple[str, str, bool], Identifier] = {}
    for identifier in identifiers:
        if not isinstance(identifier, Identifier):
            raise InputError("identifiers must be Identifier values")
        seen.setdefault((identifier.kind, identifier.canonical, identifier.alias), identifier)
    return tuple(seen.values())


def canonical_set(identifiers: Iterable[Identifier]) -> set[tuple[str, str]]:
    """The (kind, canonical form) pairs of *identifiers*: what tells two identifiers apart."""
    return {(i.kind, i.canonical) for i in identifiers}


@dataclass(frozen=True)
class NewRecord:
    """A person to add.

    *status* is a `Status` (its value, such as ``"banned"``, is accepted at
    run time and converted); *identifiers* were validated when they were
    constructed, and repeats of one canonical form are merged.  Without
    *case_ref* the store makes one up; a given one is checked when the record
    is added, after its retention, as it must also be free in the register.
    *decided_at* is the day of the committee's decision (default: the day
    the record is added).  Without *expires_at* the record's retention
    follows the committee's policy from that day (`RetentionPolicy`); a
    record whose retention has already ended is refused (`RetentionEnded`).
    """

    status: Status
    identifiers: Sequence[Identifier]
    case_ref: str | None = None
    expires_at: datetime | None = None
    note: str = field(default="", repr=False)
    decided_at: datetime | None = None
    # The committee marked the name common: name-only hits say so.
    common_name: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status.parse(self.status))
        object.__setattr__(self, "identifiers", unique_identifiers(self.identifiers))
        if not self.identifiers:
            raise InputError("a record needs at least one identifier")


@dataclass(frozen=True)
class RecordChange:
    """A change to one record.  None (and `KEEP` for the expiry) leaves a field as it is.

    ``expires_at=None`` clears the expiry.  Identifiers in *remove* must be on
    the record (an alias is removed by its name).  *status* is a `Status`
    (its value is accepted at run time).  The rest is checked against the
    record, by `apply`.

    A new *status* or *decided_at* is a new decision: unless the change
    gives the expiry, the record's retention is computed again from the
    policy and the decision date (the one given, else the day of the
    change for a new status, else the record's); a status the policy keeps
    without limit keeps the expiry the record had.
    """

    status: Status | None = None
    case_ref: str | None = None
    expires_at: datetime | Keep | None = KEEP
    note: str | None = field(default=None, repr=False)
    add: Sequence[Identifier] = ()
    remove: Sequence[Identifier] = ()
    common_name: bool | None = None
    decided_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.status is not None:
            object.__setattr__(self, "status", Status.parse(self.status))
        object.__setattr__(self, "add", unique_identifiers(self.add))
        object.__setattr__(self, "remove", unique_identifiers(self.remove))

    def apply(
        self, record: Record, now: datetime, policy: RetentionPolicy = DEFAULT_POLICY
    ) -> Record:
        """*record* after this change, by the rules of `NewRecord`; raises `InputError`.

        An expiry lies in the future, and a minor record always has one: a
        record that becomes minor without one gets the default retention.
        The checks run in this order: the expiry, the retention, the case
        reference, the identifiers.
        """
        self.check_expiry(now)
        return self.with_identifiers(self.with_fields(record, now, policy))

    def check_expiry(self, now: datetime) -> None:
        if isinstance(self.expires_at, datetime):
            check_future(self.expires_at, now)
        check_decided(self.decided_at, now)

    def with_fields(
        self, record: Record, now: datetime, policy: RetentionPolicy = DEFAULT_POLICY
    ) -> Record:
        """*record* with this change's status, decision, expiry, case reference and note."""
        status = record.status if self.status is None else self.status
        # The same status said again is no new decision; another one is.
        new_status = status is not record.status
        decided_at = self.decided_at or (now if new_status else record.decided_at)
        expires_at = record.expires_at if self.expires_at is KEEP else self.expires_at
        if self.expires_at is None and status is Status.MINOR:
            raise InputError("a minor record always has a retention date; give a new one instead")
        if self.expires_at is KEEP and (new_status or self.decided_at is not None):
            expires_at = _redecided_expiry(record, status, decided_at, now, policy)
        if expires_at is None and status is Status.MINOR:
            expires_at = policy.minor.after(now)
        return dataclasses.replace(
            record,
            status=status,
            case_ref=record.case_ref if self.case_ref is None else check_case_ref(self.case_ref),
            expires_at=expires_at,
            note=record.note if self.note is None else self.note,
            common_name=record.common_name if self.common_name is None else self.common_name,
            decided_at=decided_at,
            updated_at=now,
        )

    def with_identifiers(self, record: Record) -> Record:
        """*record* with this change's identifiers added and removed."""
        dropped = canonical_set(self.remove)
        missing = sorted(dropped - canonical_set(record.identifiers))
        if missing:
            raise InputError(f"record {record.id} has no such {missing[0][0]} to remove")
        kept = [i for i in record.identifiers if (i.kind, i.canonical) not in dropped]
        identifiers = unique_identifiers([*kept, *self.add])
        if not identifiers:
            raise InputError("a record needs at least one identifier; remove the record instead")
        return dataclasses.replace(record, identifiers=identifiers)


def _redecided_expiry(
    record: Record,
    status: Status,
    decided_at: datetime | None,
    now: datetime,
    policy: RetentionPolicy,
) -> datetime | None:
    """The expiry after a new decision without an explicit one.

    The policy's period from the decision's day where the status has one.
    Otherwise the record keeps the expiry it had (an expiry the committee
    set for a ban stays), except one left from being minor: the minor
    retention was about a minor incident, and a ban must not be expunged on
    its schedule.
    """
    if decided_at is not None and policy.period(status):
        try:
            return record_expiry(
                status, decided_at=decided_at, expires_at=None, now=now, policy=policy
            )
        except RetentionEnded as exc:
            raise RetentionEnded(
                str(exc).replace(
                    "delete it from the source instead of adding it here",
                    "remove the record ('committee remove') rather than keep it",
                )
            ) from None
    return None if record.status is Status.MINOR else record.expires_at


def added(record: Record) -> dict[str, Any]:
    """What the audit trail says of a new record: its status, dates and identifier kinds."""
    return {
        "status": record.status.value,
        "identifiers": kind_counts(record.identifiers),
        "decided_at": record.decided_at.date().isoformat() if record.decided_at else None,
        "expires_at": record.expires_at.date().isoformat() if record.expires_at else None,
    }


def changed(before: Record, after: Record) -> dict[str, Any]:
    """What the audit trail says of an update: every field that changed, implied ones too.

    Dates and the status are given as they became (a new decision moves the
    expiry); the note by name only; identifiers by kind and count.
    """
    fields = [
        name
        for name in ("status", "case_ref", "decided_at", "expires_at", "note", "common_name")
        if getattr(before, name) != getattr(after, name)
    ]
    details: dict[str, Any] = {"fields": fields}
    if "status" in fields:
        details["status"] = after.status.value
    for name in ("decided_at", "expires_at"):
        if name in fields:
            when = getattr(after, name)
            details[name] = when.date().isoformat() if when else None
    added = _minus(after.identifiers, before.identifiers)
    removed = _minus(before.identifiers, after.identifiers)
    if added:
        details["added"] = kind_counts(added)
    if removed:
        details["removed"] = kind_counts(removed)
    return details


def _minus(these: Iterable[Identifier], those: Iterable[Identifier]) -> list[Identifier]:
    gone = {(i.kind, i.canonical, i.alias) for i in those}
    return [i for i in these if (i.kind, i.canonical, i.alias) not in gone]


_SELECT_RECORDS: Final = (
    "SELECT r.id, r.status, r.case_ref, r.created_at, r.updated_at, r.expires_at, r.note,"
    " r.common_name, r.decided_at, i.kind, i.value, i.alias"
    " FROM records r LEFT JOIN identifiers i ON i.record_id = r.id"
)
_ALL_RECORDS: Final = _SELECT_RECORDS + " ORDER BY r.id, i.id"
_ONE_RECORD: Final = _SELECT_RECORDS + " WHERE r.id = :id ORDER BY r.id, i.id"


class RecordStore:
    """The records of one register."""

    def __init__(self, db: Database, settings: SettingsStore, audit: AuditLog) -> None:
        self._db = db
        self._settings = settings
        self._audit = audit

    # -- reading ------------------------------------------------------------

    def get(self, record_id: int) -> Record:
        records = self._load(record_id)
        if not records:
            raise RegisterError(f"no record with id {record_id}; see 'committee list'")
        return records[0]

    def all(self) -> list[Record]:
        """Every record, oldest first."""
        return self._load()

    def published(self, now: datetime | None = None) -> list[Record]:
        """Flagged and banned records not past their expiry at *now*."""
        now = resolve_now(now)
        return [r for r in self.all() if r.is_published(now)]

    def index(self) -> IdentifierIndex:
        """Every record's identifiers, indexed: build it once to look up many people."""
        return IdentifierIndex.of(self.all())

    def find(self, identifiers: Iterable[Identifier]) -> int | None:
        """The first record sharing a strong identifier with these (see `IdentifierIndex.link`).

        For one look-up; for many, build `index` once.
        """
        return self.index().link(identifiers)

    def name_matches(self, identifiers: Iterable[Identifier]) -> list[int]:
        """Records with a name equal to one of these (see `IdentifierIndex.name_matches`)."""
        return self.index().name_matches(identifiers)

    def _load(self, record_id: int | None = None) -> list[Record]:
        """One record, or all of them when *record_id* is None."""
        # One statement, so that a concurrent writer cannot split a record
        # from its identifiers.
        # One record by its key, not a scan: "id IS NULL OR" would read them all.
        query = _ALL_RECORDS if record_id is None else _ONE_RECORD
        rows = self._db.execute(query, {"id": record_id}).fetchall()
        records: dict[int, Record] = {}
        identifiers: dict[int, list[Identifier]] = {}
        for row in rows:
            rid, status, ref, created, updated, expires, note, common, decided = row[:9]
            kind, value, alias = row[9:]
            if rid not in records:
                records[rid] = Record(
                    id=rid,
                    status=Status(status),
                    case_ref=ref,
                    created_at=from_timestamp(created),
                    updated_at=from_timestamp(updated),
                    expires_at=from_db_time(expires),
                    identifiers=(),
                    note=note,
                    common_name=bool(common),
                    decided_at=from_db_time(decided),
                )
                identifiers[rid] = []
            if kind is not None:
                identifiers[rid].append(Identifier(kind, value, bool(alias)))
        return [
            dataclasses.replace(record, identifiers=tuple(identifiers[rid]))
            for rid, record in records.items()
        ]

    # -- writing ------------------------------------------------------------

    def add(self, new: NewRecord, *, now: datetime | None = None) -> Record:
        """Add a person, in one transaction, with the retention `record_expiry` gives."""
        now = resolve_now(now)
        with self._db.write():
            record = self.get(self._insert(new, now))
            self._audit._write("add", now, case_refs=[record.case_ref], details=added(record))
        return record

    def _insert(self, new: NewRecord, now: datetime) -> int:
        """Insert a record inside the caller's transaction; return its id.

        For this package's stores: `add`, an import, and an assessment that
        makes a record; each writes its own audit entry.
        """
        check_decided(new.decided_at, now)
        expires_at = record_expiry(
            new.status,
            decided_at=new.decided_at or now,
            expires_at=new.expires_at,
            now=now,
            policy=self._settings.policy(),
        )
        if new.case_ref is None:
            case_ref = self._new_case_ref()
        else:
            case_ref = check_case_ref(new.case_ref)
            self._check_case_ref_free(case_ref)
        cursor = self._db.execute(
            "INSERT INTO records (status, case_ref, created_at, updated_at, expires_at, note,"
            " decided_at, common_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (new.status.value, case_ref, timestamp(now), timestamp(now), to_db_time(expires_at),
             new.note, timestamp(new.decided_at or now), int(new.common_name)),
        )  # fmt: skip
        record_id = cursor.lastrowid
        assert record_id is not None
        self._insert_identifiers(record_id, new.identifiers)
        return record_id

    def update(
        self, record_id: int, change: RecordChange, *, now: datetime | None = None
    ) -> Record:
        """Apply *change* to a record in one transaction (see `RecordChange.apply`).

        A removed identifier leaves no byte behind: the register is scrubbed.
        This is a plain store write: it does not rotate the epoch the record
        was listed in when the change takes something off the lists;
        `Committee.update_record` does.
        """
        now = resolve_now(now)
        change.check_expiry(now)
        with self._db.write():
            before = self.get(record_id)
            record = self._update(record_id, change, now)
            self._audit._write(
                "update",
                now,
                case_refs=[before.case_ref, record.case_ref],
                details=changed(before, record),
            )
        if change.remove:
            self._db.scrub()
        return record

    def _update(self, record_id: int, change: RecordChange, now: datetime) -> Record:
        """Apply *change* inside the caller's transaction; the record as stored.

        The expiry is checked by the caller, before its transaction.
        """
        fields = change.with_fields(self.get(record_id), now, self._settings.policy())
        if change.case_ref is not None:
            self._check_case_ref_free(fields.case_ref, record_id)
        self._save(change.with_identifiers(fields))
        return self.get(record_id)

    def _save(self, record: Record) -> None:
        """Write *record* over the stored one, inside the caller's transaction.

        For this package's stores, which decide what the record becomes.
        """
        self._db.execute(
            "UPDATE records SET status = ?, case_ref = ?, expires_at = ?, note = ?,"
            " common_name = ?, decided_at = ?, updated_at = ? WHERE id = ?",
            (record.status.value, record.case_ref, to_db_time(record.expires_at), record.note,
             int(record.common_name), to_db_time(record.decided_at), timestamp(record.updated_at),
             record.id),
        )  # fmt: skip
        self._db.execute("DELETE FROM identifiers WHERE record_id = ?", (record.id,))
        self._insert_identifiers(record.id, record.identifiers)

    def remove(self, record_id: int) -> int:
        """Delete a record, its identifiers and every report linked to it; scrub.

        Returns how many reports went with it: a report never outlives a
        person it names (the register's trigger deletes them in the same
        statement).  This does not rotate the epoch the record was listed
        in; `Committee.remove_record` does.
        """
        with self._db.write():
            ref = self.get(record_id).case_ref
            reports = self._delete([record_id])
            self._audit._write(
                "remove", resolve_now(None), case_refs=[ref], details={"reports": reports}
            )
        self._db.scrub()
        return reports

    def _delete(self, record_ids: Sequence[int]) -> int:
        """Delete these records and the reports linked to them, in the caller's transaction.

        Raises `RegisterError` for an unknown id; returns the reports deleted.
        """
        for record_id in record_ids:
            self.get(record_id)
        (before,) = self._db.execute("SELECT COUNT(*) FROM reports").fetchone()
        self._db.executemany("DELETE FROM records WHERE id = ?", [(r,) for r in record_ids])
        (after,) = self._db.execute("SELECT COUNT(*) FROM reports").fetchone()
        return int(before - after)

    def _expired(self, now: datetime) -> list[int]:
        """The ids of records past their expiry at *now*."""
        return [
            row[0]
            for row in self._db.execute(
                "SELECT id FROM records WHERE expires_at IS NOT NULL AND expires_at <= ?",
                (timestamp(now),),
            )
        ]

    def _mark_listed(self, record_ids: Sequence[int], epoch: int) -> None:
        """Note that these records are in a list of *epoch* (see `Register.expunge`)."""
        with self._db.write() as db:
            db.executemany(
                "UPDATE records SET listed_epoch = ? WHERE id = ?", [(epoch, r) for r in record_ids]
            )

    def _listed_epoch(self, record_ids: Sequence[int]) -> int | None:
        """The latest epoch any of these records was listed in (None: never listed)."""
        epochs = [
            row[0]
            for record_id in record_ids
            for row in self._db.execute(
                "SELECT listed_epoch FROM records WHERE id = ? AND listed_epoch IS NOT NULL",
                (record_id,),
            )
        ]
        return max(epochs, default=None)

    def _insert_identifiers(self, record_id: int, items: Iterable[Identifier]) -> None:
        self._db.executemany(
            "INSERT INTO identifiers (record_id, kind, value, alias) VALUES (?, ?, ?, ?)",
            [(record_id, i.kind, i.value, int(i.alias)) for i in items],
        )

    def _new_case_ref(self) -> str:
        while True:
            ref = "CoC-" + "".join(secrets.choice(_CASE_REF_ALPHABET) for _ in range(8))
            if not self._db.execute("SELECT 1 FROM records WHERE case_ref = ?", (ref,)).fetchone():
                return ref

    def _check_case_ref_free(self, case_ref: str, record_id: int | None = None) -> None:
        row = self._db.execute("SELECT id FROM records WHERE case_ref = ?", (case_ref,)).fetchone()
        if row is not None and row[0] != record_id:
            raise InputError("that case reference is already used by another record")
        if row is None and self._audit.used(case_ref):
            # The trail keeps it for the record that had it: a second case
            # under it would mix two people's histories.
            raise InputError(
                "that case reference belonged to a record that was removed or renamed; the "
                "audit trail keeps it, so give this record another"
            )
