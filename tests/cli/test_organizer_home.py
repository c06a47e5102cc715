"""``organizer init``, ``add`` and ``status`` on an organizer directory, as a user types them."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest

from coc_hashscreen.cli import main

Run = tuple[int, str, str]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Run:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str) -> str:
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith("coc-hashscreen: error: ")
    return line


@dataclass
class Setup:
    tmp: Path
    committee: Path
    home: Path
    listed: Path
    grant: Path

    @property
    def trust(self) -> Path:
        return self.committee / "committee.trust"


@pytest.fixture
def setup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Setup:
    home = tmp_path / "home"
    monkeypatch.setenv("COC_HASHSCREEN_HOME", str(home))
    s = Setup(tmp_path, tmp_path / "committee", home, tmp_path / "v1.list", tmp_path / "e1.grant")
    assert run(capsys, "committee", "init", s.committee, "--name", "CLI Committee")[0] == 0
    assert run(
        capsys, "committee", "add", s.committee, "--status", "banned",
        "--email", "offender@example.org",
    )[0] == 0  # fmt: skip
    assert run(
        capsys, "committee", "publish", s.committee, "-o", s.listed, "--kdf", "test-only"
    )[0] == 0  # fmt: skip
    assert run(capsys, "organizer", "init", "--name", "CLI Conf")[0] == 0
    assert run(
        capsys, "committee", "grant", s.committee, home / "organizer.pub", "-o", s.grant
    )[0] == 0  # fmt: skip
    return s


def test_init_makes_the_default_directory(setup: Setup) -> None:
    assert (setup.home / "organizer.key").is_file()
    for name in ("", "committees", "cache", "history"):
        assert stat.S_IMODE((setup.home / name).stat().st_mode) == 0o700, name


def test_init_without_a_directory_needs_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COC_HASHSCREEN_HOME", str(tmp_path / "elsewhere"))
    code, _, err = run(capsys, "organizer", "init")
    assert code == 2
    assert "give --name" in err
    assert not (tmp_path / "elsewhere").exists()
    code, out, _ = run(capsys, "organizer", "init", "--name", "Env Conf")
    assert code == 0
    assert f"Organizer directory: {tmp_path / 'elsewhere'}" in out


def test_add_files_each_kind_and_prints_the_fingerprint_on_first_use(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "organizer", "add", setup.grant, setup.listed, setup.trust)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Added the trust file of 'CLI Committee', generation 1")
    assert "First use of this committee" in lines[1]
    assert "Compare it with the fingerprint the committee published" in lines[1]
    assert lines[2].startswith("Added the list of 'CLI Committee', epoch 1 version 1")
    assert lines[3].startswith("Added the grant of 'CLI Committee' for epoch 1")
    code, out, _ = run(capsys, "organizer", "add", setup.listed, "--home", setup.home)
    assert code == 0
    assert out.startswith("Already here: the list")


def test_add_refuses_with_one_line(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "organizer", "add", setup.listed)
    assert code == 3
    assert "add its committee's trust file first" in _one_error_line(err)

    csv = setup.tmp / "attendees.csv"
    csv.write_text("Name,Email\nJane Doe,jane@example.org\n", encoding="utf-8")
    code, _, err = run(capsys, "organizer", "add", csv)
    assert code == 6
    assert "is a text or CSV file" in _one_error_line(err)

    wrong = "0" * 32
    code, _, err = run(capsys, "organizer", "add", setup.trust, "--fingerprint", wrong)
    assert code == 5
    assert "fingerprint is not the one you gave" in _one_error_line(err)


def test_an_older_list_is_refused(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    newer = setup.tmp / "v2.list"
    assert run(capsys, "committee", "publish", setup.committee, "-o", newer)[0] == 0
    assert run(capsys, "organizer", "add", setup.trust, newer)[0] == 0
    code, _, err = run(capsys, "organizer", "add", setup.listed)
    assert code == 5
    assert "older than version 2" in _one_error_line(err)


def test_status_table_and_json(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "organizer", "add", setup.trust, setup.listed, setup.grant)[0] == 0
    code, out, err = run(capsys, "organizer", "status")
    assert (code, err) == (0, "")
    assert "Key: 'CLI Conf', not encrypted" in out
    assert "Committee 'CLI Committee'" in out
    assert "list:       epoch 1, version 1, profile v2" in out
    assert "ready to screen: yes" in out
    # Every line but the directory's path and the 79-character fingerprint fits 80 columns.
    rest = out.splitlines()[1:]
    assert all(len(line) <= 80 for line in rest if "fingerprint" not in line)
    code, out, _ = run(capsys, "organizer", "status", "--format", "json")
    data = json.loads(out)
    (committee,) = data["committees"]
    assert (committee["list"]["epoch"], committee["grant"]["epoch"]) == (1, 1)
    assert committee["ready"] is True
    assert data["key"]["encrypted"] is False


def test_status_names_a_missing_grant_and_warns_of_expiry(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    rotated = setup.tmp / "v2.list"
    assert run(
        capsys, "committee", "publish", setup.committee, "-o", rotated, "--rotate",
        "--valid-days", "3", "--grants-dir", setup.tmp / "grants",
    )[0] == 0  # fmt: skip
    assert run(capsys, "organizer", "add", setup.trust, rotated)[0] == 0
    code, out, err = run(capsys, "organizer", "status")
    assert code == 0
    assert "ready to screen: no" in out
    assert "no grant for epoch 2: ask the committee for a grant for epoch 2" in out
    assert "Warning: CLI Committee: the list expires on" in err
    code, out, _ = run(capsys, "organizer", "status", "--format", "json")
    (committee,) = json.loads(out)["committees"]
    assert committee["grant"] is None
    assert committee["ready"] is False
    assert len(committee["warnings"]) == 1
