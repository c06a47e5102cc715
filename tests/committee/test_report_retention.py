"""A report never outlives a record it names (issue 11, finding 1; ADR 0011).

Each scenario of the finding runs through the CLI, as a committee would
type it, on a clock the test moves: afterwards the person's name, e-mail
and notes, and the report's free text, are searched for in the raw bytes of
register.sqlite3 and its -wal and -journal files, and show-report must no
longer find the report.  The CLI's "no byte of them is left" is checked
against those bytes.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.cli import main
from coc_hashscreen.committee import DEFAULT_REPORT_RETENTION, Committee, report_expiry
from coc_hashscreen.core import Identifier, _clock
from coc_hashscreen.formats import Person, seal_report

from ..helpers import NOW, sample_report

NAME = "Zebulon Quartermaine"
EMAIL = "zq.marker@example.net"
NOTES = "notes-marker-kestrel"
FACTS = "facts-marker-heron"
NEEDLES = (NAME.encode(), EMAIL.encode(), NOTES.encode(), FACTS.encode())


class Clock:
    """The time every command reads: set by the test, moved forward by it."""

    def __init__(self) -> None:
        self.at = NOW

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        clock = self

        class Fixed(datetime):
            @classmethod
            def now(cls, tz: object = None) -> Fixed:
                return cls.fromtimestamp(clock.at.timestamp(), UTC)

        monkeypatch.setattr(_clock, "datetime", Fixed)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock()
    fixed.install(monkeypatch)
    return fixed


@pytest.fixture
def directory(tmp_path: Path, clock: Clock) -> Path:
    path = tmp_path / "committee"
    Committee.init(path, name="Retention Committee", now=NOW).close()
    return path


def cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> str:
    code, out, err = cli(capsys, *argv)
    assert code == 0, err
    return out


def raw(directory: Path) -> bytes:
    """Every byte of the register: the database, its WAL and any journal."""
    return b"".join(p.read_bytes() for p in sorted(directory.glob("register.sqlite3*")))


def receive(directory: Path, *others: Person, email: str = EMAIL) -> str:
    """Intake a report naming the marked person (and *others*); its id."""
    marked = Person("reported", NAME, (Identifier("email", email),), notes=NOTES)
    report = sample_report(people=(marked, *others), facts=FACTS, attachments=())
    with Committee.open(directory) as committee:
        return committee.intake(seal_report(report, trust=committee.trust)).report.id


def record_of(directory: Path, report_id: str, position: int = 0) -> int:
    with Committee.open(directory) as committee:
        record = committee.register.reports.get(report_id).people[position][1]
    assert record is not None
    return record


def assess(
    capsys: pytest.CaptureFixture[str], directory: Path, report_id: str, *extra: str
) -> None:
    ok(capsys, "committee", "review", directory, report_id, "--to", "reviewed")
    ok(capsys, "committee", "review", directory, report_id, "--to", "assessed", *extra)


def assert_gone(capsys: pytest.CaptureFixture[str], directory: Path, report_id: str) -> None:
    left = raw(directory)
    assert [n for n in NEEDLES if n in left] == []
    code, out, err = cli(capsys, "committee", "show-report", directory, report_id)
    assert code != 0
    assert "no report" in err
    assert NAME not in out + err


def test_a_linked_at_intake_banned_report_goes_with_its_record(
    directory: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scenario A: linked at intake to a record with a retention; assessed without --expires."""
    expires = f"{NOW + timedelta(days=60):%Y-%m-%d}"
    ok(capsys, "committee", "add", directory, "--status", "banned", "--email", EMAIL,
       "--expires", expires)  # fmt: skip
    report_id = receive(directory)
    assert record_of(directory, report_id) == 1
    assess(capsys, directory, report_id, "--status", "banned")
    assert all(n in raw(directory) for n in NEEDLES)
    assert NAME in ok(capsys, "committee", "show-report", directory, report_id)
    clock.at = NOW + timedelta(days=61)
    out = ok(capsys, "committee", "expunge", directory)
    assert_gone(capsys, directory, report_id)
    assert "Expunged 1 record(s) and 1 report(s)" in out
    assert "no byte of them is left" in out


def test_a_report_follows_a_retention_set_later(
    directory: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scenario B: the report made the record; its retention is set later with update."""
    report_id = receive(directory)
    assess(capsys, directory, report_id, "--status", "flagged")
    record = record_of(directory, report_id)
    with Committee.open(directory) as committee:
        assert committee.register.reports.get(report_id).expires_at is None
    later = NOW + timedelta(days=10)
    ok(capsys, "committee", "update", directory, str(record), "--expires", f"{later:%Y-%m-%d}")
    with Committee.open(directory) as committee:
        assert committee.register.reports.get(report_id).expires_at == datetime(
            later.year, later.month, later.day, tzinfo=UTC
        )
    clock.at = later + timedelta(days=1)
    out = ok(capsys, "committee", "expunge", directory)
    assert_gone(capsys, directory, report_id)
    assert "Expunged 1 record(s) and 1 report(s)" in out


def test_removing_a_record_removes_the_reports_that_name_it(
    directory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scenario C: 'committee remove' of a record a report made."""
    report_id = receive(directory)
    keeper = receive(directory, email="someone.else@example.net")  # another report, kept
    assess(capsys, directory, report_id, "--status", "banned")
    record = record_of(directory, report_id)
    out = ok(capsys, "committee", "remove", directory, str(record))
    left = raw(directory)
    # The other report names the same name: only its e-mail tells it apart.
    assert EMAIL.encode() not in left
    assert b"someone.else@example.net" in left
    code, _, err = cli(capsys, "committee", "show-report", directory, report_id)
    assert (code != 0, "no report" in err) == (True, True)
    assert keeper in ok(capsys, "committee", "reports", directory)
    assert f"Removed record {record} (case " in out
    assert "and 1 report(s) naming the person" in out
    assert "no byte of them is left" in out


def test_an_unassessed_report_linked_at_intake_goes_with_its_record(
    directory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok(capsys, "committee", "add", directory, "--status", "flagged", "--email", EMAIL)
    report_id = receive(directory)
    assert record_of(directory, report_id) == 1
    out = ok(capsys, "committee", "remove", directory, "1")
    assert_gone(capsys, directory, report_id)
    assert "1 report(s)" in out


def test_removing_a_record_removes_unlinked_reports_sharing_its_email(
    directory: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report the register did not link, naming the person's e-mail, goes too; a name does not."""
    ok(capsys, "committee", "add", directory, "--status", "banned", "--github", "offender")
    report_id = receive(directory)
    with Committee.open(directory) as committee:
        # Not linked: the record has no e-mail yet.
        assert committee.register.reports.get(report_id).people[0][1] is None
    namesake = Person("reported", NAME, (Identifier("github", "namesake"),))
    with Committee.open(directory) as committee:
        sealed = seal_report(sample_report(people=(namesake,)), trust=committee.trust)
        kept = committee.intake(sealed).report.id
    ok(capsys, "committee", "update", directory, "1", "--add-email", EMAIL)
    out = ok(capsys, "committee", "remove", directory, "1")
    assert "and 1 report(s)" in out
    left = raw(directory)
    # The namesake's report keeps the name; nothing else of the person is left.
    assert [n for n in NEEDLES[1:] if n in left] == []
    assert kept in ok(capsys, "committee", "reports", directory)
    code, _, err = cli(capsys, "committee", "show-report", directory, report_id)
    assert (code != 0, "no report" in err) == (True, True)


def test_an_unassessed_unlinked_report_ends(
    directory: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    report_id = receive(directory)
    with Committee.open(directory) as committee:
        stored = committee.register.reports.get(report_id)
    assert stored.people[0][1] is None
    assert stored.expires_at == NOW.replace(microsecond=0) + DEFAULT_REPORT_RETENTION
    clock.at = NOW + DEFAULT_REPORT_RETENTION - timedelta(days=1)
    assert "0 report(s)" in ok(capsys, "committee", "expunge", directory)
    clock.at = NOW + DEFAULT_REPORT_RETENTION + timedelta(seconds=1)
    out = ok(capsys, "committee", "expunge", directory)
    assert_gone(capsys, directory, report_id)
    assert "1 report(s)" in out


def test_a_report_naming_two_recorded_people_goes_with_the_first_record(
    directory: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two people linked to two records: the report is deleted whole when either goes.

    Its free text may name both, so no part of it can be kept once one of
    them is expunged (ADR 0011); the other record stays, its note naming
    the report it came from.
    """
    soon = f"{NOW + timedelta(days=30):%Y-%m-%d}"
    ok(capsys, "committee", "add", directory, "--status", "banned", "--email", EMAIL,
       "--expires", soon)  # fmt: skip
    ok(capsys, "committee", "add", directory, "--status", "banned", "--github", "second-person")
    other = Person("reported", "Second Person", (Identifier("github", "second-person"),))
    report_id = receive(directory, other)
    assert [record_of(directory, report_id, n) for n in (0, 1)] == [1, 2]
    assess(capsys, directory, report_id, "--status", "banned")
    with Committee.open(directory) as committee:
        assert committee.register.reports.get(report_id).expires_at == datetime.fromisoformat(
            f"{soon}T00:00:00+00:00"
        )
    clock.at = NOW + timedelta(days=31)
    out = ok(capsys, "committee", "expunge", directory)
    assert_gone(capsys, directory, report_id)
    assert "Expunged 1 record(s) and 1 report(s)" in out
    assert b"Second Person" not in raw(directory)
    with Committee.open(directory) as committee:
        (kept,) = committee.register.records.all()
    assert kept.id == 2


def test_a_minor_report_linked_to_a_shorter_record_ends_with_it(
    directory: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    soon = NOW + timedelta(days=20)
    ok(capsys, "committee", "add", directory, "--status", "flagged", "--email", EMAIL,
       "--expires", f"{soon:%Y-%m-%d}")  # fmt: skip
    report_id = receive(directory)
    assess(capsys, directory, report_id, "--status", "minor")
    clock.at = soon + timedelta(days=1)
    out = ok(capsys, "committee", "expunge", directory)
    assert_gone(capsys, directory, report_id)
    assert "1 report(s)" in out


def test_unlinking_gives_a_report_back_its_own_end(directory: Path) -> None:
    report_id = receive(directory)
    with Committee.open(directory) as committee:
        reports = committee.register.reports
        reports.link(report_id, 0, None)
        assert reports.get(report_id).expires_at is not None


_times = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)


@given(st.none() | _times, _times, st.lists(st.none() | _times, max_size=4))
def test_report_expiry_never_after_a_linked_record(
    own: datetime | None, received_at: datetime, linked: list[datetime | None]
) -> None:
    end = report_expiry(own=own, received_at=received_at, linked=linked)
    bounds = [t for t in (own, *linked) if t is not None]
    if not linked and own is None:
        assert end == received_at + DEFAULT_REPORT_RETENTION
    elif bounds:
        assert end is not None
        assert all(end <= t for t in bounds)
        assert end in bounds
    else:
        # Linked only to records without an end: it lives as long as they do,
        # and goes when one of them is removed.
        assert end is None
