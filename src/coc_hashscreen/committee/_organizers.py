"""The organizers the committee has vetted, and the grants it issued them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..core import HpkePublicKey, Suite, display_name, from_timestamp, resolve_now, timestamp
from ..errors import RegisterError
from ..formats import Grant
from ._db import Database, from_db_time

__all__ = ["GrantRecord", "Organizer", "OrganizerStore"]


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


class OrganizerStore:
    """The organizers and grants of one register."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(
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
        with self._db.write() as db:
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
        return next(o for o in self.all() if o.key_id == public_key.key_id)

    def revoke(self, organizer_key_id: bytes, *, now: datetime | None = None) -> None:
        """Stop issuing grants to an organizer (at the next rotation they lose access)."""
        with self._db.write() as db:
            cursor = db.execute(
                "UPDATE organizers SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (timestamp(resolve_now(now)), organizer_key_id),
            )
            if cursor.rowcount == 0:
                raise RegisterError("no active organizer with that key id")

    def all(self, *, active_only: bool = False) -> list[Organizer]:
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
                revoked_at=from_db_time(r[5]),
            )
            for r in rows
        ]

    def find(self, prefix: str, *, active_only: bool = True) -> Organizer:
        """The one organizer whose key id starts with *prefix* (hex, spaces ignored)."""
        wanted = prefix.lower().replace(" ", "")
        found = [o for o in self.all(active_only=active_only) if o.key_id.hex().startswith(wanted)]
        if len(found) != 1:
            which = "active organizers" if active_only else "organizers"
            raise RegisterError(
                f"{len(found)} {which} have a key id starting {wanted[:16]!r}; give enough "
                "digits to match exactly one (see 'committee organizers')"
            )
        return found[0]

    def record_grant(self, grant: Grant) -> None:
        with self._db.write() as db:
            db.execute(
                "INSERT INTO grants (epoch, organizer_key_id, issued_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (grant.epoch, grant.organizer, timestamp(grant.issued_at),
                 timestamp(grant.expires_at)),
            )  # fmt: skip

    def grants(self) -> list[GrantRecord]:
        rows = self._db.execute(
            "SELECT epoch, organizer_key_id, issued_at, expires_at FROM grants ORDER BY id"
        ).fetchall()
        return [GrantRecord(r[0], r[1], from_timestamp(r[2]), from_timestamp(r[3])) for r in rows]
