"""Incident reports: validation, sealing, intake, receipts, review, expunge."""

from __future__ import annotations

import contextlib
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.committee import Committee
from coc_hashscreen.core import KDF_PROFILES, Identifier, Status
from coc_hashscreen.errors import (
    CocHashscreenError,
    FormatError,
    InputError,
    MismatchError,
    RegisterError,
    ReportError,
    UnsupportedFormat,
    UntrustedSigner,
    VerificationError,
)
from coc_hashscreen.formats import (
    Attachment,
    IncidentReport,
    Person,
    open_sealed_report,
    parse_receipt,
    report_id_for,
    report_template,
    seal_report,
    verify_receipt,
)
from coc_hashscreen.formats._reports import MAX_ATTACHMENT_SIZE, sniff

from ..conftest import World
from ..helpers import NOW

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n" + b"x" * 100


def _report(**changes: object) -> IncidentReport:
    report = IncidentReport(
        event_name="PyCon Test 2026",
        event_start=date(2026, 5, 1),
        event_end=date(2026, 5, 3),
        reporter_name="Ora Organizer",
        reporter_email="coc@pycon.example",
        people=(
            Person(
                "reported",
                "Bad Actor",
                (Identifier("email", "bad.actor@example.org"), Identifier("github", "badactor")),
            ),
            Person("affected", "Alice Target"),
            Person("witness", "", (Identifier("twitter", "@witness"),)),
        ),
        facts="Repeated unwanted comments in the hallway track.",
        review="Confirmed by two witnesses.",
        actions="Removed from the conference.",
        responses="Accepted the decision.",
        attachments=(
            Attachment("screenshot.png", PNG, "the chat message"),
            Attachment("a.pdf", PDF),
        ),
    )
    return replace(report, **changes)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# the report model


def test_json_round_trip() -> None:
    report = _report()
    data = json.dumps(report.to_dict()).encode()
    again = IncidentReport.from_json(data, report.attachments)
    assert again == report
    assert again.attachments[0].description == "the chat message"


def test_plaintext_round_trip() -> None:
    report = _report()
    assert IncidentReport.from_plaintext(report.to_plaintext()) == report


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"event_name": " "}, "event name is required"),
        ({"reporter_name": ""}, "reporter name is required"),
        ({"reporter_email": "no-at"}, "email"),
        ({"event_end": date(2026, 4, 1)}, "ends before it starts"),
        ({"people": ()}, "1 to 100 people"),
        ({"facts": "  "}, "describe the facts"),
        ({"review": "x" * 200_001}, "review is longer"),
        ({"attachments": (Attachment("a.png", PNG), Attachment("a.png", PNG))}, "same file name"),
    ],
)
def test_validation(changes: dict[str, object], message: str) -> None:
    with pytest.raises((ReportError, ValueError), match=message):
        _report(**changes)


def test_people_validation() -> None:
    with pytest.raises(ReportError, match="role is one of"):
        Person("bystander", "Some One")
    with pytest.raises(ReportError, match="needs a name or an identifier"):
        Person("witness")


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + bytes(20), "image/jpeg"),
        (b"GIF89a" + bytes(20), "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (PDF, "application/pdf"),
        (b"\x00\x00\x00\x18ftypmp42" + bytes(20), "video/mp4"),
        (b"\x1a\x45\xdf\xa3" + bytes(20), "video/webm"),
        (b"ID3\x04" + bytes(20), "audio/mpeg"),
        (b"OggS" + bytes(20), "audio/ogg"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "audio/wav"),
        ("From: a@example.org\nSubject: réunion\n\nhello".encode(), "text/plain"),
        (b"MZ\x90\x00" + bytes(20), None),  # a Windows executable
        (b"PK\x03\x04" + bytes(20), None),  # a zip (and every office file)
        (b"\x7fELF" + bytes(20), None),
        (b"text with a \x00 byte", None),
        (b"\xc3\x28 invalid utf-8", None),
    ],
)
def test_attachments_are_typed_by_content(data: bytes, media_type: str | None) -> None:
    assert sniff(data) == media_type
    if media_type is None:
        with pytest.raises(ReportError, match="not an accepted type"):
            Attachment("anything.png", data)
    else:
        assert Attachment("renamed.txt", data).media_type == media_type


def test_attachment_limits(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="larger than 50 MiB"):
        Attachment("big.txt", b"a" * (MAX_ATTACHMENT_SIZE + 1))
    many = tuple(Attachment(f"{i}.txt", b"a" * (30 * 2**20)) for i in range(4))
    with pytest.raises(ReportError, match="add up to more than 100 MiB"):
        _report(attachments=many)
    with pytest.raises(
        ReportError, match=r"declared media type does not match its content \(application/pdf\)"
    ):
        Attachment("a.pdf", PDF, media_type="image/png")
    path = tmp_path / "shot.png"
    path.write_bytes(PNG)
    assert Attachment.from_file(path).name == "shot.png"


def test_attachment_names_and_descriptions_stay_out_of_reprs_and_errors(tmp_path: Path) -> None:
    secret = "Jane Secretname"
    shown = Attachment(f"{secret}.png", PNG, f"{secret} said it")
    assert secret not in repr(shown)
    assert secret not in repr(_report(attachments=(shown,)))
    for bad in (
        {"data": b"MZ\x90\x00" + bytes(64)},
        {"data": PDF, "media_type": "image/png"},
        {"data": PDF, "media_type": secret},
        {"data": PNG, "description": secret * 2_000},
    ):
        with pytest.raises(ReportError) as caught:
            Attachment(f"{secret}.png", **bad)
        assert secret not in str(caught.value)
    # The organizer attaching a local file is told which one.
    path = tmp_path / "tool.exe"
    path.write_bytes(b"MZ\x90\x00" + bytes(64))
    with pytest.raises(ReportError, match=r"tool\.exe.*not an accepted type"):
        Attachment.from_file(path)


def test_template_must_be_filled_in() -> None:
    template = json.dumps(report_template()).encode()
    with pytest.raises(ReportError):
        IncidentReport.from_json(template)


def test_field_errors_name_the_field_not_the_value() -> None:
    document: dict[str, Any] = _report().to_dict()
    document["people"][0]["email"] = ["secret-bad-address"]
    with pytest.raises(ReportError, match=r"people\[0\]\.email\[0\]: email: no @") as info:
        IncidentReport.from_json(json.dumps(document).encode())
    assert "secret-bad-address" not in str(info.value)
    document = _report().to_dict()
    document["unexpected"] = 1
    with pytest.raises(ReportError, match="unknown field"):
        IncidentReport.from_json(json.dumps(document).encode())
    document = {**_report().to_dict(), "format": 2}
    with pytest.raises(UnsupportedFormat):
        IncidentReport.from_json(json.dumps(document).encode())


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=30,
    )
)
def test_any_json_gives_a_report_or_our_error(value: object) -> None:
    document = value if not isinstance(value, dict) else {**_report().to_dict(), **value}
    with contextlib.suppress(CocHashscreenError):
        IncidentReport.from_json(json.dumps(document).encode())


# ---------------------------------------------------------------------------
# sealing and intake


def test_round_trip_with_attachments(world: World) -> None:
    report = _report()
    sealed = seal_report(report, trust=world.committee.trust)
    assert b"Bad Actor" not in sealed
    assert b"screenshot.png" not in sealed  # attachment names are inside
    assert PNG[:16] not in sealed
    opened = open_sealed_report(sealed, world.committee.report_key())
    assert opened == report
    assert [a.data for a in opened.attachments] == [PNG, PDF]


def test_hybrid_report_key(tmp_path: Path) -> None:
    from coc_hashscreen.core import Suite

    with Committee.init(
        tmp_path / "pq", name="PQ", report_suite=Suite.MLKEM768_X25519, now=NOW
    ) as c:
        sealed = seal_report(_report(), trust=c.trust)
        assert open_sealed_report(sealed, c.report_key()) == _report()


def test_sealed_to_another_committee_is_refused(world: World, tmp_path: Path) -> None:
    with Committee.init(tmp_path / "other", name="Other", now=NOW) as other:
        sealed = seal_report(_report(), trust=other.trust)
    with pytest.raises(MismatchError, match="not to this committee's report key"):
        world.committee.intake(sealed, now=NOW)


def test_any_flipped_byte_of_a_sealed_report_is_refused(world: World) -> None:
    report = _report(attachments=(Attachment("n.txt", b"short note"),))
    sealed = seal_report(report, trust=world.committee.trust)
    key = world.committee.report_key()
    for position in range(len(sealed)):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises((FormatError, VerificationError, MismatchError, UnsupportedFormat)):
            open_sealed_report(bytes(tampered), key)
    with pytest.raises(FormatError):
        open_sealed_report(sealed[:-1], key)
    with pytest.raises(FormatError):
        open_sealed_report(sealed + b"\x00", key)


def test_intake_receipt_and_idempotence(world: World) -> None:
    sealed = seal_report(_report(), trust=world.committee.trust)
    first = world.committee.intake(sealed, actor="Carla", now=NOW)
    again = world.committee.intake(sealed, actor="Dana", now=NOW + timedelta(days=1))
    assert not first.duplicate
    assert again.duplicate
    assert first.report.id == again.report.id == report_id_for(sealed)
    assert first.receipt == again.receipt
    assert len(world.committee.register.reports()) == 1
    receipt = verify_receipt(first.receipt, trust=world.committee.trust, sealed=sealed)
    assert (receipt.report_id, receipt.received_at) == (first.report.id, NOW)
    stored = world.committee.register.get_report(first.report.id)
    assert stored.step == "received"
    assert [(s.step, s.actor) for s in stored.steps] == [("received", "Carla")]
    assert stored.attachments == 2
    assert world.committee.register.report_content(first.report.id) == _report()


def test_intake_links_people_to_existing_records(world: World) -> None:
    report = _report(
        people=(Person("reported", "", (Identifier("github", "https://github.com/Mallory"),)),)
    )
    result = world.committee.intake(seal_report(report, trust=world.committee.trust), now=NOW)
    mallory = next(r for r in world.committee.register.records() if r.case_ref == "CASE-MALLORY")
    assert result.report.people == (("reported", mallory.id),)


def test_receipt_checks(world: World, tmp_path: Path) -> None:
    sealed = seal_report(_report(), trust=world.committee.trust)
    other_sealed = seal_report(_report(facts="Another incident."), trust=world.committee.trust)
    receipt = world.committee.intake(sealed, now=NOW).receipt
    with pytest.raises(MismatchError, match="another sealed report"):
        verify_receipt(receipt, trust=world.committee.trust, sealed=other_sealed)
    for position in range(len(receipt)):
        tampered = bytearray(receipt)
        tampered[position] ^= 0x01
        with pytest.raises((FormatError, VerificationError, UntrustedSigner)):
            parse_receipt(bytes(tampered), world.committee.trust.trusted_keys())
    with (
        Committee.init(tmp_path / "other", name="Other", now=NOW) as other,
        pytest.raises(UntrustedSigner),
    ):
        verify_receipt(receipt, trust=other.trust, sealed=sealed)


# ---------------------------------------------------------------------------
# the review workflow


def _received(world: World, **changes: object) -> str:
    sealed = seal_report(_report(**changes), trust=world.committee.trust)
    return world.committee.intake(sealed, now=NOW).report.id


def test_workflow_in_order(world: World) -> None:
    register = world.committee.register
    report_id = _received(world)
    later = NOW + timedelta(hours=1)
    register.advance_report(report_id, "reviewed", actor="Ann", note="read", now=later)
    register.advance_report(
        report_id, "assessed", actor="Bo", note="ban", outcome="banned", now=later
    )
    stored = register.advance_report(report_id, "recorded", actor="Cy", now=later)
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
        register.advance_report(report_id, step, actor="x", now=NOW, **earlier)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=message):
        register.advance_report(report_id, last, actor="x", now=NOW, **options)  # type: ignore[arg-type]


def test_refused_assessment_changes_nothing(world: World) -> None:
    register = world.committee.register
    report_id = _received(world, people=(Person("affected", "Only Victim"),))
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    before = len(register.records())
    with pytest.raises(InputError, match="names no reported person"):
        register.advance_report(report_id, "assessed", actor="x", outcome="flagged", now=NOW)
    assert register.get_report(report_id).step == "reviewed"
    assert len(register.records()) == before


def test_unknown_report(world: World) -> None:
    with pytest.raises(RegisterError, match="no report"):
        world.committee.register.advance_report("R-NOPE", "reviewed", actor="x")


def test_assessment_never_lowers_a_status(world: World) -> None:
    register = world.committee.register
    report_id = _received(
        world, people=(Person("reported", "", (Identifier("email", "petr@example.ru"),)),)
    )
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    register.advance_report(report_id, "assessed", actor="x", outcome="flagged", now=NOW)
    ivanov = next(r for r in register.records() if r.case_ref == "CASE-IVANOV")
    assert ivanov.status is Status.BANNED


def test_assessed_ban_reaches_the_next_list_and_screening(world: World) -> None:
    register = world.committee.register
    report_id = _received(world)
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    stored = register.advance_report(report_id, "assessed", actor="x", outcome="banned", now=NOW)
    (record_id,) = [r for role, r in stored.people if role == "reported"]
    assert record_id is not None
    record = register.get_record(record_id)
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
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    register.advance_report(
        report_id, "assessed", actor="x", outcome="minor",
        expires_at=NOW + timedelta(days=30), now=NOW,
    )  # fmt: skip
    assert register.get_report(report_id).expires_at == NOW + timedelta(days=30)
    files = sorted(world.committee.directory.glob("register.sqlite3*"))
    before = b"".join(p.read_bytes() for p in files)
    needles = [marker.encode(), b"zq@marker.example", b"marker facts text", attachment_marker,
               b"marker-name.txt", report_id.encode()]  # fmt: skip
    assert all(n in before for n in needles)
    assert world.committee.expunge(now=NOW + timedelta(days=29)).reports == 0
    result = world.committee.expunge(now=NOW + timedelta(days=31))
    assert result.reports == 1
    after = b"".join(
        p.read_bytes() for p in sorted(world.committee.directory.glob("register.sqlite3*"))
    )
    assert [n for n in needles if n in after] == []
    assert keeper.encode() in after
    assert [r.id for r in register.reports()] == [keeper]


def test_minor_default_retention(world: World) -> None:
    register = world.committee.register
    report_id = _received(world)
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    stored = register.advance_report(report_id, "assessed", actor="x", outcome="minor", now=NOW)
    assert stored.expires_at == NOW + timedelta(days=730)


def test_reports_survive_a_list_publish(world: World) -> None:
    _received(world)
    world.committee.publish(world.tmp / "x.list", kdf=KDF_PROFILES["test-only"], now=NOW)
    assert len(world.committee.register.reports()) == 1


def test_a_shared_name_alone_never_links_a_report_to_a_record(world: World) -> None:
    register = world.committee.register
    minor = register.add_record(
        status="minor",
        identifiers=[Identifier("name", "John Smith"), Identifier("email", "john@alpha.example")],
        now=NOW,
    )
    report_id = _received(
        world,
        people=(Person("reported", "John Smith", (Identifier("email", "jsmith@beta.example"),)),),
    )
    stored = register.get_report(report_id)
    assert stored.people == (("reported", None),)  # a suggestion at most, never a link
    assert register.name_matches(_report().people[0].all_identifiers) == []
    assert register.name_matches((Identifier("name", "Smith, John"),)) == [minor.id]
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    stored = register.advance_report(report_id, "assessed", actor="x", outcome="banned", now=NOW)
    (_, new_id) = stored.people[0]
    assert new_id != minor.id
    # The first John Smith is untouched: still minor, with only his own e-mail.
    assert register.get_record(minor.id) == minor


def test_the_committee_can_link_and_unlink(world: World) -> None:
    register = world.committee.register
    minor = register.add_record(
        status="minor", identifiers=[Identifier("name", "Jane Roe")], now=NOW
    )
    report_id = _received(world, people=(Person("reported", "Jane Roe"),))
    register.link_report_person(report_id, 0, minor.id)
    assert register.get_report(report_id).people == (("reported", minor.id),)
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    register.advance_report(
        report_id, "assessed", actor="x", outcome="banned",
        expires_at=NOW + timedelta(days=3650), now=NOW,
    )  # fmt: skip
    record = register.get_record(minor.id)
    assert record.status is Status.BANNED
    assert record.expires_at == NOW + timedelta(days=3650)  # not the minor retention
    with pytest.raises(RegisterError, match="no person 5"):
        register.link_report_person(report_id, 4, None)
    register.link_report_person(report_id, 0, None)
    assert register.get_report(report_id).people == (("reported", None),)


def test_a_minor_record_raised_without_an_expiry_loses_its_retention(world: World) -> None:
    register = world.committee.register
    minor = register.add_record(
        status="minor", identifiers=[Identifier("email", "raised@example.org")], now=NOW
    )
    report_id = _received(
        world, people=(Person("reported", "", (Identifier("email", "raised@example.org"),)),)
    )
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    register.advance_report(report_id, "assessed", actor="x", outcome="flagged", now=NOW)
    record = register.get_record(minor.id)
    assert (record.status, record.expires_at) == (Status.FLAGGED, None)


def test_an_expunged_record_takes_the_report_that_made_it(world: World) -> None:
    register = world.committee.register
    marker = b"expiring-marker@example.org"
    report_id = _received(
        world,
        people=(Person("reported", "Marker Person", (Identifier("email", marker.decode()),)),),
    )
    register.advance_report(report_id, "reviewed", actor="x", now=NOW)
    register.advance_report(
        report_id, "assessed", actor="x", outcome="flagged",
        expires_at=NOW + timedelta(days=30), now=NOW,
    )  # fmt: skip
    result = world.committee.expunge(now=NOW + timedelta(days=31))
    assert (result.records, result.reports) == (1, 1)
    raw = b"".join(p.read_bytes() for p in world.committee.directory.glob("register.sqlite3*"))
    assert marker not in raw
    assert b"Marker Person" not in raw


@pytest.mark.parametrize("name", ["..", ".", "a\x1b[2Jb.txt", "evil\x00.txt"])
def test_attachment_names_are_plain(name: str) -> None:
    with pytest.raises(ReportError, match="plain file name"):
        Attachment(name, b"text")
    assert Attachment("dir/../ok.txt", b"text").name == "ok.txt"
