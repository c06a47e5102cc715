"""A person's own data on request: everything the register holds about them, in one document."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, NewRecord, subject_export
from coc_hashscreen.core import Identifier, Status
from coc_hashscreen.errors import InputError
from coc_hashscreen.formats import Person, seal_report

from ..helpers import NOW, PDF, PNG, sample_report


@pytest.fixture
def committee(tmp_path: Path) -> Iterator[Committee]:
    with Committee.init(tmp_path / "committee", name="C", now=NOW) as c:
        yield c


def _intake(committee: Committee, **changes: object) -> str:
    sealed = seal_report(sample_report(**changes), trust=committee.trust)
    return committee.intake(sealed, now=NOW).report.id


def test_the_export_holds_records_linked_and_unlinked_reports_and_the_audit(
    committee: Committee,
) -> None:
    records = committee.register.records
    banned = records.add(
        NewRecord(
            Status.BANNED,
            [
                Identifier("name", "Bad Actor"),
                Identifier("email", "bad.actor@example.org"),
                Identifier("name", "B. A. Alias", alias=True),
            ],
            case_ref="CASE-1",
            note="from the 2025 incident",
        ),
        now=NOW,
    )
    minor = records.add(
        NewRecord(Status.MINOR, [Identifier("github", "badactor")], case_ref="MINOR-1"), now=NOW
    )
    stranger = records.add(
        NewRecord(Status.BANNED, [Identifier("name", "Some One Else")], case_ref="CASE-9"), now=NOW
    )
    linked = _intake(committee)  # its reported person shares the e-mail address
    unlinked = _intake(committee, event_name="Second Event")
    committee.register.reports.link(unlinked, 0, None)
    as_reporter = _intake(
        committee,
        event_name="Third",
        reporter_email="bad.actor+coc@example.org",
        people=(Person("reported", "Some One Else"),),
        attachments=(),
    )
    same_name = _intake(
        committee, event_name="Fourth", people=(Person("witness", "Actor, Bad"),), attachments=()
    )
    unrelated = _intake(
        committee, event_name="Fifth", people=(Person("reported", "Nobody Here"),), attachments=()
    )

    export = subject_export(
        committee.register, [Identifier("email", "Bad.Actor+x@Example.org")], now=NOW
    )
    document = json.loads(export.to_json())

    assert [r["case_ref"] for r in document["records"]] == ["CASE-1"]
    record = document["records"][0]
    assert record["note"] == "from the 2025 incident"
    assert {"kind": "name", "value": "B. A. Alias", "alias": True} in record["identifiers"]
    assert record["decided_at"] is not None
    assert record["matched"]["rule"] == "canonical"

    reports = {r["id"]: r for r in document["reports"]}
    assert set(reports) == {linked, unlinked, as_reporter}
    assert reports[linked]["why"] == ["linked"]
    assert reports[linked]["people_found"] == [1]
    # Unlinked, but a person in it has the found record's e-mail address.
    assert reports[unlinked]["why"] == ["identifier"]
    assert reports[as_reporter]["why"] == ["reporter"]
    # Whole: the facts, the other people, and every attachment's bytes.
    content = reports[linked]["content"]
    assert content["facts"] == sample_report().facts
    assert len(content["people"]) == 3
    data = [base64.b64decode(a["data_base64"]) for a in reports[linked]["attachment_data"]]
    assert data == [PNG, PDF]
    assert [a["media_type"] for a in reports[linked]["attachment_data"]] == [
        "image/png",
        "application/pdf",
    ]
    # A name alone only suggests: listed for a person to judge, without content.
    assert document["reports_with_same_name"] == [{"report": same_name, "people": [1]}]
    assert unrelated not in json.dumps(document)

    audit = document["audit"]
    assert {e["action"] for e in audit} >= {"add", "intake", "link"}
    assert all("CASE-1" in e["case_refs"] or e["details"].get("report") in reports for e in audit)
    assert "review" in document["notice"].lower()
    assert minor.case_ref not in json.dumps(document["records"])
    assert stranger.case_ref not in json.dumps(document["records"])
    assert banned.id == document["records"][0]["id"]


def test_every_identifier_given_is_looked_up_names_through_variants(
    committee: Committee,
) -> None:
    records = committee.register.records
    records.add(NewRecord(Status.BANNED, [Identifier("name", "William Turner")]), now=NOW)
    records.add(NewRecord(Status.MINOR, [Identifier("github", "wturner")]), now=NOW)
    export = subject_export(
        committee.register,
        [Identifier("name", "Bill Turner"), Identifier("github", "https://github.com/WTurner")],
        now=NOW,
    )
    # The handle is the person's; the name, through a nickname, only suggests.
    assert [(m.record.status, m.rule) for m in export.records] == [(Status.MINOR, "canonical")]
    assert [(m.record.status, m.rule) for m in export.same_name_records] == [
        (Status.BANNED, "nickname")
    ]
    assert export.reports == ()
    document = export.to_dict()
    assert document["records_with_same_name"] == [
        {"id": 1, "case_ref": export.same_name_records[0].record.case_ref, "rule": "nickname"}
    ]
    assert "William" not in json.dumps(document["records_with_same_name"])
    # Once the committee has judged it the same person, it is exported whole.
    judged = subject_export(
        committee.register, [Identifier("name", "Bill Turner")], now=NOW, records=[1]
    )
    assert [m.record.id for m in judged.records] == [1]
    assert judged.same_name_records == ()
    with pytest.raises(InputError, match="no record with id 9"):
        subject_export(committee.register, [], now=NOW, records=[9])


def test_a_namesake_is_never_exported_nor_offered_for_erasure(committee: Committee) -> None:
    namesake = committee.register.records.add(
        NewRecord(Status.FLAGGED, [Identifier("name", "José García")], case_ref="N-1",
                  note="someone else entirely"),
        now=NOW,
    )  # fmt: skip
    # One import entry names the person's case and another's.
    _, (person, _) = committee.register.import_rows(
        ["Name", "E-mail", "Status", "Case"],
        [(2, ["José María García", "jose@example.org", "banned", "P-1"]),
         (3, ["Third Person", "", "banned", "T-1"])],
        now=NOW,
    )  # fmt: skip
    export = subject_export(
        committee.register,
        [Identifier("name", "José García"), Identifier("email", "JOSE@example.org")],
        now=NOW,
    )
    assert [m.record.id for m in export.records] == [person.id]
    assert [m.record.id for m in export.same_name_records] == [namesake.id]
    text = json.dumps(export.to_dict())
    assert "someone else entirely" not in text
    assert "T-1" not in text
    assert all(set(e.case_refs) <= {"P-1"} for e in export.audit)


def test_nothing_found_is_an_empty_export_and_no_identifier_is_refused(
    committee: Committee,
) -> None:
    export = subject_export(committee.register, [Identifier("email", "x@example.org")], now=NOW)
    document = export.to_dict()
    assert (document["records"], document["reports"], document["audit"]) == ([], [], [])
    with pytest.raises(InputError, match="at least one identifier"):
        subject_export(committee.register, [], now=NOW)


def test_a_report_linked_to_a_found_record_is_exported_whatever_it_says(
    committee: Committee,
) -> None:
    # The committee linked a person by hand (`committee link`): the link
    # alone brings the report in, even with no identifier in common.
    record = committee.register.records.add(
        NewRecord(Status.FLAGGED, [Identifier("email", "p@example.org")]), now=NOW
    )
    report_id = _intake(
        committee,
        event_name="Hand-linked",
        people=(replace(Person("reported", "Pat Q"), notes="seen twice"),),
        attachments=(),
    )
    committee.register.reports.link(report_id, 0, record.id)
    export = subject_export(committee.register, [Identifier("email", "p@example.org")], now=NOW)
    assert [(r.stored.id, r.why) for r in export.reports] == [(report_id, ("linked",))]
