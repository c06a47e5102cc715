"""Key files: round trips, private modes, and refusals that never show a key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from coc_hashscreen.core import HpkePrivateKey, KeyPurpose, SigningKey, Suite
from coc_hashscreen.errors import KeyFileError
from coc_hashscreen.formats import (
    load_private_key,
    load_public_key,
    load_signing_key,
    save_private_key,
    save_public_key,
    save_signing_key,
)


@pytest.mark.parametrize("suite", list(Suite))
def test_key_files_round_trip(tmp_path: Path, suite: Suite) -> None:
    key = HpkePrivateKey.generate(suite)
    save_private_key(tmp_path / "org.key", key, purpose=KeyPurpose.ORGANIZER, name="PyCon")
    save_public_key(
        tmp_path / "org.pub", key.public_key, purpose=KeyPurpose.ORGANIZER, name="PyCon"
    )
    assert stat.S_IMODE(os.stat(tmp_path / "org.key").st_mode) == 0o600
    loaded = load_private_key(tmp_path / "org.key", purpose=KeyPurpose.ORGANIZER)
    assert loaded.public_key == key.public_key
    public = load_public_key(tmp_path / "org.pub", purpose=KeyPurpose.ORGANIZER)
    assert (public.key, public.name, public.purpose) == (
        key.public_key,
        "PyCon",
        KeyPurpose.ORGANIZER,
    )


def test_signing_key_file(tmp_path: Path) -> None:
    key = SigningKey.generate()
    save_signing_key(tmp_path / "signing.key", key, name="Committee")
    assert stat.S_IMODE(os.stat(tmp_path / "signing.key").st_mode) == 0o600
    assert load_signing_key(tmp_path / "signing.key").public_bytes == key.public_bytes


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644, 0o700])
def test_private_key_refused_when_others_can_read(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "org.key"
    save_private_key(path, HpkePrivateKey.generate(), purpose=KeyPurpose.ORGANIZER, name="x")
    os.chmod(path, mode)
    if mode & 0o077:
        with pytest.raises(KeyFileError, match=r"chmod 600"):
            load_private_key(path, purpose=KeyPurpose.ORGANIZER)
    else:
        load_private_key(path, purpose=KeyPurpose.ORGANIZER)


def test_wrong_purpose_and_kind_of_file(tmp_path: Path) -> None:
    key = HpkePrivateKey.generate()
    save_private_key(tmp_path / "r.key", key, purpose=KeyPurpose.COMMITTEE_REPORTS, name="c")
    save_public_key(tmp_path / "o.pub", key.public_key, purpose=KeyPurpose.ORGANIZER, name="o")
    save_signing_key(tmp_path / "s.key", SigningKey.generate(), name="c")
    with pytest.raises(KeyFileError, match="committee-reports key, not the organizer key"):
        load_private_key(tmp_path / "r.key", purpose=KeyPurpose.ORGANIZER)
    with pytest.raises(KeyFileError, match="is a private key file; the public key file is needed"):
        load_public_key(tmp_path / "r.key")
    with pytest.raises(
        KeyFileError, match="is a public key file; the organizer private key is needed"
    ):
        load_private_key(tmp_path / "o.pub", purpose=KeyPurpose.ORGANIZER)
    with pytest.raises(KeyFileError, match="committee-signing key"):
        load_private_key(tmp_path / "s.key", purpose=KeyPurpose.ORGANIZER)
    with pytest.raises(KeyFileError, match="not the committee-reports"):
        load_public_key(tmp_path / "o.pub", purpose=KeyPurpose.COMMITTEE_REPORTS)


def test_private_key_errors_never_show_the_key(tmp_path: Path) -> None:
    key = HpkePrivateKey.generate()
    path = tmp_path / "org.key"
    save_private_key(path, key, purpose=KeyPurpose.ORGANIZER, name="o")
    with pytest.raises(KeyFileError) as info:
        load_public_key(path)
    assert key.private_bytes().hex() not in str(info.value)


def test_not_a_key_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    os.chmod(path, 0o600)
    with pytest.raises(KeyFileError, match="not a coc-hashscreen key file"):
        load_private_key(path, purpose=KeyPurpose.ORGANIZER)
    with pytest.raises(KeyFileError, match="not a coc-hashscreen key file"):
        load_public_key(path)
