"""The register's database layer: one SQLite file, its schema, transactions and scrub.

One file, mode 0600 (it holds the current epoch's secret key).  Every change
runs in one ``BEGIN IMMEDIATE`` transaction; the database is in WAL mode so
readers never block on a writer; ``secure_delete`` is on for every
connection so deleted content is overwritten, and `Database.scrub` then
checkpoints and truncates the WAL, so that no byte of an expunged record or
a destroyed key survives in any file of the register.

The schema is versioned with ``PRAGMA user_version`` and migrated forward on
open; a register written by a newer release is refused, never downgraded.
The stores (`_records`, `_epochs`, `_organizers`, `_reports`) share one
`Database` and know nothing of connections, pragmas or files.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from ..core import from_timestamp, timestamp
from ..errors import RegisterError, ScrubPending
from ..formats import check_private_mode

__all__ = ["SCHEMA_VERSION", "Database", "from_db_time", "to_db_time"]

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
    # 4: a report never outlives a record it is linked to: deleting the
    # record (remove, expunge, or any later path) deletes every report that
    # names the person, in the same statement, before the link could be
    # nulled.  And the epoch each record was last listed in, so that deleting
    # a record listed in the current epoch rotates it (ADR 0011); records of
    # an older register count as listed in the last published epoch.
    (
        """CREATE TRIGGER records_take_their_reports BEFORE DELETE ON records
        BEGIN
            DELETE FROM reports WHERE id IN
                (SELECT report_id FROM report_people WHERE record_id = OLD.id);
        END""",
        "CREATE INDEX report_people_record ON report_people (record_id)",
        "ALTER TABLE records ADD COLUMN listed_epoch INTEGER",
        """UPDATE records SET listed_epoch = (SELECT MAX(epoch) FROM publications)
        WHERE created_at <= (SELECT MAX(issued_at) FROM publications)""",
    ),
    # A record's name the committee marked common: name-only hits on it carry
    # that note to organizers (ADR 0020).
    ("ALTER TABLE records ADD COLUMN common_name INTEGER NOT NULL DEFAULT 0",),
    # 6: the day of the committee's decision (NULL: recorded before this
    # column existed); the committee's settings (its retention policy, the
    # floor a restored register publishes above); the audit trail, which
    # names fields, kinds and case references, never an identifier.
    (
        "ALTER TABLE records ADD COLUMN decided_at INTEGER",
        "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            case_refs TEXT NOT NULL DEFAULT '[]',
            details TEXT NOT NULL DEFAULT '{}'
        )""",
    ),
    # 7: online epochs (ADR 0025): the VOPRF seed, wiped at rotation like the
    # epoch key, and the service's address (NULL: an offline epoch); the
    # quota each organizer's grants carry into a new online epoch.
    (
        "ALTER TABLE epochs ADD COLUMN oprf_seed BLOB",
        "ALTER TABLE epochs ADD COLUMN endpoint TEXT",
        "ALTER TABLE organizers ADD COLUMN quota INTEGER",
    ),
)
SCHEMA_VERSION: Final = len(_MIGRATIONS)

Parameters = Sequence[Any] | Mapping[str, Any]


def to_db_time(when: datetime | None) -> int | None:
    """A time as the register stores it: whole Unix seconds, or NULL."""
    return None if when is None else timestamp(when)


def from_db_time(value: int | None) -> datetime | None:
    return None if value is None else from_timestamp(value)


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


class Database:
    """One open connection to a register file, with its schema migrated."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Database:
        """Create a new, empty register file (mode 0600); refuse to overwrite one."""
        target = Path(path)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise RegisterError(
                f"{os.fspath(target)!r} already exists; not overwriting it"
            ) from None
        os.close(fd)
        return cls._opened(target)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Database:
        """Open an existing register file, migrating its schema forward if needed."""
        target = Path(path)
        if not target.is_file():
            raise RegisterError(
                f"no register at {os.fspath(target)!r}; create one with 'committee init'"
            )
        check_private_mode(target, "register")
        return cls._opened(target)

    @classmethod
    def _opened(cls, target: Path) -> Database:
        try:
            database = cls(target, _connect(target))
        except sqlite3.DatabaseError:
            raise RegisterError(f"{os.fspath(target)!r} is not a coc-hashscreen register") from None
        try:
            database._migrate()
        except sqlite3.DatabaseError:
            database.close()
            raise RegisterError(f"{os.fspath(target)!r} is not a coc-hashscreen register") from None
        except BaseException:
            database.close()
            raise
        return database

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise RegisterError(
                f"the register has schema version {version}, newer than this release's "
                f"{SCHEMA_VERSION}; upgrade coc-hashscreen"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self.write():
                for statement in _MIGRATIONS[number - 1]:
                    self.execute(statement)
                self.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self._connection.close()

    @property
    def schema_version(self) -> int:
        return int(self.execute("PRAGMA user_version").fetchone()[0])

    def execute(self, sql: str, parameters: Parameters = ()) -> sqlite3.Cursor:
        return self._connection.execute(sql, parameters)

    def executemany(self, sql: str, rows: Sequence[Parameters]) -> sqlite3.Cursor:
        return self._connection.executemany(sql, rows)

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """One write transaction; taken at once so it cannot fail half-way on a lock."""
        self.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.execute("ROLLBACK")
            raise
        self.execute("COMMIT")

    def snapshot(self) -> bytes:
        """A consistent copy of the whole register, as the bytes of a database file.

        SQLite's backup API copies every page inside one read transaction,
        so a write by another program neither waits for it nor tears it; the
        copy goes to memory, never to a temporary file outside the
        committee directory.  Freed pages go as ``secure_delete`` left them:
        zeroed.
        """
        copy = sqlite3.connect(":memory:")
        try:
            self._connection.backup(copy)
            return copy.serialize()
        finally:
            copy.close()

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
            busy, log, checkpointed = self.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
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
