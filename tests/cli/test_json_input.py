"""`screen` reads a JSON document by its content, as the Python reader does."""

from __future__ import annotations

import json

import pytest

from .test_cli import Setup, _no_traceback, run
from .test_cli import setup as setup

SECRET = "s3cr3t-t1cket-code"

# pretix "Order data (JSON)": García (listed) bought two tickets; Grace has
# her own address, the second ticket's holder is known only by a GitHub answer.
PRETIX = {
    "event": {
        "name": "CLI Conf",
        "slug": "cliconf",
        "questions": [{"id": 4, "identifier": "GH", "question": "GitHub username", "type": "S"}],
        "orders": [
            {
                "code": "A1B2C",
                "email": "jose@example.org",
                "positions": [
                    {"positionid": 1, "attendee_name": "Grace Hopper",
                     "attendee_email": "grace@example.org", "secret": SECRET, "answers": []},
                    {"positionid": 2, "attendee_name": None, "attendee_email": None,
                     "secret": SECRET, "answers": [{"question": 4, "answer": "Mallory"}]},
                ],
            }
        ],
    }
}  # fmt: skip


def test_a_pretix_export_is_screened(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    path = setup.tmp / "cliconf_pretixdata.json"
    path.write_text(json.dumps(PRETIX), encoding="utf-8")
    argv = setup.screen("--format", "json", "--include-clear")
    argv[1] = path
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "read as pretix 'Order data (JSON)' export: 2 record(s)" in err
    assert SECRET not in out
    data = json.loads(out)
    assert (data["records"], data["screened"]) == (2, 2)
    hits = {m["row"]: m for m in data["matches"]}
    assert {"kind": "github", "status": "flagged", "strength": "strong", "case_ref": "CASE-2",
            "committee": "CLI Committee"} in hits[2]["hits"]  # fmt: skip
    # Grace's order was bought by a listed person: never a strong match on her.
    assert 1 not in hits or hits[1]["strength"] != "strong"


def test_content_decides_not_the_file_name(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text("\n  " + json.dumps(PRETIX["event"]["orders"]), encoding="utf-8")
    code, _, err = run(capsys, *setup.screen())
    assert code == 0, err
    assert "read as pretix API orders: 2 record(s)" in err


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (
            '{"jane@example.org": 1}',
            (),
            "a JSON object with 1 key(s), none of them event, results, tickets, attendees or "
            "entries",
        ),
        ('[{"Name": "Jane"', (), "the input is not valid JSON (line 1, column 17"),
        (
            json.dumps(PRETIX),
            ("--column", "email=Email"),
            "naming columns (--column, --no-column) is for tables",
        ),
        (
            json.dumps(PRETIX),
            ("--no-column", "Email"),
            "naming columns (--column, --no-column) is for tables",
        ),
        (json.dumps(PRETIX), ("--sheet", "Orders"), "a sheet (--sheet) is for tables"),
        (json.dumps(PRETIX), ("--keep-column", "event.name"), "no record of the JSON document"),
        (json.dumps(PRETIX), ("--annotate", "out.csv"), "--annotate writes a table back"),
        (json.dumps(PRETIX), ("--keep-column", "secret"), "'secret' holds a ticket secret"),
    ],
)
def test_json_refusals_are_one_line(
    setup: Setup,
    capsys: pytest.CaptureFixture[str],
    content: str,
    extra: tuple[str, ...],
    message: str,
) -> None:
    setup.csv.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, *setup.screen(*extra))
    assert (code, out) == (3, "")
    _no_traceback(err)
    assert f"coc-hashscreen: error: {message}" in err
    assert "jane" not in err.lower()


def test_keep_column_passes_a_json_field_through(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    path = setup.tmp / "pretix.json"
    path.write_text(json.dumps(PRETIX), encoding="utf-16")
    argv = setup.screen("--format", "json", "--keep-column", "code")
    argv[1] = path
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert [m["ref"] for m in json.loads(out)["matches"]] == [{"code": "A1B2C"}, {"code": "A1B2C"}]
    assert SECRET not in out


def test_a_json_input_that_screened_nobody_fails_with_json_advice(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text(json.dumps([{"name": "", "email": ""}, {"company": "Acme"}]))
    code, _out, err = run(capsys, *setup.screen())
    assert code == 3
    assert "nobody was screened; check the platform's export" in err
    assert "--column" not in err
