"""One organizer that cannot be granted never costs the others their grants.

Before: a low-order X25519 key was registered, then sealing to it failed;
every later publish failed, and a rotation skipped the organizers after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, GrantRequest, PublishOptions
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, timestamp
from coc_hashscreen.errors import RegisterError
from coc_hashscreen.formats import parse_grant

from ..helpers import NOW, raw_database

CHEAP = KDF_PROFILES["test-only"]
LOW_ORDER = bytes.fromhex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")


@pytest.fixture
def committee(tmp_path: Path) -> Iterator[Committee]:
    with Committee.init(tmp_path / "committee", name="Test Committee", now=NOW) as c:
        c.publish(tmp_path / "1.list", PublishOptions(kdf=CHEAP), now=NOW)
        yield c


def _register_directly(committee: Committee, raw: bytes, name: str, *, seconds: int) -> bytes:
    """Insert an organizer row as an older release would have, without any check."""
    key_id = hashlib.sha256(raw).digest()
    with raw_database(committee.register.path) as db:
        db.execute(
            "INSERT INTO organizers (key_id, suite, public_key, name, added_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (key_id, "x25519", raw, name, timestamp(NOW) + seconds),
        )
    db.close()
    return key_id


def _grant(committee: Committee, key: HpkePrivateKey, name: str, path: Path, seconds: int) -> None:
    committee.grant(GrantRequest(key.public_key, name), path, now=NOW + timedelta(seconds=seconds))


def test_a_register_holding_a_low_order_key_still_grants_everyone_else(
    committee: Committee, tmp_path: Path
) -> None:
    alice, carol = HpkePrivateKey.generate(), HpkePrivateKey.generate()
    _grant(committee, alice, "Alice Conf", tmp_path / "a.grant", 0)
    bad = _register_directly(committee, LOW_ORDER, "Broken Conf", seconds=1)
    _grant(committee, carol, "Carol Conf", tmp_path / "c.grant", 2)  # after the bad one
    # The register still reads: the bad organizer shows, with no usable key.
    organizers = {o.name: o for o in committee.register.organizers.all()}
    assert organizers["Broken Conf"].public_key is None
    assert organizers["Alice Conf"].public_key == alice.public_key

    result = committee.publish(tmp_path / "2.list", PublishOptions(rotate=True, kdf=CHEAP), now=NOW)
    assert result.path.exists()
    granted = {
        parse_grant(p.read_bytes(), committee.trust.trusted_keys()).organizer for p in result.grants
    }
    assert granted == {alice.public_key.key_id, carol.public_key.key_id}
    (failure,) = result.grant_failures
    assert (failure.key_id, failure.name) == (bad, "Broken Conf")
    assert "not one that can be sealed to" in failure.reason
    assert failure.to_dict()["key_id"] == bad.hex()

    # The next publish tries the missing one again and grants nobody twice.
    again = committee.publish(tmp_path / "3.list", PublishOptions(), now=NOW)
    assert again.grants == ()
    assert [f.key_id for f in again.grant_failures] == [bad]

    # Once revoked, it is no longer tried.
    committee.register.organizers.revoke(committee.register.organizers.find(bad.hex()[:16]).key_id)
    assert committee.publish(tmp_path / "4.list", PublishOptions(), now=NOW).grant_failures == ()


def test_a_grant_file_that_cannot_be_written_registers_nobody(
    committee: Committee, tmp_path: Path
) -> None:
    organizer = HpkePrivateKey.generate()
    with pytest.raises(FileNotFoundError):
        _grant(committee, organizer, "Org", tmp_path / "missing" / "o.grant", 0)
    assert committee.register.organizers.all() == []
    assert committee.register.organizers.grants() == []


def test_a_refused_grant_writes_no_file(committee: Committee, tmp_path: Path) -> None:
    organizer = HpkePrivateKey.generate()
    _grant(committee, organizer, "Org", tmp_path / "o.grant", 0)
    committee.register.organizers.revoke(organizer.public_key.key_id, now=NOW)
    with pytest.raises(RegisterError, match="reinstate"):
        _grant(committee, organizer, "Org", tmp_path / "again.grant", 1)
    assert not (tmp_path / "again.grant").exists()
    assert len(committee.register.organizers.grants()) == 1


def test_grants_that_cannot_be_written_at_a_rotation_are_reported(
    committee: Committee, tmp_path: Path
) -> None:
    alice, bob = HpkePrivateKey.generate(), HpkePrivateKey.generate()
    _grant(committee, alice, "Alice Conf", tmp_path / "a.grant", 0)
    _grant(committee, bob, "Bob Conf", tmp_path / "b.grant", 1)
    grants_dir = tmp_path / "grants"
    grants_dir.mkdir()
    (grants_dir / "epoch-2").write_text("a file where the directory should be")
    options = PublishOptions(rotate=True, kdf=CHEAP, grants_dir=grants_dir)
    result = committee.publish(tmp_path / "2.list", options, now=NOW)
    assert result.path.exists()
    assert result.grants == ()
    assert {f.name for f in result.grant_failures} == {"Alice Conf", "Bob Conf"}
    assert all("could not be written" in f.reason for f in result.grant_failures)
    # Nothing was recorded for them, so the next publish grants both.
    (grants_dir / "epoch-2").unlink()
    retry = committee.publish(tmp_path / "3.list", PublishOptions(grants_dir=grants_dir), now=NOW)
    assert (len(retry.grants), retry.grant_failures) == (2, ())
