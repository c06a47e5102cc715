"""The organizers the committee has vetted, and the grants it issued them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..core import HpkePublicKey, Suite, display_name, from_timestamp, resolve_now, timestamp
from ..errors import FormatError, MismatchError, RegisterError
from ..formats import Grant
from ._audit import AuditLog
from ._db import Database, from_db_time

__all__ = ["GrantRecord", "Organizer", "OrganizerStore"]


@dataclass(frozen=True)
class Organizer:
    """A vetted organizer; ``revoked_at`` is set once it gets no more grants.

    ``public_key`` is None when the stored key is not one that can be
    sealed to (an older release registered it without checking): such an
    organizer can get no grant, and the committee should revoke it.
    """

    key_id: bytes
    name: str
    public_key: HpkePublicKey | None
    added_at: datetime
    revoked_at: datetime | None
    # The evaluations its online grants allow (None: the default).
    quota: int | None = None


@dataclass(frozen=True)
class GrantRecord:
    """A grant the committee issued (the key it sealed is not kept)."""

    epoch: int
    organizer_key_id: bytes
    issued_at: datetime
    expires_at: datetime


class OrganizerStore:
    """The organizers and grants of one register."""

    def __init__(self, db: Database, audit: AuditLog) -> None:
        self._db = db
        self._audit = audit

    def add(
        self,
        public_key: HpkePublicKey,
        name: str,
        *,
        grant: Grant,
        deliver: Callable[[], object],
        reinstate: bool = False,
    ) -> Organizer:
        """Register a vetted organizer (or update its name) together with its grant.

        One transaction registers the organizer, records *grant* and, last,
        calls *deliver* (which writes the grant file): if any step fails,
        nothing is kept, so an organizer is never registered without a grant.
        A revoked organizer is reinstated only when *reinstate* is true:
        revocation is a decision that a new grant must not undo by accident.
        The organizer counts as added when the grant was issued.
        """
        name = display_name(name, "the organizer's name")
        if grant.organizer != public_key.key_id:
            raise MismatchError("the grant is for another organizer key than the one registered")
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
                (public_key.key_id, public_key.suite.value, public_key.raw, name,
                 timestamp(grant.issued_at)),
            )  # fmt: skip
            self._insert_grant(grant)
            self._audit._write(
                "grant",
                grant.issued_at,
                details={
                    "organizer": name,
                    **_grant_details(grant),
                    "reinstated": row is not None and row[0] is not None,
                },
            )
            deliver()
        return next(o for o in self.all() if o.key_id == public_key.key_id)

    def revoke(self, organizer_key_id: bytes, *, now: datetime | None = None) -> None:
        """Stop issuing grants to an organizer (at the next rotation they lose access)."""
        now = resolve_now(now)
        with self._db.write() as db:
            cursor = db.execute(
                "UPDATE organizers SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                (timestamp(now), organizer_key_id),
            )
            if cursor.rowcount == 0:
                raise RegisterError("no active organizer with that key id")
            (name,) = db.execute(
                "SELECT name FROM organizers WHERE key_id = ?", (organizer_key_id,)
            ).fetchone()
            self._audit._write(
                "revoke", now, details={"organizer": name, "key_id": organizer_key_id.hex()[:16]}
            )

    def set_quota(self, organizer_key_id: bytes, quota: int, *, now: datetime) -> None:
        """Keep *quota* for the organizer's online grants, this epoch's and later ones."""
        with self._db.write() as db:
            cursor = db.execute(
                "UPDATE organizers SET quota = ? WHERE key_id = ?", (quota, organizer_key_id)
            )
            if cursor.rowcount == 0:
                raise RegisterError("no organizer with that key id")
            self._audit._write(
                "quota", now, details={"key_id": organizer_key_id.hex()[:16], "quota": quota}
            )

    def all(self, *, active_only: bool = False) -> list[Organizer]:
        rows = self._db.execute(
            "SELECT key_id, name, suite, public_key, added_at, revoked_at, quota FROM organizers"
            " WHERE revoked_at IS NULL OR NOT ? ORDER BY added_at, name",
            (active_only,),
        ).fetchall()
        return [
            Organizer(
                key_id=r[0],
                name=r[1],
                public_key=_stored_key(r[2], r[3]),
                added_at=from_timestamp(r[4]),
                revoked_at=from_db_time(r[5]),
                quota=r[6],
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

    def record_grant(self, grant: Grant, *, deliver: Callable[[], object]) -> None:
        """Record a grant to a registered organizer; *deliver* runs last in the same transaction."""
        with self._db.write():
            self._insert_grant(grant)
            (name,) = self._db.execute(
                "SELECT name FROM organizers WHERE key_id = ?", (grant.organizer,)
            ).fetchone()
            self._audit._write(
                "grant", grant.issued_at, details={"organizer": name, **_grant_details(grant)}
            )
            deliver()

    def _insert_grant(self, grant: Grant) -> None:
        self._db.execute(
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


def _grant_details(grant: Grant) -> dict[str, object]:
    return {
        "key_id": grant.organizer.hex()[:16],
        "epoch": grant.epoch,
        "expires_at": grant.expires_at.isoformat(),
        **({"online": True} if grant.online else {}),
    }


def _stored_key(suite: str, raw: bytes) -> HpkePublicKey | None:
    """The registered key, or None if an older release registered one that is not valid."""
    try:
        return HpkePublicKey.from_raw(Suite.parse(suite), raw)
    except FormatError:
        return None
