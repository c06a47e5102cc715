"""The committee's register: one database, one store per concern.

`Register` opens the database (`_db`) and hands each concern its store:
``register.records``, ``register.epochs``, ``register.organizers`` and
``register.reports``.  What spans them, expunging what is past its
retention and removing a record for good, is here.

A record deleted while the epoch it was last listed in is current takes
that epoch with it: a new epoch starts and the old key is wiped, in the same
transaction, so that the register no longer holds a key that confirms the
person against a list anyone kept (ADR 0011).  The next publish lists the
new epoch and grants it to every active organizer.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core import Closing, resolve_now
from ..formats import Random
from ._db import Database
from ._epochs import EpochStore
from ._organizers import OrganizerStore
from ._records import RecordStore
from ._reports import ReportStore

__all__ = ["ExpungeResult", "Register"]


@dataclass(frozen=True)
class ExpungeResult:
    """What an expunge or a removal deleted, and the epoch it started, if any.

    ``reports`` counts every report deleted: past its own retention, or
    linked to a deleted record.  ``epoch_keys`` counts the keys wiped,
    the current one included when a deleted record was listed with it;
    ``rotated_to`` is then the new epoch, which needs a publish.
    """

    records: int
    reports: int
    epoch_keys: int
    rotated_to: int | None = None


class Register(Closing):
    """An open register file.  Use `create` or `open`, as a context manager."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.records = RecordStore(db)
        self.epochs = EpochStore(db)
        self.organizers = OrganizerStore(db)
        self.reports = ReportStore(db, self.records)

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Register:
        """Create a new, empty register (mode 0600); refuse to overwrite an existing file."""
        return cls(Database.create(path))

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Register:
        """Open an existing register, migrating its schema forward if needed."""
        return cls(Database.open(path))

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
        self.scrub()
        return result

    def remove_record(
        self, record_id: int, *, now: datetime | None = None, rng: Random = os.urandom
    ) -> ExpungeResult:
        """Delete a record and every report linked to it, rotating its epoch if current; scrub."""
        now = resolve_now(now)
        with self._db.write():
            result = self._delete_records([record_id], 0, now=now, rng=rng)
        self.scrub()
        return result

    def _delete_records(
        self, record_ids: Sequence[int], reports: int, *, now: datetime, rng: Random
    ) -> ExpungeResult:
        """What `expunge` and `remove_record` share: delete, wipe, rotate if listed.

        Runs inside the caller's transaction; the caller scrubs after it.
        """
        listed = self.records._listed_epoch(record_ids)
        reports += self.reports._delete_naming(record_ids)
        reports += self.records._delete(record_ids)
        keys = self.epochs._wipe_retired_keys()
        current = self.epochs.current()
        rotated_to = None
        if listed is not None and current is not None and listed >= current.number:
            rotated_to = self.epochs._start(self.epochs.next_key(rng=rng), at_least=1, now=now)
            keys += 1
        return ExpungeResult(len(record_ids), reports, keys, rotated_to)

    def scrub(self) -> None:
        """Leave no deleted byte in the register's files (see `Database.scrub`)."""
        self._db.scrub()
