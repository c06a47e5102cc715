"""Names collide: cleared name-only matches stay quiet, and common names say so."""

from __future__ import annotations

import io
import json

import pytest

from .test_cli import Setup, _no_traceback, run
from .test_cli import setup as setup

# In the setup's list, "Jose Garcia" (row 2) matches CASE-1, banned, by name only.


def _screen_json(setup: Setup, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    code, out, err = run(capsys, *setup.screen("--format", "json"))
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def _matched(data: dict[str, object]) -> list[tuple[int, str]]:
    matches = data["matches"]
    assert isinstance(matches, list)
    return [(m["row"], h["case_ref"]) for m in matches for h in m["hits"]]


def _clear(
    setup: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> tuple[int, str, str]:
    _screen_json(setup, capsys)  # the first screening pins the committee
    monkeypatch.setattr("sys.stdin", io.StringIO(name + "\n"))
    return run(
        capsys, "organizer", "clear-match", "--case", "CASE-1", "--status", "banned",
        "--state", setup.state,
    )  # fmt: skip


def _republish(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "committee", "publish", setup.committee, "-o", setup.listed, "--kdf", "test-only"
    )
    assert code == 0, err


def test_a_cleared_name_only_match_is_not_alerted_again(
    setup: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (2, "CASE-1") in _matched(_screen_json(setup, capsys))
    code, out, err = _clear(setup, capsys, monkeypatch, "José García")
    assert code == 0, err
    assert "not alerted again" in out
    data = _screen_json(setup, capsys)
    assert (2, "CASE-1") not in _matched(data)
    assert data["dismissed_matches"] == [{"row": 2, "line": 3, "case_refs": ["CASE-1"]}]
    code, out, _ = run(capsys, *setup.screen())
    assert "1 name-only match(es) the committee cleared before are not shown again: 3" in out
    # Listed by case, never by name; and the name is not in the state file.
    code, out, _ = run(capsys, "organizer", "cleared", "--state", setup.state)
    assert out == "CASE-1: 1 banned name(s)\n"
    state = setup.state.read_text(encoding="utf-8").casefold()
    assert "garcia" not in state
    assert "jose" not in state


def test_clearing_needs_a_pinned_committee(
    setup: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Jose Garcia\n"))
    code, _, err = run(
        capsys, "organizer", "clear-match", "--case", "CASE-1", "--status", "banned",
        "--state", setup.state,
    )  # fmt: skip
    assert code == 3
    assert "no pinned committee matches; see 'trust list'" in err


def test_a_cleared_match_is_alerted_again_when_the_status_changes(
    setup: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _clear(setup, capsys, monkeypatch, "Jose Garcia")[0] == 0
    assert (2, "CASE-1") not in _matched(_screen_json(setup, capsys))
    assert run(capsys, "committee", "update", setup.committee, "1", "--status", "flagged")[0] == 0
    _republish(setup, capsys)
    assert (2, "CASE-1") in _matched(_screen_json(setup, capsys))


def test_unclear_match_alerts_again(
    setup: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _clear(setup, capsys, monkeypatch, "Jose Garcia")[0] == 0
    code, out, _ = run(
        capsys, "organizer", "unclear-match", "--case", "CASE-1", "--state", setup.state
    )
    assert (code, out) == (0, "1 cleared name(s) of CASE-1 are alerted again.\n")
    assert (2, "CASE-1") in _matched(_screen_json(setup, capsys))
    code, _, err = run(
        capsys, "organizer", "unclear-match", "--case", "CASE-1", "--state", setup.state
    )
    assert code == 3
    _no_traceback(err)


def test_only_name_only_hits_are_ever_cleared(
    setup: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Alice" matched CASE-2 through the GitHub handle: clearing her name
    # does nothing to a strong match.
    _screen_json(setup, capsys)
    monkeypatch.setattr("sys.stdin", io.StringIO("Alice\n"))
    assert run(
        capsys, "organizer", "clear-match", "--case", "CASE-2", "--status", "flagged",
        "--state", setup.state,
    )[0] == 0  # fmt: skip
    assert (3, "CASE-2") in _matched(_screen_json(setup, capsys))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--committee", "00000000"), "no pinned committee matches"),
        (("--committee", "xyz"), "at least 8 hex digits"),
        (("--case", "bad ref!"), "case reference"),
    ],
)
def test_clear_match_refusals_are_one_line(
    setup: Setup,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: tuple[str, ...],
    message: str,
) -> None:
    _screen_json(setup, capsys)  # pins the committee
    monkeypatch.setattr("sys.stdin", io.StringIO("Jose Garcia\n"))
    args = ["--case", "CASE-1", "--status", "banned", "--state", str(setup.state), *extra]
    code, _, err = run(capsys, "organizer", "clear-match", *args)
    assert code != 0
    assert message in err
    assert "garcia" not in err.casefold()
    _no_traceback(err)


def test_a_common_name_is_marked_on_name_only_hits(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "committee", "update", setup.committee, "1", "--common-name")
    assert code == 0
    assert "name marked common" in out
    _republish(setup, capsys)
    data = _screen_json(setup, capsys)
    matches = data["matches"]
    assert isinstance(matches, list)
    (garcia,) = [m for m in matches if m["row"] == 2]
    assert garcia["hits"][0]["common_name"] is True
    (alice,) = [m for m in matches if m["row"] == 3]
    assert "common_name" not in alice["hits"][0]
    code, out, _ = run(capsys, *setup.screen())
    assert "the committee marks this name as common" in out
    # And off again.
    assert run(capsys, "committee", "update", setup.committee, "1", "--not-common-name")[0] == 0
    _republish(setup, capsys)
    (garcia,) = [m for m in _screen_json(setup, capsys)["matches"] if m["row"] == 2]  # type: ignore[attr-defined]
    assert "common_name" not in garcia["hits"][0]


def test_a_name_still_mixing_scripts_is_pointed_out(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    # Cyrillic zhe has no Latin twin: "Joжn" stays mixed after look-alikes.
    setup.csv.write_text("Name,Email\nJo\u0436n Doe,jd@example.org\nAnn Lee,al@example.org\n")
    data = _screen_json(setup, capsys)
    assert data["mixed_script_rows"] == [1]
    _code, out, _ = run(capsys, *setup.screen())
    assert "1 row(s) have a name mixing Latin with another script" in out
    assert "\u0436" not in out


def test_a_name_two_records_share_is_marked_and_never_cleared(
    setup: Setup, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A second banned "Jose Garcia" (CASE-0) shares the key with CASE-1: the
    # payload names one of them, so clearing it must not hide the other.
    assert run(
        capsys, "committee", "add", setup.committee, "--status", "banned",
        "--name", "Jose Garcia", "--case-ref", "CASE-0",
    )[0] == 0  # fmt: skip
    assert run(capsys, "committee", "update", setup.committee, "3", "--common-name")[0] == 0
    _republish(setup, capsys)
    data = _screen_json(setup, capsys)
    (garcia,) = [m for m in data["matches"] if m["row"] == 2]  # type: ignore[attr-defined]
    hit = garcia["hits"][0]
    assert hit["shared"] is True
    # Only CASE-0 is marked common: a shared key is common only if all are.
    assert "common_name" not in hit
    assert _clear(setup, capsys, monkeypatch, "Jose Garcia")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Jose Garcia\n"))
    run(
        capsys, "organizer", "clear-match", "--case", "CASE-0", "--status", "banned",
        "--state", setup.state,
    )  # fmt: skip
    assert 2 in [row for row, _ in _matched(_screen_json(setup, capsys))]
    _code, out, _ = run(capsys, *setup.screen())
    assert "more than one record has this name" in out
