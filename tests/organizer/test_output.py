"""Report writers: the JSON schema, spreadsheet-safe CSV, an 80-column table."""

from __future__ import annotations

import csv
import io
import json

import pytest

from coc_hashscreen.organizer import (
    report_to_csv,
    report_to_json,
    report_to_table,
    safe_cell,
)

from ..conftest import World


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (12, "12"),
        (None, ""),
    ],
)
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def _report(world: World):  # type: ignore[no-untyped-def]
    return world.screener().screen(
        [
            {"name": "Jane Doe", "row": 1},
            {"name": "Mallory Smith", "row": 2, "role": '=HYPERLINK("http://x")'},
            {"github": "mallory", "row": 3, "role": "speaker"},
            {"email": "nope", "row": 4},
        ]
    )


def test_json_schema(world: World) -> None:
    data = json.loads(report_to_json(_report(world)))
    assert set(data) >= {"list", "screened", "matches", "unusable_rows"}
    assert set(data["list"]) >= {
        "series", "epoch", "version", "issued_at", "expires_at", "profile", "kdf",
    }  # fmt: skip
    assert data["list"]["kdf"]["memory_cost"] == 8
    assert data["list"]["issued_at"].endswith("Z")
    assert (data["records"], data["screened"]) == (4, 3)
    assert data["unusable_rows"] == [4]
    assert [
        {k: m[k] for k in ("row", "status", "strength", "matched", "case_ref")}
        for m in data["matches"]
    ] == [
        {"row": 2, "status": "flagged", "strength": "name-only", "matched": ["name"],
         "case_ref": "CASE-MALLORY"},
        {"row": 3, "status": "flagged", "strength": "strong", "matched": ["github"],
         "case_ref": "CASE-MALLORY"},
    ]  # fmt: skip
    assert data["matches"][1]["ref"] == {"role": "speaker"}
    assert data["invalid_identifiers"] == [
        {"row": 4, "kind": "email", "rule": "no @ between the local part and the domain"}
    ]
    assert _report(world).to_dict()["records"] == 4


def test_nothing_about_non_matching_people(world: World) -> None:
    text = (
        report_to_json(_report(world))
        + report_to_csv(_report(world))
        + report_to_table(_report(world))
    )
    assert "Jane" not in text
    assert "Doe" not in text


def test_csv_is_spreadsheet_safe(world: World) -> None:
    rows = list(csv.reader(io.StringIO(report_to_csv(_report(world)))))
    assert rows[0][:7] == [
        "row",
        "result",
        "status",
        "strength",
        "needs_confirmation",
        "matched",
        "case_ref",
    ]
    role = rows[0].index("role")
    assert rows[1][role] == '\'=HYPERLINK("http://x")'
    assert rows[2][role] == "speaker"
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_table_fits_80_columns_and_flags_name_only(world: World) -> None:
    table = report_to_table(_report(world))
    assert all(len(line) <= 80 for line in table.splitlines())
    assert "name-only*" in table
    assert "Confirm with the committee" in table
    assert "1 row(s) had no usable identifier" in table
    assert "2 of 3 screened records matched" in table


def test_csv_lists_rows_that_were_not_screened_and_why(world: World) -> None:
    rows = list(csv.reader(io.StringIO(report_to_csv(_report(world)))))
    header = rows[0]
    by_row = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_row["4"]["result"] == "not screened"
    assert (
        by_row["4"]["note"]
        == "no usable identifier (email: no @ between the local part and the domain)"
    )
    assert [r["result"] for r in by_row.values()] == ["match", "match", "not screened"]


def test_table_shows_hits_on_other_records(world: World) -> None:
    report = world.screener().screen([{"name": "José García", "github": "mallory"}])
    table = report_to_table(report)
    assert "FLAGGED  strong" in table
    assert "also banned (name-only, name): CASE-GARCIA" in table
    assert "name-only: only a name matched" in table
