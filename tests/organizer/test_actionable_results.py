"""Results an organizer can act on: source lines, kept columns, the input annotated."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.errors import InputError
from coc_hashscreen.organizer import (
    ScreeningReport,
    annotate_csv,
    annotate_xlsx,
    read_csv,
    report_to_csv,
    report_to_json,
    report_to_table,
)
from coc_hashscreen.organizer._annotate import RESULT_COLUMNS

from ..conftest import World

# A Tito-style export (headers from Tito's attendee CSV) with a quoted
# multi-line cell, a blank line and formula-looking cells.
DATA = (
    "Number,Ticket Full Name,Ticket Email,Order Reference,Notes\n"
    'T-1,Ann Other,ann@example.org,ORD-1,"line one\nline two"\n'
    "T-2,José María García,jose.garcia+events@gmail.com,ORD-2,plain\n"
    "\n"
    'T-3,"=HYPERLINK(""http://evil.example"",""x"")",,ORD-3,"@SUM(A1)"\n'
    "T-4,Mallory Smith,,=cmd|' /C calc'!A0,-2\n"
)


def _screen(world: World, data: str = DATA, keep: tuple[str, ...] = ()) -> ScreeningReport:
    with read_csv(io.BytesIO(data.encode())) as source:
        return world.screener().screen(source.records(keep=keep), include_clear=True)


def test_line_is_where_the_row_starts_with_quoted_newlines() -> None:
    with read_csv(io.BytesIO(DATA.encode())) as source:
        refs = [dict(r.ref) for r in source.records()]
    assert [(r["row"], r["line"]) for r in refs] == [(1, 2), (2, 4), (4, 6), (5, 7)]


@given(st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=8))
def test_line_counts_every_physical_line(breaks: list[int]) -> None:
    rows = [f'"Person\n{"x" * n}{chr(10) * n}",p{i}@example.org' for i, n in enumerate(breaks)]
    data = "Name,Email\n" + "\n".join(rows) + "\n"
    with read_csv(io.BytesIO(data.encode())) as source:
        lines = [r.ref["line"] for r in source.records()]
    expected, line = [], 2
    for n in breaks:
        expected.append(line)
        line += 2 + n
    assert lines == expected


def test_json_and_csv_keep_row_and_add_line_table_shows_line(world: World) -> None:
    report = _screen(world)
    data = json.loads(report_to_json(report))
    assert [(m["row"], m["line"]) for m in data["matches"]] == [(2, 4), (5, 7)]
    rows = list(csv.DictReader(io.StringIO(report_to_csv(report))))
    assert [(r["row"], r["line"]) for r in rows if r["result"] == "match"] == [
        ("2", "4"),
        ("5", "7"),
    ]
    table = report_to_table(report)
    assert "   line  status" in table
    assert [line.split()[0] for line in table.splitlines() if "BANNED" in line] == ["4"]


def test_keep_column_carries_named_columns_and_nothing_else(world: World) -> None:
    report = _screen(world, keep=("Order Reference",))
    first, _ = report.matches
    assert first.passthrough == {"Order Reference": "ORD-2"}
    assert "Notes" not in json.dumps(report.to_dict())
    rows = list(csv.DictReader(io.StringIO(report_to_csv(report))))
    # A kept cell that looks like a formula is defused in the report too.
    assert [r["Order Reference"] for r in rows if r["result"] == "match"] == [
        "ORD-2",
        "'=cmd|' /C calc'!A0",
    ]
    plain = _screen(world)
    assert all(not m.passthrough for m in plain.matches)


def test_keep_column_must_exist() -> None:
    with (
        read_csv(io.BytesIO(DATA.encode())) as source,
        pytest.raises(InputError, match="no column headed 'Order Code' to keep"),
    ):
        list(source.records(keep=("Order Code",)))


def _annotated(world: World) -> list[list[str]]:
    report = _screen(world)
    with read_csv(io.BytesIO(DATA.encode())) as source:
        text = annotate_csv(source.headers, source.rows(), report)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_annotate_round_trips_rows_in_order_with_results(world: World) -> None:
    rows = _annotated(world)
    header = ["Number", "Ticket Full Name", "Ticket Email", "Order Reference", "Notes"]
    assert rows[0] == [*header, *RESULT_COLUMNS]
    assert [r[0] for r in rows[1:]] == ["T-1", "T-2", "", "T-3", "T-4"]
    assert rows[1][4] == "line one\nline two"
    results = [r[len(header) :] for r in rows[1:]]
    assert results[0] == ["clear", "", "", "", ""]
    assert results[1][:3] == ["match", "banned", "strong"]
    assert results[2] == ["", "", "", "", ""]  # the blank line stays blank
    assert results[4][:3] == ["match", "flagged", "name-only"]
    assert results[1][4] == world.case_refs["garcia"]


def test_annotate_is_safe_against_formula_cells(world: World) -> None:
    rows = _annotated(world)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[4][1] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows[4][4] == "'@SUM(A1)"


def test_annotate_needs_every_rows_result(world: World) -> None:
    with read_csv(io.BytesIO(DATA.encode())) as source:
        report = world.screener().screen(source.records())
        with pytest.raises(ValueError, match="include_clear"):
            annotate_csv(source.headers, source.rows(), report)


def _xlsx_rows(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Screened"]
    for row in sheet.iter_rows():
        for cell in row:
            # Every cell is text or empty: nothing in the workbook is a formula.
            assert cell.data_type != "f"
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def test_annotate_xlsx_keeps_rows_in_order_and_formulas_as_text(world: World) -> None:
    data = DATA.replace("plain", "bell\x07")
    report = _screen(world, data)
    with read_csv(io.BytesIO(data.encode())) as source:
        rows = _xlsx_rows(annotate_xlsx(source.headers, source.rows(), report))
    assert rows[0][-5:] == list(RESULT_COLUMNS)
    assert [r[0] for r in rows[1:]] == ["T-1", "T-2", "", "T-3", "T-4"]
    assert rows[1][4] == "line one\nline two"
    assert rows[2][4] == "bell\ufffd"  # XML cannot hold it: replaced, not an error
    assert rows[4][1] == '=HYPERLINK("http://evil.example","x")'  # text, never a formula
    assert rows[2][-5:-2] == ["match", "banned", "strong"]


def test_annotate_xlsx_without_openpyxl_says_what_to_install(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    report = _screen(world)
    with (
        read_csv(io.BytesIO(DATA.encode())) as source,
        pytest.raises(InputError, match=r"pip install 'coc-hashscreen\[xlsx\]'"),
    ):
        annotate_xlsx(source.headers, source.rows(), report)
