"""Replacing the report key, keeping the old one for reports sealed to it, renewing trust."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee
from coc_hashscreen.errors import MismatchError, RegisterError
from coc_hashscreen.formats import open_sealed_report, read_trust, seal_report

from ..helpers import NOW, sample_report


def test_the_report_key_is_replaced_and_the_old_one_kept(tmp_path: Path) -> None:
    directory = tmp_path / "committee"
    with Committee.init(directory, name="C", now=NOW) as committee:
        old_trust = committee.trust
        old_report_key = committee.report_key()
        # An organizer seals a report with the trust file it has.
        sealed_before = seal_report(sample_report(), trust=old_trust)
        new_trust = committee.rotate_signing_key(now=NOW, report_key=True)
        assert new_trust.generation == 2
        assert new_trust.report_key != old_trust.report_key
        assert new_trust.report_key == committee.report_key().public_key
        assert new_trust.fingerprint != old_trust.fingerprint
        # A thief holding the old report key cannot open what is sealed from now on.
        sealed_after = seal_report(sample_report(), trust=new_trust)
        with pytest.raises(MismatchError):
            open_sealed_report(sealed_after, old_report_key)
        # Both reports still open at intake: the old one with the retired key.
        before = committee.intake(sealed_before, now=NOW)
        after = committee.intake(sealed_after, now=NOW)
        assert not before.duplicate
        assert not after.duplicate
    (retired,) = (directory / "retired-report-keys").iterdir()
    assert stat.S_IMODE(retired.stat().st_mode) == 0o600
    assert old_report_key.key_id.hex()[:16] in retired.name
    assert read_trust(directory / "committee.trust").report_key == new_trust.report_key


def test_an_interrupted_report_key_rotation_is_completed_on_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "committee"
    with Committee.init(directory, name="C", now=NOW) as committee:
        old_key = committee.report_key()
        calls = []
        real_replace = os.replace

        def crash(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
            # The power goes when the first pending key would replace the old one.
            if os.fspath(src).endswith(".next"):
                calls.append(src)
                raise OSError("power cut")
            real_replace(src, dst)

        monkeypatch.setattr(os, "replace", crash)
        with pytest.raises(OSError, match="power cut"):
            committee.rotate_signing_key(now=NOW, report_key=True)
        monkeypatch.undo()
    assert calls  # the trust file was replaced, the keys were not
    with Committee.open(directory) as reopened:
        assert reopened.trust.generation == 2
        assert reopened.report_key().public_key == reopened.trust.report_key
        assert not (directory / "report.key.next").exists()
        assert not (directory / "signing.key.next").exists()
    (retired,) = (directory / "retired-report-keys").iterdir()
    assert old_key.key_id.hex()[:16] in retired.name


def test_renewing_keeps_generation_and_fingerprint(tmp_path: Path) -> None:
    with Committee.init(tmp_path / "c", name="C", now=NOW) as committee:
        before = committee.trust
        after = committee.renew_trust(now=NOW + timedelta(days=300))
    assert (after.generation, after.fingerprint) == (before.generation, before.fingerprint)
    assert after.expires_at == NOW + timedelta(days=665)


def test_a_key_past_its_lifetime_must_be_rotated_not_renewed(tmp_path: Path) -> None:
    with Committee.init(tmp_path / "c", name="C", now=NOW) as committee:
        committee.rotate_signing_key(now=NOW)
        with pytest.raises(RegisterError, match="rotate-key"):
            committee.renew_trust(now=NOW + timedelta(days=6 * 365))
        committee.rotate_signing_key(now=NOW + timedelta(days=6 * 365))


def test_a_format_1_committee_trust_file_is_renewed(tmp_path: Path) -> None:
    import json

    vectors = json.loads((Path(__file__).parents[1] / "vectors" / "formats-v1.json").read_text())
    with Committee.init(tmp_path / "c", name="C", now=NOW) as committee:
        pass
    # A directory made by the previous release: its key with a format-1 trust file.
    directory = tmp_path / "c"
    (directory / "signing.key").write_text(vectors["signing_key_file"], encoding="utf-8")
    os.chmod(directory / "signing.key", 0o600)
    (directory / "committee.trust").write_bytes(bytes.fromhex(vectors["trust_gen1"]))
    with Committee.open(directory) as committee:
        assert committee.trust.format_version == 1
        renewed = committee.renew_trust(now=NOW)
    assert read_trust(directory / "committee.trust").format_version == 2
    assert renewed.series == committee.series
