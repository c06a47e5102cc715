"""Decision dates and the retention policy; the audit trail of every change to the register."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.committee import (
    AUDIT_ACTIONS,
    Committee,
    GrantRequest,
    NewRecord,
    Period,
    PublishOptions,
    RecordChange,
    RetentionPolicy,
    ReviewAction,
    record_expiry,
)
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, Identifier, Status
from coc_hashscreen.errors import InputError, RetentionEnded
from coc_hashscreen.formats import Person, seal_report

from ..conftest import World
from ..helpers import NOW, raw_database, sample_report

CHEAP = KDF_PROFILES["test-only"]


# ---------------------------------------------------------------------------
# periods and the policy


@pytest.mark.parametrize(
    ("text", "period", "words"),
    [
        ("2y", Period(years=2), "2 years"),
        ("18m", Period(months=18), "18 months"),
        ("1y6m", Period(years=1, months=6), "1 year 6 months"),
        ("730d", Period(days=730), "730 days"),
        (" 1Y2M3D ", Period(1, 2, 3), "1 year 2 months 3 days"),
    ],
)
def test_periods_read_and_say_themselves(text: str, period: Period, words: str) -> None:
    assert Period.parse(text) == period
    assert period.describe() == words
    assert Period.parse(str(period)) == period


@pytest.mark.parametrize("text", ["", "2", "y", "2w", "-1y", "0d", "2d1y", "1.5y"])
def test_a_period_that_does_not_read_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="retention period"):
        Period.parse(text)


def test_calendar_periods_end_on_the_last_day_of_a_short_month() -> None:
    leap = datetime(2024, 2, 29, tzinfo=UTC)
    assert Period(years=1).after(leap) == datetime(2025, 2, 28, tzinfo=UTC)
    assert Period(months=1).after(datetime(2025, 1, 31, tzinfo=UTC)) == datetime(
        2025, 2, 28, tzinfo=UTC
    )
    assert Period(months=13, days=1).after(leap) == datetime(2025, 3, 30, tzinfo=UTC)


@given(
    start=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
    ),
    years=st.integers(0, 10),
    months=st.integers(0, 30),
    days=st.integers(0, 800),
)
def test_a_period_always_ends_later_and_longer_ones_end_no_sooner(
    start: datetime, years: int, months: int, days: int
) -> None:
    if not (years or months or days):
        return
    period = Period(years, months, days)
    end = period.after(start)
    assert end > start
    assert Period(years, months, days + 1).after(start) > end
    assert Period(years, months + 1, days).after(start) >= end


def test_retention_counts_from_the_decision_by_the_policy() -> None:
    policy = RetentionPolicy(minor=Period(years=2), flagged=Period(years=5))
    decided = datetime(2024, 3, 1, tzinfo=UTC)
    expiry = record_expiry(
        Status.MINOR, decided_at=decided, expires_at=None, now=NOW, policy=policy
    )
    assert expiry == datetime(2026, 3, 1, tzinfo=UTC)
    flagged = record_expiry(
        Status.FLAGGED, decided_at=decided, expires_at=None, now=NOW, policy=policy
    )
    assert flagged == datetime(2029, 3, 1, tzinfo=UTC)
    banned = record_expiry(
        Status.BANNED, decided_at=decided, expires_at=None, now=NOW, policy=policy
    )
    assert banned is None
    with pytest.raises(RetentionEnded, match=r"ended on 2024-03-01 \(minor records are kept 2 "):
        record_expiry(
            Status.MINOR, decided_at=datetime(2022, 3, 1, tzinfo=UTC), expires_at=None, now=NOW,
            policy=policy,
        )  # fmt: skip


def test_the_policy_is_the_committees_and_applies_to_new_decisions(tmp_path: Path) -> None:
    with Committee.init(tmp_path / "c", name="Policy Committee", now=NOW) as committee:
        register = committee.register
        old = register.records.add(
            NewRecord(status=Status.FLAGGED, identifiers=[Identifier("github", "old-one")]),
            now=NOW,
        )
        register.set_policy(RetentionPolicy(flagged=Period(years=1)), now=NOW)
        assert register.settings.policy().flagged == Period(years=1)
        # A record already in the register keeps its expiry.
        assert register.records.get(old.id).expires_at is None
        decided = NOW - timedelta(days=100)
        new = register.records.add(
            NewRecord(
                status=Status.FLAGGED,
                identifiers=[Identifier("github", "new-one")],
                decided_at=decided,
            ),
            now=NOW,
        )
        assert new.decided_at == decided
        assert new.expires_at == Period(years=1).after(decided)
        # A new decision on the old record counts from its day.
        again = register.records.update(
            old.id, RecordChange(decided_at=NOW - timedelta(days=10)), now=NOW
        )
        assert again.expires_at == Period(years=1).after(NOW - timedelta(days=10))
        # Lowered to minor without a date: the policy's minor period, from today.
        lowered = register.records.update(new.id, RecordChange(status=Status.MINOR), now=NOW)
        assert lowered.decided_at == NOW
        assert lowered.expires_at == NOW + timedelta(days=730)
        # Raised from minor: the minor retention does not carry over to a ban.
        raised = register.records.update(new.id, RecordChange(status=Status.BANNED), now=NOW)
        assert raised.expires_at is None
        # A ban with an expiry the committee set, lowered to flagged: the
        # policy's period for flagged counts from the new decision.
        set_end = NOW + timedelta(days=900)
        register.records.update(new.id, RecordChange(expires_at=set_end), now=NOW)
        kept = register.records.update(
            new.id, RecordChange(status=Status.BANNED, note="said again"), now=NOW
        )
        # The same status said again is no new decision: nothing moves.
        assert (kept.decided_at, kept.expires_at) == (raised.decided_at, set_end)
        (entry,) = register.audit.entries()[-1:]
        assert entry.details["fields"] == ["note"]
        lowered_again = register.records.update(
            new.id, RecordChange(status=Status.FLAGGED), now=NOW + timedelta(days=1)
        )
        assert lowered_again.expires_at == Period(years=1).after(NOW + timedelta(days=1))
        (entry,) = register.audit.entries()[-1:]
        assert entry.details["fields"] == ["status", "decided_at", "expires_at"]
        assert entry.details["expires_at"] == lowered_again.expires_at.date().isoformat()
        with pytest.raises(InputError, match="decision date is in the future"):
            register.records.update(
                old.id, RecordChange(decided_at=NOW + timedelta(days=1)), now=NOW
            )
        with pytest.raises(RetentionEnded, match="remove the record"):
            register.records.update(
                old.id, RecordChange(decided_at=NOW - timedelta(days=400)), now=NOW
            )
        assert register.records.get(old.id).expires_at == again.expires_at


def test_a_register_of_schema_5_opens_with_no_decision_dates(tmp_path: Path) -> None:
    with Committee.init(tmp_path / "c", name="Old Committee", now=NOW) as committee:
        committee.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "x")]), now=NOW
        )
        path = committee.register.path
    with raw_database(path) as db:
        db.execute("UPDATE records SET decided_at = NULL")
    with Committee.open(tmp_path / "c") as committee:
        (record,) = committee.register.records.all()
        assert record.decided_at is None
        assert record.to_dict()["decided_at"] is None


# ---------------------------------------------------------------------------
# the audit trail


def test_every_change_is_in_the_trail_and_no_identifier_survives_an_expunge(
    world: World,
) -> None:
    committee = world.committee
    register = committee.register
    marker_email = "audit-marker-zq@expunged.example"
    marker_handle = "audit-marker-handle"
    marker_alias = "Quillon Audit-Marker"
    marker_note = "audit marker note text"
    record = register.records.add(
        NewRecord(
            status=Status.MINOR,
            identifiers=[Identifier("email", marker_email), Identifier("name", marker_alias, True)],
            case_ref="MARK-1",
            note=marker_note,
            expires_at=NOW + timedelta(days=5),
        ),
        now=NOW,
    )
    committee.update_record(
        record.id,
        RecordChange(add=[Identifier("github", marker_handle)], note="changed marker note"),
        now=NOW,
    )
    register.import_rows(
        ["Name", "E-Mail", "Status", "Case"],
        [(2, ["Imported Person", "imported-marker@x.example", "minor", "MARK-2"])],
        now=NOW,
    )
    report = sample_report(people=(Person("reported", "", (Identifier("email", marker_email),)),))
    report_id = committee.intake(
        seal_report(report, trust=committee.trust), actor="Intake Person", now=NOW
    ).report.id
    register.reports.link(report_id, 0, None)
    register.reports.link(report_id, 0, record.id)
    register.reports.advance(report_id, ReviewAction("reviewed", actor="Rev Iewer"), now=NOW)
    organizer = HpkePrivateKey.generate()
    committee.publish(world.tmp / "a.list", PublishOptions(kdf=CHEAP), now=NOW)
    request = GrantRequest(organizer.public_key, "Audit Org", quota=100)
    committee.grant(request, world.tmp / "o.grant", now=NOW)
    register.organizers.revoke(organizer.public_key.key_id, now=NOW)
    register.set_policy(RetentionPolicy(minor=Period(years=1)), now=NOW)
    plan = register.expunge_plan(now=NOW + timedelta(days=6))
    assert plan.case_refs == ("MARK-1",)
    assert plan.reports == (report_id,)
    result = committee.expunge(now=NOW + timedelta(days=6))
    assert result.case_refs == ("MARK-1",)
    committee.remove_record(
        next(r.id for r in register.records.all() if r.case_ref == "MARK-2"), now=NOW
    )

    actions = {entry.action for entry in register.audit.entries()}
    assert actions >= set(AUDIT_ACTIONS) - {"restore"}
    trail = register.audit.entries(case_ref="MARK-1")
    assert [e.action for e in trail] == ["add", "update", "intake", "link", "link", "expunge"]
    assert trail[1].details == {
        "fields": ["note"],
        "added": {"github": 1},
        "rotated_to": None,
    }
    assert trail[0].details["identifiers"] == {"alias": 1, "email": 1}
    intake = register.audit.entries(action="intake")[0]
    assert intake.actor == "Intake Person"
    assert register.audit.entries(action="review")[0].actor == "Rev Iewer"
    raw = b"".join(p.read_bytes() for p in sorted(committee.directory.glob("register.sqlite3*")))
    for needle in (marker_email, marker_handle, marker_alias, marker_note, "imported-marker"):
        assert needle.encode() not in raw, needle
        assert needle not in str([e.to_dict() for e in register.audit.entries()])


def test_the_actor_is_who_opened_the_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "c"
    Committee.init(directory, name="Actor Committee", now=NOW).close()
    monkeypatch.setenv("COC_HASHSCREEN_MEMBER", "Member From Env")
    with Committee.open(directory) as committee:
        committee.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "a")]), now=NOW
        )
    with Committee.open(directory, actor="Named Member") as committee:
        committee.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "b")]), now=NOW
        )
        assert [e.actor for e in committee.register.audit.entries()] == [
            "Member From Env",
            "Named Member",
        ]
    with pytest.raises(InputError, match=r"committee member.s name"):
        Committee.open(directory, actor="bad\x1bname")


def test_a_publish_that_cannot_sign_or_write_changes_nothing(tmp_path: Path) -> None:
    from coc_hashscreen.errors import WrongPassphrase
    from coc_hashscreen.formats import Passphrase

    from ..helpers import cheap_protection

    directory = tmp_path / "c"
    Committee.init(directory, name="P", now=NOW, protection=cheap_protection()).close()

    def wrong() -> Passphrase:
        return Passphrase.from_text("not the passphrase")

    with Committee.open(directory, passphrase=wrong) as committee:
        committee.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "p")]), now=NOW
        )
        before = committee.register.audit.entries()
        for rotate in (False, True):
            with pytest.raises(WrongPassphrase):
                committee.publish(tmp_path / "l.list", PublishOptions(kdf=CHEAP, rotate=rotate))
        assert committee.register.epochs.current() is None
        assert committee.register.epochs.publications() == []
        assert committee.register.audit.entries() == before
    with Committee.open(directory) as committee, pytest.raises(InputError, match="cannot write"):
        committee.publish(tmp_path / "missing" / "l.list", PublishOptions(kdf=CHEAP))


def test_a_case_keeps_its_history_across_renames_and_no_one_inherits_it(
    tmp_path: Path,
) -> None:
    with Committee.init(tmp_path / "c", name="History", now=NOW) as committee:
        register = committee.register
        first = register.records.add(
            NewRecord(Status.BANNED, [Identifier("github", "one")], case_ref="OLD-1"), now=NOW
        )
        register.records.update(first.id, RecordChange(case_ref="NEW-1"), now=NOW)
        register.records.update(first.id, RecordChange(note="later"), now=NOW)
        # The case's whole history, under either of its references.
        for ref in ("OLD-1", "NEW-1"):
            assert [e.action for e in register.audit.entries(case_ref=ref)] == [
                "add", "update", "update",
            ]  # fmt: skip
        gone = register.records.add(
            NewRecord(Status.BANNED, [Identifier("github", "two")], case_ref="GONE-1"), now=NOW
        )
        committee.remove_record(gone.id, now=NOW)
        for ref in ("GONE-1", "OLD-1"):
            with pytest.raises(InputError, match="belonged to a record that was removed"):
                register.records.add(
                    NewRecord(Status.FLAGGED, [Identifier("github", "three")], case_ref=ref),
                    now=NOW,
                )
        plan = register.plan_import(
            ["Name", "Status", "Case"], [(2, ["Some One", "flagged", "GONE-1"])], now=NOW
        )
        assert "belonged to a record that was removed" in str(plan.rows[0].reason)
