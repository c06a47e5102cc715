"""The register's audit trail: who changed what, and when.

Every change to the register writes one entry in the same transaction as
the change: its time, its actor (a committee member's name), what was done,
the case references it touched, and details that name fields, identifier
kinds and counts.  Never an identifier, a note or a report's text: the
trail outlives the records it mentions, and must not undo an expunge.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from ..core import Identifier, display_name, from_timestamp, timestamp
from ..errors import InputError
from ._db import Database

__all__ = ["AUDIT_ACTIONS", "MEMBER_ENV", "AuditEntry", "AuditLog", "default_actor", "kind_counts"]

# The committee member working on this machine, for the audit trail.
MEMBER_ENV: Final = "COC_HASHSCREEN_MEMBER"


def default_actor() -> str:
    """Who makes a change when no one is named: ``$COC_HASHSCREEN_MEMBER``, else the login name."""
    member = os.environ.get(MEMBER_ENV, "").strip()
    if member:
        return member
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name in this environment
        return "committee"


AUDIT_ACTIONS: Final = (
    "add",
    "update",
    "remove",
    "import",
    "expunge",
    "intake",
    "link",
    "review",
    "publish",
    "grant",
    "revoke",
    "retention",
    "restore",
    "quota",
)


def kind_counts(identifiers: Iterable[Identifier]) -> dict[str, int]:
    """How many identifiers of each kind (aliases as "alias"): what the trail says of them."""
    counts: dict[str, int] = {}
    for identifier in identifiers:
        kind = "alias" if identifier.alias else identifier.kind
        counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class AuditEntry:
    """One change to the register."""

    id: int
    at: datetime
    actor: str
    action: str
    case_refs: tuple[str, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "action": self.action,
            "case_refs": list(self.case_refs),
            "details": dict(self.details),
        }


def checked_actor(actor: str | None) -> str:
    """*actor*, or `default_actor`, if fit to print in the trail; raises `InputError`."""
    name = default_actor() if actor is None else actor
    if not name.strip():
        raise InputError("say who makes the change (--by NAME)")
    return display_name(name, f"the committee member's name (--by, or ${MEMBER_ENV})")


class AuditLog:
    """The audit trail of one register, written by its stores as *actor*.

    Without an *actor*, `default_actor` is read, and checked, at the first
    change: a command that only reads never needs one.
    """

    def __init__(self, db: Database, actor: str | None) -> None:
        self._db = db
        self._actor = None if actor is None else checked_actor(actor)

    @property
    def actor(self) -> str:
        if self._actor is None:
            self._actor = checked_actor(None)
        return self._actor

    def _write(
        self,
        action: str,
        at: datetime,
        *,
        case_refs: Sequence[str] = (),
        details: Mapping[str, Any] | None = None,
        actor: str | None = None,
    ) -> None:
        """Append one entry inside the caller's transaction."""
        assert action in AUDIT_ACTIONS, action
        self._db.execute(
            "INSERT INTO audit (at, actor, action, case_refs, details) VALUES (?, ?, ?, ?, ?)",
            (timestamp(at), actor or self.actor, action, json.dumps(sorted(set(case_refs))),
             json.dumps(dict(details or {}), sort_keys=True)),
        )  # fmt: skip

    def history_refs(self, refs: Iterable[str]) -> set[str]:
        """*refs* and every case reference the same records had: updates that renamed
        a case list its old and new reference together.  (A reference once used
        is never given to another record, so the chain is one case's.)"""
        found = set(refs)
        renames = [
            set(json.loads(row[0]))
            for row in self._db.execute("SELECT case_refs FROM audit WHERE action = 'update'")
        ]
        grew = True
        while grew:
            grew = False
            for pair in renames:
                if len(pair) > 1 and pair & found and not pair <= found:
                    found |= pair
                    grew = True
        return found

    def all_refs(self) -> set[str]:
        """Every case reference the trail names."""
        return {
            row[0]
            for row in self._db.execute(
                "SELECT DISTINCT json_each.value FROM audit, json_each(audit.case_refs)"
            )
        }

    def used(self, case_ref: str) -> bool:
        """Whether the trail names *case_ref*: a record had it, now gone or renamed."""
        row = self._db.execute(
            "SELECT 1 FROM audit, json_each(audit.case_refs) WHERE json_each.value = ? LIMIT 1",
            (case_ref,),
        ).fetchone()
        return row is not None

    def entries(
        self, *, case_ref: str | None = None, action: str | None = None
    ) -> list[AuditEntry]:
        """Every entry, oldest first; or those of one case (under any of its case
        references: `history_refs`), or of *action*."""
        refs = None if case_ref is None else self.history_refs({case_ref})
        found = []
        for row in self._db.execute(
            "SELECT id, at, actor, action, case_refs, details FROM audit ORDER BY id"
        ):
            entry = AuditEntry(
                id=row[0],
                at=from_timestamp(row[1]),
                actor=row[2],
                action=row[3],
                case_refs=tuple(json.loads(row[4])),
                details=json.loads(row[5]),
            )
            if refs is not None and not refs.intersection(entry.case_refs):
                continue
            if action is not None and entry.action != action:
                continue
            found.append(entry)
        return found
