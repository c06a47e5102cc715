"""A record of the register as a value, and its identifiers indexed by canonical form.

`IdentifierIndex` is how intake and import find a person's record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..core import STRONG_KINDS, Identifier, Status

__all__ = ["IdentifierIndex", "Record"]


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
    # The committee marked the name common: name-only hits say so.
    common_name: bool = False
    # The day of the committee's decision; None for a record entered before
    # the register kept it.
    decided_at: datetime | None = None

    def is_expired(self, reference_time: datetime) -> bool:
        return self.expires_at is not None and reference_time >= self.expires_at

    def is_published(self, reference_time: datetime) -> bool:
        """Flagged or banned, and not past its expiry."""
        return self.status.published and not self.is_expired(reference_time)

    def to_dict(self) -> dict[str, Any]:
        """The record as plain data, for the committee's own use (times in ISO 8601)."""
        return {
            "id": self.id,
            "status": self.status.value,
            "case_ref": self.case_ref,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "common_name": self.common_name,
            "identifiers": [
                {"kind": i.kind, "value": i.value, "alias": i.alias} for i in self.identifiers
            ],
            "note": self.note,
        }


@dataclass(frozen=True)
class IdentifierIndex:
    """The register's identifiers by canonical form, built once for many look-ups.

    Intake links every person of a report: with an index that costs one pass
    over the records plus one look-up per identifier, where a scan per
    person cost people x records canonicalizations.  ``strong`` maps a
    (kind, canonical form) of an e-mail or handle to the first record (by
    id) holding it; ``names`` maps a canonical name to every record with it.
    """

    strong: Mapping[tuple[str, str], int] = field(repr=False)
    names: Mapping[str, tuple[int, ...]] = field(repr=False)

    @classmethod
    def of(cls, records: Iterable[Record]) -> IdentifierIndex:
        strong: dict[tuple[str, str], int] = {}
        names: dict[str, list[int]] = {}
        for record in sorted(records, key=lambda r: r.id):
            for identifier in record.identifiers:
                form = identifier.canonical
                if identifier.kind in STRONG_KINDS:
                    strong.setdefault((identifier.kind, form), record.id)
                elif identifier.kind == "name":
                    ids = names.setdefault(form, [])
                    if record.id not in ids:
                        ids.append(record.id)
        return cls(strong, {name: tuple(ids) for name, ids in names.items()})

    def link(self, identifiers: Iterable[Identifier]) -> int | None:
        """The first record sharing a *strong* identifier (e-mail, handle) with these.

        Names are never enough: different people share them, and linking a
        report to the wrong record would publish a stranger's e-mail address
        as theirs.  Name matches are for people to judge (`name_matches`).
        """
        found = [
            self.strong.get((i.kind, i.canonical)) for i in identifiers if i.kind in STRONG_KINDS
        ]
        return min((r for r in found if r is not None), default=None)

    def name_matches(self, identifiers: Iterable[Identifier]) -> list[int]:
        """Records with a name equal to one of these: suggestions, never links."""
        found = {
            r for i in identifiers if i.kind == "name" for r in self.names.get(i.canonical, ())
        }
        return sorted(found)
