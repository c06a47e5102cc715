"""The committee's register: one database, one store per concern.

`Register` opens the database (`_db`) and hands each concern its store:
``register.records``, ``register.epochs``, ``register.organizers`` and
``register.reports``.  What spans them, expunging what is past its
retention, is here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..core import Closing, resolve_now
from ._db import Database
from ._epochs import EpochStore
from ._organizers import OrganizerStore
from ._records import RecordStore
from ._reports import ReportStore

__all__ = ["ExpungeResult", "Register"]


@dataclass(frozen=True)
class ExpungeResult:
    records: int
    reports: int
    epoch_keys: int


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

    def expunge(self, *, now: datetime | None = None) -> ExpungeResult:
        """Delete every record and report past its expiry, and retired epoch keys, then scrub."""
        now = resolve_now(now)
        with self._db.write():
            # The stores' own writes, joining this one transaction.
            records = self.records._delete_expired(now)
            reports = self.reports._delete_expired(now)
            keys = self.epochs._wipe_retired_keys()
        self.scrub()
        return ExpungeResult(records=records, reports=reports, epoch_keys=keys)

    def scrub(self) -> None:
        """Leave no deleted byte in the register's files (see `Database.scrub`)."""
        self._db.scrub()
