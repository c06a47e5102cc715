"""`screen` on the files organizers have: workbooks, --sheet, --encoding, and refusals."""

# The `setup` fixture of test_cli is imported, and so named again by each test.
# ruff: noqa: F811

from __future__ import annotations

import codecs
import json

import pytest

from ..organizer._workbooks import PRETIX_FEES, PRETIX_ORDERS, Cell, write_ods, write_xlsx
from .test_cli import Setup, _no_traceback, run, setup  # noqa: F401 - the fixture

# The committee of `setup` lists "José María García" and GitHub "mallory".
POSITIONS: list[list[Cell]] = [
    ["Order code", "Position ID", "Email", "Attendee name", "Attendee email", "GitHub"],
    ["A1B2C", 1.0, "buyer@example.org", "Alice Jones", "alice@example.org", "mallory"],
    ["A1B2C", 2.0, "buyer@example.org", "Carol White", "carol@example.org", ""],
]


def _matches(out: str) -> list[tuple[int, str]]:
    return [(m["row"], m["case_ref"]) for m in json.loads(out)["matches"]]


def test_screen_a_pretix_workbook_and_choose_its_sheet(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv = write_xlsx(
        setup.tmp / "pretix.xlsx",
        {"Orders": PRETIX_ORDERS, "Order positions": POSITIONS, "Order fees": PRETIX_FEES},
    )
    code, out, err = run(capsys, *setup.screen("--format", "json"))
    assert code == 0, err
    assert _matches(out) == [(1, "CASE-2")]
    assert json.loads(out)["records"] == 2
    # The orders sheet names the buyer only.
    code, out, err = run(capsys, *setup.screen("--format", "json", "--sheet", "Orders"))
    assert (code, json.loads(out)["records"]) == (0, 1), err
    code, _, err = run(capsys, *setup.screen("--sheet", "Positions"))
    assert code == 3
    assert "no sheet named 'Positions'; its sheets: 'Orders', 'Order positions'" in err
    _no_traceback(err)


def test_screen_an_ods_file(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.csv = write_ods(
        setup.tmp / "list.ods", {"Sheet1": [["Name", "Email"], ["José García", ""]]}
    )
    code, out, err = run(capsys, *setup.screen("--format", "json"))
    assert code == 0, err
    assert _matches(out) == [(1, "CASE-1")]


def test_a_windows_csv_is_refused_by_name_then_read_with_encoding(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_bytes("Name;Email\r\nJosé García;\r\n".encode("cp1252"))
    code, out, err = run(capsys, *setup.screen())
    assert (code, out) == (3, "")
    assert err.splitlines()[-1] == (
        "coc-hashscreen: error: line 2 is not valid UTF-8: this looks like Windows-1252 or "
        "Latin-1 text, Excel's 'CSV' on Windows; save it as 'CSV UTF-8' or pass --encoding "
        "cp1252"
    )
    code, out, err = run(capsys, *setup.screen("--encoding", "cp1252", "--format", "json"))
    assert code == 0, err
    assert _matches(out) == [(1, "CASE-1")]


def test_unicode_text_from_excel(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Name\tGitHub\r\nJosé García\t\r\nAlice\t@mallory\r\n"
    setup.csv.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    code, out, err = run(capsys, *setup.screen("--format", "json"))
    assert code == 0, err
    assert _matches(out) == [(1, "CASE-1"), (2, "CASE-2")]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"Name,Email\n", "the file has a header line but no data rows"),
        (b"", "the file is empty"),
        (b'{"event": {"name": "DemoCon", "orders": []}}', "holds no records"),
        (b"%PDF-1.4\n", "this is a PDF document"),
    ],
    ids=["header-only", "empty", "pretix-json", "pdf"],
)
def test_nothing_screened_is_never_a_success(
    setup: Setup, capsys: pytest.CaptureFixture[str], data: bytes, said: str
) -> None:
    setup.csv.write_bytes(data)
    code, out, err = run(capsys, *setup.screen())
    assert (code, out) == (3, "")
    assert said in err
    assert "0 of 0" not in err + out
    _no_traceback(err)
