"""Backups a committee can trust: a snapshot in the age format, checked whole, restored safely."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import tarfile
from datetime import timedelta
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coc_hashscreen.committee import (
    DEFAULT_BACKUP_VALIDITY,
    Committee,
    NewRecord,
    PublishOptions,
    RestoreOptions,
    backup_committee,
    restore_committee,
)
from coc_hashscreen.core import KDF_PROFILES, Identifier, Status
from coc_hashscreen.errors import (
    CocHashscreenError,
    ExpiredError,
    FormatError,
    InputError,
    KeyFileError,
    RegisterError,
    VerificationError,
)
from coc_hashscreen.formats import (
    BackupIdentity,
    BackupRecipients,
    Passphrase,
    parse_list,
    seal_report,
)
from coc_hashscreen.formats._wire import dump_json

from ..helpers import NOW, TEST_PASSPHRASE, cheap_protection, fixed_rng, raw_database, sample_report

CHEAP = KDF_PROFILES["test-only"]
MEMBER = pyrage.x25519.Identity.generate()
OTHER = pyrage.x25519.Identity.generate()
AGE_MAGIC = b"age-encryption.org/v1\n"


def _to(*identities: pyrage.x25519.Identity) -> BackupRecipients:
    return BackupRecipients(tuple(str(i.to_public()) for i in identities))


def _key(identity: pyrage.x25519.Identity = MEMBER) -> BackupIdentity:
    return BackupIdentity(file=f"# created: by a test\n{identity}\n".encode())


def _passphrase() -> Passphrase:
    return Passphrase.from_text(TEST_PASSPHRASE)


def _publish(committee: Committee, path: Path, *, rotate: bool = False) -> int:
    options = PublishOptions(kdf=CHEAP, rotate=rotate, rng=fixed_rng(path.name.encode()))
    return committee.publish(path, options, now=NOW).header.version


@pytest.fixture
def directory(tmp_path: Path) -> Path:
    """A committee with records, a report with attachments, two lists, encrypted keys."""
    path = tmp_path / "committee"
    with Committee.init(path, name="Backup Committee", now=NOW, protection=cheap_protection()) as c:
        c.register.records.add(
            NewRecord(Status.BANNED, [Identifier("email", "bad@example.org")]), now=NOW
        )
        c.register.records.add(
            NewRecord(Status.FLAGGED, [Identifier("name", "Flagged Person")]), now=NOW
        )
        c.intake(seal_report(sample_report(), trust=c.trust), now=NOW)
        _publish(c, tmp_path / "v1.list")
        _publish(c, tmp_path / "v2.list")
    return path


@pytest.fixture
def backup(directory: Path, tmp_path: Path) -> Path:
    path = tmp_path / "committee.backup"
    with Committee.open(directory) as committee:
        backup_committee(committee, path, _to(MEMBER), now=NOW)
    return path


def _restore(backup: Path, target: Path, **options: object) -> object:
    return restore_committee(
        backup,
        target,
        options.pop("identity", _key()),  # type: ignore[arg-type]
        RestoreOptions(rng=fixed_rng(b"restore"), passphrase=_passphrase, **options),  # type: ignore[arg-type]
        now=NOW + timedelta(days=1),
    )


def test_round_trip_keeps_the_register_keys_and_trust_and_sets_the_floor(
    directory: Path, backup: Path, tmp_path: Path
) -> None:
    target = tmp_path / "restored"
    result = restore_committee(
        backup,
        target,
        _key(),
        RestoreOptions(rng=fixed_rng(b"r"), passphrase=_passphrase),
        now=NOW + timedelta(days=1),
    )
    assert (result.floor_version, result.floor_epoch, result.epoch) == (3, 2, 2)
    assert result.manifest.latest_version == 2
    assert result.expunged.records == 0
    assert (target / "committee.trust").read_bytes() == (directory / "committee.trust").read_bytes()
    for name in ("signing.key", "report.key"):
        assert (target / name).read_bytes() == (directory / name).read_bytes()
        assert stat.S_IMODE((target / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((target / "register.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    with (
        Committee.open(directory) as original,
        Committee.open(target, passphrase=_passphrase) as restored,
    ):
        assert restored.series == original.series
        assert [r.to_dict() for r in restored.register.records.all()] == [
            r.to_dict() for r in original.register.records.all()
        ]
        (report,) = restored.register.reports.all()
        assert restored.register.reports.content(report.id).attachments == (
            sample_report().attachments
        )
        restored.unlock()  # the signing key opens under its passphrase
        restored.report_key()
        (entry,) = restored.register.audit.entries(action="restore")
        assert entry.details["floor_version"] == 3
        assert entry.details["backup_created_at"] == NOW.isoformat()
        # The next list goes above everything organizers saw, in a new epoch.
        version = _publish(restored, tmp_path / "next.list")
        assert version == 3
        header = parse_list((tmp_path / "next.list").read_bytes(), restored.trust.trusted_keys())
        assert header.header.epoch == 2
    # The restored epoch key is gone from the register.
    with raw_database(target / "register.sqlite3") as db:
        secrets = dict(db.execute("SELECT epoch, secret FROM epochs").fetchall())
    assert secrets[1] is None
    assert secrets[2] is not None


def test_the_tar_inside_is_what_age_and_tar_give_a_member(backup: Path) -> None:
    plain = pyrage.decrypt(backup.read_bytes(), [MEMBER])
    with tarfile.open(fileobj=io.BytesIO(plain)) as archive:
        members = archive.getmembers()
        names = [m.name for m in members]
        assert names[0] == "coc-hashscreen-backup/MANIFEST.json"
        manifest = json.loads(archive.extractfile(members[0]).read())  # type: ignore[union-attr]
        for member in members[1:]:
            data = archive.extractfile(member).read()  # type: ignore[union-attr]
            name = member.name.removeprefix("coc-hashscreen-backup/")
            assert manifest["files"][name] == hashlib.sha256(data).hexdigest()
            assert member.mode == 0o600
    assert set(manifest["files"]) == {
        "register.sqlite3",
        "signing.key",
        "report.key",
        "committee.trust",
    }
    assert manifest["format"] == "coc-hashscreen-backup"
    assert (manifest["latest_version"], manifest["latest_epoch"]) == (2, 1)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_each_of_several_recipients_can_restore(directory: Path, tmp_path: Path) -> None:
    ssh_key = Ed25519PrivateKey.generate()
    ssh_public = ssh_key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    ssh_private = ssh_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    path = tmp_path / "b.age"
    to = BackupRecipients((str(MEMBER.to_public()), str(OTHER.to_public()), ssh_public.decode()))
    with Committee.open(directory) as committee:
        backup_committee(committee, path, to, now=NOW)
    for n, identity in enumerate((_key(MEMBER), _key(OTHER), BackupIdentity(file=ssh_private))):
        _restore(path, tmp_path / f"r{n}", identity=identity)
        assert (tmp_path / f"r{n}" / "register.sqlite3").is_file()


def test_a_backup_to_a_passphrase_restores_with_it(directory: Path, tmp_path: Path) -> None:
    path = tmp_path / "b.age"
    with Committee.open(directory) as committee:
        backup_committee(committee, path, BackupRecipients(passphrase=_passphrase()), now=NOW)
    # (A wrong passphrase is one more scrypt run: the opaque error is shown for keys.)
    _restore(path, tmp_path / "yes", identity=BackupIdentity(passphrase=_passphrase()))


def _refused(backup: Path, data: bytes, tmp_path: Path) -> type[BaseException]:
    bad = tmp_path / "bad.age"
    bad.write_bytes(data)
    target = tmp_path / "target"
    with pytest.raises(CocHashscreenError) as caught:
        _restore(bad, target)
    # Nothing was written: neither the directory nor anything beside it.
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if "restoring" in p.name]
    return caught.type


def test_a_wrong_key_is_refused_as_one_opaque_error(backup: Path, tmp_path: Path) -> None:
    with pytest.raises(VerificationError, match="backup failed verification"):
        _restore(backup, tmp_path / "target", identity=_key(OTHER))
    assert not (tmp_path / "target").exists()


def test_a_truncated_backup_is_refused(backup: Path, tmp_path: Path) -> None:
    data = backup.read_bytes()
    for length in (len(data) - 1, len(data) - 17, len(data) // 2, 200, len(AGE_MAGIC) + 3):
        assert _refused(backup, data[:length], tmp_path) is VerificationError
    assert _refused(backup, data[:10], tmp_path) is FormatError
    assert _refused(backup, data + b"\0", tmp_path) is VerificationError


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
@example(position=0, bit=0)
@example(position=len(AGE_MAGIC), bit=0)
@example(position=10**9, bit=7)
def test_one_flipped_bit_anywhere_is_refused(
    backup: Path, tmp_path_factory: pytest.TempPathFactory, position: int, bit: int
) -> None:
    data = bytearray(backup.read_bytes())
    position %= len(data)
    data[position] ^= 1 << bit
    tmp_path = tmp_path_factory.mktemp("flip")
    refused = _refused(backup, bytes(data), tmp_path)
    assert refused is (FormatError if position < len(AGE_MAGIC) else VerificationError)


def test_a_file_that_is_not_age_is_named_as_such(directory: Path, tmp_path: Path) -> None:
    for data in ((directory / "committee.trust").read_bytes(), b"", b"PK\x03\x04 a zip"):
        assert _refused(tmp_path / "x", data, tmp_path) is FormatError


def test_a_tar_assembled_by_hand_is_refused(backup: Path, tmp_path: Path) -> None:
    """Right key, but files that are not those the manifest names."""
    plain = pyrage.decrypt(backup.read_bytes(), [MEMBER])
    buffer = io.BytesIO()
    with (
        tarfile.open(fileobj=io.BytesIO(plain)) as source,
        tarfile.open(fileobj=buffer, mode="w") as archive,
    ):
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.endswith("report.key"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            archive.addfile(member, io.BytesIO(data))
    data = pyrage.encrypt(buffer.getvalue(), [MEMBER.to_public()])
    assert _refused(backup, data, tmp_path) is FormatError


def test_restore_refuses_an_existing_committee(
    directory: Path, backup: Path, tmp_path: Path
) -> None:
    before = (directory / "register.sqlite3").read_bytes()
    with pytest.raises(RegisterError, match="not empty"):
        _restore(backup, directory)
    assert (directory / "register.sqlite3").read_bytes() == before
    (tmp_path / "empty").mkdir()
    _restore(backup, tmp_path / "empty")  # an empty directory is fine


def test_a_later_list_raises_the_floor(directory: Path, backup: Path, tmp_path: Path) -> None:
    with Committee.open(directory, passphrase=_passphrase) as committee:
        _publish(committee, tmp_path / "v3.list", rotate=True)
    result = restore_committee(
        backup,
        tmp_path / "restored",
        _key(),
        RestoreOptions(
            latest_lists=(tmp_path / "v3.list",), rng=fixed_rng(b"r"), passphrase=_passphrase
        ),
        now=NOW,
    )
    assert (result.floor_version, result.floor_epoch, result.epoch) == (4, 3, 3)
    with Committee.open(tmp_path / "restored", passphrase=_passphrase) as restored:
        assert _publish(restored, tmp_path / "v4.list") == 4
        assert restored.register.epochs.current().number == 3  # type: ignore[union-attr]


def test_another_committees_list_is_refused(backup: Path, tmp_path: Path) -> None:
    with Committee.init(tmp_path / "other", name="Other", now=NOW) as other:
        _publish(other, tmp_path / "other.list")
    with pytest.raises(CocHashscreenError):
        _restore(backup, tmp_path / "restored", latest_lists=(tmp_path / "other.list",))
    assert not (tmp_path / "restored").exists()


def test_a_backup_expires_with_its_first_record(tmp_path: Path) -> None:
    directory = tmp_path / "committee"
    soon = NOW + timedelta(days=20)
    with Committee.init(directory, name="C", now=NOW) as committee:
        committee.register.records.add(
            NewRecord(Status.FLAGGED, [Identifier("github", "soon")], expires_at=soon), now=NOW
        )
        committee.register.records.add(
            NewRecord(Status.BANNED, [Identifier("github", "stays")]), now=NOW
        )
        result = backup_committee(committee, tmp_path / "b.age", _to(MEMBER), now=NOW)
        assert result.manifest.expires_at == soon
        # Past that, the record is waiting to be expunged: no backup carries it.
        with pytest.raises(RegisterError, match="expunge"):
            backup_committee(committee, tmp_path / "late.age", _to(MEMBER), now=soon)
    with pytest.raises(ExpiredError, match="--expired"):
        restore_committee(tmp_path / "b.age", tmp_path / "r", _key(), now=soon)
    assert not (tmp_path / "r").exists()
    restored = restore_committee(
        tmp_path / "b.age", tmp_path / "r", _key(), RestoreOptions(accept_expired=True), now=soon
    )
    assert restored.expunged.records == 1
    with Committee.open(tmp_path / "r") as committee:
        left = committee.register.records.all()
        assert [i.value for r in left for i in r.identifiers] == ["stays"]


def test_a_backup_lasts_at_most_its_validity(directory: Path, tmp_path: Path) -> None:
    with Committee.open(directory) as committee:
        default = backup_committee(committee, tmp_path / "a.age", _to(MEMBER), now=NOW)
        short = backup_committee(
            committee, tmp_path / "b.age", _to(MEMBER), now=NOW, valid_for=timedelta(days=7)
        )
        with pytest.raises(InputError):
            backup_committee(
                committee, tmp_path / "c.age", _to(MEMBER), now=NOW, valid_for=timedelta(0)
            )
    assert default.manifest.expires_at == NOW + DEFAULT_BACKUP_VALIDITY
    assert short.manifest.expires_at == NOW + timedelta(days=7)


def test_a_backup_of_a_restored_register_keeps_its_floor(backup: Path, tmp_path: Path) -> None:
    _restore(backup, tmp_path / "first")
    with Committee.open(tmp_path / "first") as committee:
        again = backup_committee(committee, tmp_path / "again.age", _to(MEMBER), now=NOW)
    # Epoch 2 was started at the restore; version 3 is the floor, so 2 was the last used.
    assert (again.manifest.latest_version, again.manifest.latest_epoch) == (2, 2)
    second = _restore(tmp_path / "again.age", tmp_path / "second")
    assert (second.floor_version, second.floor_epoch) == (3, 3)  # type: ignore[attr-defined]


def test_recipients_and_identities_are_checked() -> None:
    with pytest.raises(InputError):
        BackupRecipients()
    with pytest.raises(InputError):
        BackupRecipients(("age1notakey",))
    with pytest.raises(InputError):
        BackupRecipients(("ecdsa-sha2-nistp256 AAAA",))
    with pytest.raises(InputError):
        BackupRecipients((str(MEMBER.to_public()),), passphrase=_passphrase())
    with pytest.raises(InputError):
        BackupIdentity()
    assert BackupRecipients.from_lines(f"# keys\n\n{MEMBER.to_public()}\n") == (
        str(MEMBER.to_public()),
    )


def test_a_forgery_from_public_material_is_refused_by_the_private_keys(
    directory: Path, tmp_path: Path
) -> None:
    # An outsider knows the trust file and the keys' public halves, all of
    # them public: around them, a directory of their own with a register of
    # their making. Only the private keys tell it from the committee's.
    forger = tmp_path / "forger"
    protection = cheap_protection("the forger's own passphrase")
    with Committee.init(forger, name="Backup Committee", now=NOW, protection=protection) as c:
        c.register.records.add(
            NewRecord(Status.BANNED, [Identifier("email", "innocent@example.org")]), now=NOW
        )
    (forger / "committee.trust").write_bytes((directory / "committee.trust").read_bytes())
    for name in ("signing.key", "report.key"):
        real = json.loads((directory / name).read_bytes())
        forged = json.loads((forger / name).read_bytes())
        forged["public"] = real["public"]
        (forger / name).write_bytes(dump_json(forged) + b"\n")
    with Committee.open(forger) as c:
        backup_committee(c, tmp_path / "forged.age", _to(MEMBER), now=NOW)
    with pytest.raises(KeyFileError):
        _restore(tmp_path / "forged.age", tmp_path / "restored")
    assert not (tmp_path / "restored").exists()
    assert not list(tmp_path.glob(".restored.restoring-*"))
