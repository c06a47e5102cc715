"""Screening as a routine from the command line: the epoch cache and live progress."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from coc_hashscreen.cli import main

from .test_cli import Setup, run
from .test_cli import setup as setup


def _caches(setup: Setup) -> list[Path]:
    return sorted((setup.state.parent / "cache").glob("*.cache"))


def test_a_second_run_takes_its_argon2_outputs_from_the_cache(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, first, _ = run(capsys, *setup.screen())
    assert code == 0
    assert "from the Argon2 cache" not in first
    (path,) = _caches(setup)
    assert path.stat().st_mode & 0o777 == 0o600
    code, second, _ = run(capsys, *setup.screen("--format", "json"))
    report = json.loads(second)
    assert report["identifiers_from_cache"] == report["identifiers_hashed"] > 0
    code, table, _ = run(capsys, *setup.screen())
    assert "from the Argon2 cache of earlier runs" in table


def test_no_cache_neither_reads_nor_writes_it(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *setup.screen("--no-cache", "--format", "json"))
    assert code == 0
    assert json.loads(out)["identifiers_from_cache"] == 0
    assert _caches(setup) == []
    run(capsys, *setup.screen())
    code, out, _ = run(capsys, *setup.screen("--no-cache", "--format", "json"))
    assert json.loads(out)["identifiers_from_cache"] == 0


def test_forget_cache_wipes_it(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, *setup.screen())
    assert len(_caches(setup)) == 1
    code, out, _ = run(capsys, "organizer", "forget-cache", "--state", setup.state)
    assert code == 0
    assert "Removed 1 Argon2 cache file(s)" in out
    assert _caches(setup) == []
    code, out, _ = run(capsys, *setup.screen("--format", "json"))
    assert json.loads(out)["identifiers_from_cache"] == 0


def test_a_damaged_cache_is_named_in_a_warning(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, *setup.screen())
    (path,) = _caches(setup)
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    code, _, err = run(capsys, *setup.screen())
    assert code == 0
    assert "Warning: the Argon2 cache file does not open" in err
    code, _, err = run(capsys, *setup.screen())
    assert "Warning" not in err


def test_progress_json_is_one_object_per_line(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *setup.screen("-q", "--progress", "json"))
    assert code == 0
    statuses = [json.loads(line) for line in err.splitlines()]
    assert statuses
    assert statuses[-1]["done"] is True
    assert statuses[-1]["rows"] == statuses[-1]["rows_total"] == 4
    assert {"hashed", "from_cache", "seconds_left", "expected_identifiers"} <= set(statuses[0])


def test_no_progress_on_a_pipe_or_when_quiet(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, err = run(capsys, *setup.screen())
    assert "\r" not in err
    assert "{" not in err


class _Terminal:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_the_progress_line_on_a_terminal(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([os.fspath(a) for a in setup.screen()]) == 0
    frames = [f for f in terminal.text.split("\r") if f.strip()]
    assert any(f.startswith("hashing ~") for f in frames)
    assert frames[-1].startswith("screened 4/4 rows: ")
    # Each frame overwrites the last within 80 columns; info lines came before.
    assert all(len(frame.rstrip("\n")) == 79 for frame in frames[1:])
    monkeypatch.setattr(sys, "stderr", terminal := _Terminal())
    assert main([os.fspath(a) for a in setup.screen("-q")]) == 0
    assert "\r" not in terminal.text


def test_the_first_progress_line_comes_within_a_second_on_a_pseudo_terminal(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A real process on a pseudo-terminal, a list at the default profile
    # (tens of milliseconds per identifier) and one thread: the run takes
    # seconds, and its first line must not wait for them.
    listed = tmp_path / "slow.list"
    assert run(capsys, "committee", "publish", setup.committee, "-o", listed)[0] == 0
    grant = tmp_path / "slow.grant"
    assert run(capsys, "committee", "grant", setup.committee, setup.organizer / "organizer.pub",
               "-o", grant)[0] == 0  # fmt: skip
    rows = "".join(f"Person {i},p{i}@example.org\n" for i in range(60))
    attendees = tmp_path / "many.csv"
    attendees.write_text("Name,Email\n" + rows, encoding="utf-8")
    argv: list[str | Path] = [
        sys.executable, "-m", "coc_hashscreen", "screen", attendees, "--list", listed,
        "--grant", grant, "--key", setup.organizer, "--trust", setup.trust,
        "--state", setup.state, "--workers", "1", "--no-cache",
    ]  # fmt: skip
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [os.fspath(a) for a in argv], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=terminal, env={**os.environ, "COLUMNS": "80"},
    )  # fmt: skip
    os.close(terminal)
    seen = b""
    started = first = None
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and first is None:
            ready, _, _ = select.select([controller], [], [], 0.05)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                seen += os.read(controller, 4096)
            except OSError:
                break
            now = time.monotonic()
            if started is None and b"Columns used" in seen:
                started = now
            if started is not None and b"hashing ~" in seen:
                first = now
        assert started is not None, seen
        assert first is not None, seen
        assert first - started < 1.0
    finally:
        process.kill()
        process.wait()
        os.close(controller)


# ---------------------------------------------------------------------------
# new since last time


def _json(capsys: pytest.CaptureFixture[str], setup: Setup, *extra: str) -> dict[str, Any]:
    code, out, err = run(capsys, *setup.screen("--format", "json", *extra))
    assert code == 0, err
    document: dict[str, Any] = json.loads(out)
    return document


def test_a_second_run_says_what_is_new_changed_and_gone(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _json(capsys, setup)
    assert first["since_last_run"] is None
    assert {m["change"] for m in first["matches"]} == {None}
    # A week later: Jane changed her e-mail, José left, Alice is as she was,
    # and someone new registered with the listed e-mail address.
    setup.csv.write_text(
        "Name,Email,GitHub\nJane Doe,jane.doe@example.org,\nAlice,,@Mallory\n"
        "J. M. Garcia,jose@example.org,\n",
        encoding="utf-8",
    )
    history = setup.state.parent / "history" / "attendees.json"
    after_first = history.read_bytes()
    second = _json(capsys, setup)
    changes = {m["row"]: m["change"] for m in second["matches"]}
    assert changes == {2: "unchanged", 3: "new"}
    since = second["since_last_run"]
    # Jane is found again by her name: changed, not new.
    assert (since["new_rows"], since["changed_rows"], since["gone_rows"]) == (1, 1, 2)
    assert since["previous_records"] == 4
    assert since["gone_matches"] == [{"row": 2, "case_refs": ["CASE-1"], "statuses": ["banned"]}]
    # The same second run as a table leads with the new match, marked, and
    # names the gone one.
    history.write_bytes(after_first)
    code, table, _ = run(capsys, *setup.screen())
    assert code == 0
    rows = [line for line in table.splitlines() if "CASE-" in line and line[:7].strip().isdigit()]
    assert rows[0].split()[0] == "4"  # its line in the file
    assert rows[0].endswith("NEW")
    assert "1 new match(es), 0 changed, 1 gone" in table
    assert "gone: row 2 of the last run (CASE-1)" in table
    code, table, _ = run(capsys, *setup.screen())
    assert "0 new match(es), 0 changed, 0 gone" in table  # nothing changed since


def test_a_changed_match_is_marked_changed(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    _json(capsys, setup)
    # Alice adds the listed e-mail: the same person (her handle) matches more.
    setup.csv.write_text(
        "Name,Email,GitHub\nJane Doe,jane@example.org,\nJose Garcia,,\n"
        "Alice,jose@example.org,@Mallory\n",
        encoding="utf-8",
    )
    second = _json(capsys, setup)
    changes = {m["row"]: m["change"] for m in second["matches"]}
    assert changes[3] == "changed"
    assert second["since_last_run"]["changed_rows"] == 1


def test_history_names_and_no_history(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    _json(capsys, setup)
    history = setup.state.parent / "history"
    (path,) = history.iterdir()
    assert path.name == "attendees.json"
    assert path.stat().st_mode & 0o777 == 0o600
    raw = path.read_bytes()
    for value in ("Jane", "jane@example.org", "mallory", "Garcia", "garcia"):
        assert value.encode() not in raw
    # Another name starts afresh; --no-history neither reads nor writes.
    assert _json(capsys, setup, "--history", "speakers")["since_last_run"] is None
    assert _json(capsys, setup, "--no-history")["since_last_run"] is None
    assert sorted(p.name for p in history.iterdir()) == ["attendees.json", "speakers.json"]
    path.write_bytes(b"{damaged")
    code, _, err = run(capsys, *setup.screen())
    assert code == 0
    assert "history could not be read" in err


# ---------------------------------------------------------------------------
# several committees in one run, and the organizer directory


def _second_committee(
    setup: Setup, capsys: pytest.CaptureFixture[str], key: Path
) -> tuple[Path, Path, Path]:
    other = setup.tmp / "global"
    assert run(capsys, "committee", "init", other, "--name", "Global Committee")[0] == 0
    assert run(capsys, "committee", "add", other, "--status", "flagged", "--email",
               "jane@example.org", "--case-ref", "G-1")[0] == 0  # fmt: skip
    assert run(capsys, "committee", "add", other, "--status", "banned", "--github",
               "mallory", "--case-ref", "G-2")[0] == 0  # fmt: skip
    listed, grant = setup.tmp / "global.list", setup.tmp / "global.grant"
    assert run(capsys, "committee", "publish", other, "-o", listed, "--kdf", "test-only")[0] == 0
    assert run(capsys, "committee", "grant", other, key, "-o", grant)[0] == 0
    return listed, grant, other / "committee.trust"


def test_several_committees_in_one_run(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    listed, grant, trust = _second_committee(setup, capsys, setup.organizer / "organizer.pub")
    argv = [*setup.screen("--format", "json"), "--list", listed, "--grant", grant,
            "--trust", trust]  # fmt: skip
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    report = json.loads(out)
    assert [info["committee"] for info in report["lists"]] == ["CLI Committee", "Global Committee"]
    by_row = {m["row"]: m for m in report["matches"]}
    assert {h["committee"] for h in by_row[1]["hits"]} == {"Global Committee"}
    alice = {(h["committee"], h["case_ref"]) for h in by_row[3]["hits"]}
    assert alice == {("CLI Committee", "CASE-2"), ("Global Committee", "G-2")}
    assert by_row[3]["status"] == "banned"  # the more severe of the two, first
    code, table, _ = run(capsys, *[a for a in argv if a not in ("--format", "json")])
    assert "on the list of CLI Committee, Global Committee" in table
    assert table.count("List: ") == 2


def test_mismatched_path_options_are_one_line(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *setup.screen(), "--list", setup.listed)
    assert code == 2
    assert "one --list, --grant and --trust per committee" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "screen", setup.csv, "--state", setup.state)
    assert code == 2
    assert "--state goes with --list" in err


def test_screen_with_the_organizer_directory_alone(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    home = tmp_path / "home"
    monkeypatch.setenv("COC_HASHSCREEN_HOME", os.fspath(home))
    assert run(capsys, "organizer", "init", "--name", "Home Conf")[0] == 0
    pub = home / "organizer.pub"
    grant = tmp_path / "home.grant"
    assert run(capsys, "committee", "grant", setup.committee, pub, "-o", grant)[0] == 0
    listed, other_grant, other_trust = _second_committee(setup, capsys, pub)
    code, _, err = run(capsys, "organizer", "add", setup.trust, setup.listed, grant,
                       other_trust, listed, other_grant)  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, "screen", setup.csv, "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert sorted(info["committee"] for info in report["lists"]) == [
        "CLI Committee", "Global Committee",
    ]  # fmt: skip
    assert len(list((home / "cache").glob("*.cache"))) == 2
    assert [p.name for p in (home / "history").iterdir()] == ["attendees.json"]
    code, out, _ = run(capsys, "screen", setup.csv, "--format", "json")
    assert json.loads(out)["identifiers_from_cache"] > 0
    code, out, _ = run(capsys, "organizer", "forget-cache", "--home", home)
    assert "Removed 2 Argon2 cache file(s)" in out


# ---------------------------------------------------------------------------
# found by review: what a week-to-week routine must not get wrong


def test_a_second_ticket_of_a_matched_person_is_a_new_row(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.csv.write_text("Name,Email\nJose Garcia,jose@example.org\n", encoding="utf-8")
    _json(capsys, setup)
    setup.csv.write_text(
        "Name,Email\nJose Garcia,jose@example.org\nJose Garcia,jose@example.org\n",
        encoding="utf-8",
    )
    report = _json(capsys, setup)
    assert [m["change"] for m in report["matches"]] == ["unchanged", "new"]
    assert report["since_last_run"]["new_rows"] == 1
    assert report["since_last_run"]["gone_rows"] == 0


def test_a_run_whose_report_was_not_written_is_not_remembered(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *setup.screen("-o", setup.tmp / "missing-dir" / "r.csv"))
    assert code != 0
    assert "Traceback" not in err
    # Nobody saw those matches: the next run has nothing to call them old by.
    assert _json(capsys, setup)["since_last_run"] is None


def test_a_cache_that_cannot_be_saved_is_a_warning_not_a_failed_run(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    (setup.state.parent / "cache").write_text("not a directory", encoding="utf-8")
    code, out, err = run(capsys, *setup.screen())
    assert code == 0
    assert "2 of 3 screened records matched" in out
    assert "Warning: the Argon2 cache could not be saved" in err


def test_the_same_pretix_export_twice_is_unchanged_with_the_cache(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    # The order's e-mail is the attendee's own in another case: one identifier
    # on every run, never an extra order-contact hit once the cache knows it.
    setup.csv.write_text(
        "Order code,Email,Attendee name,Attendee email\n"
        "ABC12,jose@example.org,Jose Garcia,Jose@Example.org\n",
        encoding="utf-8",
    )
    first = _json(capsys, setup)
    second = _json(capsys, setup)
    assert [m["matched"] for m in second["matches"]] == [m["matched"] for m in first["matches"]]
    assert [m["change"] for m in second["matches"]] == ["unchanged"]
    assert second["identifiers_hashed"] == first["identifiers_hashed"]


def test_a_committee_not_ready_is_never_left_out_in_silence(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    home = tmp_path / "home"
    monkeypatch.setenv("COC_HASHSCREEN_HOME", os.fspath(home))
    assert run(capsys, "organizer", "init", "--name", "Home Conf")[0] == 0
    grant = tmp_path / "home.grant"
    pub = home / "organizer.pub"
    assert run(capsys, "committee", "grant", setup.committee, pub, "-o", grant)[0] == 0
    listed, _, other_trust = _second_committee(setup, capsys, pub)
    # The global committee's grant has not come yet.
    assert run(capsys, "organizer", "add", setup.trust, setup.listed, grant, other_trust,
               listed)[0] == 0  # fmt: skip
    code, out, err = run(capsys, "screen", setup.csv)
    assert code != 0
    assert out == ""
    (line,) = err.splitlines()
    assert "'Global Committee': no grant for epoch 1" in line
    assert "--only-ready" in line
    code, out, err = run(capsys, "screen", setup.csv, "--only-ready", "-q", "--format", "json")
    assert code == 0
    assert "Warning: not screened against 'Global Committee'" in err
    assert [info["committee"] for info in json.loads(out)["lists"]] == ["CLI Committee"]
