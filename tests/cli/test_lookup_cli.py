"""``committee search``, ``committee list``'s filters and ``committee subject-export``."""

from __future__ import annotations

import base64
import json
import os
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from coc_hashscreen.cli import main
from coc_hashscreen.committee import Committee, NewRecord
from coc_hashscreen.core import Identifier, Status
from coc_hashscreen.formats import Passphrase, seal_report

from ..helpers import PNG, TEST_PASSPHRASE, sample_report

Run = tuple[int, str, str]
# Long ago, so that a record added then with a retention already over is
# expired today, whatever today is.
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Run:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@dataclass
class Register:
    directory: Path
    report: str


@pytest.fixture
def register(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Register:
    directory = tmp_path / "committee"
    assert run(capsys, "committee", "init", directory, "--name", "C")[0] == 0
    for argv in (
        ["--status", "banned", "--name", "William Turner", "--email", "bad.actor@example.org",
         "--alias", "Will Roe", "--case-ref", "CASE-1"],
        ["--status", "minor", "--github", "octocat", "--case-ref", "MINOR-1"],
        ["--status", "flagged", "--name", "Jane Doe", "--case-ref", "CASE-2"],
    ):  # fmt: skip
        assert run(capsys, "committee", "add", directory, *argv)[0] == 0
    with Committee.open(
        directory, passphrase=lambda: Passphrase.from_text(TEST_PASSPHRASE)
    ) as committee:
        committee.register.records.add(
            NewRecord(
                Status.BANNED,
                [Identifier("mastodon", "old@social.example")],
                case_ref="OLD-1",
                expires_at=datetime(2020, 6, 1, tzinfo=UTC),
            ),
            now=LONG_AGO,
        )
        sealed = seal_report(sample_report(), trust=committee.trust)
        report = committee.intake(sealed).report.id
    return Register(directory, report)


# ---------------------------------------------------------------------------
# search


def test_search_finds_a_record_through_a_variant_and_says_which_rule(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "committee", "search", register.directory, "name", "Bill TURNER")
    assert (code, err) == (0, "")
    assert "Record 1: banned, case CASE-1, no expiry" in out
    assert "published: screening reports it" in out
    assert "found through the record's name, through a committee variant (nickname)" in out
    assert "name: William Turner  <- matched" in out
    assert "Bill" not in out


def test_search_finds_an_alias_minor_and_expired_records_and_marks_them(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "committee", "search", register.directory, "name", "Roe, Will")
    assert code == 0
    assert "found through an alias, same canonical form" in out
    code, out, _ = run(
        capsys, "committee", "search", register.directory, "github", "https://github.com/OctoCat"
    )
    assert (code, "minor: never listed" in out) == (0, True)
    code, out, _ = run(
        capsys, "committee", "search", register.directory, "mastodon", "https://social.example/@old"
    )
    assert (code, "EXPIRED: no longer listed" in out) == (0, True)


def test_search_json_parses_and_says_what_matched(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two addresses in one value are two, as in a cell of an attendee list.
    code, out, _ = run(
        capsys, "committee", "search", register.directory, "email",
        "Bad.Actor+pycon@example.org, nobody@example.org", "--format", "json",
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["profile"] == "v2"
    (record,) = document["records"]
    assert (record["case_ref"], record["expired"], record["listed"]) == ("CASE-1", False, True)
    assert record["matched"] == {
        "kind": "email", "value": "bad.actor@example.org", "alias": False, "rule": "canonical"
    }  # fmt: skip


@pytest.mark.parametrize("output", ["table", "json"])
def test_no_match_exits_1_and_never_echoes_the_value(
    register: Register, capsys: pytest.CaptureFixture[str], output: str
) -> None:
    secret = "Zebulon Quackenbush"
    code, out, err = run(
        capsys, "committee", "search", register.directory, "name", secret, "--format", output
    )
    assert code == 1
    assert secret not in out + err
    assert "zebulon" not in (out + err).lower()
    if output == "json":
        assert json.loads(out)["records"] == []
    else:
        assert out.startswith("No record matches")


def test_an_invalid_value_is_refused_without_echoing_it(
    register: Register, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "committee", "search", register.directory, "email", "secretword")
    assert code == 3
    assert "secretword" not in out + err
    assert "no @" in err


# ---------------------------------------------------------------------------
# list


def _listed(capsys: pytest.CaptureFixture[str], register: Register, *options: str) -> list[str]:
    code, out, _ = run(
        capsys, "committee", "list", register.directory, "--format", "json", *options
    )
    assert code == 0
    return [r["case_ref"] for r in json.loads(out)]


def test_list_filters(register: Register, capsys: pytest.CaptureFixture[str]) -> None:
    assert _listed(capsys, register) == ["CASE-1", "MINOR-1", "CASE-2", "OLD-1"]
    assert _listed(capsys, register, "--status", "banned") == ["CASE-1", "OLD-1"]
    assert _listed(capsys, register, "--status", "minor", "--status", "flagged") == [
        "MINOR-1",
        "CASE-2",
    ]
    assert _listed(capsys, register, "--expired") == ["OLD-1"]
    assert _listed(capsys, register, "--current", "--status", "banned") == ["CASE-1"]
    assert _listed(capsys, register, "--case", "CASE-2") == ["CASE-2"]
    assert _listed(capsys, register, "--case", "NONE") == []
    code, _, err = run(capsys, "committee", "list", register.directory, "--expired", "--current")
    assert code == 2
    assert "not allowed with" in err


def test_list_marks_expired_records(register: Register, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "committee", "list", register.directory, "--format", "json")
    assert {r["case_ref"]: r["expired"] for r in json.loads(out)} == {
        "CASE-1": False, "MINOR-1": False, "CASE-2": False, "OLD-1": True
    }  # fmt: skip
    code, out, _ = run(capsys, "committee", "list", register.directory)
    lines = out.splitlines()
    old = next(n for n, line in enumerate(lines) if "OLD-1" in line)
    assert "EXPIRED" in lines[old + 1]
    assert sum("EXPIRED" in line for line in lines) == 1
    assert all(len(line) <= 80 for line in lines)
    code, out, _ = run(capsys, "committee", "list", register.directory, "--case", "NONE")
    assert (code, out) == (0, "No record matches the filters.\n")


# ---------------------------------------------------------------------------
# subject-export


def test_subject_export_writes_everything_about_the_person_privately(
    register: Register, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "export.json"
    code, out, err = run(
        capsys, "committee", "subject-export", register.directory,
        "--email", "BAD.ACTOR@example.org", "--github", "octocat", "-o", target,
    )  # fmt: skip
    assert code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "2 record(s) (CASE-1, MINOR-1), 1 report(s) with 2 attachment(s)" in out
    assert "'committee remove DIR ID' for each of record(s) 1 2" in out
    assert "warning: the file is as sensitive as the register" in err
    assert "Review it before sending" in err
    document = json.loads(target.read_text(encoding="ascii"))
    assert [r["case_ref"] for r in document["records"]] == ["CASE-1", "MINOR-1"]
    (report,) = document["reports"]
    assert report["id"] == register.report
    assert report["why"] == ["linked"]
    assert report["content"]["facts"] == sample_report().facts
    assert base64.b64decode(report["attachment_data"][0]["data_base64"]) == PNG
    assert {e["action"] for e in document["audit"]} == {"add", "intake"}


def test_subject_export_refuses_an_existing_file_and_needs_an_identifier(
    register: Register, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "export.json"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run(
        capsys, "committee", "subject-export", register.directory, "--name", "Jane Doe",
        "-o", target,
    )  # fmt: skip
    assert code == 3
    assert "exists" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    code, _, err = run(capsys, "committee", "subject-export", register.directory, "-o", "x.json")
    assert code == 2
    assert "at least one" in err


def test_erasure_after_an_export_leaves_case_references_only(
    register: Register, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The runbook: export, review, send; then erase with `remove`, which
    # takes the reports naming the person along.
    assert run(
        capsys, "committee", "subject-export", register.directory, "--email",
        "bad.actor@example.org", "-o", tmp_path / "export.json",
    )[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "committee", "remove", register.directory, "1")
    assert (code, "and 1 report(s) naming the person" in out) == (0, True)
    code, out, _ = run(
        capsys, "committee", "search", register.directory, "email", "bad.actor@example.org"
    )
    assert code == 1
    code, _, _ = run(
        capsys, "committee", "subject-export", register.directory, "--email",
        "bad.actor@example.org", "-o", tmp_path / "after.json",
    )  # fmt: skip
    after = json.loads((tmp_path / "after.json").read_text(encoding="ascii"))
    assert (after["records"], after["reports"]) == ([], [])
    # What stays is the audit trail: case references and counts, never an identifier.
    with Committee.open(register.directory) as committee:
        trail = json.dumps([e.to_dict() for e in committee.register.audit.entries()])
    assert "CASE-1" in trail
    for value in ("bad.actor", "William", "Turner", "Roe"):
        assert value not in trail
