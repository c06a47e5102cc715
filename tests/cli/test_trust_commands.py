"""``trust show|pin|list|forget``, ``rotate-key --report-key --compromised``, ``renew-trust``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coc_hashscreen.cli import main
from coc_hashscreen.core import fingerprint
from coc_hashscreen.formats import read_trust

from .test_cli import Setup, run, setup

__all__ = ["setup"]


def test_trust_pin_list_and_forget(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    trust = read_trust(setup.trust)
    code, out, _ = run(capsys, "trust", "show", setup.trust)
    assert code == 0
    assert fingerprint(trust.fingerprint) in out
    assert "Generation:         1" in out
    # A wrong fingerprint is refused and pins nothing.
    wrong = "00" * 16
    code, _, err = run(
        capsys, "trust", "pin", setup.trust, "--fingerprint", wrong, "--state", setup.state
    )
    assert code != 0
    assert "not the one you gave" in err
    assert not setup.state.exists()
    code, out, _ = run(
        capsys, "trust", "pin", setup.trust, "--fingerprint", fingerprint(trust.fingerprint),
        "--state", setup.state,
    )  # fmt: skip
    assert (code, "Pinned 'CLI Committee'" in out) == (0, True)
    assert run(capsys, *setup.screen())[0] == 0
    code, out, _ = run(capsys, "trust", "list", "--state", setup.state)
    assert code == 0
    assert "CLI Committee" in out
    assert "last list:    version 1" in out
    code, out, _ = run(capsys, "trust", "list", "--state", setup.state, "--format", "json")
    (entry,) = json.loads(out)
    assert entry["fingerprint"] == trust.fingerprint.hex()
    assert (entry["generation"], entry["list_version"]) == (1, 1)
    prefix = trust.fingerprint.hex()[:10]
    # Without --yes it only says what it would forget.
    code, _, err = run(capsys, "trust", "forget", prefix, "--state", setup.state)
    assert code == 2
    assert "--yes" in err
    assert "CLI Committee" in run(capsys, "trust", "list", "--state", setup.state)[1]
    code, _, err = run(capsys, "trust", "forget", "ffffffffff", "--yes", "--state", setup.state)
    assert (code, "no pinned committee matches" in err) == (3, True)
    code, out, _ = run(capsys, "trust", "forget", prefix, "--yes", "--state", setup.state)
    assert (code, "Forgot 'CLI Committee'" in out) == (0, True)
    assert "No committee is pinned" in run(capsys, "trust", "list", "--state", setup.state)[1]


def test_rotate_key_with_report_key_and_compromise(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = read_trust(setup.trust)
    code, out, _ = run(
        capsys, "committee", "rotate-key", setup.committee, "--report-key", "--compromised"
    )
    assert code == 0
    after = read_trust(setup.trust)
    assert after.generation == 2
    assert after.report_key != before.report_key
    assert after.compromised == (before.signing_key_id,)
    assert fingerprint(after.fingerprint) in out
    assert "retired-report-keys" in out
    code, out, _ = run(capsys, "trust", "show", setup.trust)
    assert "Compromised keys:   generation(s) [1]" in out
    code, out, _ = run(capsys, "committee", "info", setup.committee, "--format", "json")
    assert json.loads(out)["trust_fingerprint"] == after.fingerprint.hex()


def test_renew_trust(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = read_trust(setup.trust)
    code, out, _ = run(capsys, "committee", "renew-trust", setup.committee, "--valid-days", "30")
    assert code == 0
    after = read_trust(setup.trust)
    assert after.fingerprint == before.fingerprint
    assert "unchanged" in out
    code, _, err = run(capsys, "committee", "renew-trust", setup.committee, "--valid-days", "999")
    assert code != 0
    assert "at most 400 days" in err
    assert "Traceback" not in err


def test_fingerprint_argument_is_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trust", "pin", str(tmp_path / "x"), "--fingerprint", "abcd"]) == 2
    assert "at least 32 hex digits" in capsys.readouterr().err
