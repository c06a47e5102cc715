"""The organizer's own file back, with each row's screening result appended.

An annotated file holds every attendee of the input, so it is as private as
the input itself (the CLI writes it with mode 0600).  Every cell, the
input's included, is made spreadsheet-safe: an export can carry a cell such
as ``=HYPERLINK(...)`` that a spreadsheet would run when the file is opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Final

from ..errors import InputError
from ._output import safe_cell
from ._results import Match, ScreeningReport

__all__ = ["RESULT_COLUMNS", "annotate_csv"]

# Appended to the input's own header line.
RESULT_COLUMNS: Final = (
    "screening result",
    "screening status",
    "screening strength",
    "screening matched",
    "screening case ref",
)


def _results(report: ScreeningReport) -> dict[int, list[str]]:
    """The result cells of every row the report names, by data row number."""
    if report.clear is None:
        # Without the clear rows, a row missing from the report could be
        # clear or one of the not-screened rows beyond MAX_DETAILS.
        raise ValueError("annotating needs a report screened with include_clear=True")
    cells: dict[int, list[str]] = {r.row: ["clear", "", "", "", ""] for r in report.clear}
    for ref in report.unusable:
        cells[ref.row] = ["not screened", "", "", "", ""]
    for match in report.matches:
        result = "match" if match.row not in cells else "match; attendee not screened"
        cells[match.row] = [result, *_match_cells(match)]
    return cells


def _match_cells(match: Match) -> list[str]:
    return [
        match.status.value,
        match.strength.value,
        " ".join(match.matched),
        " ".join(dict.fromkeys(hit.case_ref for hit in match.hits)),
    ]


def annotate_csv(
    headers: Sequence[str], rows: Iterable[Sequence[str]], report: ScreeningReport
) -> str:
    """The input as CSV (UTF-8 with a byte-order mark, as Excel writes it), each
    row followed by its result: result, status, strength, matched kinds, case refs.

    *rows* are the input's data rows in order, blank ones included, so that
    the n-th is the report's row n.  Blank rows stay blank; a row the report
    does not name was not screened (beyond the report's listed ones).
    """
    results = _results(report)
    width = len(headers)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in (*headers, *RESULT_COLUMNS)])
    for number, row in enumerate(rows, start=1):
        if len(row) > width:
            raise InputError(f"data row {number} has more fields than the header line")
        padded = [*row, *([""] * (width - len(row)))]
        blank = not any(cell.strip() for cell in row)
        extra = [""] * 5 if blank else results.get(number, ["not screened", "", "", "", ""])
        writer.writerow([safe_cell(cell) for cell in (*padded, *extra)])
    return out.getvalue()
