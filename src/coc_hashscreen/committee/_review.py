"""The review workflow of incident reports, as pure rules.

A report moves received -> reviewed -> assessed -> recorded, one step at a
time.  At "assessed" the committee may give an outcome: flagged or banned
makes or raises a record for each reported person; minor keeps the report
for a retention period.  These functions decide; `ReportStore.advance`
writes what they decide, in one transaction.

A report is unauthenticated: whoever can seal one to the committee can name
anyone in it.  So an assessment adds to a record it is linked to only the
identifiers the committee confirms one by one (``add_identifiers``); the
identifiers that made the link are on the record already (ADR 0011).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Final

from ..core import Identifier, Status
from ..errors import InputError
from ..formats import IncidentReport
from ._records import NewRecord, Record, canonical_set, unique_identifiers
from ._retention import DEFAULT_POLICY, RetentionPolicy, retention_for

__all__ = [
    "REPORT_STEPS",
    "NewRecordFor",
    "RaisedRecord",
    "ReviewAction",
    "check_transition",
    "new_identifiers",
    "plan_outcome",
    "report_retention",
]

REPORT_STEPS: Final = ("received", "reviewed", "assessed", "recorded")


@dataclass(frozen=True)
class ReviewAction:
    """One step of the review: to which step, who takes it, why, and (at "assessed") the outcome.

    Checked on construction: a known step, someone who takes it, an
    outcome only when a report is assessed, an expiry only with an outcome.
    *outcome* is a `Status` or its value.  *add_identifiers* holds the
    (person, identifier) positions, from 0 in the report's order and in
    ``Person.all_identifiers``, that a flagged or banned outcome adds to the
    record the person is linked to; nothing else from the report is added.
    """

    to: str
    actor: str
    note: str = field(default="", repr=False)
    outcome: Status | None = None
    expires_at: datetime | None = None
    add_identifiers: Sequence[tuple[int, int]] = field(default=(), kw_only=True)

    def __post_init__(self) -> None:
        if self.to not in REPORT_STEPS:
            raise InputError(
                f"unknown step {self.to[:20]!r}; the steps are {', '.join(REPORT_STEPS)}"
            )
        if not self.actor.strip():
            raise InputError("say who takes this step")
        if self.outcome is not None:
            object.__setattr__(self, "outcome", Status.parse(self.outcome))
            if self.to != "assessed":
                raise InputError("an outcome (--status) is given when a report is assessed")
        if self.expires_at is not None and self.outcome is None:
            raise InputError("an expiry (--expires) goes with an outcome (--status)")
        positions = tuple(sorted({(int(p), int(i)) for p, i in self.add_identifiers}))
        object.__setattr__(self, "add_identifiers", positions)
        if positions and (self.outcome is None or not self.outcome.published):
            raise InputError(
                "identifiers are added to a record (--add-identifier) only by a flagged "
                "or banned outcome"
            )
        if any(p < 0 or i < 0 for p, i in positions):
            raise InputError("identifier positions are counted from 1.1")


def check_transition(report_id: str, current: str, to: str) -> None:
    """Refuse any move but to the step right after *current*."""
    position = REPORT_STEPS.index(current)
    expected = REPORT_STEPS[position + 1 : position + 2]
    if to not in expected:
        following = f"the next step is {expected[0]!r}" if expected else "it is final"
        raise InputError(
            f"report {report_id} is {current!r}; a report moves "
            f"{' -> '.join(REPORT_STEPS)} one step at a time, so {following}"
        )


def report_retention(
    action: ReviewAction, now: datetime, policy: RetentionPolicy = DEFAULT_POLICY
) -> datetime | None:
    """The report's own retention after an *action* with an outcome.

    A minor outcome keeps the report for its retention; a flagged or banned
    one until the expiry given for its records, or without one (None) as
    long as the records it is linked to (`report_expiry`): when any of them
    is expunged or removed, the report goes too.  An action without an
    outcome leaves the retention as it is (the caller does not call this).
    """
    if action.outcome is None:
        return None
    return retention_for(action.outcome, action.expires_at, now, policy)


@dataclass(frozen=True)
class NewRecordFor:
    """Assessment result: a reported person with no linked record gets one."""

    position: int
    record: NewRecord


@dataclass(frozen=True)
class RaisedRecord:
    """Assessment result: a linked record, its status raised and the report's identifiers added."""

    position: int
    record: Record


def plan_outcome(
    report_id: str,
    content: IncidentReport,
    links: tuple[tuple[str, int | None], ...],
    action: ReviewAction,
    linked: Mapping[int, Record],
) -> list[NewRecordFor | RaisedRecord]:
    """What a flagged or banned assessment does to the records of the reported people.

    *links* are the report's (role, linked record id) pairs, in its order;
    *linked* holds those records as they are before the assessment.  Only the
    link stored with the report (made on a strong identifier at intake, or by
    the committee) is followed: a name alone never links.  An assessment
    never lowers a status.  A linked record gains only the identifiers in
    ``action.add_identifiers``: a report may carry an innocent person's
    e-mail beside the offender's; a person with no record gets a new one
    from every identifier the report gives for them.
    """
    assert action.outcome is not None
    assert action.outcome.published
    reported = [(n, p) for n, p in enumerate(content.people) if p.role == "reported"]
    if not reported:
        raise InputError(
            "the report names no reported person; add a record with 'committee add' and "
            "assess the report as minor or without an outcome"
        )
    confirmed = _confirmed(content, links, action)
    plan: list[NewRecordFor | RaisedRecord] = []
    # Two reported people may be linked to one record: the second is
    # applied to the record as the first left it.
    records = dict(linked)
    for n, person in reported:
        record_id = links[n][1]
        if record_id is None:
            new = NewRecord(
                status=action.outcome,
                identifiers=person.all_identifiers,
                expires_at=action.expires_at,
                note=f"from report {report_id}",
            )
            plan.append(NewRecordFor(n, new))
        else:
            added = tuple(person.all_identifiers[i] for p, i in confirmed if p == n)
            records[record_id] = _raised(records[record_id], added, action)
            plan.append(RaisedRecord(n, records[record_id]))
    return plan


def _confirmed(
    content: IncidentReport, links: tuple[tuple[str, int | None], ...], action: ReviewAction
) -> tuple[tuple[int, int], ...]:
    """*action*'s confirmed identifiers, each checked to be one a reported, linked person has."""
    for p, i in action.add_identifiers:
        person = content.people[p] if p < len(content.people) else None
        if (
            person is None
            or person.role != "reported"
            or links[p][1] is None
            or i >= len(person.all_identifiers)
        ):
            raise InputError(
                f"the report has no identifier {p + 1}.{i + 1} of a reported person linked "
                "to a record; see the numbers 'committee show-report' prints"
            )
    return tuple(action.add_identifiers)


def new_identifiers(
    content: IncidentReport, links: tuple[tuple[str, int | None], ...], linked: Mapping[int, Record]
) -> tuple[tuple[int, int], ...]:
    """The (person, identifier) positions of linked people that their record does not hold.

    What `show-report` marks as new: an assessment adds none of them unless
    the committee confirms it (``ReviewAction.add_identifiers``).
    """
    found: list[tuple[int, int]] = []
    for p, person in enumerate(content.people):
        record_id = links[p][1]
        if record_id is None or record_id not in linked:
            continue
        known = canonical_set(linked[record_id].identifiers)
        found.extend(
            (p, i)
            for i, identifier in enumerate(person.all_identifiers)
            if (identifier.kind, identifier.canonical) not in known
        )
    return tuple(found)


def _raised(record: Record, identifiers: tuple[Identifier, ...], action: ReviewAction) -> Record:
    assert action.outcome is not None
    status = action.outcome if action.outcome.severity > record.status.severity else record.status
    # The assessment's expiry applies; without one, a minor record's
    # retention no longer fits a flagged or banned one.
    expires_at = action.expires_at
    if expires_at is None and record.status is not Status.MINOR:
        expires_at = record.expires_at
    known = canonical_set(record.identifiers)
    extra = unique_identifiers(i for i in identifiers if (i.kind, i.canonical) not in known)
    return replace(
        record, status=status, expires_at=expires_at, identifiers=record.identifiers + extra
    )
