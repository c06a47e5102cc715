"""Finding a person in the register the way screening would.

The query is read as an organizer reads an attendee's identifier: one
canonical form under the epoch's profile.  A record's identifiers are read
as the committee publishes them: every key `published_keys` gives,
committee variants included.  A search therefore answers "would screening
this spelling hit this record?", for every record, minor and expired ones
included (screening would not list those; the caller says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..core import PROFILE, Identifier, canonical
from ._publish import listed_records, published_keys
from ._records import Record
from ._register import Register

__all__ = ["Match", "SearchIndex", "current_profile", "find"]

# The rule `published_keys` gives the key an organizer computes from the same spelling.
CANONICAL_RULE = "canonical"


def current_profile(register: Register) -> str:
    """The profile the next list is published under: the current epoch's, else the default."""
    epoch = register.epochs.current()
    return epoch.profile if epoch is not None else PROFILE


@dataclass(frozen=True)
class Match:
    """A record a query finds, through which of its identifiers and by which rule.

    *rule* is "canonical" when the query and the identifier have the same
    canonical form (the organizer's normalization made them equal), else
    the committee variant rule that published the key the query has.
    """

    record: Record
    identifier: Identifier = field(repr=False)
    rule: str

    @property
    def how(self) -> str:
        """How the match came about, in words (never quoting a value)."""
        what = "an alias" if self.identifier.alias else f"the record's {self.identifier.kind}"
        if self.rule == CANONICAL_RULE:
            return f"{what}, same canonical form"
        return f"{what}, through a committee variant ({self.rule})"

    def listed(self, now: datetime) -> bool:
        """Whether a list published at *now* would hold the record (so screening would hit it)."""
        return self.record.is_published(now) and bool(listed_records([self.record], now))

    def to_dict(self, now: datetime) -> dict[str, Any]:
        """The record (`Record.to_dict`), what matched, and whether screening would list it."""
        return {
            **self.record.to_dict(),
            "expired": self.record.is_expired(now),
            "listed": self.listed(now),
            "matched": {
                "kind": self.identifier.kind,
                "value": self.identifier.value,
                "alias": self.identifier.alias,
                "rule": self.rule,
            },
        }


@dataclass(frozen=True)
class SearchIndex:
    """Every key the records publish under one profile, built once for many queries."""

    profile: str
    keys: dict[tuple[str, str], list[tuple[Record, Identifier, str]]] = field(repr=False)

    @classmethod
    def of(cls, records: Iterable[Record], *, profile: str = PROFILE) -> SearchIndex:
        keys: dict[tuple[str, str], list[tuple[Record, Identifier, str]]] = {}
        for record in records:
            for identifier in record.identifiers:
                for key, rule in published_keys(identifier, profile=profile).items():
                    keys.setdefault((identifier.kind, key), []).append((record, identifier, rule))
        return cls(profile, keys)

    def key_of(self, kind: str, value: str) -> tuple[str, str]:
        """What screening computes for *value*: its kind and its one canonical form.

        Raises `InvalidIdentifier` (which never quotes the value) or `UnknownKind`.
        """
        return kind, canonical(kind, value, profile=self.profile)

    def find(self, kind: str, value: str) -> list[Match]:
        """The records *value* would hit, read as screening reads a cell: oldest first, each once.

        *value* is taken as typed, not cleaned first as an `Identifier`
        is: screening reads cells as they are.  Where several of a
        record's identifiers publish its key, the one with the same
        canonical form wins, then the first on the record.
        """
        best: dict[int, Match] = {}
        for record, own, rule in self.keys.get(self.key_of(kind, value), ()):
            current = best.get(record.id)
            if current is None or (rule == CANONICAL_RULE and current.rule != CANONICAL_RULE):
                best[record.id] = Match(record, own, rule)
        return [best[rid] for rid in sorted(best)]

    def find_any(self, identifiers: Iterable[Identifier]) -> list[Match]:
        """The records any of *identifiers* would hit, oldest first, each once (its first match)."""
        found: dict[int, Match] = {}
        for identifier in identifiers:
            for match in self.find(identifier.kind, identifier.value):
                found.setdefault(match.record.id, match)
        return [found[rid] for rid in sorted(found)]


def find(
    records: Iterable[Record], kind: str, value: str, *, profile: str = PROFILE
) -> list[Match]:
    """The records *value* of *kind* would hit in a list of *profile* (see `SearchIndex.find`)."""
    return SearchIndex.of(records, profile=profile).find(kind, value)
