"""A committee's epoch names its profile: v1 epochs keep screening under v1, new ones use v2."""

from __future__ import annotations

from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import KDF_PROFILES, HpkePrivateKey, Identifier, Status
from coc_hashscreen.organizer import MemoryState, Screener, ScreenerOptions

from ..helpers import NOW

NAMES = ["Hugh Herr", "Hugh", "Bob Smith", "Jörg Müller", "Joerg Mueller"]


def _screen_names(tmp_path: Path, names: list[str]) -> tuple[str, set[str]]:
    committee = Committee.init(tmp_path / "committee", name="Profiles", now=NOW)
    with committee:
        for listed in ("Hugh Herr", "Robert Smith", "Jörg Müller"):
            committee.register.records.add(
                NewRecord(status=Status.BANNED, identifiers=[Identifier("name", listed)]),
                now=NOW,
            )
        committee.publish(tmp_path / "list", PublishOptions(kdf=KDF_PROFILES["test-only"]), now=NOW)
        organizer = HpkePrivateKey.generate()
        committee.grant(GrantRequest(organizer.public_key, "Conf"), tmp_path / "grant", now=NOW)
        screener = Screener.load(
            hashed_list=tmp_path / "list",
            grant=tmp_path / "grant",
            organizer_key=organizer,
            trust=committee.paths.trust,
            options=ScreenerOptions(state=MemoryState(), now=NOW),
        )
        report = screener.screen([{"name": name} for name in names])
    return report.list.profile, {names[m.index - 1] for m in report.matches}


def test_new_committees_publish_v2_lists(tmp_path: Path) -> None:
    profile, matched = _screen_names(tmp_path, NAMES)
    assert profile == "v2"
    # "Hugh" alone is no longer "Hugh Herr"; nicknames and umlaut spellings are.
    assert matched == {"Hugh Herr", "Bob Smith", "Jörg Müller", "Joerg Mueller"}


def test_an_epoch_begun_under_v1_still_screens_under_v1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A register from the previous release: its epoch was started with v1.
    monkeypatch.setattr("coc_hashscreen.committee._epochs.PROFILE", "v1")
    profile, matched = _screen_names(tmp_path, NAMES)
    assert profile == "v1"
    # v1 drops "herr" as an honorific, and knows no nicknames or spellings.
    assert matched == {"Hugh Herr", "Hugh", "Jörg Müller"}
