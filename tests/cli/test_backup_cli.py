"""``committee backup`` and ``committee restore``, as a keeper hands the register over."""

from __future__ import annotations

import json
from pathlib import Path

import pyrage
import pytest

from .test_cli import Setup, run, setup

__all__ = ["setup"]


def _member(tmp: Path, name: str) -> tuple[Path, Path]:
    """An age key pair as ``age-keygen`` writes it: identity file (0600) and public key."""
    identity = pyrage.x25519.Identity.generate()
    secret = tmp / f"{name}.txt"
    secret.write_text(f"# public key: {identity.to_public()}\n{identity}\n", encoding="utf-8")
    secret.chmod(0o600)
    public = tmp / f"{name}.pub"
    public.write_text(f"{identity.to_public()}\n", encoding="utf-8")
    return secret, public


def test_hand_over_then_publish_and_the_organizer_accepts_the_next_list(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    old_key, old_pub = _member(setup.tmp, "keeper")
    new_key, new_pub = _member(setup.tmp, "next-keeper")
    assert run(capsys, *setup.screen())[0] == 0  # the organizer has seen version 1
    backup = setup.tmp / "handover.age"
    code, out, _ = run(
        capsys, "committee", "backup", setup.committee, "-o", backup,
        "-R", new_pub, "-r", old_pub.read_text().strip(),
    )  # fmt: skip
    assert code == 0
    assert "encrypted to 2 recipient(s)" in out
    assert "Delete this backup by " in out
    restored = setup.tmp / "restored"
    code, out, err = run(
        capsys, "committee", "restore", backup, restored, "-i", new_key, "--format", "json"
    )
    assert code == 0
    result = json.loads(out)
    assert (result["floor_version"], result["floor_epoch"], result["epoch"]) == (2, 2, 2)
    assert "added after the backup was taken are not in it" in err
    # The new keeper publishes; the organizer's grant for the new epoch comes with it.
    listed = setup.tmp / "next.list"
    code, out, _ = run(capsys, "committee", "publish", restored, "-o", listed)
    assert code == 0
    assert "Published version 2 of epoch 2" in out
    (grant,) = (restored / "grants" / "epoch-2").iterdir()
    code, out, err = run(
        capsys, "screen", setup.csv, "--list", listed, "--grant", grant,
        "--key", setup.organizer, "--trust", setup.trust, "--state", setup.state,
    )  # fmt: skip
    assert code == 0, err  # accepted: no rollback, no fork
    code, out, _ = run(capsys, "trust", "list", "--state", setup.state, "--format", "json")
    assert json.loads(out)[0]["list_version"] == 2
    # The old keeper's key opens it too.
    code, out, _ = run(capsys, "committee", "restore", backup, setup.tmp / "r2", "-i", old_key)
    assert code == 0
    assert "The next publish is version 2 or later, in epoch 2 or later" in out


def test_restore_refusals_are_one_line_with_their_exit_codes(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    key, pub = _member(setup.tmp, "member")
    other, _ = _member(setup.tmp, "other")
    backup = setup.tmp / "b.age"
    assert run(capsys, "committee", "backup", setup.committee, "-o", backup, "-R", pub)[0] == 0
    target = setup.tmp / "target"
    damaged = setup.tmp / "damaged.age"
    damaged.write_bytes(backup.read_bytes()[:-5])
    cases = [
        ((backup, target, "-i", other), 4, "failed verification"),
        ((damaged, target, "-i", key), 4, "failed verification"),
        ((setup.listed, target, "-i", key), 6, "not an age-encrypted file"),
        ((backup, setup.committee, "-i", key), 7, "not empty"),
        ((backup, target), 2, "give the identity file"),
    ]
    for argv, expected, message in cases:
        code, _, err = run(capsys, "committee", "restore", *argv)
        assert (code, message in err) == (expected, True), err
        assert len([line for line in err.splitlines() if "error" in line]) == 1
        assert not target.exists()


def test_backup_needs_keys_or_a_passphrase(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "committee", "backup", setup.committee, "-o", setup.tmp / "b")
    assert (code, "public keys" in err) == (2, True)
    code, _, err = run(
        capsys, "committee", "backup", setup.committee, "-o", setup.tmp / "b", "-r", "age1bad"
    )
    assert (code, "not a valid age or SSH public key" in err) == (3, True)
    assert not (setup.tmp / "b").exists()


def test_a_backup_to_a_passphrase_file(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    secret = setup.tmp / "backup-passphrase.txt"
    secret.write_text("a backup passphrase\n", encoding="utf-8")
    secret.chmod(0o600)
    backup = setup.tmp / "b.age"
    code, out, _ = run(
        capsys, "committee", "backup", setup.committee, "-o", backup,
        "--backup-passphrase-file", secret,
    )  # fmt: skip
    assert (code, "encrypted to a passphrase" in out) == (0, True)
    code, _, _ = run(
        capsys, "committee", "restore", backup, setup.tmp / "r", "--backup-passphrase-file", secret
    )
    assert code == 0


def test_a_backup_never_replaces_a_file_by_accident_nor_lands_in_the_directory(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    _, pub = _member(setup.tmp, "member")
    register = setup.committee / "register.sqlite3"
    before = register.read_bytes()
    for target in (register, setup.committee / "b.age"):
        code, _, err = run(
            capsys, "committee", "backup", setup.committee, "-o", target, "-R", pub, "--force"
        )
        assert code == 3
        assert "inside the committee directory" in err
    assert register.read_bytes() == before
    assert not (setup.committee / "b.age").exists()
    existing = setup.tmp / "kept.age"
    existing.write_bytes(b"an earlier backup")
    code, _, err = run(capsys, "committee", "backup", setup.committee, "-o", existing, "-R", pub)
    assert (code, "exists; name a new file" in err) == (2, True)
    assert existing.read_bytes() == b"an earlier backup"
    code, out, _ = run(
        capsys, "committee", "backup", setup.committee, "-o", existing, "-R", pub, "--force"
    )
    assert code == 0
    assert existing.read_bytes() != b"an earlier backup"
    # The setup's keys are encrypted; the line says what the backup holds.
    assert "the private keys in it are still under their passphrase" in out
    code, _, err = run(
        capsys, "committee", "backup", setup.committee, "-o", setup.tmp / "no" / "b.age",
        "-R", pub,
    )  # fmt: skip
    assert code == 3
    assert "is not a directory; create it first" in err


def test_a_backup_of_another_committee_is_refused_against_the_published_fingerprint(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    key, pub = _member(setup.tmp, "member")
    # Anyone who knows a member's public key can make a backup: here of a
    # committee directory of their own, passed off as the real one.
    forger = setup.tmp / "forger"
    assert run(capsys, "committee", "init", forger, "--name", "CLI Committee")[0] == 0
    forged = setup.tmp / "forged.age"
    assert run(capsys, "committee", "backup", forger, "-o", forged, "-R", pub)[0] == 0
    genuine = setup.tmp / "genuine.age"
    assert run(capsys, "committee", "backup", setup.committee, "-o", genuine, "-R", pub)[0] == 0
    code, out, _ = run(capsys, "committee", "info", setup.committee, "--format", "json")
    published = json.loads(out)["trust_fingerprint"]
    target = setup.tmp / "restored"
    code, _, err = run(
        capsys, "committee", "restore", forged, target, "-i", key, "--fingerprint", published
    )
    assert code == 5
    assert "was not made from your committee; do not restore it" in err
    assert not target.exists()
    code, out, _ = run(
        capsys, "committee", "restore", genuine, target, "-i", key,
        "--fingerprint", " ".join(published[i : i + 4] for i in range(0, 32, 4)),
    )  # fmt: skip
    assert code == 0
    assert "Trust fingerprint: " in out
