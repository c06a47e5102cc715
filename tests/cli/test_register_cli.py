"""``committee import``, ``export``, ``retention`` and ``log``; decision dates and cases."""

from __future__ import annotations

import csv
import json
import os
import stat
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from coc_hashscreen.cli import main

from ..helpers import raw_database
from ..organizer._workbooks import write_xlsx
from .test_cli import run

TODAY = date.today()


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


ROWS = [
    ["Case reference", "Status", "Decision date", "Full name", "E-mail", "GitHub", "Aliases"],
    ["K-1", "banned", _ago(300), "Wanda Ximenes", "wanda@x.example, w.x@y.example", "wandax",
     "W. X.; Wandy"],
    ["K-2", "minor", _ago(1000), "Yuri Zeller", "yuri@z.example", "", ""],
    ["K-3", "flagged", _ago(5), "Abe Bogus", "abe@@bogus", "", ""],
    ["K-4", "flagged", _ago(5), "Cleo Dupe", "WANDA@x.example", "", ""],
    ["K-5", "minor", _ago(100), "Eve Fine", "eve@f.example", "", ""],
]  # fmt: skip


@pytest.fixture
def committee(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    directory = tmp_path / "committee"
    assert run(capsys, "committee", "init", directory, "--name", "Register CLI")[0] == 0
    return directory


def test_import_an_xlsx_dry_run_then_for_real(
    committee: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = write_xlsx(tmp_path / "cases.xlsx", {"Cases": ROWS})
    code, out, err = run(capsys, "committee", "import", committee, book, "--dry-run")
    assert code == 3
    assert "Reading sheet 'Cases' of the XLSX workbook." in err
    lines = out.splitlines()
    assert lines[0].startswith("Columns: alias <- 'Aliases', case_ref <- 'Case reference'")
    assert lines[1:] == [
        "row 2: would add banned, case K-1, 2 alias, 2 email, 1 github, 1 name",
        f"row 3: refused: its retention ended on "
        f"{(TODAY - timedelta(days=1000) + timedelta(days=730)).isoformat()} (minor records are "
        "kept 730 days from the decision), so it must not be kept: delete it from the source "
        "instead of adding it here",
        "row 4: refused: the value in column 'E-mail' is not a valid e-mail address (quoted "
        "local parts are not supported)",
        "row 5: refused: duplicate of row 2 (the same e-mail address)",
        "row 6: would add minor, case K-5, 1 email, 1 name",
        "2 row(s) to add, 3 refused (dry run: nothing was changed)",
    ]
    for person in ROWS[1:]:
        for value in person[3:]:
            for part in value.replace(",", ";").split(";"):
                assert not part.strip() or part.strip() not in out + err
    # Nothing was changed; a real import of a file with refused rows adds nothing.
    code, _, err = run(capsys, "committee", "import", committee, book)
    assert code == 3
    assert "3 of 5 row(s) are refused, so nothing was imported" in err
    assert json.loads(run(capsys, "committee", "list", committee, "--format", "json")[1]) == []
    code, out, _ = run(
        capsys, "committee", "import", committee, book, "--skip-refused", "--by", "Importer"
    )
    assert code == 0
    assert "Imported 2 record(s) in one transaction." in out
    records = json.loads(run(capsys, "committee", "list", committee, "--format", "json")[1])
    assert [(r["case_ref"], r["decided_at"][:10]) for r in records] == [
        ("K-1", _ago(300)),
        ("K-5", _ago(100)),
    ]
    code, out, _ = run(capsys, "committee", "log", committee)
    assert code == 0
    assert "Importer: import [K-1, K-5] records=2, refused_rows=3" in out


def test_import_reads_csv_with_named_columns_and_a_default_status(
    committee: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "people.csv"
    source.write_text("Who;Reach\nGil Hart;gil@h.example\n", encoding="utf-8")
    code, _, err = run(capsys, "committee", "import", committee, source, "--dry-run")
    assert (code, "no column holds a name" in err) == (3, True)
    code, out, _ = run(
        capsys, "committee", "import", committee, source, "--column", "name=Who",
        "--column", "email=Reach", "--status", "flagged", "--format", "json",
    )  # fmt: skip
    assert code == 0
    plan = json.loads(out)
    assert plan["columns"] == {"email": "Reach", "name": "Who"}
    assert plan["rows"][0]["status"] == "flagged"
    code, _, err = run(capsys, "committee", "import", committee, source, "--column", "name")
    assert code == 2
    assert "not FIELD=HEADER" in err


def test_export_writes_a_private_file_import_reads_back(
    committee: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(
        capsys, "committee", "add", committee, "--status", "banned", "--name", "Ivo Jansen",
        "--email", "ivo@j.example; ivo2@j.example", "--case-ref", "E-1", "--note", "=cmd|x",
        "--decided", _ago(40),
    )[0] == 0  # fmt: skip
    out_csv = tmp_path / "register.csv"
    code, _, err = run(capsys, "committee", "export", committee, "-o", out_csv)
    assert code == 0
    assert "as sensitive as the register itself" in err
    assert stat.S_IMODE(out_csv.stat().st_mode) == 0o600
    with out_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["case_ref", "status", "decided", "expires"]
    assert rows[1][0:3] == ["E-1", "banned", _ago(40)]
    assert "ivo@j.example; ivo2@j.example" in rows[1]
    assert rows[1][-2:] == ["'=cmd|x", "no"]  # never a formula in a spreadsheet
    code, _, err = run(capsys, "committee", "export", committee, "-o", out_csv)
    assert (code, "exists; choose a new file" in err) == (2, True)
    code, _, _ = run(capsys, "committee", "export", committee, "-o", tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data[0]["note"] == "=cmd|x"
    # The export is read back by import, into another committee.
    other = tmp_path / "other"
    assert run(capsys, "committee", "init", other, "--name", "Other")[0] == 0
    assert run(capsys, "committee", "import", other, out_csv)[0] == 0
    again = json.loads(run(capsys, "committee", "list", other, "--format", "json")[1])
    assert again[0]["note"] == "=cmd|x"
    assert sorted(i["value"] for i in again[0]["identifiers"]) == [
        "Ivo Jansen",
        "ivo2@j.example",
        "ivo@j.example",
    ]


def test_add_with_a_decision_date_and_the_retention_policy(
    committee: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "committee", "retention", committee)
    assert out.splitlines() == [
        "flagged  until removed",
        "banned   until removed",
        "minor    730 days from the decision",
    ]
    code, out, _ = run(
        capsys, "committee", "retention", committee, "--minor", "1y", "--flagged", "3y",
        "--by", "Policy Setter",
    )  # fmt: skip
    assert code == 0
    assert "flagged  3 years from the decision" in out
    code, _, err = run(capsys, "committee", "retention", committee, "--minor", "none")
    assert (code, "minor records always end" in err) == (2, True)
    code, _, err = run(capsys, "committee", "retention", committee, "--banned", "2w")
    assert (code, "written like 2y" in err) == (2, True)
    code, _, err = run(
        capsys, "committee", "add", committee, "--status", "minor", "--github", "oldcase",
        "--decided", _ago(400),
    )  # fmt: skip
    assert code == 3
    assert "minor records are kept 1 year from the decision" in err
    assert "delete it from the source instead" in err
    assert "oldcase" not in err
    code, out, _ = run(
        capsys, "committee", "add", committee, "--status", "flagged", "--github", "newcase",
        "--decided", _ago(30), "--case-ref", "F-1",
    )  # fmt: skip
    assert code == 0
    expires = (TODAY - timedelta(days=30)).replace(year=TODAY.year + 3 - (0))
    assert f"decided {_ago(30)}, expires " in out
    assert str(expires.year) in out
    code, _, err = run(
        capsys, "committee", "add", committee, "--status", "flagged", "--github", "later",
        "--decided", (TODAY + timedelta(days=2)).isoformat(),
    )  # fmt: skip
    assert (code, "decision date is in the future" in err) == (3, True)
    info = run(capsys, "committee", "info", committee)[1]
    retention = "flagged 3y, banned until removed, minor 1y (from the decision)"
    assert f"Retention:          {retention}" in info
    info_json = json.loads(run(capsys, "committee", "info", committee, "--format", "json")[1])
    assert info_json["retention_policy"] == {"flagged": "3y", "banned": None, "minor": "1y"}
    log = run(capsys, "committee", "log", committee, "--action", "retention")[1]
    assert "Policy Setter: retention" in log


def test_expunge_dry_run_names_the_cases_and_deletes_nothing(
    committee: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for ref in ("GONE-1", "KEPT-1"):
        assert run(
            capsys, "committee", "add", committee, "--status", "banned", "--github", ref.lower(),
            "--case-ref", ref, "--expires", (TODAY + timedelta(days=1)).isoformat(),
        )[0] == 0  # fmt: skip
    # Its retention ends: moved into the past, as time would.
    with raw_database(committee / "register.sqlite3") as db:
        db.execute("UPDATE records SET expires_at = 1000 WHERE case_ref = 'GONE-1'")
    code, out, _ = run(capsys, "committee", "expunge", committee, "--dry-run")
    assert code == 0
    assert out.splitlines() == [
        "Would expunge 1 record(s) and 0 report(s) past their retention (and any report naming "
        "one of these people); nothing was deleted.",
        "  case GONE-1",
    ]
    assert len(json.loads(run(capsys, "committee", "list", committee, "--format", "json")[1])) == 2
    code, out, _ = run(capsys, "committee", "expunge", committee)
    assert code == 0
    assert out.splitlines()[1:3] == [
        "  case GONE-1",
        "Delete these cases from every other place the committee keeps them, too.",
    ]
    left = json.loads(run(capsys, "committee", "list", committee, "--format", "json")[1])
    assert [r["case_ref"] for r in left] == ["KEPT-1"]


def test_log_filters_by_case_and_prints_json(
    committee: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COC_HASHSCREEN_MEMBER", "Env Member")
    for ref, handle in (("L-1", "first-person"), ("L-2", "second-person")):
        assert run(
            capsys, "committee", "add", committee, "--status", "banned", "--github", handle,
            "--case-ref", ref,
        )[0] == 0  # fmt: skip
    assert run(capsys, "committee", "remove", committee, "1")[0] == 0
    _, out, _ = run(capsys, "committee", "log", committee, "--case", "L-1", "--format", "json")
    entries = json.loads(out)
    assert [(e["action"], e["actor"], e["case_refs"]) for e in entries] == [
        ("add", "Env Member", ["L-1"]),
        ("remove", "Env Member", ["L-1"]),
    ]
    assert "first-person" not in out
    _, out, _ = run(capsys, "committee", "log", committee, "--limit", "1")
    assert out.count("\n") == 1
    assert "remove [L-1]" in out
    _, out, _ = run(capsys, "committee", "log", committee, "--case", "NOPE")
    assert out == "No entry in the audit trail matches.\n"
    assert os.environ["COC_HASHSCREEN_MEMBER"] == "Env Member"


def test_small_things_the_review_found(committee: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "committee", "log", committee, "--limit", "0")
    assert code == 2
    assert run(
        capsys, "committee", "add", committee, "--status", "banned", "--email", "dup@x.example",
        "--case-ref", "D-1",
    )[0] == 0  # fmt: skip
    code, _, err = run(
        capsys, "committee", "add", committee, "--status", "flagged", "--email", "DUP@x.example",
    )  # fmt: skip
    assert code == 0
    assert "record 1 (case D-1) has an e-mail address or handle of this one" in err
    assert "dup@" not in err.lower()
    # A record whose retention ends this week is in no new list: info agrees.
    assert run(
        capsys, "committee", "add", committee, "--status", "banned", "--github", "soon",
        "--expires", (TODAY + timedelta(days=1)).isoformat(),
    )[0] == 0  # fmt: skip
    info = json.loads(run(capsys, "committee", "info", committee, "--format", "json")[1])
    assert (info["records"], info["publishable_records"]) == (3, 2)


def test_a_closed_pipe_ends_the_command_quietly(
    committee: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `committee log | head -1`: the reader is gone before the output is.
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = os.fdopen(write_end, "w", buffering=1)
    monkeypatch.setattr(sys, "stdout", stream)
    code = main(["committee", "log", os.fspath(committee)])
    stream.close()  # the flush at exit reaches no closed pipe
    assert code == 130  # as for an interruption: the reader stopped
    err = capsys.readouterr().err
    assert err == (
        "coc-hashscreen: the output was cut short (the reader closed it); any change the "
        "command made is saved\n"
    )


def test_a_member_name_unfit_to_print_stops_changes_only(
    committee: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COC_HASHSCREEN_MEMBER", "bad\x1bname")
    assert run(capsys, "committee", "list", committee)[0] == 0
    assert run(capsys, "committee", "info", committee)[0] == 0
    code, _, err = run(capsys, "committee", "add", committee, "--status", "banned", "--github", "x")
    assert code == 3
    assert "the committee member's name (--by, or $COC_HASHSCREEN_MEMBER) must be" in err
    assert json.loads(run(capsys, "committee", "list", committee, "--format", "json")[1]) == []
    code, _, _ = run(
        capsys, "committee", "add", committee, "--status", "banned", "--github", "x", "--by", "Ok"
    )
    assert code == 0
    code, _, err = run(capsys, "committee", "update", committee, "1")
    assert (code, "nothing to change" in err) == (2, True)
