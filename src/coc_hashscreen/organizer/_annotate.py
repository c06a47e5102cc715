"""The organizer's own file back, with each row's screening result appended.

An annotated file holds every attendee of the input, so it is as private as
the input itself (the CLI writes it with mode 0600).  Every cell, the
input's included, is made spreadsheet-safe: an export can carry a cell such
as ``=HYPERLINK(...)`` that a spreadsheet would run when the file is opened.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Final

from ..errors import InputError
from ._output import safe_cell
from ._results import Match, ScreeningReport

if TYPE_CHECKING:  # openpyxl is optional (the ``xlsx`` extra)
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

__all__ = ["RESULT_COLUMNS", "annotate_csv", "annotate_xlsx"]

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


def _annotated_rows(
    headers: Sequence[str], rows: Iterable[Sequence[str]], report: ScreeningReport
) -> Iterator[list[str]]:
    """The header line and every row with its result cells appended, cells as they are."""
    results = _results(report)
    width = len(headers)
    yield [*headers, *RESULT_COLUMNS]
    for number, row in enumerate(rows, start=1):
        if len(row) > width:
            raise InputError(f"data row {number} has more fields than the header line")
        padded = [*row, *([""] * (width - len(row)))]
        blank = not any(cell.strip() for cell in row)
        extra = [""] * 5 if blank else results.get(number, ["not screened", "", "", "", ""])
        yield [*padded, *extra]


def annotate_csv(
    headers: Sequence[str], rows: Iterable[Sequence[str]], report: ScreeningReport
) -> str:
    """The input as CSV (UTF-8 with a byte-order mark, as Excel writes it), each
    row followed by its result: result, status, strength, matched kinds, case refs.

    *rows* are the input's data rows in order, blank ones included, so that
    the n-th is the report's row n.  Blank rows stay blank; a row the report
    does not name was not screened (beyond the report's listed ones).  The
    report must hold the clear rows (``include_clear=True``).
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for cells in _annotated_rows(headers, rows, report):
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


# Characters an XLSX cell cannot hold (XML 1.0 forbids them); openpyxl
# refuses them rather than drop them.
_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def annotate_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[str]], report: ScreeningReport
) -> bytes:
    """As `annotate_csv`, as an XLSX workbook (needs the ``xlsx`` extra, openpyxl).

    Every cell is stored as text, so no cell is ever a formula, whatever it
    starts with; characters XML cannot hold are replaced by U+FFFD.
    """
    try:
        from openpyxl import Workbook
    except ImportError:
        raise InputError(
            "writing XLSX needs openpyxl: pip install 'coc-hashscreen[xlsx]', or "
            "annotate to a file ending in .csv"
        ) from None
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Screened")
    for cells in _annotated_rows(headers, rows, report):
        sheet.append([_text_cell(sheet, cell) for cell in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> Cell:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_XML_ILLEGAL.sub("\ufffd", value))
    # Set after the value: openpyxl reads a text starting with "=" as a formula.
    cell.data_type = "s"
    return cell
