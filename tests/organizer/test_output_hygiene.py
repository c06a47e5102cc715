"""Screening output and input hygiene (issue 11, findings 7 and 8).

Passed-through fields reach a terminal only escaped, CSV header cells are
spreadsheet-safe, errors about a CSV never quote a cell, and a file of
garbage keeps a bounded number of details.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from coc_hashscreen.errors import InputError
from coc_hashscreen.organizer import (
    MAX_DETAILS,
    read_csv,
    report_to_csv,
    report_to_json,
    report_to_table,
)

from ..conftest import World

BIDI = "\u202e"


def test_json_output_is_ascii_escaped(world: World) -> None:
    report = world.screener().screen(
        [{"name": "Mallory Smith", "row": 1, "note": f"evil{BIDI}txt.exe\x1b[2J"}]
    )
    text = report_to_json(report)
    assert text.isascii()
    assert BIDI not in text
    assert "\x1b" not in text
    assert "\\u202e" in text
    assert json.loads(text)["matches"][0]["ref"]["note"] == f"evil{BIDI}txt.exe\x1b[2J"


def test_csv_header_cells_are_spreadsheet_safe(world: World) -> None:
    # Passed-through keys become header cells: they come from the input.
    report = world.screener().screen(
        [{"name": "Mallory Smith", "row": 1, '=HYPERLINK("http://x")': "a", "@cmd": "b"}]
    )
    header = next(csv.reader(io.StringIO(report_to_csv(report))))
    assert '\'=HYPERLINK("http://x")' in header
    assert "'@cmd" in header
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header)


def test_a_csv_without_a_header_line_is_not_quoted_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "no-header.csv"
    path.write_text("Jane Secretperson,jane.secret@example.org\nBob,bob@example.org\n")
    with pytest.raises(InputError) as refused:
        read_csv(path)
    message = str(refused.value)
    assert "Secretperson" not in message
    assert "jane.secret" not in message
    assert "first line must be a header line" in message


def test_a_missing_explicit_column_does_not_quote_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "no-header.csv"
    path.write_text("Jane Secretperson,jane.secret@example.org\n")
    with pytest.raises(InputError) as refused:
        read_csv(path, columns={"email": ["E-Mail"]})
    message = str(refused.value)
    # An e-mail address in the first line: no header line, whatever --column says
    # (following a --column advice would have dropped that attendee).
    assert "first line must be a header line" in message
    assert "Secretperson" not in message
    assert "jane.secret" not in message


def test_garbage_keeps_the_first_details_and_counts_the_rest(world: World) -> None:
    # Every row has two unreadable values: before the fix, every one of them
    # was kept (285 MiB for 400,000 rows).
    rows = 2 * MAX_DETAILS + 500
    report = world.screener().screen(
        {"email": f"garbage-{n}", "name": "🙂", "row": n} for n in range(1, rows + 1)
    )
    assert (report.records, report.screened) == (rows, 0)
    assert len(report.unusable) == MAX_DETAILS
    assert report.unusable_count == rows
    assert report.unusable_omitted == rows - MAX_DETAILS
    assert len(report.invalid) == MAX_DETAILS
    assert report.invalid_count == 2 * rows
    data = report.to_dict()
    assert len(data["unusable_rows"]) == MAX_DETAILS
    assert data["unusable_rows_omitted"] == rows - MAX_DETAILS
    assert data["invalid_identifiers_omitted"] == 2 * rows - MAX_DETAILS
    table = report_to_table(report)
    assert f"{rows:,} row(s) had no usable identifier" in table
    assert f"{2 * rows:,} identifier(s) could not be read" in table
    lines = report_to_csv(report).splitlines()
    assert len(lines) == 1 + MAX_DETAILS + 1
    assert f"{rows - MAX_DETAILS:,} more row(s) with no usable identifier" in lines[-1]
