"""The committee's register: a SQLite database of records and epochs.

One file, mode 0600 (it holds the current epoch's secret key).  Every change
runs in one ``BEGIN IMMEDIATE`` transaction; the database is in WAL mode so
readers never block on a writer; ``secure_delete`` is on for every
connection so deleted content is overwritten, and `Register.scrub` then
checkpoints, truncates the WAL and vacuums, so that no byte of an expunged
record or a destroyed key survives in any file of the register.

The schema is versioned with ``PRAGMA user_version`` and migrated forward on
open; a register written by a newer release is refused, never downgraded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from ..core import (
    EPOCH_KEY_SIZE,
    PROFILE,
    SALT_SIZE,
    STRONG_KINDS,
    Argon2Params,
    Closing,
    EpochKey,
    HpkePublicKey,
    Identifier,
    Status,
    Suite,
    check_case_ref,
    display_name,
    from_timestamp,
    resolve_now,
    timestamp,
)
from ..errors import InputError, RegisterError, ScrubPending
from ..formats import Attachment, IncidentReport, check_private_mode

__all__ = [
    "DEFAULT_MINOR_RETENTION",
    "KEEP",
    "REPORT_STEPS",
    "SCHEMA_VERSION",
    "Epoch",
    "ExpungeResult",
    "GrantRecord",
    "Keep",
    "Organizer",
    "Publication",
    "Record",
    "Register",
    "ReportStep",
    "StoredReport",
]

# Minor incidents are never published and are expunged after this long
# unless the committee sets another date.
DEFAULT_MINOR_RETENTION: Final = timedelta(days=730)
_CASE_REF_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


class Keep(enum.Enum):
    """Sentinel for "leave this field as it is" where None has a meaning."""

    KEEP = enum.auto()


KEEP: Final = Keep.KEEP

_MIGRATIONS: Final[Sequence[Sequence[str]]] = (
    # 1: records and their identifiers; epochs and publications.
    (
        """CREATE TABLE records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            status TEXT NOT NULL CHECK (status IN ('flagged', 'banned', 'minor')),
            case_ref TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            expires_at INTEGER,
            note TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE identifiers (
            id INTEGER PRIMARY KEY,
            record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            alias INTEGER NOT NULL DEFAULT 0 CHECK (alias IN (0, 1))
        )""",
        "CREATE INDEX identifiers_record ON identifiers (record_id)",
        """CREATE TABLE epochs (
            epoch INTEGER PRIMARY KEY,
            secret BLOB,
            salt BLOB NOT NULL,
            time_cost INTEGER NOT NULL,
            memory_cost INTEGER NOT NULL,
            parallelism INTEGER NOT NULL,
            profile TEXT NOT NULL,
            started_at INTEGER NOT NULL
        )""",
        """CREATE TABLE publications (
            version INTEGER PRIMARY KEY,
            epoch INTEGER NOT NULL REFERENCES epochs (epoch),
            issued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            entry_count INTEGER NOT NULL,
            real_entries INTEGER NOT NULL,
            sha256 BLOB
        )""",
    ),
    # 2: organizers the committee has vetted, and the grants it issued them.
    (
        """CREATE TABLE organizers (
            key_id BLOB PRIMARY KEY,
            suite TEXT NOT NULL,
            public_key BLOB NOT NULL,
            name TEXT NOT NULL,
            added_at INTEGER NOT NULL,
            revoked_at INTEGER
        )""",
        """CREATE TABLE grants (
            id INTEGER PRIMARY KEY,
            epoch INTEGER NOT NULL REFERENCES epochs (epoch),
            organizer_key_id BLOB NOT NULL REFERENCES organizers (key_id),
            issued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        )""",
    ),
    # 3: incident reports, the people they involve, attachments, review steps.
    (
        """CREATE TABLE reports (
            id TEXT PRIMARY KEY,
            sealed_sha256 BLOB NOT NULL UNIQUE,
            received_at INTEGER NOT NULL,
            step TEXT NOT NULL
                CHECK (step IN ('received', 'reviewed', 'assessed', 'recorded')),
            outcome TEXT CHECK (outcome IN ('flagged', 'banned', 'minor')),
            expires_at INTEGER,
            event_name TEXT NOT NULL,
            content TEXT NOT NULL
        )""",
        """CREATE TABLE report_people (
            id INTEGER PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            role TEXT NOT NULL,
            record_id INTEGER REFERENCES records (id) ON DELETE SET NULL
        )""",
        """CREATE TABLE report_attachments (
            id INTEGER PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            media_type TEXT NOT NULL,
            data BLOB NOT NULL
        )""",
        """CREATE TABLE report_steps (
            id INTEGER PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            note TEXT NOT NULL
        )""",
        "CREATE INDEX report_people_report ON report_people (report_id)",
        "CREATE INDEX report_attachments_report ON report_attachments (report_id)",
        "CREATE INDEX report_steps_report ON report_steps (report_id)",
    ),
)
SCHEMA_VERSION: Final = len(_MIGRATIONS)
REPORT_STEPS: Final = ("received", "reviewed", "assessed", "recorded")


@dataclass(frozen=True)
class Record:
    """One person in the register.  Identifier values stay out of repr."""

    id: int
    status: Status
    case_ref: str
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None
    identifiers: tuple[Identifier, ...]
    note: str = field(default="", repr=False)

    def is_expired(self, reference_time: datetime) -> bool:
        return self.expires_at is not None and reference_time >= self.expires_at

    def is_published(self, reference_time: datetime) -> bool:
        """Flagged or banned, and not past its expiry."""
        return self.status.published and not self.is_expired(reference_time)


@dataclass(frozen=True)
class Epoch:
    """A key epoch.  Its ``secret`` is None once the epoch is over and wiped."""

    number: int
    salt: bytes
    kdf: Argon2Params
    profile: str
    started_at: datetime
    secret: bytes | None = field(repr=False)

    @property
    def key(self) -> EpochKey:
        """What hashes this epoch's identifiers; only the current epoch still has it."""
        if self.secret is None:
            raise RegisterError(f"the key of epoch {self.number} was destroyed at its rotation")
        return EpochKey(self.secret, self.salt, self.kdf)


@dataclass(frozen=True)
class Publication:
    """A list the committee published: ``entry_count`` includes the padding decoys."""

    version: int
    epoch: int
    issued_at: datetime
    expires_at: datetime
    entry_count: int
    real_entries: int


@dataclass(frozen=True)
class Organizer:
    """A vetted organizer; ``revoked_at`` is set once it gets no more grants."""

    key_id: bytes
    name: str
    public_key: HpkePublicKey
    added_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True)
class GrantRecord:
    """A grant the committee issued (the key it sealed is not kept)."""

    epoch: int
    organizer_key_id: bytes
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ExpungeResult:
    records: int
    reports: int
    epoch_keys: int


@dataclass(frozen=True)
class ReportStep:
    step: str
    at: datetime
    actor: str
    note: str = field(repr=False)


@dataclass(frozen=True)
class StoredReport:
    """A report in the register: where it is in the review, and what it links to.

    ``people`` holds (role, linked record id or None) in the report's order.
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


def _ts(when: datetime | None) -> int | None:
    return None if when is None else timestamp(when)


def _dt(value: int | None) -> datetime | None:
    return None if value is None else from_timestamp(value)


def _unique(identifiers: Iterable[Identifier]) -> list[Identifier]:
    seen: dict[tuple[str, str, bool], Identifier] = {}
    for identifier in identifiers:
        if not isinstance(identifier, Identifier):
            raise InputError("identifiers must be Identifier values")
        seen.setdefault((identifier.kind, identifier.canonical, identifier.alias), identifier)
    return list(seen.values())


class Register(Closing):
    """A connection to a register file.  Use `create` or `open`, as a context manager."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    # -- opening ----------------------------------------------------------

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, timeout=30.0)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA secure_delete = ON")
            # Sorts stay in memory: a temporary file would hold rows outside the
            # committee directory.
            db.execute("PRAGMA temp_store = MEMORY")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
        except BaseException:
            # A file that is not a database fails here: close the connection,
            # or it lingers until garbage collection.
            db.close()
            raise
        return db

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Register:
        """Create a new, empty register; refuse to overwrite an existing file."""
        target = Path(path)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise RegisterError(
                f"{os.fspath(target)!r} already exists; not overwriting it"
            ) from None
        os.close(fd)
        register = cls(target, cls._connect(target))
        register._migrate()
        return register

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Register:
        """Open an existing register, migrating its schema forward if needed."""
        target = Path(path)
        if not target.is_file():
            raise RegisterError(
                f"no register at {os.fspath(target)!r}; create one with 'committee init'"
            )
        check_private_mode(target, "register")
        try:
            db = cls._connect(target)
        except sqlite3.DatabaseError:
            raise RegisterError(f"{os.fspath(target)!r} is not a coc-hashscreen register") from None
        register = cls(target, db)
        try:
            register._migrate()
        except sqlite3.DatabaseError:
            db.close()
            raise RegisterError(f"{os.fspath(target)!r} is not a coc-hashscreen register") from None
        except BaseException:
            db.close()
            raise
        return register

    def _migrate(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RegisterError(
                f"the register has schema version {version}, newer than this release's "
                f"{SCHEMA_VERSION}; upgrade coc-hashscreen"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self._write():
                for statement in _MIGRATIONS[number - 1]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self._db.close()

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; taken at once so it cannot fail half-way on a lock."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- records ----------------------------------------------------------

    def _new_case_ref(self) -> str:
        while True:
            ref = "CoC-" + "".join(secrets.choice(_CASE_REF_ALPHABET) for _ in range(8))
            if not self._db.execute("SELECT 1 FROM records WHERE case_ref = ?", (ref,)).fetchone():
                return ref

    def _check_case_ref_free(self, case_ref: str, record_id: int | None = None) -> None:
        row = self._db.execute("SELECT id FROM records WHERE case_ref = ?", (case_ref,)).fetchone()
        if row is not None and row[0] != record_id:
            raise InputError("that case reference is already used by another record")

    def add_record(
        self,
        *,
        status: Status | str,
        identifiers: Iterable[Identifier],
        case_ref: str | None = None,
        expires_at: datetime | None = None,
        note: str = "",
        now: datetime | None = None,
    ) -> Record:
        """Add a person.  Identifiers were validated when they were constructed."""
        now = resolve_now(now)
        status = Status.parse(status)
        items = _unique(identifiers)
        if not items:
            raise InputError("a record needs at least one identifier")
        if expires_at is None and status is Status.MINOR:
            expires_at = now + DEFAULT_MINOR_RETENTION
        if expires_at is not None and resolve_now(expires_at) <= now:
            raise InputError("the expiry date must be in the future")
        with self._write():
            record_id = self._insert_record(status, items, case_ref, expires_at, note, now)
        return self.get_record(record_id)

    def _insert_record(
        self,
        status: Status,
        items: list[Identifier],
        case_ref: str | None,
        expires_at: datetime | None,
        note: str,
        now: datetime,
    ) -> int:
        """Insert a record inside the caller's transaction; return its id."""
        if case_ref is None:
            case_ref = self._new_case_ref()
        else:
            self._check_case_ref_free(check_case_ref(case_ref))
        cursor = self._db.execute(
            "INSERT INTO records (status, case_ref, created_at, updated_at, expires_at, note)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (status.value, case_ref, timestamp(now), timestamp(now), _ts(expires_at), note),
        )
        record_id = cursor.lastrowid
        assert record_id is not None
        self._insert_identifiers(record_id, items)
        return record_id

    def _insert_identifiers(self, record_id: int, items: Iterable[Identifier]) -> None:
        self._db.executemany(
            "INSERT INTO identifiers (record_id, kind, value, alias) VALUES (?, ?, ?, ?)",
            [(record_id, i.kind, i.value, int(i.alias)) for i in items],
        )

    def update_record(
        self,
        record_id: int,
        *,
        status: Status | str | None = None,
        case_ref: str | None = None,
        expires_at: datetime | Keep | None = KEEP,
        note: str | None = None,
        add: Iterable[Identifier] = (),
        remove: Iterable[Identifier] = (),
        now: datetime | None = None,
    ) -> Record:
        """Change a record in one transaction.  ``expires_at=None`` clears the expiry.

        The same rules as `add_record` hold: an expiry lies in the future, a
        minor record always has one (a record that becomes minor gets the
        default retention), and only identifiers the record has can be
        removed (an alias is removed by its name).
        """
        now = resolve_now(now)
        if isinstance(expires_at, datetime) and resolve_now(expires_at) <= now:
            raise InputError("the expiry date must be in the future")
        with self._write() as db:
            current = self._get(record_id)
            new_status = current.status if status is None else Status.parse(status)
            new_expiry = current.expires_at if expires_at is KEEP else expires_at
            if new_expiry is None and new_status is Status.MINOR:
                if expires_at is None:
                    raise InputError(
                        "a minor record always has a retention date; give a new one instead"
                    )
                new_expiry = now + DEFAULT_MINOR_RETENTION
            if case_ref is not None:
                self._check_case_ref_free(check_case_ref(case_ref), record_id)
            dropped = {(i.kind, i.canonical) for i in _unique(remove)}
            present = {(i.kind, i.canonical) for i in current.identifiers}
            missing = sorted(dropped - present)
            if missing:
                raise InputError(f"record {record_id} has no such {missing[0][0]} to remove")
            kept = [i for i in current.identifiers if (i.kind, i.canonical) not in dropped]
            final = _unique([*kept, *add])
            if not final:
                raise InputError(
                    "a record needs at least one identifier; remove the record instead"
                )
            db.execute(
                "UPDATE records SET status = ?, case_ref = ?, expires_at = ?, note = ?,"
                " updated_at = ? WHERE id = ?",
                (
                    new_status.value,
                    case_ref or current.case_ref,
                    _ts(new_expiry),
                    current.note if note is None else note,
                    timestamp(now),
                    record_id,
                ),
            )
            db.execute("DELETE FROM identifiers WHERE record_id = ?", (record_id,))
            self._insert_identifiers(record_id, final)
        if dropped:
            self.scrub()  # a removed identifier leaves no byte behind either
        return self.get_record(record_id)

    def remove_record(self, record_id: int) -> None:
        """Delete a record and its identifiers, leaving no byte of them (see `scrub`)."""
        with self._write() as db:
            self._get(record_id)
            db.execute("DELETE FROM records WHERE id = ?", (record_id,))
        self.scrub()

    def _get(self, record_id: int) -> Record:
        records = self._load(record_id)
        if not records:
            raise RegisterError(f"no record with id {record_id}; see 'committee list'")
        return records[0]

    def get_record(self, record_id: int) -> Record:
        return self._get(record_id)

    def records(self) -> list[Record]:
        """Every record, oldest first."""
        return self._load()

    def published_records(self, now: datetime | None = None) -> list[Record]:
        """Flagged and banned records not past their expiry at *now*."""
        now = resolve_now(now)
        return [r for r in self.records() if r.is_published(now)]

    def _load(self, record_id: int | None = None) -> list[Record]:
        """One record, or all of them when *record_id* is None."""
        # One statement, so that a concurrent writer cannot split a record
        # from its identifiers.
        rows = self._db.execute(
            "SELECT r.id, r.status, r.case_ref, r.created_at, r.updated_at, r.expires_at, r.note,"
            " i.kind, i.value, i.alias FROM records r LEFT JOIN identifiers i"
            " ON i.record_id = r.id WHERE :id IS NULL OR r.id = :id ORDER BY r.id, i.id",
            {"id": record_id},
        ).fetchall()
        records: dict[int, Record] = {}
        identifiers: dict[int, list[Identifier]] = {}
        for rid, status, ref, created, updated, expires, note, kind, value, alias in rows:
            if rid not in records:
                records[rid] = Record(
                    id=rid,
                    status=Status(status),
                    case_ref=ref,
                    created_at=from_timestamp(created),
                    updated_at=from_timestamp(updated),
                    expires_at=_dt(expires),
                    identifiers=(),
                    note=note,
                )
                identifiers[rid] = []
            if kind is not None:
                identifiers[rid].append(Identifier(kind, value, bool(alias)))
        return [
            dataclasses.replace(record, identifiers=tuple(identifiers[rid]))
            for rid, record in records.items()
        ]

    # -- epochs and publications -----------------------------------------

    def current_epoch(self) -> Epoch | None:
        row = self._db.execute(
            "SELECT epoch, salt, time_cost, memory_cost, parallelism, profile, started_at, secret"
            " FROM epochs ORDER BY epoch DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return Epoch(
            number=row[0],
            salt=row[1],
            kdf=Argon2Params(time_cost=row[2], memory_cost=row[3], parallelism=row[4]),
            profile=row[5],
            started_at=from_timestamp(row[6]),
            secret=row[7],
        )

    def start_epoch(
        self,
        kdf: Argon2Params,
        *,
        secret: bytes,
        salt: bytes,
        at_least: int = 1,
        now: datetime | None = None,
    ) -> Epoch:
        """Begin a new epoch and destroy the secret of the one before.

        The old key is needed by nobody after a rotation: organizers already
        hold it through their grants, and new grants are for the new epoch.
        Destroying it means a later theft of the register cannot reveal it.
        *at_least* lets a register restored from a backup skip past epochs
        organizers have already seen.
        """
        if len(secret) != EPOCH_KEY_SIZE or len(salt) != SALT_SIZE:
            raise InputError("an epoch needs a 32-byte secret and a 16-byte salt")
        now = resolve_now(now)
        with self._write() as db:
            row = db.execute("SELECT COALESCE(MAX(epoch), 0) FROM epochs").fetchone()
            number = max(row[0] + 1, at_least)
            db.execute("UPDATE epochs SET secret = NULL WHERE secret IS NOT NULL")
            db.execute(
                "INSERT INTO epochs (epoch, secret, salt, time_cost, memory_cost, parallelism,"
                " profile, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    number,
                    secret,
                    salt,
                    kdf.time_cost,
                    kdf.memory_cost,
                    kdf.parallelism,
                    PROFILE,
                    timestamp(now),
                ),
            )
        self.scrub()
        epoch = self.current_epoch()
        assert epoch is not None
        return epoch

    def record_publication(
        self,
        *,
        epoch: int,
        issued_at: datetime,
        expires_at: datetime,
        entry_count: int,
        real_entries: int,
        at_least: int = 1,
    ) -> int:
        """Allocate the next version and record the publication, atomically.

        Recorded before the file is written: a crash in between burns a
        version number, which is harmless, where reusing one would not be.
        *at_least* lets a register restored from a backup skip past versions
        organizers have already seen.
        """
        with self._write() as db:
            current = self.current_epoch()
            if current is None or current.number != epoch:
                raise RegisterError(
                    "the epoch changed while the list was being built; publish again"
                )
            row = db.execute("SELECT COALESCE(MAX(version), 0) FROM publications").fetchone()
            version = max(int(row[0]) + 1, at_least)
            db.execute(
                "INSERT INTO publications (version, epoch, issued_at, expires_at, entry_count,"
                " real_entries) VALUES (?, ?, ?, ?, ?, ?)",
                (version, epoch, timestamp(issued_at), timestamp(expires_at), entry_count,
                 real_entries),
            )  # fmt: skip
        return version

    def publications(self) -> list[Publication]:
        rows = self._db.execute(
            "SELECT version, epoch, issued_at, expires_at, entry_count, real_entries"
            " FROM publications ORDER BY version"
        ).fetchall()
        return [
            Publication(r[0], r[1], from_timestamp(r[2]), from_timestamp(r[3]), r[4], r[5])
            for r in rows
        ]

    # -- organizers and grants -------------------------------------------

    def add_organizer(
        self,
        public_key: HpkePublicKey,
        name: str,
        *,
        reinstate: bool = False,
        now: datetime | None = None,
    ) -> Organizer:
        """Register a vetted organizer's public key, or update its name.

        A revoked organizer is reinstated only when *reinstate* is true:
        revocation is a decision that a new grant must not undo by accident.
        """
        now = resolve_now(now)
        name = display_name(name, "the organizer's name")
        with self._write() as db:
            row = db.execute(
                "SELECT revoked_at FROM organizers WHERE key_id = ?", (public_key.key_id,)
            ).fetchone()
            if row is not None and row[0] is not None and not reinstate:
                raise RegisterError(
                    "this organizer was revoked; reinstate it explicitly (--reinstate) if "
                    "the committee decided to grant it access again"
                )
            db.execute(
                "INSERT INTO organizers (key_id, suite, public_key, name, added_at) VALUES"
                " (?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET name = excluded.name,"
                " revoked_at = NULL",
                (public_key.key_id, public_key.suite.value, public_key.raw, name, timestamp(now)),
            )
        return next(o for o in self.organizers() if o.key_id == public_key.key_id)

    def revoke_organizer(self, organizer_key_id: bytes, *, now: datetime | None = None) -> None:
        """Stop issuing grants to an organizer (at the next rotation they lose access)."""
        with self._write() as db:
            cursor = db.execute(
                "UPDATE organizers SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (timestamp(resolve_now(now)), organizer_key_id),
            )
            if cursor.rowcount == 0:
                raise RegisterError("no active organizer with that key id")

    def organizers(self, *, active_only: bool = False) -> list[Organizer]:
        rows = self._db.execute(
            "SELECT key_id, name, suite, public_key, added_at, revoked_at FROM organizers"
            " WHERE revoked_at IS NULL OR NOT ? ORDER BY added_at, name",
            (active_only,),
        ).fetchall()
        return [
            Organizer(
                key_id=r[0],
                name=r[1],
                public_key=HpkePublicKey.from_raw(Suite(r[2]), r[3]),
                added_at=from_timestamp(r[4]),
                revoked_at=_dt(r[5]),
            )
            for r in rows
        ]

    def record_grant(
        self, *, epoch: int, organizer_key_id: bytes, issued_at: datetime, expires_at: datetime
    ) -> None:
        with self._write() as db:
            db.execute(
                "INSERT INTO grants (epoch, organizer_key_id, issued_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (epoch, organizer_key_id, timestamp(issued_at), timestamp(expires_at)),
            )

    def grants(self) -> list[GrantRecord]:
        rows = self._db.execute(
            "SELECT epoch, organizer_key_id, issued_at, expires_at FROM grants ORDER BY id"
        ).fetchall()
        return [GrantRecord(r[0], r[1], from_timestamp(r[2]), from_timestamp(r[3])) for r in rows]

    # -- incident reports ----------------------------------------------------

    def find_record(self, identifiers: Iterable[Identifier]) -> int | None:
        """The first record sharing a *strong* identifier (e-mail, handle) with these.

        Names are never enough: different people share them, and linking a
        report to the wrong record would publish a stranger's e-mail address
        as theirs.  Name matches are for people to judge (`name_matches`).
        """
        wanted = {(i.kind, i.canonical) for i in identifiers if i.kind in STRONG_KINDS}
        if not wanted:
            return None
        for record in self.records():
            if any((i.kind, i.canonical) in wanted for i in record.identifiers):
                return record.id
        return None

    def name_matches(self, identifiers: Iterable[Identifier]) -> list[int]:
        """Records with a name equal to one of these: suggestions, never links."""
        wanted = {i.canonical for i in identifiers if i.kind == "name"}
        return [
            record.id
            for record in self.records()
            if any(i.kind == "name" and i.canonical in wanted for i in record.identifiers)
        ]

    def link_report_person(self, report_id: str, position: int, record_id: int | None) -> None:
        """Link person *position* (from 0) of a report to a record, or unlink it (None).

        For the committee to correct a link, or to make one a name alone
        suggested, before the report is assessed.
        """
        with self._write() as db:
            if record_id is not None:
                self._get(record_id)
            cursor = db.execute(
                "UPDATE report_people SET record_id = ? WHERE report_id = ? AND position = ?",
                (record_id, report_id, position),
            )
            if cursor.rowcount != 1:
                raise RegisterError(
                    f"report {report_id[:30]!r} has no person {position + 1}; see "
                    "'committee show-report'"
                )

    def store_report(
        self,
        *,
        report_id: str,
        sealed_sha256: bytes,
        received_at: datetime,
        report: IncidentReport,
        actor: str,
    ) -> tuple[StoredReport, bool]:
        """Record a received report once; a second delivery returns the first, unchanged.

        Returns the stored report and whether it was already there.
        """
        links = [self.find_record(p.all_identifiers) for p in report.people]
        with self._write() as db:
            row = db.execute(
                "SELECT id FROM reports WHERE sealed_sha256 = ?", (sealed_sha256,)
            ).fetchone()
            if row is not None:
                duplicate = True
            else:
                duplicate = False
                db.execute(
                    "INSERT INTO reports (id, sealed_sha256, received_at, step, event_name,"
                    " content) VALUES (?, ?, ?, 'received', ?, ?)",
                    (
                        report_id,
                        sealed_sha256,
                        timestamp(received_at),
                        report.event_name,
                        report.to_json().decode("utf-8"),
                    ),
                )
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
        return self.get_report(row[0] if row else report_id), duplicate

    def _add_step(self, report_id: str, step: str, at: datetime, actor: str, note: str) -> None:
        self._db.execute(
            "INSERT INTO report_steps (report_id, step, at, actor, note) VALUES (?, ?, ?, ?, ?)",
            (report_id, step, timestamp(at), actor, note),
        )

    def get_report(self, report_id: str) -> StoredReport:
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
            "SELECT role, record_id FROM report_people WHERE report_id = ? ORDER BY position",
            (report_id,),
        ).fetchall()
        (attachments,) = self._db.execute(
            "SELECT COUNT(*) FROM report_attachments WHERE report_id = ?", (report_id,)
        ).fetchone()
        return StoredReport(
            id=row[0],
            sealed_sha256=row[1],
            received_at=from_timestamp(row[2]),
            step=row[3],
            outcome=Status(row[4]) if row[4] else None,
            expires_at=_dt(row[5]),
            event_name=row[6],
            people=tuple((role, record_id) for role, record_id in people),
            attachments=attachments,
            steps=steps,
        )

    def reports(self) -> list[StoredReport]:
        ids = [r[0] for r in self._db.execute("SELECT id FROM reports ORDER BY received_at, id")]
        return [self.get_report(i) for i in ids]

    def report_content(self, report_id: str) -> IncidentReport:
        """The full report as received, attachments included."""
        self.get_report(report_id)
        (content,) = self._db.execute(
            "SELECT content FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        attachments = [
            Attachment(name, data, "", media_type)
            for name, media_type, data in self._db.execute(
                "SELECT name, media_type, data FROM report_attachments WHERE report_id = ?"
                " ORDER BY id",
                (report_id,),
            )
        ]
        return IncidentReport.from_dict(json.loads(content), attachments)

    def advance_report(
        self,
        report_id: str,
        to: str,
        *,
        actor: str,
        note: str = "",
        outcome: Status | str | None = None,
        expires_at: datetime | None = None,
        now: datetime | None = None,
    ) -> StoredReport:
        """Move a report one step: received -> reviewed -> assessed -> recorded.

        At "assessed" an *outcome* may be given.  Flagged or banned creates a
        record for each reported person, or raises the status of the record
        they were linked to (an assessment never lowers one; use
        `update_record` for that), and adds the report's identifiers to it.
        Minor gives the report a retention date (*expires_at*, by default
        `DEFAULT_MINOR_RETENTION`), after which `expunge` removes it.  All of
        it happens in one transaction.
        """
        now = resolve_now(now)
        if to not in REPORT_STEPS:
            raise InputError(f"unknown step {to[:20]!r}; the steps are {', '.join(REPORT_STEPS)}")
        if not actor.strip():
            raise InputError("say who takes this step")
        result = None if outcome is None else Status.parse(outcome)
        if result is not None and to != "assessed":
            raise InputError("an outcome (--status) is given when a report is assessed")
        if expires_at is not None and result is None:
            raise InputError("an expiry (--expires) goes with an outcome (--status)")
        if expires_at is not None and resolve_now(expires_at) <= now:
            raise InputError("the expiry date must be in the future")
        content = self.report_content(report_id) if result is not None else None
        with self._write() as db:
            current = self.get_report(report_id)
            expected = REPORT_STEPS[
                REPORT_STEPS.index(current.step) + 1 : REPORT_STEPS.index(current.step) + 2
            ]
            if to not in expected:
                following = f"the next step is {expected[0]!r}" if expected else "it is final"
                raise InputError(
                    f"report {report_id} is {current.step!r}; a report moves "
                    f"{' -> '.join(REPORT_STEPS)} one step at a time, so {following}"
                )
            report_expiry = None
            if result is Status.MINOR:
                report_expiry = expires_at or now + DEFAULT_MINOR_RETENTION
            elif result is not None:
                assert content is not None
                self._record_outcome(current, content, result, expires_at, now)
                # A report is kept as long as the records it produced: when
                # they are expunged, it goes too, so their identifiers do
                # not survive in it.
                report_expiry = expires_at
            db.execute(
                "UPDATE reports SET step = ?, outcome = COALESCE(?, outcome),"
                " expires_at = COALESCE(?, expires_at) WHERE id = ?",
                (to, result.value if result else None, _ts(report_expiry), report_id),
            )
            self._add_step(report_id, to, now, actor, note)
        if result is not None:
            self.scrub()
        return self.get_report(report_id)

    def _record_outcome(
        self,
        stored: StoredReport,
        content: IncidentReport,
        status: Status,
        expires_at: datetime | None,
        now: datetime,
    ) -> None:
        reported = [
            (n, person) for n, person in enumerate(content.people) if person.role == "reported"
        ]
        if not reported:
            raise InputError(
                "the report names no reported person; add a record with 'committee add' and "
                "assess the report as minor or without an outcome"
            )
        for n, person in reported:
            # Only the link stored with the report (made on a strong
            # identifier at intake, or by the committee) is followed.
            record_id = stored.people[n][1]
            if record_id is None:
                record_id = self._insert_record(
                    status, _unique(person.all_identifiers), None, expires_at,
                    f"from report {stored.id}", now,
                )  # fmt: skip
            else:
                record = self._get(record_id)
                raised = status if status.severity > record.status.severity else record.status
                # The assessment's expiry applies; without one, a minor
                # record's retention no longer fits a flagged or banned one.
                expiry = expires_at
                if expiry is None and record.status is not Status.MINOR:
                    expiry = record.expires_at
                known = {(i.kind, i.canonical) for i in record.identifiers}
                extra = [i for i in person.all_identifiers if (i.kind, i.canonical) not in known]
                self._db.execute(
                    "UPDATE records SET status = ?, expires_at = ?, updated_at = ? WHERE id = ?",
                    (raised.value, _ts(expiry), timestamp(now), record_id),
                )
                self._insert_identifiers(record_id, _unique(extra))
            self._db.execute(
                "UPDATE report_people SET record_id = ? WHERE report_id = ? AND position = ?",
                (record_id, stored.id, n),
            )

    # -- expunge ------------------------------------------------------------

    def expunge(self, *, now: datetime | None = None) -> ExpungeResult:
        """Delete every record past its expiry, then `scrub` the files."""
        now = resolve_now(now)
        with self._write() as db:
            cursor = db.execute(
                "DELETE FROM records WHERE expires_at IS NOT NULL AND expires_at <= ?",
                (timestamp(now),),
            )
            removed = cursor.rowcount
            reports = db.execute(
                "DELETE FROM reports WHERE expires_at IS NOT NULL AND expires_at <= ?",
                (timestamp(now),),
            ).rowcount
            keys = db.execute(
                "UPDATE epochs SET secret = NULL WHERE secret IS NOT NULL"
                " AND epoch < (SELECT MAX(epoch) FROM epochs)"
            ).rowcount
        self.scrub()
        return ExpungeResult(records=removed, reports=reports, epoch_keys=keys)

    def scrub(self) -> None:
        """Leave no deleted byte in the database, its WAL or its journal.

        ``secure_delete`` zeroes deleted cells and freed pages (overflow
        chains included) in the pages it writes; the checkpoint copies those
        pages home and truncates the WAL, which held the pages as they were
        before.  VACUUM would add nothing to this and would copy the whole
        register into memory or a temporary file.

        Raises `ScrubPending` when another program holding the register open
        stops the checkpoint: the change that came before stands, but it is
        not scrubbed yet, and that is never a silent success.
        """
        try:
            busy, log, checkpointed = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise RegisterError(f"the register could not be scrubbed: {exc}") from None
            busy, log, checkpointed = 1, 0, -1
        if busy or log != checkpointed:
            raise ScrubPending(
                "the change is saved, but another program has the register open, so the "
                "deleted data is not yet scrubbed from its files; close that program, then "
                "run 'committee expunge', which scrubs again"
            )
