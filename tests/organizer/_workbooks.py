"""Real XLSX, XLS and ODS files for the tests, and the platforms' export headers.

calamine only reads, so the fixtures are written with openpyxl (XLSX), xlwt
(XLS) and odfpy (ODS), the `test` extra.  The headers follow each
platform's own export code or documentation; the people are planted: the
listed ones of the `world` fixture beside people who are not listed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path

import openpyxl
import xlwt  # type: ignore[import-untyped]
from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
from odf.text import P  # type: ignore[import-untyped]

Cell = str | int | float | bool | datetime.datetime | None
Sheets = Mapping[str, Sequence[Sequence[Cell]]]


def write_xlsx(path: Path, sheets: Sheets) -> Path:
    book = openpyxl.Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def write_xls(path: Path, sheets: Sheets) -> Path:
    book = xlwt.Workbook()
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, sheets: Sheets) -> Path:
    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                if value is not None:
                    cell.addElement(P(text=str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


# pretix "Order data" as Combined Excel: sheets "Orders", "Order positions"
# and "Order fees" (pretix/base/exporters/orderlist.py).  The Orders sheet
# has a plain "Name" and "Email" of the buyer, which must not be screened
# as the attendees.
PRETIX_ORDERS: list[list[Cell]] = [
    ["Event slug", "Order code", "Order total", "Status", "Email", "Phone number",
     "Order date", "Order time", "Company", "Name", "Address"],
    ["democon", "A1B2C", 240.0, "paid", "buyer@example.org", "", "2024-05-01", "10:00:00",
     "", "Pat Buyer", ""],
]  # fmt: skip
PRETIX_POSITIONS: list[list[Cell]] = [
    ["Event slug", "Order code", "Position ID", "Status", "Email", "Phone number",
     "Order date", "Order time", "Product", "Variation", "Price", "Tax rate",
     "Attendee name", "Attendee email", "Company", "GitHub username"],
    ["democon", "A1B2C", 1.0, "paid", "buyer@example.org", "", "2024-05-01", "10:00:00",
     "Regular ticket", "", 120.0, 19.0, "José María García", "", "", ""],
    ["democon", "A1B2C", 2.0, "paid", "buyer@example.org", "", "2024-05-01", "10:00:00",
     "Regular ticket", "", 120.0, 19.0, "Alice Jones", "alice@example.org", "", "mallory"],
    ["democon", "D3E4F", 3.0, "paid", "carol@example.org", "", "2024-05-02", "11:00:00",
     "Regular ticket", "", 120.0, 19.0, "Carol White", "carol@example.org", "", ""],
]  # fmt: skip
PRETIX_FEES: list[list[Cell]] = [
    ["Event slug", "Order code", "Status", "Email", "Fee type", "Description", "Price"],
    ["democon", "A1B2C", "paid", "buyer@example.org", "payment", "", 1.5],
]

# Eventbrite attendee report (XLSX): order-level columns first.
EVENTBRITE: list[list[Cell]] = [
    ["Order #", "Order Date", "First Name", "Last Name", "Email", "Quantity", "Price Tier",
     "Ticket Type", "Attendee #", "Group", "Order Type", "Currency", "Total Paid",
     "Attendee Status"],
    [4711.0, datetime.datetime(2024, 5, 1, 9, 30), "Pyotr", "Ivanov", "petr@example.ru", 1.0,
     "", "General Admission", 1234567890.0, "", "Eventbrite Completed", "EUR", 25.0,
     "Attending"],
    [4712.0, datetime.datetime(2024, 5, 1, 9, 31), "Dana", "Scully", "dana@example.org", 1.0,
     "", "General Admission", 1234567891.0, "", "Eventbrite Completed", "EUR", 25.0,
     "Attending"],
]  # fmt: skip

# Sessionize Excel export: sessions first (no person columns it can use),
# then the speakers.
SESSIONIZE_SESSIONS: list[list[Cell]] = [
    ["Session Id", "Title", "Description", "Owner", "Owner Notes", "Format", "Level",
     "Status", "Date Submitted", "Speakers"],
    [101.0, "Fast parsing", "…", "", "", "Talk", "Intermediate", "Accepted",
     datetime.datetime(2024, 2, 1), "Mallory Smith"],
]  # fmt: skip
SESSIONIZE_SPEAKERS: list[list[Cell]] = [
    ["Speaker Id", "FirstName", "LastName", "Email", "TagLine", "Bio", "X (Twitter)",
     "LinkedIn", "Blog", "Company Website"],
    ["7f3a", "Mallory", "Smith", "mallory.smith@example.org", "Engineer", "…", "", "", "", ""],
    ["9c1b", "Erin", "Example", "erin@example.org", "Speaker", "…", "@josegarcia", "", "", ""],
]  # fmt: skip

# Microsoft Forms "Open in Excel": one sheet, ids and times as numbers.
MICROSOFT_FORMS: list[list[Cell]] = [
    ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
     "Dietary requirements"],
    [1.0, datetime.datetime(2024, 3, 1, 8, 0), datetime.datetime(2024, 3, 1, 8, 5),
     "anonymous", "", None, "None"],
    [2.0, datetime.datetime(2024, 3, 1, 9, 0), datetime.datetime(2024, 3, 1, 9, 4),
     "jose.garcia@gmail.com", "José García", None, "Vegan"],
]  # fmt: skip

# Indico registrants (ODS/XLS): Id, Name, Email, Affiliation.
INDICO: list[list[Cell]] = [
    ["ID", "Name", "Email", "Affiliation", "Registration date"],
    [1.0, "Mallory Smith", "m@example.org", "CERN", "2024-04-01"],
    [2.0, "Bob Stone", "bob@example.org", "ESA", "2024-04-02"],
]
