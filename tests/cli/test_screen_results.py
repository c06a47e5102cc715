"""`screen` results an organizer can act on: order contacts, lines, kept columns, annotate."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .test_cli import Setup, _no_traceback, run
from .test_cli import setup as setup

# Eventbrite's attendee report with its buyer columns: the listed buyer
# (jose@example.org) bought tickets for two people who are not listed.
EVENTBRITE = (
    "Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,"
    "Buyer First Name,Buyer Last Name,Buyer Email\n"
    "1001,2026-01-01,Dee,Other,dee@example.org,1,General,Jo,Buyer,jose@example.org\n"
    "1001,2026-01-01,Eve,Other,eve@example.org,1,General,Jo,Buyer,jose@example.org\n"
    '1002,2026-01-02,"Ann\nMarie",Other,ann@example.org,1,"=HYPERLINK(""x"")",Al,Buyer,'
    "al@example.org\n"
)


def test_buyer_hits_are_order_contact_in_every_format(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text(EVENTBRITE, encoding="utf-8")
    code, out, err = run(capsys, *setup.screen("--format", "json"))
    assert code == 0, err
    data = json.loads(out)
    assert [(m["row"], m["line"], m["strength"]) for m in data["matches"]] == [
        (1, 2, "order-contact"),
        (2, 3, "order-contact"),
    ]
    assert "strong" not in out
    code, out, _ = run(capsys, *setup.screen("--format", "csv"))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["strength"] for r in rows} == {"order-contact"}
    code, out, err = run(capsys, *setup.screen())
    assert out.count("order-contact*") == 2
    assert "* order-contact" in out
    assert "* name-only" not in out
    assert "order-level" in err  # the column plan says which columns are the buyer's


def test_keep_column_carries_the_order_number(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text(EVENTBRITE, encoding="utf-8")
    code, out, _ = run(capsys, *setup.screen("--format", "json", "--keep-column", "Order #"))
    assert code == 0
    assert [m["ref"] for m in json.loads(out)["matches"]] == [
        {"Order #": "1001"},
        {"Order #": "1001"},
    ]
    code, out, err = run(capsys, *setup.screen("--keep-column", "Order Code"))
    assert code != 0
    assert "no column headed 'Order Code' to keep" in err
    _no_traceback(err)


def test_annotate_writes_the_input_back_with_results(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    setup.csv.write_text(EVENTBRITE, encoding="utf-8")
    annotated = tmp_path / "annotated.csv"
    code, out, err = run(capsys, *setup.screen("--annotate", annotated, "--format", "json"))
    assert code == 0, err
    assert oct(annotated.stat().st_mode & 0o777) == "0o600"
    # The report itself lists no clear rows unless asked for.
    assert "clear_rows" not in json.loads(out)
    rows = list(csv.reader(io.StringIO(annotated.read_text(encoding="utf-8-sig"))))
    assert [r[4] for r in rows[1:]] == ["dee@example.org", "eve@example.org", "ann@example.org"]
    assert rows[3][2] == "Ann\nMarie"
    assert rows[3][6] == '\'=HYPERLINK("x")'
    assert [r[-5:-2] for r in rows[1:]] == [
        ["match", "banned", "order-contact"],
        ["match", "banned", "order-contact"],
        ["clear", "", ""],
    ]


def test_annotate_never_overwrites_the_input(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.csv.read_bytes()
    code, _, err = run(capsys, *setup.screen("--annotate", setup.csv))
    assert code != 0
    assert "--annotate would overwrite INPUT" in err
    assert setup.csv.read_bytes() == before
    _no_traceback(err)
    code, _, err = run(capsys, *setup.screen("--annotate", "-"))
    assert code != 0
    assert "ending in .csv" in err


def test_annotate_xlsx(setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    setup.csv.write_text(EVENTBRITE, encoding="utf-8")
    annotated = tmp_path / "annotated.xlsx"
    code, _, err = run(capsys, *setup.screen("--annotate", annotated))
    assert code == 0, err
    assert oct(annotated.stat().st_mode & 0o777) == "0o600"
    rows = list(load_workbook(annotated)["Screened"].iter_rows(values_only=True))
    assert [r[-3] for r in rows] == ["screening strength", "order-contact", "order-contact", None]
    assert rows[3][6] == '=HYPERLINK("x")'


def test_annotate_a_workbook_input_keeps_its_rows(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A workbook input with a blank row: the annotated copy has the same rows
    # in the same order, and the report numbers them as the sheet does.
    from openpyxl import Workbook

    rows = list(csv.reader(io.StringIO(EVENTBRITE)))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [rows[0], rows[1], [], rows[2], rows[3]]:
        sheet.append(row)
    workbook = tmp_path / "eventbrite.xlsx"
    book.save(workbook)
    annotated = tmp_path / "annotated.csv"
    command = setup.screen("--annotate", annotated, "--format", "json")
    command[1] = workbook
    code, out, err = run(capsys, *command)
    assert code == 0, err
    assert [(m["row"], m["line"]) for m in json.loads(out)["matches"]] == [(1, 2), (3, 4)]
    written = list(csv.reader(io.StringIO(annotated.read_text(encoding="utf-8-sig"))))
    assert [r[4] for r in written[1:]] == [
        "dee@example.org",
        "",
        "eve@example.org",
        "ann@example.org",
    ]
    assert [r[-5] for r in written[1:]] == ["match", "", "match", "clear"]


def test_buyer_matches_on_unscreened_rows_are_counted_apart(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    # pretix positions without attendee data: the buyer (listed) is all the
    # rows hold, so they match as order contact but nobody in them is screened.
    setup.csv.write_text(
        "Order code,Attendee name,Attendee email,Email\n"
        "A1,,,jose@example.org\nA2,,,jose@example.org\nA3,Dee Other,dee@example.org,\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, *setup.screen())
    assert code == 0, err
    assert "0 of 1 screened record matched." in out
    assert "2 more row(s) matched only through the order's contact" in out
    code, out, _ = run(capsys, *setup.screen("--format", "json"))
    data = json.loads(out)
    assert (data["screened"], len(data["matches"]), data["matches_on_unscreened_rows"]) == (1, 2, 2)


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_a_run_that_screened_nobody_fails(
    setup: Setup, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    # A header-less file whose first line ends in "X" (read as Twitter's
    # header): no row has a usable identifier.
    setup.csv.write_text("Ann Other,Acme Ltd,X\nBob Stone,Initech,\nCy Doe,Globex,\n")
    code, _out, err = run(capsys, *setup.screen("--format", fmt))
    assert code == 3
    assert "none of the 2 row(s) had a usable name" in err
    assert "Ann" not in err
    assert "Acme" not in err
    _no_traceback(err)
