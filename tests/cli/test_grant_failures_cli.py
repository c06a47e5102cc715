"""At the command line: a low-order organizer key is refused at `committee grant`,
and a register that already holds one publishes for everyone else and says so."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from coc_hashscreen.cli import main

from ..helpers import raw_database

LOW_ORDER = "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _committee(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    committee = tmp_path / "committee"
    assert run(capsys, "committee", "init", committee, "--name", "CLI Committee")[0] == 0
    listed = tmp_path / "1.list"
    code, _, err = run(
        capsys, "committee", "publish", committee, "-o", listed, "--kdf", "test-only"
    )
    assert code == 0, err
    return committee


def _low_order_pub(tmp_path: Path) -> Path:
    path = tmp_path / "evil.pub"
    document = {
        "algorithm": "x25519", "format": 1, "name": "Evil Conf", "public": LOW_ORDER,
        "purpose": "organizer", "type": "coc-hashscreen public key",
    }  # fmt: skip
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_committee_grant_refuses_a_low_order_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    committee = _committee(tmp_path, capsys)
    pub = _low_order_pub(tmp_path)
    code, out, err = run(capsys, "committee", "grant", committee, pub, "-o", tmp_path / "e.grant")
    assert code == 7, err  # a key file error, not an internal error (70)
    assert err.count("\n") == 1
    for part in ("evil.pub", "low-order", "new key pair"):
        assert part in err
    assert "Traceback" not in err
    assert not (tmp_path / "e.grant").exists()
    code, out, _ = run(capsys, "committee", "organizers", committee)
    assert (code, "No organizers yet" in out) == (0, True)
    # And later publishes are not affected.
    code, _, err = run(capsys, "committee", "publish", committee, "-o", tmp_path / "2.list",
                       "--rotate")  # fmt: skip
    assert code == 0, err


def test_publish_grants_the_others_and_names_the_organizer_it_could_not_grant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    committee = _committee(tmp_path, capsys)
    organizer = tmp_path / "organizer"
    assert run(capsys, "organizer", "init", organizer, "--name", "Good Conf")[0] == 0
    assert run(capsys, "committee", "grant", committee, organizer / "organizer.pub",
               "-o", tmp_path / "good.grant")[0] == 0  # fmt: skip
    raw = bytes.fromhex(LOW_ORDER)
    with raw_database(committee / "register.sqlite3") as db:  # as an older release did
        db.execute(
            "INSERT INTO organizers (key_id, suite, public_key, name, added_at)"
            " VALUES (?, 'x25519', ?, 'Evil Conf', 0)",
            (hashlib.sha256(raw).digest(), raw),
        )
    db.close()
    code, out, _ = run(capsys, "committee", "organizers", committee)
    assert code == 0
    assert any("invalid key" in line and "Evil Conf" in line for line in out.splitlines())

    code, out, err = run(capsys, "committee", "publish", committee, "-o", tmp_path / "2.list",
                         "--rotate")  # fmt: skip
    assert code == 7
    assert "Published version 2 of epoch 2" in out
    assert "Issued 1 new grant(s) for epoch 2" in out
    assert (tmp_path / "2.list").exists()
    short = hashlib.sha256(raw).hexdigest()[:16]
    assert f"Not granted: 'Evil Conf' (key {short})" in err
    errors = [line for line in err.splitlines() if line.startswith("coc-hashscreen: error")]
    assert len(errors) == 1
    assert "1 active organizer(s) got no grant" in errors[0]
    assert "committee revoke" in errors[0]
    assert "Traceback" not in err

    # The grant file is named by key id, not by the organizer's name.
    (path,) = (committee / "grants" / "epoch-2").iterdir()
    assert path.name == f"{path.name[:16]}.grant"
    assert "Good" not in path.name

    assert run(capsys, "committee", "revoke", committee, short)[0] == 0
    code, _, err = run(capsys, "committee", "publish", committee, "-o", tmp_path / "3.list")
    assert (code, err) == (0, "")
