"""What outlives an expunge: the current epoch key (issue 11, finding 9; ADR 0011).

The register kept the key of the epoch a deleted person was listed in, so
the register together with any list of that epoch still confirmed them.
Deleting a record listed in the current epoch now starts a new epoch and
wipes the old key from every file of the register.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.cli import main
from coc_hashscreen.committee import Committee, NewRecord, PublishOptions, RecordChange, Register
from coc_hashscreen.committee._db import _MIGRATIONS
from coc_hashscreen.core import KDF_PROFILES, Identifier, Status

from ..conftest import World
from ..helpers import NOW


def _raw(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.glob("register.sqlite3*")))


def _record(world: World, case_ref: str) -> int:
    return next(r.id for r in world.committee.register.records.all() if r.case_ref == case_ref)


def test_removing_a_listed_record_rotates_and_wipes_the_key(world: World) -> None:
    committee = world.committee
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    old_secret = epoch.secret
    assert old_secret in _raw(committee.directory)
    result = committee.remove_record(_record(world, "CASE-GARCIA"), now=NOW)
    assert (result.records, result.rotated_to, result.epoch_keys) == (1, 2, 1)
    current = committee.register.epochs.current()
    assert current is not None
    assert current.number == 2
    assert current.kdf == epoch.kdf
    # The key that makes the lists holding the person is gone from every file:
    # neither the register nor a thief of it can test guesses against them.
    assert old_secret not in _raw(committee.directory)
    # The next publish lists the new epoch and grants it to the organizer.
    published = committee.publish(world.tmp / "next.list", now=NOW)
    assert published.header.epoch == 2
    assert len(published.grants) == 1


def test_expunging_a_listed_record_rotates(world: World) -> None:
    committee = world.committee
    expiring = committee.register.records.add(
        NewRecord(
            status=Status.FLAGGED,
            identifiers=[Identifier("email", "expiring@example.org")],
            # Past the week a list's expiry is rounded to (ADR 0014), so it is listed.
            expires_at=NOW + timedelta(days=10),
        ),
        now=NOW,
    )
    committee.publish(world.tmp / "with-it.list", now=NOW)
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    result = committee.expunge(now=NOW + timedelta(days=11))
    assert (result.records, result.rotated_to) == (1, 2)
    assert epoch.secret not in _raw(committee.directory)
    with pytest.raises(Exception, match="no record"):
        committee.register.records.get(expiring.id)


def test_deleting_an_unlisted_record_keeps_the_epoch(world: World) -> None:
    committee = world.committee
    register = committee.register
    # Added after the last publish: in no list yet.
    late = register.records.add(
        NewRecord(status=Status.BANNED, identifiers=[Identifier("github", "late")]), now=NOW
    )
    minor = next(r.id for r in register.records.all() if r.status is Status.MINOR)
    for record_id in (late.id, minor):
        result = committee.remove_record(record_id, now=NOW)
        assert (result.records, result.rotated_to, result.epoch_keys) == (1, None, 0)
    epoch = register.epochs.current()
    assert epoch is not None
    assert (epoch.number, epoch.secret is not None) == (1, True)


def test_a_record_listed_only_in_a_retired_epoch_keeps_the_epoch(world: World) -> None:
    committee = world.committee
    garcia = _record(world, "CASE-GARCIA")
    committee.register.records.update(garcia, RecordChange(status=Status.MINOR), now=NOW)
    committee.publish(world.tmp / "rotated.list", PublishOptions(rotate=True), now=NOW)
    result = committee.remove_record(garcia, now=NOW)
    assert result.rotated_to is None  # epoch 1's key went at the rotation


def _cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_says_a_rotation_needs_a_publish(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    garcia, mallory = _record(world, "CASE-GARCIA"), _record(world, "CASE-MALLORY")
    directory = world.committee.directory
    world.committee.close()
    code, out, _ = _cli(capsys, "committee", "remove", directory, str(garcia))
    assert code == 0
    assert "started epoch 2 and wiped the old key" in out
    assert "Publish now" in out
    # Mallory was listed in epoch 1, whose key is gone: epoch 2 needs a list
    # with Mallory in it before removing Mallory rotates again.
    code, out, _ = _cli(capsys, "committee", "publish", directory, "-o", world.tmp / "2.list")
    assert "Issued 1 new grant(s) for epoch 2" in out
    listed = world.tmp / "rotated.list"
    code, out, err = _cli(capsys, "committee", "remove", directory, str(mallory), "-o", listed)
    assert code == 0, err
    assert "started epoch 3" in out
    assert "of epoch 3" in out
    assert "Issued 1 new grant(s) for epoch 3" in out
    assert listed.exists()


def test_records_of_an_older_register_count_as_listed(tmp_path: Path) -> None:
    """A register from before schema 4 does not know what it listed: the last epoch is assumed."""
    path = tmp_path / "register.sqlite3"
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    db = sqlite3.connect(path)
    for statements in _MIGRATIONS[:3]:
        for statement in statements:
            db.execute(statement)
    db.execute("PRAGMA user_version = 3")
    db.execute(
        "INSERT INTO records (status, case_ref, created_at, updated_at) "
        "VALUES ('banned', 'OLD-1', 1, 1)"
    )
    db.execute("INSERT INTO identifiers (record_id, kind, value) VALUES (1, 'github', 'old')")
    params = KDF_PROFILES["test-only"]
    db.execute(
        "INSERT INTO epochs VALUES (1, ?, ?, ?, ?, ?, 'v1', 5)",
        (b"\x07" * 32, b"\x08" * 16, params.time_cost, params.memory_cost, params.parallelism),
    )
    db.execute("INSERT INTO publications VALUES (1, 1, 10, 99999, 32, 1, NULL)")
    db.commit()
    db.close()
    with Register.open(path) as register:
        result = register.remove_record(1, now=NOW)
    assert result.rotated_to == 2
    assert b"\x07" * 32 not in _raw(tmp_path)


def test_committee_remove_takes_the_same_path(world: World) -> None:
    """`Committee.remove_record` and the CLI share `Register.remove_record`."""
    assert isinstance(world.committee, Committee)
    result = world.committee.register.remove_record(_record(world, "CASE-IVANOV"), now=NOW)
    assert result.rotated_to == 2
