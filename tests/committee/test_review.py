"""Receiving and reviewing incident reports: intake, links to records, the review steps."""

from __future__ import annotations

from datetime import timedelta

import pytest

from coc_hashscreen.committee import NewRecord, PublishOptions, ReviewAction
from coc_hashscreen.core import KDF_PROFILES, Identifier, Status
from coc_hashscreen.errors import InputError, RegisterError
from coc_hashscreen.formats import Attachment, Person, report_id_for, seal_report, verify_receipt

from ..conftest import World
from ..helpers import NOW, sample_report


def _received(world: World, **changes: object) -> str:
    sealed = seal_report(sample_report(**changes), trust=world.committee.trust)
    return world.committee.intake(sealed, now=NOW).report.id


def test_intake_receipt_and_idempotence(world: World) -> None:
    sealed = seal_report(sample_report(), trust=world.committee.trust)
    first = world.committee.intake(sealed, actor="Carla", now=NOW)
    again = world.committee.intake(sealed, actor="Dana", now=NOW + timedelta(days=1))
    assert not first.duplicate
    assert again.duplicate
    assert first.report.id == again.report.id == report_id_for(sealed)
    assert first.receipt == again.receipt
    assert len(world.committee.register.reports.all()) == 1
    receipt = verify_receipt(first.receipt, trust=world.committee.trust, sealed=sealed)
    assert (receipt.report_id, receipt.received_at) == (first.report.id, NOW)
    stored = world.committee.register.reports.get(first.report.id)
    assert stored.step == "received"
    assert [(s.step, s.actor) for s in stored.steps] == [("received", "Carla")]
    assert stored.attachments == 2
    assert world.committee.register.reports.content(first.report.id) == sample_report()


def test_intake_links_people_to_existing_records(world: World) -> None:
    report = sample_report(
        people=(Person("reported", "", (Identifier("github", "https://github.com/Mallory"),)),)
    )
    result = world.committee.intake(seal_report(report, trust=world.committee.trust), now=NOW)
    mallory = next(
        r for r in world.committee.register.records.all() if r.case_ref == "CASE-MALLORY"
    )
    assert result.report.people == (("reported", mallory.id),)


def test_workflow_in_order(world: World) -> None:
    register = world.committee.register
    report_id = _received(world)
    later = NOW + timedelta(hours=1)
    register.reports.advance(
        report_id, ReviewAction("reviewed", actor="Ann", note="read"), now=later
    )
    register.reports.advance(
        report_id,
        ReviewAction("assessed", actor="Bo", note="ban", outcome=Status.BANNED),
        now=later,
    )
    stored = register.reports.advance(report_id, ReviewAction("recorded", actor="Cy"), now=later)
    assert stored.step == "recorded"
    assert stored.outcome is Status.BANNED
    assert [(s.step, s.actor, s.note) for s in stored.steps] == [
        ("received", "intake", ""),
        ("reviewed", "Ann", "read"),
        ("assessed", "Bo", "ban"),
        ("recorded", "Cy", ""),
    ]
    assert stored.steps[1].at == later


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([("assessed", {})], "next step is 'reviewed'"),
        ([("received", {})], "next step is 'reviewed'"),
        ([("reviewed", {}), ("reviewed", {})], "next step is 'assessed'"),
        ([("reviewed", {}), ("assessed", {}), ("recorded", {}), ("recorded", {})], "it is final"),
        ([("reviewed", {"outcome": "banned"})], "when a report is assessed"),
        (
            [("reviewed", {}), ("assessed", {"expires_at": NOW + timedelta(days=9)})],
            "goes with an outcome",
        ),
        ([("reviewed", {}), ("assessed", {"outcome": "suspended"})], "unknown status"),
        ([("archived", {})], "unknown step"),
    ],
)
def test_invalid_transitions(
    world: World, steps: list[tuple[str, dict[str, object]]], message: str
) -> None:
    report_id = _received(world)
    register = world.committee.register
    *before, (last, options) = steps
    for step, earlier in before:
        register.reports.advance(report_id, ReviewAction(step, actor="x", **earlier), now=NOW)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=message):
        register.reports.advance(report_id, ReviewAction(last, actor="x", **options), now=NOW)  # type: ignore[arg-type]


def test_refused_assessment_changes_nothing(world: World) -> None:
    register = world.committee.register
    report_id = _received(world, people=(Person("affected", "Only Victim"),))
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    before = len(register.records.all())
    with pytest.raises(InputError, match="names no reported person"):
        register.reports.advance(
            report_id, ReviewAction("assessed", actor="x", outcome=Status.FLAGGED), now=NOW
        )
    assert register.reports.get(report_id).step == "reviewed"
    assert len(register.records.all()) == before


def test_unknown_report(world: World) -> None:
    with pytest.raises(RegisterError, match="no report"):
        world.committee.register.reports.advance("R-NOPE", ReviewAction("reviewed", actor="x"))


def test_assessment_never_lowers_a_status(world: World) -> None:
    register = world.committee.register
    report_id = _received(
        world, people=(Person("reported", "", (Identifier("email", "petr@example.ru"),)),)
    )
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    register.reports.advance(
        report_id, ReviewAction("assessed", actor="x", outcome=Status.FLAGGED), now=NOW
    )
    ivanov = next(r for r in register.records.all() if r.case_ref == "CASE-IVANOV")
    assert ivanov.status is Status.BANNED


def test_assessed_ban_reaches_the_next_list_and_screening(world: World) -> None:
    register = world.committee.register
    report_id = _received(world)
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    stored = register.reports.advance(
        report_id, ReviewAction("assessed", actor="x", outcome=Status.BANNED), now=NOW
    )
    (record_id,) = [r for role, r in stored.people if role == "reported"]
    assert record_id is not None
    record = register.records.get(record_id)
    assert record.status is Status.BANNED
    assert {i.kind for i in record.identifiers} == {"name", "email", "github"}
    newer = world.tmp / "after-report.list"
    world.committee.publish(newer, now=NOW)
    report = world.screener(hashed_list=newer).screen(
        [{"email": "Bad.Actor+conf@example.org"}, {"name": "Actor, Bad"}]
    )
    assert [(m.status.value, m.strength.value, m.case_ref) for m in report.matches] == [
        ("banned", "strong", record.case_ref),
        ("banned", "name-only", record.case_ref),
    ]


def test_expired_minor_report_leaves_no_byte(world: World) -> None:
    register = world.committee.register
    marker = "Zorblax Quendelwood"
    attachment_marker = b"attachment-marker-" + b"q" * 64
    report_id = _received(
        world,
        people=(Person("reported", marker, (Identifier("email", "zq@marker.example"),)),),
        facts="A minor incident, marker facts text.",
        attachments=(Attachment("marker-name.txt", attachment_marker),),
    )
    keeper = _received(world, facts="A serious incident that is kept.")
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    register.reports.advance(
        report_id,
        ReviewAction(
            "assessed", actor="x", outcome=Status.MINOR, expires_at=NOW + timedelta(days=30)
        ),
        now=NOW,
    )
    assert register.reports.get(report_id).expires_at == NOW + timedelta(days=30)
    files = sorted(world.committee.directory.glob("register.sqlite3*"))
    before = b"".join(p.read_bytes() for p in files)
    needles = [
        marker.encode(),
        b"zq@marker.example",
        b"marker facts text",
        attachment_marker,
        b"marker-name.txt",
        report_id.encode(),
    ]
    assert all(n in before for n in needles)
    assert world.committee.expunge(now=NOW + timedelta(days=29)).reports == 0
    result = world.committee.expunge(now=NOW + timedelta(days=31))
    assert result.reports == 1
    after = b"".join(
        p.read_bytes() for p in sorted(world.committee.directory.glob("register.sqlite3*"))
    )
    # The report's id stays in the audit trail alone (its intake, its steps).
    assert [n for n in needles if n in after] == [report_id.encode()]
    assert {e.details["report"] for e in register.audit.entries(action="review")} >= {report_id}
    assert keeper.encode() in after
    assert [r.id for r in register.reports.all()] == [keeper]


def test_minor_default_retention(world: World) -> None:
    register = world.committee.register
    report_id = _received(world)
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    stored = register.reports.advance(
        report_id, ReviewAction("assessed", actor="x", outcome=Status.MINOR), now=NOW
    )
    assert stored.expires_at == NOW + timedelta(days=730)


def test_reports_survive_a_list_publish(world: World) -> None:
    _received(world)
    world.committee.publish(
        world.tmp / "x.list", PublishOptions(kdf=KDF_PROFILES["test-only"]), now=NOW
    )
    assert len(world.committee.register.reports.all()) == 1


def test_a_shared_name_alone_never_links_a_report_to_a_record(world: World) -> None:
    register = world.committee.register
    minor = register.records.add(
        NewRecord(
            status=Status.MINOR,
            identifiers=[
                Identifier("name", "John Smith"),
                Identifier("email", "john@alpha.example"),
            ],
        ),
        now=NOW,
    )
    report_id = _received(
        world,
        people=(Person("reported", "John Smith", (Identifier("email", "jsmith@beta.example"),)),),
    )
    stored = register.reports.get(report_id)
    assert stored.people == (("reported", None),)  # a suggestion at most, never a link
    assert register.records.name_matches(sample_report().people[0].all_identifiers) == []
    assert register.records.name_matches((Identifier("name", "Smith, John"),)) == [minor.id]
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    stored = register.reports.advance(
        report_id, ReviewAction("assessed", actor="x", outcome=Status.BANNED), now=NOW
    )
    (_, new_id) = stored.people[0]
    assert new_id != minor.id
    # The first John Smith is untouched: still minor, with only his own e-mail.
    assert register.records.get(minor.id) == minor


def test_the_committee_can_link_and_unlink(world: World) -> None:
    register = world.committee.register
    minor = register.records.add(
        NewRecord(status=Status.MINOR, identifiers=[Identifier("name", "Jane Roe")]), now=NOW
    )
    report_id = _received(world, people=(Person("reported", "Jane Roe"),))
    register.reports.link(report_id, 0, minor.id)
    assert register.reports.get(report_id).people == (("reported", minor.id),)
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    register.reports.advance(
        report_id,
        ReviewAction(
            "assessed", actor="x", outcome=Status.BANNED, expires_at=NOW + timedelta(days=3650)
        ),
        now=NOW,
    )
    record = register.records.get(minor.id)
    assert record.status is Status.BANNED
    assert record.expires_at == NOW + timedelta(days=3650)  # not the minor retention
    with pytest.raises(RegisterError, match="no person 5"):
        register.reports.link(report_id, 4, None)
    register.reports.link(report_id, 0, None)
    assert register.reports.get(report_id).people == (("reported", None),)


def test_a_minor_record_raised_without_an_expiry_loses_its_retention(world: World) -> None:
    register = world.committee.register
    minor = register.records.add(
        NewRecord(status=Status.MINOR, identifiers=[Identifier("email", "raised@example.org")]),
        now=NOW,
    )
    report_id = _received(
        world, people=(Person("reported", "", (Identifier("email", "raised@example.org"),)),)
    )
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    register.reports.advance(
        report_id, ReviewAction("assessed", actor="x", outcome=Status.FLAGGED), now=NOW
    )
    record = register.records.get(minor.id)
    assert (record.status, record.expires_at) == (Status.FLAGGED, None)


def test_an_expunged_record_takes_the_report_that_made_it(world: World) -> None:
    register = world.committee.register
    marker = b"expiring-marker@example.org"
    report_id = _received(
        world,
        people=(Person("reported", "Marker Person", (Identifier("email", marker.decode()),)),),
    )
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    register.reports.advance(
        report_id,
        ReviewAction(
            "assessed", actor="x", outcome=Status.FLAGGED, expires_at=NOW + timedelta(days=30)
        ),
        now=NOW,
    )
    result = world.committee.expunge(now=NOW + timedelta(days=31))
    assert (result.records, result.reports) == (1, 1)
    raw = b"".join(p.read_bytes() for p in world.committee.directory.glob("register.sqlite3*"))
    assert marker not in raw
    assert b"Marker Person" not in raw


def test_two_reported_people_linked_to_one_record_keep_every_identifier(world: World) -> None:
    register = world.committee.register
    record = register.records.add(
        NewRecord(status=Status.FLAGGED, identifiers=[Identifier("email", "two@example.org")]),
        now=NOW,
    )
    people = (
        Person("reported", "", (Identifier("github", "alias-one"),)),
        Person("reported", "", (Identifier("github", "alias-two"),)),
    )
    report_id = _received(world, people=people)
    register.reports.link(report_id, 0, record.id)
    register.reports.link(report_id, 1, record.id)
    register.reports.advance(report_id, ReviewAction("reviewed", actor="x"), now=NOW)
    # Each identifier a report adds to a linked record is confirmed (ADR 0011).
    register.reports.advance(
        report_id,
        ReviewAction(
            "assessed", actor="x", outcome=Status.BANNED, add_identifiers=[(0, 0), (1, 0)]
        ),
        now=NOW,
    )
    after = register.records.get(record.id)
    assert after.status is Status.BANNED
    assert [i.value for i in after.identifiers] == ["two@example.org", "alias-one", "alias-two"]
