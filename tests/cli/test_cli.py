"""The command-line interface, through main(argv) and a few real processes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from coc_hashscreen import __version__
from coc_hashscreen.cli import EXIT_CODES, build_parser, main

Run = tuple[int, str, str]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Run:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("coc-hashscreen: error")]
    assert len(lines) <= 1


# ---------------------------------------------------------------------------
# the whole flow, as a committee and an organizer would type it


@dataclass
class Setup:
    tmp: Path
    committee: Path
    organizer: Path
    listed: Path
    grant: Path
    trust: Path
    state: Path
    csv: Path

    def screen(self, *extra: str | Path) -> list[str | Path]:
        return [
            "screen", self.csv, "--list", self.listed, "--grant", self.grant,
            "--key", self.organizer, "--trust", self.trust, "--state", self.state, *extra,
        ]  # fmt: skip


@pytest.fixture
def setup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Setup:
    s = Setup(
        tmp=tmp_path,
        committee=tmp_path / "committee",
        organizer=tmp_path / "organizer",
        listed=tmp_path / "demo.list",
        grant=tmp_path / "organizer.grant",
        trust=tmp_path / "committee" / "committee.trust",
        state=tmp_path / "state.json",
        csv=tmp_path / "attendees.csv",
    )
    assert run(capsys, "committee", "init", s.committee, "--name", "CLI Committee")[0] == 0
    code, out, _ = run(
        capsys, "committee", "add", s.committee, "--status", "banned",
        "--name", "José María García", "--email", "jose@example.org", "--case-ref", "CASE-1",
    )  # fmt: skip
    assert (code, "Added record 1" in out) == (0, True)
    assert run(
        capsys, "committee", "add", s.committee, "--status", "flagged", "--github", "mallory",
        "--case-ref", "CASE-2",
    )[0] == 0  # fmt: skip
    assert (
        run(capsys, "committee", "publish", s.committee, "-o", s.listed, "--kdf", "test-only")[0]
        == 0
    )
    assert run(capsys, "organizer", "init", s.organizer, "--name", "CLI Conf")[0] == 0
    assert run(
        capsys, "committee", "grant", s.committee, s.organizer / "organizer.pub", "-o", s.grant
    )[0] == 0  # fmt: skip
    s.csv.write_text(
        "Name,Email,GitHub\nJane Doe,jane@example.org,\nJose Garcia,,\nAlice,,@Mallory\n,,\n"
        ",broken-address,\n",
        encoding="utf-8",
    )
    return s


def test_init_prints_the_fingerprint_and_makes_private_files(setup: Setup) -> None:
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in setup.committee.iterdir()}
    assert modes["signing.key"] == modes["register.sqlite3"] == "0o600"
    assert oct((setup.organizer / "organizer.key").stat().st_mode & 0o777) == "0o600"
    assert (setup.organizer / "organizer.pub").exists()
    assert "trust" in setup.trust.name


def test_screen_table(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *setup.screen())
    assert code == 0
    assert "name-only*" in out
    assert "Confirm with the committee" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "First use of committee 'CLI Committee'" in err
    assert "Columns used" in err
    # No progress bar: stderr is not a terminal here.
    assert "screening:" not in err


def test_screen_json_schema(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *setup.screen("--format", "json"))
    assert code == 0
    data = json.loads(out)
    assert set(data["list"]) >= {
        "series", "epoch", "version", "issued_at", "expires_at", "profile", "kdf",
    }  # fmt: skip
    assert data["list"]["epoch"] == 1
    assert (data["records"], data["screened"]) == (4, 3)
    assert data["unusable_rows"] == [5]
    assert [
        {k: m[k] for k in ("row", "status", "strength", "matched", "case_ref")}
        for m in data["matches"]
    ] == [
        {"row": 2, "status": "banned", "strength": "name-only", "matched": ["name"],
         "case_ref": "CASE-1"},
        {"row": 3, "status": "flagged", "strength": "strong", "matched": ["github"],
         "case_ref": "CASE-2"},
    ]  # fmt: skip


def test_screen_csv_to_a_private_file(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    out_path = setup.tmp / "report.csv"
    code, out, err = run(
        capsys, *setup.screen("--format", "csv", "-o", out_path, "--role", "speaker")
    )
    assert (code, out) == (0, "")
    assert "report written" in err
    assert oct(out_path.stat().st_mode & 0o777) == "0o600"
    assert out_path.read_text().splitlines()[0].startswith("row,result,status")


def test_fail_on_match(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, *setup.screen("--fail-on-match"))[0] == 1
    setup.csv.write_text("Name\nNobody Here\n", encoding="utf-8")
    assert run(capsys, *setup.screen("--fail-on-match"))[0] == 0


def test_explicit_columns(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.csv.write_text("Vorname,Nachname\nJosé,García\n", encoding="utf-8")
    code, out, _ = run(
        capsys, *setup.screen("--column", "given=Vorname", "--column", "family=Nachname",
                              "--format", "json")
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["matches"][0]["case_ref"] == "CASE-1"


def test_committee_list_update_remove(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "committee", "list", setup.committee, "--format", "json")
    records = json.loads(out)
    assert [r["case_ref"] for r in records] == ["CASE-1", "CASE-2"]
    code, out, _ = run(
        capsys, "committee", "update", setup.committee, "2", "--status", "banned",
        "--add-email", "mallory@example.org", "--expires", "2999-01-01",
    )  # fmt: skip
    assert code == 0
    assert "email: mallory@example.org" in out
    code, out, _ = run(capsys, "committee", "list", setup.committee)
    assert "2999-01-01" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    assert run(capsys, "committee", "remove", setup.committee, "2")[0] == 0
    code, _, err = run(capsys, "committee", "remove", setup.committee, "2")
    assert code == 7
    assert "no record with id 2" in err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        # The directory first, then the record, then its fields in the order
        # the rules check them: expiry, retention, case reference, identifiers.
        (["add", "{missing}", "--status", "banned", "--email", "a@b.org", "--case-ref", "bad ref"],
         7, "not a committee directory"),
        (["add", "{dir}", "--status", "banned", "--email", "a@b.org", "--case-ref", "bad ref",
          "--expires", "2000-01-01"], 3, "delete it from the source"),
        (["update", "{dir}", "999", "--expires", "2000-01-01"], 3, "in the future"),
        (["update", "{dir}", "999", "--case-ref", "bad ref"], 7, "no record with id 999"),
        (["update", "{dir}", "1", "--status", "minor", "--no-expiry", "--case-ref", "bad ref"],
         3, "always has a retention date"),
        (["update", "{dir}", "1", "--case-ref", "CASE-2", "--remove-email", "nobody@x.org"],
         3, "already used by another record"),
        (["update", "{dir}", "1", "--case-ref", "bad ref", "--remove-email", "nobody@x.org"],
         3, "case reference is 1-48 characters"),
        (["review", "{missing}", "R-X", "--to", "reviewed", "--status", "banned"],
         7, "not a committee directory"),
    ],
)  # fmt: skip
def test_the_first_error_named_is_the_first_to_fix(
    setup: Setup, capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str
) -> None:
    paths = {"{dir}": os.fspath(setup.committee), "{missing}": os.fspath(setup.tmp / "nowhere")}
    result, _, err = run(capsys, "committee", *(paths.get(a, a) for a in argv))
    assert (result, message in err) == (code, True), err
    _no_traceback(err)


def test_committee_info_organizers_revoke_rotate(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    def ok(*argv: str | Path) -> str:
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        return out

    info = json.loads(ok("committee", "info", setup.committee, "--format", "json"))
    assert (info["epoch"], info["latest_version"], info["organizers"]) == (1, 1, 1)
    assert (info["records"], info["publishable_records"]) == (2, 2)
    assert "Records:            2 (2 publishable)" in ok("committee", "info", setup.committee)
    out = ok("committee", "organizers", setup.committee)
    key_prefix = out.split()[0]
    assert "CLI Conf" in out
    out = ok("committee", "publish", setup.committee, "-o", setup.listed, "--rotate")
    assert "Issued 1 new grant(s) for epoch 2" in out
    ok("committee", "revoke", setup.committee, key_prefix)
    out = ok("committee", "publish", setup.committee, "-o", setup.listed, "--rotate")
    assert "No active organizers" in out
    assert "generation 2" in ok("committee", "rotate-key", setup.committee)
    assert "Generation:         2" in ok("trust", "show", setup.trust)


def test_expunge(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "committee", "expunge", setup.committee)
    assert (code, "Expunged 0 record(s)" in out) == (0, True)


# ---------------------------------------------------------------------------
# every documented exit code, with a one-line message and no traceback


def test_exit_2_usage(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        (),
        ("frobnicate",),
        ("screen",),
        ("committee", "add", "dir", "--status", "banned"),  # no identifier
        ("committee", "add", "dir", "--status", "banned", "--name", "x", "--expires", "soon"),
        ("screen", "a.csv", "--list", "l", "--grant", "g", "--key", "k", "--trust", "t",
         "--column", "phone=Tel"),
    ):  # fmt: skip
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        _no_traceback(err)


def test_exit_3_input(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    cases = []
    setup.csv.write_bytes(b"Name,Email\nJos\xe9,jose@example.org\n")
    cases.append(run(capsys, *setup.screen()))
    setup.csv.write_text("Ticket,Price\nA,1\n", encoding="utf-8")
    cases.append(run(capsys, *setup.screen()))
    setup.csv.unlink()
    cases.append(run(capsys, *setup.screen()))  # missing input file
    cases.append(
        run(capsys, "committee", "add", setup.committee, "--status", "banned", "--email", "x@")
    )
    cases.append(run(capsys, "normalize", "email", "no-at-sign"))
    for code, _, err in cases:
        assert code == 3, err
        _no_traceback(err)
    assert "line 2 is not valid UTF-8" in cases[0][2]
    assert "No such file or directory" in cases[2][2]


def test_exit_4_tampered(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(setup.listed.read_bytes())
    data[-10] ^= 1
    setup.listed.write_bytes(bytes(data))
    code, _, err = run(capsys, *setup.screen())
    assert code == 4
    assert "failed verification" in err
    _no_traceback(err)


def test_exit_5_policy(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    old = setup.tmp / "old.list"
    shutil.copy(setup.listed, old)
    assert run(capsys, "committee", "publish", setup.committee, "-o", setup.listed)[0] == 0
    assert run(capsys, *setup.screen())[0] == 0
    setup.listed, newer = old, setup.listed
    code, _, err = run(capsys, *setup.screen())
    assert code == 5
    assert "older than version 2" in err
    _no_traceback(err)
    setup.listed = newer
    other = HpkeKeyDir(setup.tmp / "stranger", capsys)
    code, _, err = run(capsys, *setup.screen()[:-4], "--key", other, "--trust", setup.trust,
                       "--state", setup.state)  # fmt: skip
    assert code == 5
    assert "grant for your key" in err


def HpkeKeyDir(path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(capsys, "organizer", "init", path)[0] == 0
    return path


def test_exit_6_wrong_file_types(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    swapped = [
        run(capsys, *setup.screen()[:3], setup.grant, *setup.screen()[4:]),  # grant as list
        run(capsys, *setup.screen()[:9], setup.grant, *setup.screen()[10:]),  # grant as trust
        run(capsys, *setup.screen()[:3], setup.csv, *setup.screen()[4:]),  # CSV as list
    ]
    for code, _, err in swapped:
        assert code == 6, err
        _no_traceback(err)
    assert "expected a hashed list but this is a grant" in swapped[0][2]
    assert "expected a trust file but this is a grant" in swapped[1][2]
    assert "not a coc-hashscreen file" in swapped[2][2]


def test_exit_7_setup(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(setup.organizer / "organizer.key", 0o644)
    code, _, err = run(capsys, *setup.screen())
    assert code == 7
    assert "chmod 600" in err
    code, _, err = run(capsys, "committee", "list", setup.tmp / "nowhere")
    assert code == 7
    assert "committee init" in err
    code, _, err = run(capsys, "committee", "init", setup.committee)
    assert code == 7
    _no_traceback(err)


def test_exit_70_internal_and_debug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import coc_hashscreen.cli._normalize as cli

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(cli, "canonical", boom)
    code, _, err = run(capsys, "normalize", "name", "x")
    assert code == 70
    assert "internal error" in err
    _no_traceback(err)
    code, _, err = run(capsys, "--debug", "normalize", "name", "x")
    assert code == 70
    assert "Traceback" in err
    assert "RuntimeError: simulated bug" in err


def test_debug_keeps_the_documented_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--debug", "normalize", "email", "no-at-sign")
    assert code == 3
    assert "Traceback" in err
    assert err.rstrip().endswith("email: no @ between the local part and the domain")


def test_exit_130_interrupted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import coc_hashscreen.cli._normalize as cli

    def interrupt(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "canonical", interrupt)
    assert run(capsys, "normalize", "name", "x")[0] == 130


def test_exit_codes_table_covers_every_error_class() -> None:
    from coc_hashscreen import errors

    documented = {cls for cls, _ in EXIT_CODES}
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type) and issubclass(obj, errors.CocHashscreenError):
            assert any(issubclass(obj, cls) for cls in documented), name


# ---------------------------------------------------------------------------
# help, version, demo, real processes


def _all_commands() -> list[list[str]]:
    parser = build_parser()
    found: list[list[str]] = []

    def walk(p: object, prefix: list[str]) -> None:
        for action in getattr(p, "_actions", []):
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                for name, sub in choices.items():
                    found.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(parser, [])
    return found


def test_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    commands = _all_commands()
    assert ["committee", "publish"] in commands
    assert ["screen"] in commands
    for command in [[], *commands]:
        code, out, err = run(capsys, *command, "--help")
        assert code == 0, command
        assert "usage: coc-hashscreen" in out
        assert err == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"coc-hashscreen {__version__}")


def test_normalize(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "normalize", "name", "  Dr. GARCÍA, José ")
    assert (code, out) == (0, "garcia jose\n")
    # Profile v1 on request, as a v1 list computes it.
    code, out, _ = run(
        capsys, "normalize", "name", "José María García", "--variants", "--json", "--profile", "v1"
    )
    assert json.loads(out) == {
        "kind": "name",
        "profile": "v1",
        "canonical": "garcia jose maria",
        "variants": [
            {"key": "garcia jose", "rule": "first and last name"},
            {"key": "garcia jose maria", "rule": "canonical"},
        ],
    }
    code, out, _ = run(
        capsys, "normalize", "name", "José María García", "--variants", "--profile", "v1"
    )
    assert out == "garcia jose maria\n  variant: garcia jose  (first and last name)\n"


def test_normalize_variants_name_the_rule_of_each_key(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "normalize", "name", "Robert Müller", "--variants", "--json")
    data = json.loads(out)
    assert (code, data["profile"], data["canonical"]) == (0, "v2", "muler robert")
    rules = {v["key"]: v["rule"] for v in data["variants"]}
    assert rules["muler robert"] == "canonical"
    assert rules["bob muler"] == "nickname"
    assert rules["mueler robert"] == "special letters"
    code, out, _ = run(capsys, "normalize", "name", "Robert Müller", "--variants")
    assert out.splitlines()[0] == "muler robert"
    assert "  variant: bob muler  (nickname)" in out.splitlines()


def test_normalize_notes_a_name_that_still_mixes_scripts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "normalize", "name", "Jo\u0436n Smith")
    assert code == 0
    assert "mixes Latin with another script" in out


def test_normalize_error_is_one_line_without_the_value(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "normalize", "email", "secret-person.example.com")
    assert (code, out) == (3, "")
    assert err == "coc-hashscreen: error: email: no @ between the local part and the domain\n"


def test_demo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("coc-hashscreen-demo-*"))
    code, out, err = run(capsys, "demo")
    assert code == 0, out + err
    for step in range(1, 8):
        assert f"\n{step}. " in out
    assert "DEMO-2024-017" in out  # García matched
    assert "name-only*" in out
    assert "failed verification" in out  # the tampered list
    assert "(exit status 4)" in out
    assert "old.case@example.com: gone" in out
    after = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("coc-hashscreen-demo-*"))
    assert after == before  # nothing left behind
    keep = tmp_path / "kept"
    assert run(capsys, "demo", "--keep", keep)[0] == 0
    assert (keep / "demo.list").exists()
    code, _, err = run(capsys, "demo", "--keep", keep)
    assert code == 3
    assert "not empty" in err


def _process(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coc_hashscreen", *argv], capture_output=True, text=True, check=False
    )


def test_real_processes(setup: Setup) -> None:
    done = _process("--version")
    assert (done.returncode, done.stdout.strip()) == (0, f"coc-hashscreen {__version__}")
    done = _process(*(os.fspath(a) for a in setup.screen("--format", "json")))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["records"] == 4
    done = _process(*(os.fspath(a) for a in setup.screen()[:3]), "missing.list",
                    *(os.fspath(a) for a in setup.screen()[4:]))  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    console = shutil.which("coc-hashscreen")
    if console is not None:
        assert subprocess.run([console, "--help"], capture_output=True, check=False).returncode == 0


# ---------------------------------------------------------------------------
# incident reports


def _filled_report(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["event"].update(name="CLI Conf", start="2026-05-01", end="2026-05-02")
    document["reporter"].update(name="Ora Organizer", email="coc@cli.example")
    document["people"] = [
        {"role": "reported", "name": "Bad Actor", "email": ["bad@example.org"]},
        {"role": "affected", "name": "Alice"},
    ]
    document["facts"] = "What happened."
    path.write_text(json.dumps(document), encoding="utf-8")


def test_report_flow(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    report, sealed, receipt = setup.tmp / "r.json", setup.tmp / "r.sealed", setup.tmp / "r.receipt"
    shot = setup.tmp / "shot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)

    def ok(*argv: str | Path) -> str:
        code, out, err = run(capsys, *argv)
        assert code == 0, err
        _no_traceback(err)
        return out

    assert "template" in ok("report", "new", "-o", report)
    assert oct(report.stat().st_mode & 0o777) == "0o600"
    code, _, err = run(capsys, "report", "new", "-o", report)
    assert (code, "--force" in err) == (3, True)
    code, _, err = run(capsys, "report", "seal", report, "--trust", setup.trust, "-o", sealed)
    assert code == 3  # the template is not filled in
    _no_traceback(err)
    _filled_report(report)
    out = ok("report", "seal", report, "--trust", setup.trust, "--attach", shot, "-o", sealed,
             "--state", setup.state)  # fmt: skip
    assert "1 attachment(s)" in out
    out = ok("committee", "intake", setup.committee, sealed, "-o", receipt, "--by", "Carla")
    report_id = out.split()[2]
    assert report_id.startswith("R-")
    assert "not stored again" in ok("committee", "intake", setup.committee, sealed, "-o", receipt)
    assert report_id in ok("report", "check-receipt", receipt, "--trust", setup.trust,
                           "--sealed", sealed)  # fmt: skip
    assert "received" in ok("committee", "reports", setup.committee)
    code, _, err = run(
        capsys, "committee", "review", setup.committee, report_id, "--to", "assessed"
    )
    assert (code, "next step is 'reviewed'" in err) == (3, True)
    ok("committee", "review", setup.committee, report_id, "--to", "reviewed", "--note", "read")
    out = ok("committee", "review", setup.committee, report_id, "--to", "assessed",
             "--status", "banned", "--by", "Dana")  # fmt: skip
    assert "Recorded as banned" in out
    out = ok("committee", "show-report", setup.committee, report_id, "--attachments",
             setup.tmp / "att")  # fmt: skip
    assert "1. reported (record 3)\n     1.1 name: Bad Actor\n" in out
    assert "     1.2 email: bad@example.org\n" in out
    assert (setup.tmp / "att" / "attachment-01.png").read_bytes() == shot.read_bytes()
    data = json.loads(ok("committee", "reports", setup.committee, "--format", "json"))
    by = [s["by"] for s in data[0]["steps"]]
    assert (by[0], by[2]) == ("Carla", "Dana")
    assert by[1]  # the user name, when --by is not given


def test_report_refusals(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    report, sealed = setup.tmp / "r.json", setup.tmp / "r.sealed"
    assert run(capsys, "report", "new", "-o", report)[0] == 0
    _filled_report(report)
    binary = setup.tmp / "tool.exe"
    binary.write_bytes(b"MZ\x90\x00" + bytes(64))
    code, _, err = run(capsys, "report", "seal", report, "--trust", setup.trust,
                       "--attach", binary, "-o", sealed)  # fmt: skip
    assert (code, "not an accepted type" in err) == (3, True)
    assert run(capsys, "report", "seal", report, "--trust", setup.trust, "-o", sealed)[0] == 0
    code, _, err = run(capsys, "committee", "intake", setup.committee, setup.listed, "-o", "x")
    assert code == 6
    _no_traceback(err)
    other = setup.tmp / "other.sealed"
    assert run(capsys, "report", "seal", report, "--trust", setup.trust, "-o", other)[0] == 0
    receipt = setup.tmp / "r.receipt"
    assert run(capsys, "committee", "intake", setup.committee, sealed, "-o", receipt)[0] == 0
    code, _, err = run(capsys, "report", "check-receipt", receipt, "--trust", setup.trust,
                       "--sealed", other)  # fmt: skip
    assert (code, "another sealed report" in err) == (5, True)
    tampered = bytearray(sealed.read_bytes())
    tampered[-3] ^= 1
    sealed.write_bytes(bytes(tampered))
    code, _, err = run(capsys, "committee", "intake", setup.committee, sealed, "-o", receipt)
    assert code == 4
    _no_traceback(err)


def test_check_receipt_refuses_a_trust_file_older_than_the_pinned_one(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sealed, receipt = setup.tmp / "r.json", setup.tmp / "r.sealed", setup.tmp / "r.receipt"
    old_trust = setup.tmp / "old.trust"
    old_trust.write_bytes(setup.trust.read_bytes())
    assert run(capsys, "report", "new", "-o", report)[0] == 0
    _filled_report(report)
    assert run(capsys, "committee", "rotate-key", setup.committee)[0] == 0
    assert run(capsys, "report", "seal", report, "--trust", setup.trust, "-o", sealed,
               "--state", setup.state)[0] == 0  # fmt: skip
    assert run(capsys, "committee", "intake", setup.committee, sealed, "-o", receipt)[0] == 0
    code, _, err = run(capsys, "report", "check-receipt", receipt, "--trust", old_trust,
                       "--sealed", sealed, "--state", setup.state)  # fmt: skip
    assert (code, "generation" in err) == (5, True), err
    _no_traceback(err)
    code, out, err = run(capsys, "report", "check-receipt", receipt, "--trust", setup.trust,
                         "--sealed", sealed, "--state", setup.state)  # fmt: skip
    assert (code, "genuine" in out) == (0, True), err


def test_inspect_and_organizer_show(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "inspect", setup.listed, "--trust", setup.trust, "--format", "json")
    assert code == 0
    header = json.loads(out)
    assert (header["type"], header["version"], header["epoch"]) == ("hashed list", 1, 1)
    code, out, _ = run(capsys, "inspect", setup.grant, "--trust", setup.trust)
    # Grant format 2 seals the organizer's name: inspect cannot show it.
    assert (code, "format: 2" in out, "CLI Conf" in out) == (0, True, False)
    code, out, _ = run(capsys, "inspect", setup.trust)
    assert (code, "generation: 1" in out) == (0, True)
    code, _, err = run(capsys, "inspect", setup.listed)
    assert (code, "needs --trust" in err) == (2, True)
    code, _, err = run(capsys, "inspect", setup.csv, "--trust", setup.trust)
    assert code == 6
    code, out, _ = run(capsys, "organizer", "show", setup.organizer / "organizer.pub")
    assert code == 0
    assert "Name:        CLI Conf" in out
    assert len(out.split("Fingerprint: ")[1].split()) == 16


def test_publish_options_for_rotation_and_restores(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "committee", "publish", setup.committee, "-o", setup.listed,
                     "--min-version", "40")  # fmt: skip
    assert code == 0
    code, _, err = run(capsys, "committee", "publish", setup.committee, "-o", setup.listed,
                       "--min-epoch", "9")  # fmt: skip
    assert (code, "rotate" in err) == (3, True)
    assert run(capsys, "committee", "publish", setup.committee, "-o", setup.listed, "--rotate",
               "--min-epoch", "9")[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "inspect", setup.listed, "--trust", setup.trust, "--format", "json")
    assert (json.loads(out)["version"], json.loads(out)["epoch"]) == (41, 9)


def test_revoke_and_reinstate(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "committee", "organizers", setup.committee)
    prefix = out.split()[0]
    # Each organizer with the epoch and expiry of its newest grant.
    (line,) = out.splitlines()
    assert re.search(r"  active +epoch 1 to \d{4}-\d\d-\d\d +CLI Conf$", line), line
    assert len(line) <= 80
    code, _, err = run(capsys, "committee", "revoke", setup.committee, prefix[:4])
    assert (code, "at least 8 hex digits" in err) == (2, True)
    assert run(capsys, "committee", "revoke", setup.committee, prefix)[0] == 0
    code, out, _ = run(capsys, "committee", "revoke", setup.committee, prefix)
    assert code == 0
    assert "'CLI Conf' was already revoked on " in out
    assert "nothing changed" in out
    public = setup.organizer / "organizer.pub"
    code, _, err = run(capsys, "committee", "grant", setup.committee, public, "-o", setup.grant)
    assert (code, "--reinstate" in err) == (7, True)
    assert run(capsys, "committee", "grant", setup.committee, public, "-o", setup.grant,
               "--reinstate")[0] == 0  # fmt: skip


def test_report_text_cannot_rewrite_the_terminal(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    report, sealed = setup.tmp / "r.json", setup.tmp / "r.sealed"
    assert run(capsys, "report", "new", "-o", report)[0] == 0
    _filled_report(report)
    document = json.loads(report.read_text(encoding="utf-8"))
    document["event"]["name"] = "Conf\x1b[2J\x1b[HFAKE"
    document["facts"] = "line one\x1b]0;title\x07 and more"
    report.write_text(json.dumps(document), encoding="utf-8")
    assert run(capsys, "report", "seal", report, "--trust", setup.trust, "-o", sealed)[0] == 0
    code, out, _ = run(capsys, "committee", "intake", setup.committee, sealed, "-o",
                       setup.tmp / "r.receipt")  # fmt: skip
    report_id = out.split()[2]
    for argv in (("committee", "reports", setup.committee),
                 ("committee", "show-report", setup.committee, report_id)):  # fmt: skip
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert "\x1b" not in out
        assert "\x07" not in out
        assert "\\u001b" in out


def test_committee_link_command(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    report, sealed = setup.tmp / "r.json", setup.tmp / "r.sealed"
    assert run(capsys, "report", "new", "-o", report)[0] == 0
    _filled_report(report)
    assert run(capsys, "report", "seal", report, "--trust", setup.trust, "-o", sealed)[0] == 0
    _, out, _ = run(capsys, "committee", "intake", setup.committee, sealed, "-o",
                    setup.tmp / "r.receipt")  # fmt: skip
    report_id = out.split()[2]
    code, out, _ = run(
        capsys, "committee", "link", setup.committee, report_id, "1", "--record", "1"
    )
    assert (code, "linked to record 1" in out) == (0, True)
    _, out, _ = run(capsys, "committee", "show-report", setup.committee, report_id)
    assert "1. reported (record 1)\n     1.1 name: Bad Actor  [new: not on record 1]\n" in out
    assert "     1.2 email: bad@example.org  [new: not on record 1]\n" in out
    code, _, err = run(capsys, "committee", "link", setup.committee, report_id, "1")
    assert (code, "--record ID or --none" in err) == (2, True)
    assert run(capsys, "committee", "link", setup.committee, report_id, "1", "--none")[0] == 0


def test_committee_add_takes_several_addresses_in_one_value_as_screen_reads_a_cell(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "committee", "add", setup.committee, "--status", "flagged",
        "--email", "one@example.org, Two@Example.org;three@example.org", "--case-ref", "CASE-3",
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run(capsys, "committee", "list", setup.committee, "--format", "json")
    (record,) = [r for r in json.loads(out) if r["case_ref"] == "CASE-3"]
    emails = [i["value"] for i in record["identifiers"] if i["kind"] == "email"]
    assert len(emails) == 3
