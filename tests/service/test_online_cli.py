"""End to end over loopback: a committee publishes an online list and runs `committee
serve`; an organizer screens through it with the same `screen` command as offline.

Every refusal an organizer can meet is checked here against the real server,
at the command line: one line, a documented exit status, no traceback, and
never an attendee's identifier.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from coc_hashscreen.cli import main
from coc_hashscreen.committee import Committee
from coc_hashscreen.errors import VerificationError
from coc_hashscreen.formats import read_list
from coc_hashscreen.organizer import HttpTransport, ServiceClient

from ..service_harness import (
    RunningService,
    add_token,
    free_port,
    make_service_dir,
    running_service,
)

Run = tuple[int, str, str]
SECRET_NAMES = ("Jane Doe", "jane@example.org", "Jose Garcia")


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Run:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@dataclass
class Online:
    tmp: Path
    committee: Path
    organizer: Path
    listed: Path
    grant: Path
    csv: Path
    service: RunningService

    def screen(self, capsys: pytest.CaptureFixture[str], *extra: str | Path) -> Run:
        return run(
            capsys, "screen", self.csv, "--list", self.listed, "--grant", self.grant,
            "--key", self.organizer, "--trust", self.committee / "committee.trust",
            "--state", self.tmp / "state.json", *extra,
        )  # fmt: skip


@pytest.fixture(scope="module")
def online(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Online]:
    tmp = tmp_path_factory.mktemp("online-cli")
    committee, organizer = tmp / "committee", tmp / "organizer"
    listed, grant, csv = tmp / "online.list", tmp / "online.grant", tmp / "attendees.csv"
    port = free_port()
    steps: list[list[str | Path]] = [
        ["committee", "init", committee, "--name", "Online Committee"],
        ["committee", "add", committee, "--status", "banned", "--name", "José María García",
         "--email", "jose@example.org", "--case-ref", "CASE-1"],
        ["committee", "publish", committee, "-o", listed, "--kdf", "test-only",
         "--online", f"http://127.0.0.1:{port}"],
        ["organizer", "init", organizer, "--name", "Online Conf"],
        ["committee", "grant", committee, organizer / "organizer.pub", "-o", grant,
         "--quota", "64"],
    ]  # fmt: skip
    for argv in steps:
        assert main([os.fspath(a) for a in argv]) == 0, argv
    csv.write_text(
        "Name,Email\nJane Doe,jane@example.org\nJose Garcia,\nAlice Liddell,alice@example.org\n",
        encoding="utf-8",
    )
    command = ["-m", "coc_hashscreen", "committee", "serve", os.fspath(committee),
               "--host", "127.0.0.1", "--port", "{port}", "--workers", "2"]  # fmt: skip
    with running_service(committee / "service", port=port, command=command) as service:
        yield Online(tmp, committee, organizer, listed, grant, csv, service)


def _one_line_refusal(code: int, err: str, expected: int, *parts: str) -> None:
    assert code == expected, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("coc-hashscreen: error")]
    assert len(errors) == 1, err
    for part in parts:
        assert part in errors[0]
    for name in SECRET_NAMES:
        assert name not in err


def test_screening_through_the_service_finds_the_match(
    online: Online, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = online.screen(capsys)
    assert code == 0, err  # a name-only match, to confirm with the committee
    assert "CASE-1" in out
    assert "1 of 3 screened records matched" in out
    assert f"Through the committee's service at {online.service.url}" in out
    assert "Traceback" not in err
    assert "panicked" not in err
    # The service logged who, when and how many: never an identifier.
    log = online.service.log_text()
    assert "organizer=" in log
    assert "elements=8" in log
    for name in SECRET_NAMES:
        assert name not in log


def test_an_organizer_directory_files_and_screens_an_online_list(
    online: Online, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`organizer add` checks an online grant against its list as screening will; then
    `screen --home` goes through the service like `--list` does."""
    home = tmp_path / "home"
    assert run(capsys, "organizer", "init", home, "--name", "Home Conf")[0] == 0
    grant = tmp_path / "home.grant"
    code, _, err = run(capsys, "committee", "grant", online.committee, home / "organizer.pub",
                       "-o", grant, "--attendees", "10")  # fmt: skip
    assert code == 0, err
    trust = online.committee / "committee.trust"
    code, out, err = run(capsys, "organizer", "add", trust, online.listed, grant, "--home", home)
    assert code == 0, err
    code, out, err = run(capsys, "screen", online.csv, "--home", home)
    assert code == 0, err
    assert "CASE-1" in out
    assert "Through the committee's service" in out
    # The wrong grant for the list: refused when filed, before anything is sent.
    code, _, err = run(capsys, "organizer", "add", online.grant, "--home", home)
    _one_line_refusal(code, err, 5, "grant is for another organizer")


def test_a_service_under_another_key_fails_loudly(online: Online, tmp_path: Path) -> None:
    """The list names the service's public key: a service with another seed fails the proof."""
    seed = make_service_dir(tmp_path / "impostor")
    grant = add_token(tmp_path / "impostor", epoch=seed.epoch, quota=100)
    with Committee.open(online.committee) as committee:
        trusted = committee.trust.trusted_keys()
    named = read_list(online.listed, trusted).header.online
    assert named is not None
    with running_service(tmp_path / "impostor") as impostor:
        client = ServiceClient(replace(named, endpoint=impostor.url), grant.token, HttpTransport())
        with pytest.raises(VerificationError):
            client.evaluate([b"coc-hashscreen/v2\x00email\x00someone@example.org"])


def test_the_quota_spent_is_a_clear_refusal_and_a_top_up_restores_it(
    online: Online, capsys: pytest.CaptureFixture[str]
) -> None:
    # 64 allowed, 8 spent by the first run: fresh rows spend the rest, 8 a run.
    code, err = 0, ""
    for i in range(10):
        online.csv.write_text(
            "Name,Email\n" + "".join(f"P{i} {j},p{i}x{j}@example.org\n" for j in range(3)),
            encoding="utf-8",
        )
        code, _, err = online.screen(capsys)
        if code not in (0, 1):
            break
    _one_line_refusal(code, err, 5, "quota", "committee quota")
    code, out, _ = run(capsys, "committee", "quota", online.committee, "--format", "json")
    (row,) = [r for r in json.loads(out) if r["name"] == "Online Conf"]
    assert (code, row["remaining"], row["used"]) == (0, 0, 64)
    key_id = row["organizer"][:16]
    code, out, err = run(capsys, "committee", "quota", online.committee, key_id, "--add", "64")
    assert (code, "64 left" in out) == (0, True), err
    code, _, err = online.screen(capsys)
    assert code in (0, 1), err


def test_a_revoked_organizer_is_refused_at_once(
    online: Online, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "committee", "quota", online.committee, "--format", "json")
    (row,) = [r for r in json.loads(out) if r["name"] == "Online Conf"]
    key_id = row["organizer"][:16]
    code, out, err = run(capsys, "committee", "revoke", online.committee, key_id)
    assert (code, "refuses its grant from now on" in out) == (0, True), err
    online.csv.write_text("Name\nSomeone Else\n", encoding="utf-8")
    code, _, err = online.screen(capsys)
    _one_line_refusal(code, err, 5, "revoked")


def test_info_says_the_lists_are_online(online: Online, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "committee", "info", online.committee)
    assert code == 0
    assert f"Lists:              online, through the service at {online.service.url}" in out
    code, out, _ = run(capsys, "committee", "info", online.committee, "--format", "json")
    assert json.loads(out)["online"] == online.service.url


def test_screen_help_does_not_promise_that_nothing_leaves_the_machine(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With an online list the blinded identifiers go to the committee's service: the
    help must not tell the organizer that nothing leaves its machine, unqualified."""
    code, out, _ = run(capsys, "screen", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "Nothing leaves this machine." not in text
    assert "online list" in text
