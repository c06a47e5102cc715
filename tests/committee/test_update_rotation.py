"""What outlives an update: the current epoch key (issue 11, finding 9; ADR 0011).

Deleting a listed record rotated the epoch, but an update that took a listed
identifier off a record (an innocent person's e-mail wrongly added from a
report, say) or lowered it to minor left the current epoch key in the
register, which with any list of the epoch still confirmed what the
committee had taken back.  Such an update now starts a new epoch and wipes
the old key from every file of the register, as a deletion does; an update
that takes nothing off the lists keeps the epoch.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.cli import main
from coc_hashscreen.committee import KEEP, NewRecord, PublishOptions, RecordChange
from coc_hashscreen.core import Identifier, Status
from coc_hashscreen.errors import InputError

from ..conftest import World
from ..helpers import NOW

WRONGLY_ADDED = "innocent.bystander@example.org"


def _raw(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.glob("register.sqlite3*")))


def _record(world: World, case_ref: str) -> int:
    return next(r.id for r in world.committee.register.records.all() if r.case_ref == case_ref)


def _listed_with_wrong_email(world: World) -> tuple[int, bytes]:
    """Garcia's record with an innocent person's e-mail, listed in the current epoch; its key."""
    committee = world.committee
    garcia = _record(world, "CASE-GARCIA")
    change = RecordChange(add=[Identifier("email", WRONGLY_ADDED)])
    committee.register.records.update(garcia, change, now=NOW)
    committee.publish(world.tmp / "with-it.list", now=NOW)
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    assert epoch.secret in _raw(committee.directory)
    return garcia, epoch.secret


def test_removing_a_listed_identifier_rotates_and_wipes_the_key(world: World) -> None:
    committee = world.committee
    garcia, old_secret = _listed_with_wrong_email(world)
    change = RecordChange(remove=[Identifier("email", WRONGLY_ADDED)])
    result = committee.update_record(garcia, change, now=NOW)
    assert result.rotated_to == 2
    assert WRONGLY_ADDED not in {i.value for i in result.record.identifiers}
    current = committee.register.epochs.current()
    assert current is not None
    assert current.number == 2
    # Neither the key that tests guesses against the list holding the e-mail,
    # nor the e-mail itself, is left in any file of the register.
    raw = _raw(committee.directory)
    assert old_secret not in raw
    assert WRONGLY_ADDED.encode() not in raw
    published = committee.publish(world.tmp / "next.list", now=NOW)
    assert published.header.epoch == 2
    assert len(published.grants) == 1


def test_replacing_identifiers_rotates(world: World) -> None:
    garcia, old_secret = _listed_with_wrong_email(world)
    change = RecordChange(
        remove=[Identifier("email", WRONGLY_ADDED)],
        add=[Identifier("email", "garcia@example.org")],
    )
    result = world.committee.update_record(garcia, change, now=NOW)
    assert result.rotated_to == 2
    assert old_secret not in _raw(world.committee.directory)


def test_lowering_a_listed_record_to_minor_rotates(world: World) -> None:
    committee = world.committee
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert epoch.secret is not None
    mallory = _record(world, "CASE-MALLORY")
    result = committee.update_record(mallory, RecordChange(status=Status.MINOR), now=NOW)
    assert (result.rotated_to, result.record.status) == (2, Status.MINOR)
    assert epoch.secret not in _raw(committee.directory)
    # The rotation is not repeated when the minor record is expunged later.
    assert result.record.expires_at is not None
    assert committee.expunge(now=result.record.expires_at).rotated_to is None


@pytest.mark.parametrize(
    "change",
    [
        RecordChange(add=[Identifier("github", "another-handle")]),
        RecordChange(note="seen again at the 2026 meetup"),
        RecordChange(case_ref="CASE-RENAMED"),
        RecordChange(status=Status.BANNED),
        RecordChange(expires_at=NOW + timedelta(days=400)),
        # Removed and given back: nothing leaves the record.
        RecordChange(
            remove=[Identifier("github", "mallory")], add=[Identifier("github", "mallory")]
        ),
    ],
    ids=["add", "note", "case-ref", "raise", "expiry", "same-identifier"],
)
def test_an_update_that_takes_nothing_off_keeps_the_epoch(
    world: World, change: RecordChange
) -> None:
    committee = world.committee
    result = committee.update_record(_record(world, "CASE-MALLORY"), change, now=NOW)
    assert result.rotated_to is None
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert (epoch.number, epoch.secret is not None) == (1, True)
    assert change.expires_at is KEEP or result.record.expires_at == change.expires_at


def test_a_record_not_listed_in_the_current_epoch_keeps_the_epoch(world: World) -> None:
    committee = world.committee
    register = committee.register
    # Added after the last publish: in no list yet.
    late = register.records.add(
        NewRecord(
            status=Status.BANNED,
            identifiers=[Identifier("github", "late"), Identifier("email", "late@example.org")],
        ),
        now=NOW,
    )
    result = committee.update_record(
        late.id, RecordChange(remove=[Identifier("email", "late@example.org")]), now=NOW
    )
    assert result.rotated_to is None
    # Listed only in epoch 1, whose key went at a rotation.
    garcia = _record(world, "CASE-GARCIA")
    register.records.update(garcia, RecordChange(status=Status.MINOR), now=NOW)
    committee.publish(world.tmp / "rotated.list", PublishOptions(rotate=True), now=NOW)
    result = committee.update_record(
        garcia, RecordChange(remove=[Identifier("twitter", "@josegarcia")]), now=NOW
    )
    assert result.rotated_to is None
    epoch = register.epochs.current()
    assert epoch is not None
    assert (epoch.number, epoch.secret is not None) == (2, True)


def test_a_refused_update_rotates_nothing(world: World) -> None:
    """The change and the rotation are one transaction: a refused change keeps the key."""
    committee = world.committee
    ivanov = committee.register.records.get(_record(world, "CASE-IVANOV"))
    with pytest.raises(InputError, match="at least one identifier"):
        committee.update_record(ivanov.id, RecordChange(remove=ivanov.identifiers), now=NOW)
    epoch = committee.register.epochs.current()
    assert epoch is not None
    assert (epoch.number, epoch.secret is not None) == (1, True)
    assert committee.register.records.get(ivanov.id).identifiers == ivanov.identifiers


def test_the_record_store_update_stays_a_plain_write(world: World) -> None:
    """`RecordStore.update` writes the record only; `Committee.update_record` rotates."""
    register = world.committee.register
    garcia = _record(world, "CASE-GARCIA")
    register.records.update(garcia, RecordChange(remove=[Identifier("twitter", "@josegarcia")]))
    epoch = register.epochs.current()
    assert epoch is not None
    assert epoch.number == 1


def _cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_update_says_a_rotation_needs_a_publish(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    garcia, ivanov = _record(world, "CASE-GARCIA"), _record(world, "CASE-IVANOV")
    directory = world.committee.directory
    world.committee.close()
    # Adding an identifier takes nothing off: no rotation, nothing to say about it.
    code, out, err = _cli(
        capsys, "committee", "update", directory, str(garcia), "--add-email", WRONGLY_ADDED
    )
    assert (code, err) == (0, "")
    assert "epoch" not in out
    code, out, err = _cli(
        capsys, "committee", "update", directory, str(garcia), "--remove-twitter", "@josegarcia"
    )
    assert (code, err) == (0, "")
    assert "started epoch 2 and wiped the old key" in out
    assert "Publish now" in out
    # Ivanov was listed in epoch 1 only: epoch 2 needs a list with Ivanov in
    # it before lowering Ivanov to minor rotates again.
    code, out, _ = _cli(capsys, "committee", "publish", directory, "-o", world.tmp / "2.list")
    assert "Issued 1 new grant(s) for epoch 2" in out
    listed = world.tmp / "rotated.list"
    code, out, err = _cli(
        capsys, "committee", "update", directory, str(ivanov), "--status", "minor", "-o", listed
    )
    assert code == 0, err
    assert "started epoch 3" in out
    assert "of epoch 3" in out
    assert "Issued 1 new grant(s) for epoch 3" in out
    assert "Publish now" not in out
    assert listed.exists()
