"""`screen` with --column order-KIND, HEADER#N and --no-column; the plan's warnings."""

from __future__ import annotations

import json

import pytest

from .test_cli import Setup, run
from .test_cli import setup as setup  # the fixture, shared


def test_warnings_go_to_stderr_even_when_quiet(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text("Name,Ticket type\nJose Garcia,VIP\n", encoding="utf-8")
    code, _, err = run(capsys, *setup.screen("-q"))
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("Warning: ")]
    assert warnings == [
        "Warning: no column of attendee e-mail addresses was recognized; ignored columns: "
        "'Ticket type'; name one with --column email=HEADER if it holds them"
    ]
    assert "VIP" not in err
    assert "Columns used" not in err  # -q still hides the information


def test_the_second_of_two_equal_headers(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.csv.write_text(
        "Name,E-mail,E-mail\nJane Doe,jane@example.org,jose@example.org\n", encoding="utf-8"
    )
    code, out, _ = run(capsys, *setup.screen("--column", "email=E-mail#2", "--format", "json"))
    assert code == 0
    assert [m["case_ref"] for m in json.loads(out)["matches"]] == ["CASE-1"]


def test_no_column_excludes_a_detected_column(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text("Name,GitHub\nAda,mallory\n", encoding="utf-8")
    code, out, err = run(capsys, *setup.screen("--no-column", "GitHub", "--format", "json"))
    assert code == 0
    assert json.loads(out)["matches"] == []
    assert "'GitHub'" not in err.split("Columns used:")[1].split("Warning")[0]


def test_an_order_level_column(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.csv.write_text("Name,Buyer\nAda,jose@example.org\n", encoding="utf-8")
    code, _, err = run(capsys, *setup.screen("--column", "order-email=Buyer"))
    assert code == 0
    assert "email    <- 'Buyer' (" in err  # described as order-level


def test_an_unknown_order_kind_is_a_usage_error(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *setup.screen("--column", "order-phone=Buyer"))
    assert code == 2
    assert "order-KIND" in err


def test_a_header_less_file_names_no_attendee(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text("Jane Secretperson,jane.secret@example.org\n", encoding="utf-8")
    code, out, err = run(capsys, *setup.screen("--column", "email=E-Mail"))
    assert code == 3
    assert "first line must be a header line" in err
    assert "Secretperson" not in err + out
    assert "jane.secret" not in err + out
