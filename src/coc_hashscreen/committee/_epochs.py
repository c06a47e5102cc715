"""Key epochs and the lists published in them.

An epoch has a secret key, a salt and Argon2 parameters; only the current
epoch keeps its key, which is destroyed when the next epoch starts.  An
online epoch (ADR 0025) also has a VOPRF seed and the service's address;
the seed is destroyed with the key.  Every
published list is recorded with its version, allocated here so that no
version is ever used twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..core import (
    EPOCH_KEY_SIZE,
    KDF_PROFILES,
    OPRF_SEED_SIZE,
    PROFILE,
    SALT_SIZE,
    Argon2Params,
    EpochKey,
    OprfEpochKey,
    from_timestamp,
    resolve_now,
    timestamp,
)
from ..errors import RegisterError
from ..formats import OnlineService, Random, ServiceSeed, bucket_size
from ._audit import AuditLog
from ._db import Database

__all__ = ["Epoch", "EpochStore", "Publication"]


@dataclass(frozen=True)
class Epoch:
    """A key epoch.  Its ``secret`` is None once the epoch is over and wiped."""

    number: int
    salt: bytes
    kdf: Argon2Params
    profile: str
    started_at: datetime
    secret: bytes | None = field(repr=False)
    oprf_seed: bytes | None = field(default=None, repr=False)
    # The service's address in an online epoch; None in an offline one.
    endpoint: str | None = None

    @property
    def online(self) -> bool:
        return self.endpoint is not None

    @property
    def key(self) -> EpochKey:
        """The offline key of this epoch; only the current epoch still has it."""
        if self.secret is None:
            raise RegisterError(f"the key of epoch {self.number} was destroyed at its rotation")
        return EpochKey(self.secret, self.salt, self.kdf)

    def service_seed(self, series: bytes) -> ServiceSeed:
        """What the service needs of this online epoch: its seed, series and number."""
        if self.endpoint is None:
            raise RegisterError(f"epoch {self.number} is not an online epoch")
        if self.oprf_seed is None:
            raise RegisterError(f"the key of epoch {self.number} was destroyed at its rotation")
        return ServiceSeed(series, self.number, self.oprf_seed)

    def hash_key(self, series: bytes) -> EpochKey | OprfEpochKey:
        """What the committee hashes this epoch's published keys with, offline or online."""
        key = self.key
        if self.endpoint is None:
            return key
        return OprfEpochKey(self.service_seed(series).key(), key.salt, key.params, key.secret)

    def online_service(self, series: bytes) -> OnlineService | None:
        """What an online list's header says of the service; None for an offline epoch."""
        if self.endpoint is None:
            return None
        return OnlineService(self.endpoint, self.service_seed(series).key().public_key)


@dataclass(frozen=True)
class Publication:
    """A list the committee published: ``entry_count`` includes the padding decoys."""

    version: int
    epoch: int
    issued_at: datetime
    expires_at: datetime
    entry_count: int
    real_entries: int


class EpochStore:
    """The epochs and publications of one register."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    def current(self) -> Epoch | None:
        row = self._db.execute(
            "SELECT epoch, salt, time_cost, memory_cost, parallelism, profile, started_at, secret,"
            " oprf_seed, endpoint FROM epochs ORDER BY epoch DESC LIMIT 1"
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
            oprf_seed=row[8],
            endpoint=row[9],
        )

    def start(
        self,
        key: EpochKey,
        *,
        at_least: int = 1,
        now: datetime | None = None,
        online: tuple[bytes, str] | None = None,
    ) -> Epoch:
        """Begin a new epoch with *key* and destroy the secret of the one before.

        The old key is needed by nobody after a rotation: organizers already
        hold it through their grants, and new grants are for the new epoch.
        Destroying it means a later theft of the register cannot reveal it.
        *at_least* lets a register restored from a backup skip past epochs
        organizers have already seen.  Raises `ScrubPending` (the epoch has
        started all the same) when the old key cannot be scrubbed yet.
        *online* is the new epoch's VOPRF seed and the service's address,
        for an online epoch.
        """
        now = resolve_now(now)
        if online is not None and len(online[0]) != OPRF_SEED_SIZE:
            raise RegisterError(f"a VOPRF seed is {OPRF_SEED_SIZE} bytes")
        with self._db.write():
            self._start(key, at_least=at_least, now=now, online=online)
        self._db.scrub()
        epoch = self.current()
        assert epoch is not None
        return epoch

    def _start(
        self,
        key: EpochKey,
        *,
        at_least: int,
        now: datetime,
        online: tuple[bytes, str] | None = None,
    ) -> int:
        """`start` inside the caller's transaction, without the scrub; the new number."""
        row = self._db.execute("SELECT COALESCE(MAX(epoch), 0) FROM epochs").fetchone()
        number = max(row[0] + 1, at_least)
        self._db.execute(
            "UPDATE epochs SET secret = NULL, oprf_seed = NULL"
            " WHERE secret IS NOT NULL OR oprf_seed IS NOT NULL"
        )
        seed, endpoint = online if online is not None else (None, None)
        self._db.execute(
            "INSERT INTO epochs (epoch, secret, salt, time_cost, memory_cost, parallelism,"
            " profile, started_at, oprf_seed, endpoint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, key.secret, key.salt, key.params.time_cost, key.params.memory_cost,
             key.params.parallelism, PROFILE, timestamp(now), seed, endpoint),
        )  # fmt: skip
        return int(number)

    def next_key(self, *, rng: Random, kdf: Argon2Params | None = None) -> EpochKey:
        """A fresh key and salt from *rng* for the next epoch; its Argon2 cost kept unless *kdf*."""
        current = self.current()
        params = kdf or (current.kdf if current is not None else KDF_PROFILES["default"])
        return EpochKey(rng(EPOCH_KEY_SIZE), rng(SALT_SIZE), params)

    def next_online(
        self, *, rng: Random, endpoint: str | None = None, offline: bool = False
    ) -> tuple[bytes, str] | None:
        """The VOPRF seed and service address of the next epoch, or None for an offline one.

        The current epoch's mode carries over unless *endpoint* (go online,
        or move the service) or *offline* says otherwise: a rotation a
        deletion forces must never turn an online committee offline, which
        would hand every organizer the epoch key with its next grant.
        """
        if offline:
            return None
        current = self.current()
        address = endpoint or (current.endpoint if current is not None else None)
        return None if address is None else (rng(OPRF_SEED_SIZE), address)

    def _wipe_retired_keys(self) -> int:
        """Destroy every key but the current epoch's, inside the caller's transaction."""
        return self._db.execute(
            "UPDATE epochs SET secret = NULL, oprf_seed = NULL"
            " WHERE (secret IS NOT NULL OR oprf_seed IS NOT NULL)"
            " AND epoch < (SELECT MAX(epoch) FROM epochs)"
        ).rowcount

    def record_publication(
        self,
        epoch: int,
        *,
        issued_at: datetime,
        expires_at: datetime,
        real_entries: int,
        at_least: int = 1,
    ) -> Publication:
        """Allocate the next version and record the publication, atomically.

        Recorded before the file is written: a crash in between burns a
        version number, which is harmless, where reusing one would not be.
        *at_least* lets a register restored from a backup skip past versions
        organizers have already seen.  The list is padded to
        `bucket_size` (*real_entries*) entries.
        """
        with self._db.write() as db:
            current = self.current()
            if current is None or current.number != epoch:
                raise RegisterError(
                    "the epoch changed while the list was being built; publish again"
                )
            row = db.execute("SELECT COALESCE(MAX(version), 0) FROM publications").fetchone()
            publication = Publication(
                version=max(int(row[0]) + 1, at_least),
                epoch=epoch,
                issued_at=issued_at,
                expires_at=expires_at,
                entry_count=bucket_size(real_entries),
                real_entries=real_entries,
            )
            self._audit._write(
                "publish",
                issued_at,
                details={"version": publication.version, "epoch": epoch, "entries": real_entries},
            )
            db.execute(
                "INSERT INTO publications (version, epoch, issued_at, expires_at, entry_count,"
                " real_entries) VALUES (?, ?, ?, ?, ?, ?)",
                (publication.version, epoch, timestamp(issued_at), timestamp(expires_at),
                 publication.entry_count, real_entries),
            )  # fmt: skip
        return publication

    def publications(self) -> list[Publication]:
        rows = self._db.execute(
            "SELECT version, epoch, issued_at, expires_at, entry_count, real_entries"
            " FROM publications ORDER BY version"
        ).fetchall()
        return [
            Publication(r[0], r[1], from_timestamp(r[2]), from_timestamp(r[3]), r[4], r[5])
            for r in rows
        ]
