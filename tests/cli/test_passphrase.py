"""Passphrases on the command line: where they come from, and that they are never shown.

The suite's fixture (tests/conftest.py) gives every command a passphrase
file through $COC_HASHSCREEN_PASSPHRASE_FILE; these tests remove or replace
it to check each source, and the refusals when there is none.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from coc_hashscreen.cli import build_parser, main
from coc_hashscreen.core import KeyPurpose
from coc_hashscreen.formats import (
    DEFAULT_PASSPHRASE_KDF,
    parse_trust,
    private_key_info,
    seal_report,
)

from ..helpers import TEST_KEY_KDF, TEST_PASSPHRASE, sample_report

ENV = "COC_HASHSCREEN_PASSPHRASE_FILE"
NEW = "a brand new passphrase"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def _private_file(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def _encrypted(path: Path) -> bool:
    return bool(json.loads(path.read_bytes())["format"] == 2)


class Terminal:
    """Stands in for a person at a terminal: answers prompts, records them."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    def isatty(self) -> bool:
        return True

    def getpass(self, prompt: str = "Password: ") -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    import getpass

    fake = Terminal()
    monkeypatch.delenv(ENV)
    monkeypatch.setattr(sys, "stdin", fake)
    monkeypatch.setattr(getpass, "getpass", fake.getpass)
    return fake


@pytest.fixture
def no_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """No passphrase file and no terminal: a cron job without its passphrase."""
    monkeypatch.delenv(ENV)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


@dataclass
class Dirs:
    tmp: Path
    committee: Path
    listed: Path


@pytest.fixture
def dirs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Dirs:
    d = Dirs(tmp_path, tmp_path / "committee", tmp_path / "a.list")
    assert run(capsys, "committee", "init", d.committee, "--name", "CLI Committee")[0] == 0
    return d


def _publish(d: Dirs, *extra: str | Path) -> list[str | Path]:
    return ["committee", "publish", d.committee, "-o", d.listed, "--kdf", "test-only", *extra]


def test_committee_init_encrypts_the_keys_by_default(
    dirs: Dirs, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _encrypted(dirs.committee / "signing.key")
    assert _encrypted(dirs.committee / "report.key")
    code, out, _ = run(capsys, "committee", "info", dirs.committee)
    assert code == 0
    assert "Private keys:       encrypted under a passphrase" in out
    code, out, _ = run(capsys, "committee", "info", dirs.committee, "--format", "json")
    assert json.loads(out)["keys_encrypted"] is True
    assert run(capsys, *_publish(dirs))[0] == 0


def test_no_passphrase_and_no_terminal_is_one_clear_line(
    tmp_path: Path, dirs: Dirs, capsys: pytest.CaptureFixture[str], no_source: None
) -> None:
    code, _, err = run(capsys, "committee", "init", tmp_path / "new")
    assert code == 7
    line = _one_error_line(err)
    assert "--passphrase-fd N or --passphrase-file FILE, or --no-passphrase" in line
    assert not (tmp_path / "new").exists()
    code, _, err = run(capsys, *_publish(dirs))
    assert code == 7
    assert "a passphrase is needed for the committee keys in" in _one_error_line(err)
    assert not dirs.listed.exists()
    # Commands that sign nothing do not need it.
    assert run(capsys, "committee", "list", dirs.committee)[0] == 0


def test_no_passphrase_is_an_explicit_opt_out_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_source: None
) -> None:
    code, _, err = run(capsys, "committee", "init", tmp_path / "c", "--no-passphrase")
    assert code == 0
    assert "warning: the private keys are stored unencrypted" in err
    assert not _encrypted(tmp_path / "c" / "signing.key")
    code, out, _ = run(capsys, "committee", "info", tmp_path / "c")
    assert "Private keys:       NOT encrypted" in out


def test_a_terminal_is_asked_twice_at_init_and_once_per_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], terminal: Terminal
) -> None:
    passphrase = "typed at the terminal"
    committee = tmp_path / "c"
    terminal.answers = [passphrase, passphrase]
    code, out, err = run(capsys, "committee", "init", committee)
    assert code == 0, err
    assert terminal.prompts == [
        f"New passphrase for the committee keys in {committee}: ",
        "Repeat the new passphrase: ",
    ]
    printed = out + err
    terminal.answers, terminal.prompts = [passphrase], []
    code, out, err = run(capsys, "committee", "publish", committee, "-o", tmp_path / "l",
                         "--kdf", "test-only")  # fmt: skip
    assert code == 0, err
    assert terminal.prompts == [f"Passphrase for the committee keys in {committee}: "]
    printed += out + err
    # intake opens two key files (report and signing) and still asks once.
    trust = parse_trust((committee / "committee.trust").read_bytes())
    (tmp_path / "r.sealed").write_bytes(seal_report(sample_report(), trust=trust))
    terminal.answers, terminal.prompts = [passphrase], []
    code, out, err = run(capsys, "committee", "intake", committee, tmp_path / "r.sealed",
                         "-o", tmp_path / "r.receipt")  # fmt: skip
    assert code == 0, err
    assert len(terminal.prompts) == 1
    printed += out + err
    assert passphrase not in printed


def test_init_refuses_two_different_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], terminal: Terminal
) -> None:
    terminal.answers = ["the first passphrase", "the second passphrase"]
    code, _, err = run(capsys, "committee", "init", tmp_path / "c")
    assert code == 3
    assert "the two passphrases differ; nothing was changed" in _one_error_line(err)
    assert not (tmp_path / "c").exists()
    terminal.answers = ["short", "short"]
    code, _, err = run(capsys, "committee", "init", tmp_path / "c")
    assert (code, "at least 8 characters" in err) == (3, True)


def test_end_of_input_at_the_prompt_is_one_line(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], terminal: Terminal
) -> None:
    code, _, err = run(capsys, *_publish(dirs))
    assert code == 7
    assert "no passphrase was entered" in _one_error_line(err)


def test_wrong_passphrase_is_one_line_that_never_shows_it(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], terminal: Terminal
) -> None:
    terminal.answers = ["a wrong guess at it"]
    code, out, err = run(capsys, *_publish(dirs))
    assert code == 7
    line = _one_error_line(err)
    assert "the passphrase is wrong or the file is damaged" in line
    assert "a wrong guess at it" not in out + err
    assert not dirs.listed.exists()


def test_passphrase_from_a_file_descriptor(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], no_source: None
) -> None:
    read, write = os.pipe()
    try:
        os.write(write, TEST_PASSPHRASE.encode() + b"\n")
        code, out, err = run(capsys, *_publish(dirs, "--passphrase-fd", str(read)))
    finally:
        os.close(read)
        os.close(write)
    assert code == 0, err
    assert TEST_PASSPHRASE not in out + err


def test_a_bad_file_descriptor_is_one_line(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], no_source: None
) -> None:
    code, _, err = run(capsys, *_publish(dirs, "--passphrase-fd", "987"))
    assert code == 7
    assert "cannot read a passphrase from file descriptor 987" in _one_error_line(err)


def test_a_passphrase_typed_as_an_option_value_is_not_echoed(
    dirs: Dirs, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "hunter2-my-secret"
    for option in ("--passphrase-fd", "--passphrase-file"):
        code, out, err = run(capsys, *_publish(dirs, option, secret))
        assert code != 0
        assert secret not in out + err
        _one_error_line(err.splitlines()[-1])


def test_the_passphrase_file_must_be_private(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = _private_file(dirs.tmp / "shared.txt", TEST_PASSPHRASE)
    shared.chmod(0o644)
    code, _, err = run(capsys, *_publish(dirs, "--passphrase-file", shared))
    assert code == 7
    assert "passphrase file" in err
    assert "chmod 600" in _one_error_line(err)
    monkeypatch.setenv(ENV, str(shared))
    assert run(capsys, *_publish(dirs))[0] == 7
    assert not dirs.listed.exists()


def test_no_option_takes_a_passphrase_itself() -> None:
    """Only file descriptors and file names: argv is visible to every user of the machine."""
    allowed = {
        "--passphrase-fd", "--passphrase-file", "--new-passphrase-fd", "--new-passphrase-file",
        "--no-passphrase",
        # A backup's own passphrase (committee backup, restore); the last is a
        # flag that asks on the terminal.
        "--backup-passphrase-fd", "--backup-passphrase-file", "--backup-passphrase",
    }  # fmt: skip
    found: set[str] = set()

    def walk(parser: object) -> None:
        for action in getattr(parser, "_actions", []):
            found.update(o for o in action.option_strings if "passphrase" in o)
            choices = getattr(action, "choices", None)
            for sub in choices.values() if isinstance(choices, dict) else ():
                walk(sub)

    walk(build_parser())
    assert found == allowed


def test_committee_passphrase_changes_adds_and_removes(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], no_source: None
) -> None:
    old = _private_file(dirs.tmp / "old.txt", TEST_PASSPHRASE)
    new = _private_file(dirs.tmp / "new.txt", NEW)
    code, out, err = run(capsys, "committee", "passphrase", dirs.committee,
                         "--passphrase-file", old, "--new-passphrase-file", new)  # fmt: skip
    assert code == 0, err
    assert "Changed the passphrase" in out
    assert run(capsys, *_publish(dirs, "--passphrase-file", old))[0] == 7
    assert run(capsys, *_publish(dirs, "--passphrase-file", new))[0] == 0
    # The current and the new passphrase through one pipe, one line each.
    read, write = os.pipe()
    os.write(write, f"{NEW}\n{TEST_PASSPHRASE}\n".encode())  # current, then new
    try:
        fd = str(read)
        code, _, err = run(capsys, "committee", "passphrase", dirs.committee,
                           "--passphrase-fd", fd, "--new-passphrase-fd", fd)  # fmt: skip
    finally:
        os.close(read)
        os.close(write)
    assert code == 0, err
    code, _, err = run(capsys, "committee", "passphrase", dirs.committee,
                       "--passphrase-file", old, "--no-passphrase")  # fmt: skip
    assert code == 0, err
    assert "warning: the private keys are stored unencrypted" in err
    assert not _encrypted(dirs.committee / "signing.key")
    assert run(capsys, *_publish(dirs))[0] == 0  # no passphrase needed any more
    mode = (dirs.committee / "signing.key").stat().st_mode & 0o777
    assert mode == 0o600


def test_organizer_key_encryption_is_opt_in(
    tmp_path: Path, dirs: Dirs, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, locked = tmp_path / "plain", tmp_path / "locked"
    assert run(capsys, "organizer", "init", plain)[0] == 0
    assert not _encrypted(plain / "organizer.key")
    code, out, _ = run(capsys, "organizer", "init", locked, "--encrypt")
    assert code == 0
    assert "encrypted" in out
    assert _encrypted(locked / "organizer.key")
    code, _, err = run(capsys, "organizer", "init", tmp_path / "x", "--passphrase-file",
                       os.environ[ENV])  # fmt: skip
    assert code == 2
    assert "need --encrypt" in err
    new = _private_file(tmp_path / "new.txt", NEW)
    code, _, err = run(capsys, "organizer", "passphrase", locked, "--new-passphrase-file", new)
    assert code == 0, err
    info = private_key_info(locked / "organizer.key", purpose=KeyPurpose.ORGANIZER)
    assert (info.encrypted, info.kdf) == (True, TEST_KEY_KDF)


def test_screen_opens_an_encrypted_organizer_key(
    tmp_path: Path, dirs: Dirs, capsys: pytest.CaptureFixture[str], no_source: None
) -> None:
    organizer, grant = tmp_path / "org", tmp_path / "org.grant"
    phrase = _private_file(tmp_path / "p.txt", TEST_PASSPHRASE)
    unlock = ("--passphrase-file", phrase)
    assert run(capsys, "organizer", "init", organizer, "--encrypt", *unlock)[0] == 0
    assert run(capsys, *_publish(dirs, *unlock))[0] == 0
    assert run(capsys, "committee", "grant", dirs.committee, organizer / "organizer.pub",
               "-o", grant, *unlock)[0] == 0  # fmt: skip
    (tmp_path / "a.csv").write_text("Name\nJane Doe\n", encoding="utf-8")
    screen: list[str | Path] = [
        "screen", tmp_path / "a.csv", "--list", dirs.listed, "--grant", grant, "--key",
        organizer, "--trust", dirs.committee / "committee.trust", "--state", tmp_path / "s.json",
    ]  # fmt: skip
    code, _, err = run(capsys, *screen)
    assert code == 7
    assert "the organizer key" in _one_error_line(err)
    assert run(capsys, *screen, *unlock)[0] == 0


def test_the_command_line_writes_the_default_cost(tmp_path: Path) -> None:
    """In a real process nothing lowers the cost: the suite's cheap one is injected, not chosen."""
    done = subprocess.run(
        [sys.executable, "-m", "coc_hashscreen", "organizer", "init", str(tmp_path / "o"),
         "--encrypt"],
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    info = private_key_info(tmp_path / "o" / "organizer.key", purpose=KeyPurpose.ORGANIZER)
    assert info.kdf == DEFAULT_PASSPHRASE_KDF


def test_committee_passphrase_on_a_terminal_asks_the_current_one_first(
    dirs: Dirs, capsys: pytest.CaptureFixture[str], terminal: Terminal
) -> None:
    terminal.answers = [TEST_PASSPHRASE, NEW, NEW]
    code, out, err = run(capsys, "committee", "passphrase", dirs.committee)
    assert code == 0, err
    assert [p.split(" for ")[0] for p in terminal.prompts] == [
        "Passphrase",
        "New passphrase",
        "Repeat the new passphrase: ",
    ]
    assert TEST_PASSPHRASE not in out + err
    assert NEW not in out + err
    # A wrong current passphrase is refused before a new one is asked for.
    terminal.answers, terminal.prompts = ["not it at all"], []
    code, _, err = run(capsys, "committee", "passphrase", dirs.committee)
    assert code == 7
    assert len(terminal.prompts) == 1
