"""The committee's and the organizer's private keys at rest, under a passphrase.

A copied committee directory without the passphrase can neither sign nor
open reports; the passphrase is asked only by what needs a key; changing it
survives a crash between the two key files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, Identifier, KeyPurpose, Status
from coc_hashscreen.errors import KeyFileError, WrongPassphrase
from coc_hashscreen.formats import (
    Passphrase,
    load_private_key,
    private_key_info,
    save_private_key,
    seal_report,
)
from coc_hashscreen.organizer import (
    OrganizerPaths,
    change_organizer_passphrase,
    init_organizer,
    load_organizer_key,
)

from ..helpers import NOW, TEST_KEY_KDF, TEST_PASSPHRASE, cheap_protection, sample_report

CHEAP = PublishOptions(kdf=KDF_PROFILES["test-only"])


class Counting:
    """A passphrase source that counts how often it is asked."""

    def __init__(self, text: str = TEST_PASSPHRASE) -> None:
        self.passphrase = Passphrase.from_text(text)
        self.asked = 0

    def __call__(self) -> Passphrase:
        self.asked += 1
        return self.passphrase


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    path = tmp_path / "committee"
    with Committee.init(path, name="Locked Committee", now=NOW, protection=cheap_protection()):
        pass
    return path


def _formats(directory: Path) -> list[int]:
    return [
        json.loads((directory / n).read_bytes())["format"] for n in ("signing.key", "report.key")
    ]


def test_init_encrypts_both_private_keys(directory: Path) -> None:
    assert _formats(directory) == [2, 2]
    with Committee.open(directory) as committee:
        assert all(info.encrypted for info in committee.key_files())


def test_a_copied_directory_cannot_sign_or_open_reports_without_the_passphrase(
    directory: Path, tmp_path: Path
) -> None:
    with Committee.open(directory) as thief:
        # The register is not encrypted (ADR 0015): reading it needs no key.
        thief.register.records.add(
            NewRecord(status=Status.BANNED, identifiers=[Identifier("email", "x@example.org")]),
            now=NOW,
        )
        with pytest.raises(KeyFileError, match="is encrypted under a passphrase"):
            thief.publish(tmp_path / "forged.list", CHEAP, now=NOW)
        with pytest.raises(KeyFileError, match="is encrypted under a passphrase"):
            thief.report_key()
    with Committee.open(directory, passphrase=Counting("a guess at it")) as guesser:
        with pytest.raises(WrongPassphrase):
            guesser.publish(tmp_path / "forged.list", CHEAP, now=NOW)
        with pytest.raises(WrongPassphrase):
            guesser.intake(seal_report(sample_report(), trust=guesser.trust), now=NOW)
    assert not (tmp_path / "forged.list").exists()


def test_the_passphrase_is_asked_only_by_what_needs_a_key(directory: Path, tmp_path: Path) -> None:
    source = Counting()
    with Committee.open(directory, passphrase=source) as committee:
        committee.register.records.add(
            NewRecord(status=Status.FLAGGED, identifiers=[Identifier("github", "mallory")]),
            now=NOW,
        )
        committee.register.records.all()
        committee.expunge(now=NOW)
        assert source.asked == 0
        committee.publish(tmp_path / "a.list", CHEAP, now=NOW)
        assert source.asked == 1
        organizer = HpkePrivateKey.generate()
        committee.grant(GrantRequest(organizer.public_key, "Conf"), tmp_path / "g", now=NOW)
        assert source.asked == 1  # the signing key stays unlocked for this object
        committee.intake(seal_report(sample_report(), trust=committee.trust), now=NOW)
        assert source.asked == 2  # the report key is its own file


def test_a_mismatched_signing_key_is_named_before_any_passphrase(directory: Path) -> None:
    from coc_hashscreen.core import SigningKey
    from coc_hashscreen.formats import save_signing_key

    save_signing_key(
        directory / "signing.key", SigningKey.generate(), name="x", protection=cheap_protection()
    )
    source = Counting()
    with pytest.raises(KeyFileError, match=r"does not match the key in committee\.trust"):
        Committee.open(directory, passphrase=source)
    assert source.asked == 0


def test_change_passphrase_then_the_old_one_fails(directory: Path, tmp_path: Path) -> None:
    new = cheap_protection("a new and longer passphrase")
    with Committee.open(directory, passphrase=Counting()) as committee:
        committee.change_passphrase(new)
        committee.publish(tmp_path / "same-object.list", CHEAP, now=NOW)
    with (
        Committee.open(directory, passphrase=Counting()) as committee,
        pytest.raises(WrongPassphrase),
    ):
        committee.publish(tmp_path / "old.list", CHEAP, now=NOW)
    with Committee.open(directory, passphrase=Counting("a new and longer passphrase")) as c:
        c.publish(tmp_path / "new.list", CHEAP, now=NOW)
        c.report_key()
    assert (directory / "signing.key").stat().st_mode & 0o777 == 0o600


def test_change_passphrase_resumes_after_a_crash_between_the_two_files(directory: Path) -> None:
    new = cheap_protection("a new and longer passphrase")
    # The crash: report.key was rewritten under the new passphrase, signing.key not yet.
    report = load_private_key(
        directory / "report.key", purpose=KeyPurpose.COMMITTEE_REPORTS, passphrase=Counting()
    )
    save_private_key(
        directory / "report.key",
        report,
        purpose=KeyPurpose.COMMITTEE_REPORTS,
        name="Locked Committee",
        protection=new,
    )
    with Committee.open(directory, passphrase=Counting()) as committee:
        committee.change_passphrase(new)
    with Committee.open(directory, passphrase=Counting("a new and longer passphrase")) as c:
        assert c.report_key().public_key == report.public_key
        c.rotate_signing_key(now=NOW)


def test_a_passphrase_can_be_added_to_plain_keys_and_removed(tmp_path: Path) -> None:
    path = tmp_path / "plain"
    with Committee.init(path, name="Plain", now=NOW) as committee:
        assert _formats(path) == [1, 1]
        assert not any(info.encrypted for info in committee.key_files())
        committee.change_passphrase(cheap_protection())
    assert _formats(path) == [2, 2]
    with Committee.open(path, passphrase=Counting()) as committee:
        committee.change_passphrase(None)
    assert _formats(path) == [1, 1]


def test_rotating_the_signing_key_keeps_it_encrypted(directory: Path, tmp_path: Path) -> None:
    source = Counting()
    with Committee.open(directory, passphrase=source) as committee:
        committee.rotate_signing_key(now=NOW)
    info = private_key_info(directory / "signing.key", purpose=KeyPurpose.COMMITTEE_SIGNING)
    assert (info.encrypted, info.kdf) == (True, TEST_KEY_KDF)
    with Committee.open(directory, passphrase=Counting()) as committee:
        committee.publish(tmp_path / "after.list", CHEAP, now=NOW)


def test_a_wrong_passphrase_changes_nothing_in_a_rotation(directory: Path) -> None:
    before = (directory / "committee.trust").read_bytes()
    with (
        Committee.open(directory, passphrase=Counting("a wrong guess")) as committee,
        pytest.raises(WrongPassphrase),
    ):
        committee.rotate_signing_key(now=NOW)
    assert (directory / "committee.trust").read_bytes() == before
    assert not (directory / "signing.key.next").exists()


def test_organizer_key_encrypted_on_request(tmp_path: Path) -> None:
    keys = init_organizer(tmp_path / "org", name="Conf", protection=cheap_protection())
    with pytest.raises(KeyFileError, match="is encrypted"):
        load_organizer_key(tmp_path / "org")
    key = load_organizer_key(tmp_path / "org", passphrase=Counting())
    assert key.key_id == keys.key_id
    # An interrupted init is finished from the public half, without the passphrase.
    OrganizerPaths(tmp_path / "org").public_key.unlink()
    restored = init_organizer(tmp_path / "org", name="Conf")
    assert (restored.restored, restored.key_id) == (True, keys.key_id)
    change_organizer_passphrase(
        tmp_path / "org", passphrase=Counting(), new=cheap_protection("organizer's new one")
    )
    with pytest.raises(WrongPassphrase):
        load_organizer_key(tmp_path / "org", passphrase=Counting())
    assert (
        load_organizer_key(tmp_path / "org", passphrase=Counting("organizer's new one")).key_id
        == keys.key_id
    )
    change_organizer_passphrase(
        tmp_path / "org", passphrase=Counting("organizer's new one"), new=None
    )
    assert load_organizer_key(tmp_path / "org").key_id == keys.key_id
