"""What the service holds between requests: the current epoch's key, and the token database.

Both are shared by the threads that answer requests in one worker
process, so each is behind a lock of its own.  Worker processes share
nothing but the files: the token database's `BEGIN IMMEDIATE` transactions
keep their charges atomic across processes, and each process re-reads the
seed file when it changes.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from ..core import OprfKey
from ..errors import FormatError, KeyFileError, RegisterError
from ..formats import SEED_FILE, TOKENS_FILE, Charge, ServiceSeed, TokenStore, read_seed

__all__ = ["UNAVAILABLE", "CurrentKey", "Ledger", "SeedWatch", "check_service_dir"]

# What makes the service unable to answer for now (a seed file that is
# missing, unreadable, too widely readable or damaged; a token database
# that is locked or broken): it answers 503, and trying later may work.
UNAVAILABLE: Final = (OSError, sqlite3.Error, FormatError, KeyFileError, RegisterError)


def check_service_dir(service_dir: Path) -> ServiceSeed:
    """Refuse a service directory the service could not answer from; its seed if usable.

    The seed file must exist, be readable by this user alone and be well
    formed; the token database must exist (the committee creates it when it
    publishes an online list) and be private too.  Raises `KeyFileError`
    or `RegisterError` (or `FormatError` for a damaged seed file).
    """
    seed_path = service_dir / SEED_FILE
    if not seed_path.is_file():
        raise KeyFileError(
            f"there is no service seed file at {os.fspath(seed_path)!r}; publish an online "
            "list first (committee publish --online URL), or name the service directory"
        )
    try:
        seed = read_seed(seed_path)
    except PermissionError:
        raise KeyFileError(
            f"the service seed file {os.fspath(seed_path)!r} cannot be read by this user; "
            "it must belong to the user the service runs as (mode 0600)"
        ) from None
    # TokenStore.open refuses a missing or too widely readable database.
    TokenStore.open(service_dir / TOKENS_FILE).close()
    return seed


@dataclass(frozen=True)
class CurrentKey:
    """The epoch the service answers in, and the VOPRF key of that epoch."""

    epoch: int
    key: OprfKey


def _stamp(info: os.stat_result) -> tuple[int, ...]:
    # The committee replaces the file (a new inode) when it rotates, and a
    # chmod changes the mode: either makes the seed be read again.
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size, info.st_mode)


class SeedWatch:
    """The seed file, read again whenever it changes, so a rotation needs no restart.

    One `os.stat` per request; the key is derived once per change.  If the
    new file cannot be used, `current` raises (the service answers 503)
    rather than going on under the old key: the committee rotated for a
    reason, and answering under a key it has left would be worse.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, ...] | None = None
        self._current: CurrentKey | None = None

    def current(self) -> CurrentKey:
        # Stat before reading: if the file is replaced in between, the stamp
        # is the old file's and the next request reads the file again.  The
        # other order could keep an old seed under the new file's stamp.
        stamp = _stamp(os.stat(self.path))
        with self._lock:
            if self._current is None or stamp != self._stamp:
                self._current = None
                seed = read_seed(self.path)
                self._current = CurrentKey(seed.epoch, seed.key())
                self._stamp = stamp
            return self._current


class Ledger:
    """This process's connection to the token database, one thread at a time.

    The connection is opened with ``check_same_thread=False`` so that the
    threads answering requests can use it; the lock makes them take turns,
    which one SQLite connection requires.
    """

    def __init__(self, store: TokenStore) -> None:
        self._store = store
        self._lock = threading.Lock()

    @classmethod
    def open(cls, service_dir: Path) -> Ledger:
        return cls(TokenStore.open(service_dir / TOKENS_FILE))

    def charge(self, token: bytes, count: int, *, epoch: int, now: datetime) -> Charge:
        with self._lock:
            return self._store.charge(token, count, epoch=epoch, now=now)

    def refund(self, token: bytes, count: int) -> None:
        with self._lock:
            self._store.refund(token, count)

    def check(self, epoch: int) -> None:
        """Read the database, raising what `UNAVAILABLE` names if it cannot be."""
        with self._lock:
            self._store.tokens(epoch=epoch)

    def close(self) -> None:
        with self._lock:
            self._store.close()
