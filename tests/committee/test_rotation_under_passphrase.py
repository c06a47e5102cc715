"""Key rotations of a committee whose keys are under a passphrase (ADR 0012, ADR 0015).

A rotation must not leave a new key, or a retired report key, in clear on
the disk of a committee that chose a passphrase; finishing an interrupted
rotation must not need the passphrase; and changing the passphrase must
reach the retired report keys too, or a thief of the disk would open old
reports with the old passphrase.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee
from coc_hashscreen.core import KeyPurpose
from coc_hashscreen.errors import KeyFileError, WrongPassphrase
from coc_hashscreen.formats import (
    Passphrase,
    PassphraseSource,
    load_private_key,
    private_key_info,
    save_private_key,
    seal_report,
)

from ..helpers import NOW, TEST_PASSPHRASE, cheap_protection, sample_report


def _source(text: str = TEST_PASSPHRASE) -> PassphraseSource:
    passphrase = Passphrase.from_text(text)
    return lambda: passphrase


def _locked(tmp_path: Path) -> Path:
    directory = tmp_path / "committee"
    with Committee.init(directory, name="Locked", now=NOW, protection=cheap_protection()):
        pass
    return directory


def _key_files(directory: Path) -> list[Path]:
    return [
        directory / "signing.key",
        directory / "report.key",
        *sorted((directory / "retired-report-keys").glob("*.key")),
    ]


def test_a_rotation_keeps_every_key_under_the_passphrase(tmp_path: Path) -> None:
    directory = _locked(tmp_path)
    with Committee.open(directory, passphrase=_source()) as committee:
        sealed_before = seal_report(sample_report(), trust=committee.trust)
        committee.rotate_signing_key(now=NOW, report_key=True)
    files = _key_files(directory)
    assert len(files) == 3
    for path in files:
        assert json.loads(path.read_bytes())["format"] == 2, path.name
    # The report sealed to the retired key still opens, with the passphrase.
    with Committee.open(directory, passphrase=_source()) as committee:
        assert not committee.intake(sealed_before, now=NOW).duplicate
    # Without it, nothing opens: not even the retired key.
    with Committee.open(directory) as committee, pytest.raises(KeyFileError, match="encrypted"):
        committee.intake(sealed_before, now=NOW)


def test_an_interrupted_rotation_is_finished_without_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = _locked(tmp_path)
    real_replace = os.replace

    def crash(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if os.fspath(src).endswith(".next"):
            raise OSError("power cut")
        real_replace(src, dst)

    with Committee.open(directory, passphrase=_source()) as committee:
        monkeypatch.setattr(os, "replace", crash)
        with pytest.raises(OSError, match="power cut"):
            committee.rotate_signing_key(now=NOW, report_key=True)
        monkeypatch.undo()

    def refuse() -> Passphrase:
        raise AssertionError("finishing a rotation asked for the passphrase")

    with Committee.open(directory, passphrase=refuse) as reopened:
        assert reopened.trust.generation == 2
    info = private_key_info(directory / "report.key", purpose=KeyPurpose.COMMITTEE_REPORTS)
    assert info.encrypted
    assert info.public == reopened.trust.report_key.raw
    assert not list(directory.glob("*.next"))


def test_a_new_passphrase_reaches_the_retired_report_keys(tmp_path: Path) -> None:
    directory = _locked(tmp_path)
    with Committee.open(directory, passphrase=_source()) as committee:
        committee.rotate_signing_key(now=NOW, report_key=True)
        committee.change_passphrase(cheap_protection("a brand new passphrase"))
    (retired,) = (directory / "retired-report-keys").glob("*.key")
    with pytest.raises(WrongPassphrase):
        load_private_key(
            retired,
            purpose=KeyPurpose.COMMITTEE_REPORTS,
            passphrase=_source(),
        )
    key = load_private_key(
        retired,
        purpose=KeyPurpose.COMMITTEE_REPORTS,
        passphrase=_source("a brand new passphrase"),
    )
    assert (
        key.public_key.raw == private_key_info(retired, purpose=KeyPurpose.COMMITTEE_REPORTS).public
    )


def test_a_rotation_after_an_interrupted_passphrase_change_is_refused(tmp_path: Path) -> None:
    """Adding a passphrase writes report.key first: a crash then leaves it
    encrypted beside a signing.key in clear.  A rotation must not take
    "as signing.key is" and write the new report key in clear."""
    directory = tmp_path / "committee"
    with Committee.init(directory, name="Half", now=NOW):
        pass
    report = load_private_key(directory / "report.key", purpose=KeyPurpose.COMMITTEE_REPORTS)
    save_private_key(
        directory / "report.key",
        report,
        purpose=KeyPurpose.COMMITTEE_REPORTS,
        name="Half",
        protection=cheap_protection(),
    )
    trust_before = (directory / "committee.trust").read_bytes()
    with (
        Committee.open(directory, passphrase=_source()) as committee,
        pytest.raises(KeyFileError, match="run 'committee passphrase' again"),
    ):
        committee.rotate_signing_key(now=NOW, report_key=True)
    assert (directory / "committee.trust").read_bytes() == trust_before
    info = private_key_info(directory / "report.key", purpose=KeyPurpose.COMMITTEE_REPORTS)
    assert info.encrypted
    assert info.public == report.public_key.raw
