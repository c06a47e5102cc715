"""What a screening run reports: matches, rows not screened, and the list it used.

Results carry nothing about people who did not match beyond counts (and
the row numbers of rows that could not be screened), unless the caller asked
for the clear rows.  ``to_dict`` gives the JSON schema of
docs/organizer-guide.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Final

from ..core import KINDS, Argon2Params, Status, Strength
from ..formats import ListHeader

__all__ = [
    "MAX_DETAILS",
    "GoneMatch",
    "Hit",
    "InvalidValue",
    "ListInfo",
    "Match",
    "RecordRef",
    "ScreeningReport",
    "SinceLast",
    "merge_reports",
]

# Rows not screened and identifiers that could not be read are listed up to
# this many each, and counted beyond: a file of garbage must not make a
# report (and its memory) grow with every bad row.
MAX_DETAILS: Final = 1_000


# A hit on the person themselves outranks one through their order's contact.
_STRENGTH_RANK: Final = {Strength.STRONG: 0, Strength.NAME_ONLY: 1, Strength.ORDER_CONTACT: 2}


@dataclass(frozen=True)
class Hit:
    """One identifier of a record that is on the list."""

    kind: str
    status: Status
    strength: Strength
    case_ref: str
    # The committee marked this record's name common: many people share it.
    common_name: bool = False
    # Another listed record has this name too (the hit names the most
    # severe): never cleared, so asking about one case cannot hide another.
    shared: bool = False
    # The committee whose list it is on: a run may screen against several.
    committee: str = ""

    def rank(self) -> tuple[int, int, str]:
        """Sort key: strong evidence first, then name-only, then the order's
        contact; within each, the more severe status."""
        return (_STRENGTH_RANK[self.strength], -self.status.severity, self.case_ref)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "status": self.status.value,
            "strength": self.strength.value,
            "case_ref": self.case_ref,
            **({"common_name": True} if self.common_name else {}),
            **({"shared": True} if self.shared else {}),
            **({"committee": self.committee} if self.committee else {}),
        }


# The keys of ``ref`` that say where a record is, not what it passed through.
_POSITION_KEYS: Final = frozenset({"row", "line"})


@dataclass(frozen=True)
class RecordRef:
    """A record of the input, by position and by the fields it passed through."""

    index: int
    ref: Mapping[str, Any]

    @property
    def row(self) -> int:
        """The input's own row number if it gave one, else the 1-based position."""
        row = self.ref.get("row")
        return row if isinstance(row, int) and not isinstance(row, bool) else self.index

    @property
    def line(self) -> int | None:
        """Where the record starts in its source (a CSV line, a spreadsheet row), if known."""
        line = self.ref.get("line")
        return line if isinstance(line, int) and not isinstance(line, bool) else None

    @property
    def label(self) -> int:
        """The number people find the record by: its source line, else its row."""
        line = self.line
        return self.row if line is None else line

    @property
    def passthrough(self) -> dict[str, Any]:
        """The fields the input passed through, but for the row and line numbers."""
        return {str(k): v for k, v in self.ref.items() if k not in _POSITION_KEYS}

    def position(self) -> dict[str, int]:
        """``row``, and ``line`` when the source gave one, for JSON."""
        line = self.line
        return {"row": self.row} if line is None else {"row": self.row, "line": line}


@dataclass(frozen=True)
class Match(RecordRef):
    """A record with at least one identifier on the list.

    *screened* is False when the row had no usable identifier of its own
    and matched only through the order's contact.  *change* says how it
    compares with the last run on the same input (`compare_runs`): "new",
    "changed" or "unchanged"; None when there was no last run.
    """

    hits: tuple[Hit, ...]
    screened: bool = True
    change: str | None = None

    @property
    def best(self) -> Hit:
        return min(self.hits, key=Hit.rank)

    @property
    def status(self) -> Status:
        return self.best.status

    @property
    def strength(self) -> Strength:
        """Strong when an e-mail or handle matched; name-only when only names did."""
        return self.best.strength

    @property
    def case_ref(self) -> str:
        return self.best.case_ref

    @property
    def matched(self) -> tuple[str, ...]:
        """The kinds that matched, in the order of `KINDS`; the order's as ``order-KIND``."""
        own = {hit.kind for hit in self.hits if hit.strength is not Strength.ORDER_CONTACT}
        order = {hit.kind for hit in self.hits if hit.strength is Strength.ORDER_CONTACT}
        return tuple(kind for kind in KINDS if kind in own) + tuple(
            f"order-{kind}" for kind in KINDS if kind in order
        )

    @property
    def needs_confirmation(self) -> bool:
        """No account of the person matched: only a name (different people share
        names) or only the order's contact (the buyer, not necessarily them)."""
        return self.strength is not Strength.STRONG

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            **self.position(),
            "status": self.status.value,
            "strength": self.strength.value,
            "matched": list(self.matched),
            "case_ref": self.case_ref,
            "needs_confirmation": self.needs_confirmation,
            "hits": [hit.to_dict() for hit in self.hits],
            "change": self.change,
        }
        if self.passthrough:
            result["ref"] = self.passthrough
        return result


@dataclass(frozen=True)
class InvalidValue(RecordRef):
    """An identifier that could not be normalized: which rule failed, not the value."""

    kind: str
    rule: str


@dataclass(frozen=True)
class ListInfo:
    """What the report says about the list it screened against."""

    committee: str
    series: bytes
    epoch: int
    version: int
    issued_at: datetime
    expires_at: datetime
    profile: str
    kdf: Argon2Params
    # An online list's service (None: an offline list).
    endpoint: str | None = None

    @classmethod
    def of(cls, header: ListHeader, committee: str) -> ListInfo:
        return cls(
            committee=committee,
            series=header.series,
            epoch=header.epoch,
            version=header.version,
            issued_at=header.issued_at,
            expires_at=header.expires_at,
            profile=header.profile,
            kdf=header.kdf,
            endpoint=header.online.endpoint if header.online is not None else None,
        )

    def to_dict(self) -> dict[str, Any]:
        online = {"endpoint": self.endpoint} if self.endpoint is not None else {}
        return {
            **online,
            "committee": self.committee,
            "series": self.series.hex(),
            "epoch": self.epoch,
            "version": self.version,
            "issued_at": _iso(self.issued_at),
            "expires_at": _iso(self.expires_at),
            "profile": self.profile,
            "kdf": self.kdf.to_dict(),
        }


def _online(reports: Sequence[ScreeningReport]) -> list[ScreeningReport]:
    return [r for r in reports if r.list.endpoint is not None]


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class DismissedMatch(RecordRef):
    """A record whose only matches were name-only ones the committee had cleared.

    Not alerted again (`organizer clear-match`); ``case_refs`` says which.
    """

    case_refs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.position(), "case_refs": list(self.case_refs)}


@dataclass(frozen=True)
class ScreeningReport:
    """The result of one screening run.

    Nothing about people who did not match is kept beyond counts, unless
    ``include_clear`` was asked for.  ``records`` counts every record read;
    ``screened`` those with at least one usable identifier.  ``unusable``
    lists the others: they were not screened, and are never dropped
    silently.  ``unusable`` and ``invalid`` keep the first `MAX_DETAILS`
    each; ``unusable_omitted`` and ``invalid_omitted`` count the rest.
    ``unscreened_matches`` counts the matches on rows not screened: only
    the order's contact (the buyer) matched, the person was not checked.
    ``dismissed`` lists the rows whose name-only matches the committee had
    cleared before: screened, and not alerted again.  ``mixed_scripts``
    lists the rows (the first `MAX_DETAILS`) with a name that still mixes
    Latin with another script in one word (profile v2): worth a look.
    ``identifiers_from_cache`` counts the identifiers hashed without Argon2,
    their Argon2 output kept from an earlier run of the epoch.
    """

    list: ListInfo
    records: int
    screened: int
    identifiers_hashed: int
    matches: tuple[Match, ...]
    unusable: tuple[RecordRef, ...]
    invalid: tuple[InvalidValue, ...]
    clear: tuple[RecordRef, ...] | None = None
    unusable_omitted: int = 0
    invalid_omitted: int = 0
    unscreened_matches: int = 0
    dismissed: tuple[DismissedMatch, ...] = ()
    mixed_scripts: tuple[RecordRef, ...] = ()
    identifiers_from_cache: int = 0
    # Online lists: inputs sent to the committee's service (padding
    # included), and the quota it said was left (None: not said).
    service_evaluations: int = 0
    service_remaining: int | None = None
    # Further lists screened in the same run (`merge_reports`).
    other_lists: tuple[ListInfo, ...] = ()
    since: SinceLast | None = None

    @property
    def lists(self) -> tuple[ListInfo, ...]:
        """Every list this run screened against, the first being ``list``."""
        return (self.list, *self.other_lists)

    def _service_dict(self) -> dict[str, Any]:
        if all(info.endpoint is None for info in self.lists):
            return {}
        return {
            "service_evaluations": self.service_evaluations,
            "service_remaining": self.service_remaining,
        }

    @property
    def unusable_count(self) -> int:
        """Every row not screened, listed or not."""
        return len(self.unusable) + self.unusable_omitted

    @property
    def invalid_count(self) -> int:
        """Every identifier that could not be read, listed or not."""
        return len(self.invalid) + self.invalid_omitted

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (the JSON schema of docs/organizer-guide.md)."""
        result: dict[str, Any] = {
            "list": self.list.to_dict(),
            "records": self.records,
            "screened": self.screened,
            "identifiers_hashed": self.identifiers_hashed,
            "identifiers_from_cache": self.identifiers_from_cache,
            **self._service_dict(),
            "matches": [m.to_dict() for m in self.matches],
            "unusable_rows": [r.row for r in self.unusable],
            "invalid_identifiers": [
                {**i.position(), "kind": i.kind, "rule": i.rule} for i in self.invalid
            ],
            "unusable_rows_omitted": self.unusable_omitted,
            "invalid_identifiers_omitted": self.invalid_omitted,
            "matches_on_unscreened_rows": self.unscreened_matches,
            "dismissed_matches": [d.to_dict() for d in self.dismissed],
            "mixed_script_rows": [r.row for r in self.mixed_scripts],
            "lists": [info.to_dict() for info in self.lists],
            "since_last_run": None if self.since is None else self.since.to_dict(),
        }
        if self.clear is not None:
            result["clear_rows"] = [r.row for r in self.clear]
        # Where each listed row starts in its source, when the source says so.
        listed = (*self.unusable, *(self.clear or ()))
        if any(r.line is not None for r in listed):
            result["row_lines"] = {str(r.row): r.line for r in listed if r.line is not None}
        return result


@dataclass(frozen=True)
class GoneMatch:
    """A row that matched in the last run and does not now: left the input, or
    no longer on a list.  Its row number is the last run's."""

    row: int
    case_refs: tuple[str, ...]
    statuses: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "case_refs": list(self.case_refs), "statuses": list(self.statuses)}


@dataclass(frozen=True)
class SinceLast:
    """How this run compares with the last one on the same input (`compare_runs`)."""

    previous_at: datetime
    previous_records: int
    new_rows: int
    changed_rows: int
    gone_rows: int
    gone_matches: tuple[GoneMatch, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "previous_run": _iso(self.previous_at),
            "previous_records": self.previous_records,
            "new_rows": self.new_rows,
            "changed_rows": self.changed_rows,
            "gone_rows": self.gone_rows,
            "gone_matches": [g.to_dict() for g in self.gone_matches],
        }


def merge_reports(reports: Sequence[ScreeningReport]) -> ScreeningReport:
    """One report of one input screened against several lists.

    Each hit names its committee; a row matched by several lists is one
    match with every hit, strongest first.  Profiles differ in what they can
    read (v1 refuses some names v2 reads), so a row counts as screened only
    when every list could screen it: the rows not screened are those of any
    report, and the counts beyond the listed ones the largest.
    """
    first, *rest = reports
    if not rest:
        return first
    by_index: dict[int, list[Match]] = {}
    for report in reports:
        for match in report.matches:
            by_index.setdefault(match.index, []).append(match)
    matches = tuple(
        replace(
            found[0],
            hits=tuple(sorted(dict.fromkeys(h for m in found for h in m.hits), key=Hit.rank)),
            screened=all(m.screened for m in found),
        )
        for _, found in sorted(by_index.items())
    )
    matched = set(by_index)
    unusable = {r.index: r for report in reports for r in report.unusable}
    unusable_omitted = max(report.unusable_omitted for report in reports)
    dismissed = {
        d.index: d for r in reversed(reports) for d in r.dismissed if d.index not in matched
    }
    invalid = {(i.index, i.kind, i.rule): i for r in reversed(reports) for i in r.invalid}
    mixed = {m.index: m for r in reports for m in r.mixed_scripts}
    return replace(
        first,
        matches=matches,
        identifiers_hashed=sum(r.identifiers_hashed for r in reports),
        identifiers_from_cache=sum(r.identifiers_from_cache for r in reports),
        service_evaluations=sum(r.service_evaluations for r in reports),
        # The quota left is one grant's: said only when one list was online.
        service_remaining=(
            online[0].service_remaining if len(online := _online(reports)) == 1 else None
        ),
        unscreened_matches=sum(not m.screened for m in matches),
        dismissed=tuple(d for _, d in sorted(dismissed.items())),
        invalid=tuple(i for _, i in sorted(invalid.items()))[:MAX_DETAILS],
        mixed_scripts=tuple(m for _, m in sorted(mixed.items()))[:MAX_DETAILS],
        unusable=tuple(r for _, r in sorted(unusable.items()))[:MAX_DETAILS],
        unusable_omitted=unusable_omitted + max(0, len(unusable) - MAX_DETAILS),
        screened=first.records - len(unusable) - unusable_omitted,
        invalid_omitted=max(report.invalid_omitted for report in reports),
        clear=None
        if first.clear is None
        else tuple(
            r
            for r in first.clear
            if r.index not in matched and r.index not in unusable and r.index not in dismissed
        ),
        other_lists=tuple(info for r in rest for info in r.lists),
    )
