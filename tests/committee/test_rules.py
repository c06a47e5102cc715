"""The committee's rules as pure functions: no register, no files, no clock.

The stores only write what these decide, so each rule is checked here on
values; tests/committee/test_review.py and test_register.py check that the
stores apply them in one transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.committee import (
    DEFAULT_MINOR_RETENTION,
    KEEP,
    REPORT_STEPS,
    NewRecord,
    NewRecordFor,
    RaisedRecord,
    Record,
    RecordChange,
    ReviewAction,
    check_future,
    check_transition,
    list_expiry,
    plan_outcome,
    report_retention,
    retention_for,
)
from coc_hashscreen.core import Identifier, Status
from coc_hashscreen.errors import InputError
from coc_hashscreen.formats import Person

from ..helpers import NOW, sample_report

JANE = (Identifier("name", "Jane Doe"), Identifier("email", "jane@example.org"))


def _record(status: Status = Status.FLAGGED, **changes: object) -> Record:
    record = Record(
        id=7,
        status=status,
        case_ref="CASE-7",
        created_at=NOW - timedelta(days=10),
        updated_at=NOW - timedelta(days=10),
        expires_at=None,
        identifiers=JANE,
        note="a note",
    )
    return replace(record, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# retention


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_an_expiry_must_lie_in_the_future(seconds: int) -> None:
    expires_at = NOW + timedelta(seconds=seconds)
    if seconds > 0:
        check_future(expires_at, NOW)
    else:
        with pytest.raises(InputError, match="in the future"):
            check_future(expires_at, NOW)


def test_retention_defaults_for_minor_incidents_only() -> None:
    assert retention_for(Status.MINOR, None, NOW) == NOW + DEFAULT_MINOR_RETENTION
    assert retention_for(Status.BANNED, None, NOW) is None
    later = NOW + timedelta(days=3)
    assert retention_for(Status.MINOR, later, NOW) == later
    with pytest.raises(InputError, match="in the future"):
        retention_for(Status.MINOR, NOW - timedelta(days=1), NOW)


def test_a_list_never_outlives_its_first_record_expiry() -> None:
    records = [_record(expires_at=NOW + timedelta(days=5)), _record(expires_at=None)]
    monday = datetime(2026, 1, 19, tzinfo=UTC)  # the week NOW + 5 days falls in
    assert list_expiry(records, NOW, timedelta(days=30)) == (monday, True)
    assert list_expiry(records, NOW, timedelta(days=2)) == (NOW + timedelta(days=2), False)
    assert list_expiry([], NOW, timedelta(days=2)) == (NOW + timedelta(days=2), False)


# ---------------------------------------------------------------------------
# records


def test_a_new_record_is_checked_when_made() -> None:
    new = NewRecord(status="banned", identifiers=[*JANE, JANE[0]])  # type: ignore[arg-type]
    assert new.status is Status.BANNED
    assert new.identifiers == JANE  # repeats merged, the order kept
    with pytest.raises(InputError, match="at least one identifier"):
        NewRecord(status=Status.BANNED, identifiers=[])
    # The case reference is checked when the record is added, after its
    # retention, as it must also be free in the register.
    assert NewRecord(status=Status.BANNED, identifiers=JANE, case_ref="no spaces").case_ref


def test_a_change_keeps_what_it_does_not_name() -> None:
    record = _record(expires_at=NOW + timedelta(days=9))
    changed = RecordChange().apply(record, NOW)
    assert changed == replace(record, updated_at=NOW)
    assert RecordChange(expires_at=KEEP).apply(record, NOW).expires_at == record.expires_at
    assert RecordChange(expires_at=None).apply(record, NOW).expires_at is None


def test_a_record_that_becomes_minor_gets_a_retention() -> None:
    changed = RecordChange(status=Status.MINOR).apply(_record(), NOW)
    assert changed.expires_at == NOW + DEFAULT_MINOR_RETENTION
    with pytest.raises(InputError, match="always has a retention date"):
        RecordChange(expires_at=None).apply(_record(Status.MINOR), NOW)


def test_identifiers_come_and_go_by_their_canonical_form() -> None:
    change = RecordChange(
        add=[Identifier("github", "jane-gh")], remove=[Identifier("email", "JANE@example.org")]
    )
    changed = change.apply(_record(), NOW)
    assert [(i.kind, i.value) for i in changed.identifiers] == [
        ("name", "Jane Doe"),
        ("github", "jane-gh"),
    ]
    with pytest.raises(InputError, match="no such twitter"):
        RecordChange(remove=[Identifier("twitter", "@nobody")]).apply(_record(), NOW)
    with pytest.raises(InputError, match="remove the record instead"):
        RecordChange(remove=JANE).apply(_record(), NOW)
    with pytest.raises(InputError, match="in the future"):
        RecordChange(expires_at=NOW).apply(_record(), NOW)


# ---------------------------------------------------------------------------
# the review


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"to": "archived"}, "unknown step"),
        ({"actor": "  "}, "say who takes this step"),
        ({"to": "reviewed", "outcome": "banned"}, "when a report is assessed"),
        ({"expires_at": NOW + timedelta(days=1)}, "goes with an outcome"),
        ({"outcome": "suspended"}, "unknown status"),
    ],
)
def test_a_review_action_is_checked_when_made(changes: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"to": "assessed", "actor": "Ann", **changes}
    with pytest.raises(InputError, match=message):
        ReviewAction(**args)  # type: ignore[arg-type]


def test_a_report_moves_one_step_at_a_time() -> None:
    for position, current in enumerate(REPORT_STEPS):
        for to in REPORT_STEPS:
            if position + 1 < len(REPORT_STEPS) and to == REPORT_STEPS[position + 1]:
                check_transition("R-1", current, to)
            else:
                with pytest.raises(InputError, match="one step at a time"):
                    check_transition("R-1", current, to)


def test_the_report_keeps_its_outcome_s_retention() -> None:
    later = NOW + timedelta(days=40)
    assert report_retention(ReviewAction("reviewed", actor="x"), NOW) is None
    minor = ReviewAction("assessed", actor="x", outcome=Status.MINOR)
    assert report_retention(minor, NOW) == NOW + DEFAULT_MINOR_RETENTION
    banned = ReviewAction("assessed", actor="x", outcome=Status.BANNED, expires_at=later)
    assert report_retention(banned, NOW) == later
    assert report_retention(replace(banned, expires_at=None), NOW) is None


def test_an_assessment_creates_a_record_for_an_unlinked_reported_person() -> None:
    report = sample_report()
    links = (("reported", None), ("affected", None), ("witness", None))
    action = ReviewAction("assessed", actor="x", outcome=Status.BANNED)
    (item,) = plan_outcome("R-1", report, links, action, {})
    assert isinstance(item, NewRecordFor)
    assert item.position == 0
    assert item.record.status is Status.BANNED
    assert item.record.identifiers == report.people[0].all_identifiers
    assert item.record.note == "from report R-1"


def test_an_assessment_raises_a_linked_record_and_adds_only_new_identifiers() -> None:
    linked = _record(Status.MINOR, expires_at=NOW + timedelta(days=9))
    person = Person("reported", "Jane Doe", (Identifier("email", "jane@example.org"),
                                              Identifier("github", "jane-gh")))  # fmt: skip
    report = sample_report(people=(person,))
    # Every identifier confirmed (ADR 0011: none is added unconfirmed).
    action = ReviewAction(
        "assessed", actor="x", outcome=Status.FLAGGED, add_identifiers=[(0, 0), (0, 1), (0, 2)]
    )
    (item,) = plan_outcome("R-1", report, (("reported", 7),), action, {7: linked})
    assert isinstance(item, RaisedRecord)
    # Raised to flagged; the minor retention no longer fits, and only the
    # handle is new.
    assert (item.record.status, item.record.expires_at) == (Status.FLAGGED, None)
    assert item.record.identifiers == (*JANE, Identifier("github", "jane-gh"))


@given(st.sampled_from([Status.FLAGGED, Status.BANNED]), st.sampled_from(list(Status)))
def test_an_assessment_never_lowers_a_status(outcome: Status, current: Status) -> None:
    linked = _record(current, expires_at=NOW + timedelta(days=9))
    report = sample_report(people=(Person("reported", "Jane Doe"),))
    action = ReviewAction("assessed", actor="x", outcome=outcome)
    (item,) = plan_outcome("R-1", report, (("reported", 7),), action, {7: linked})
    assert isinstance(item, RaisedRecord)
    assert item.record.status.severity == max(outcome.severity, current.severity)


def test_an_assessment_needs_a_reported_person() -> None:
    report = sample_report(people=(Person("affected", "Only Victim"),))
    action = ReviewAction("assessed", actor="x", outcome=Status.BANNED)
    with pytest.raises(InputError, match="names no reported person"):
        plan_outcome("R-1", report, (("affected", None),), action, {})


def test_rules_read_no_clock() -> None:
    """The rules take their time as an argument: the same inputs, the same answer."""
    far = datetime(2031, 1, 1, tzinfo=NOW.tzinfo)
    assert retention_for(Status.MINOR, None, far) == far + DEFAULT_MINOR_RETENTION
    assert RecordChange(status=Status.MINOR).apply(_record(), far).updated_at == far


def test_two_reported_people_linked_to_one_record_both_reach_it() -> None:
    """Each is applied to the record as the one before left it: no identifier is lost."""
    linked = _record(Status.FLAGGED)
    first = Person("reported", "", (Identifier("github", "alias-one"),))
    second = Person("reported", "", (Identifier("github", "alias-two"),))
    report = sample_report(people=(first, second))
    action = ReviewAction(
        "assessed", actor="x", outcome=Status.BANNED, add_identifiers=[(0, 0), (1, 0)]
    )
    plan = plan_outcome("R-1", report, (("reported", 7), ("reported", 7)), action, {7: linked})
    assert [item.position for item in plan] == [0, 1]
    last = plan[-1]
    assert isinstance(last, RaisedRecord)
    assert last.record.status is Status.BANNED
    assert [i.value for i in last.record.identifiers] == [
        "Jane Doe", "jane@example.org", "alias-one", "alias-two",
    ]  # fmt: skip
