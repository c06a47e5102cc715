"""Cleared name-only matches (`ClearedMatches`) and the common-name mark on list entries."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.committee import Record, merge_entries
from coc_hashscreen.core import PROFILES, Identifier, Status, Strength, canonical
from coc_hashscreen.errors import InputError, InvalidParameters
from coc_hashscreen.formats import EntryPayload
from coc_hashscreen.organizer import ClearedMatches, Hit

from ..helpers import NOW

NAME_HIT = Hit("name", Status.BANNED, Strength.NAME_ONLY, "CASE-7")


@given(st.sampled_from(["Ana Lima", "Lima, Ana", "ANA  LIMA", "Ána Líma"]))
def test_a_cleared_name_covers_its_spellings_under_every_profile(spelling: str) -> None:
    cleared = ClearedMatches().adding("Ana Lima", case_ref="CASE-7", status=Status.BANNED)
    for profile in PROFILES:
        assert cleared.covers(profile, canonical("name", spelling, profile=profile), NAME_HIT)


def test_a_cleared_name_covers_only_its_case_status_and_kind() -> None:
    cleared = ClearedMatches().adding("Ana Lima", case_ref="CASE-7", status=Status.BANNED)
    assert cleared.covers("v2", "ana lima", NAME_HIT)
    assert not cleared.covers("v2", "ana lima", replace(NAME_HIT, status=Status.FLAGGED))
    assert not cleared.covers("v2", "ana lima", replace(NAME_HIT, case_ref="CASE-8"))
    assert not cleared.covers("v2", "ana lim", NAME_HIT)
    strong = Hit("email", Status.BANNED, Strength.STRONG, "CASE-7")
    assert not cleared.covers("v2", "ana lima", strong)


def test_fingerprints_are_keyed_and_hold_no_name() -> None:
    one = ClearedMatches().adding("Ana Lima", case_ref="CASE-7", status=Status.BANNED)
    other = ClearedMatches().adding("Ana Lima", case_ref="CASE-7", status=Status.BANNED)
    # A fresh random key each time: the same name gives other fingerprints.
    assert one.entries[0].fingerprint != other.entries[0].fingerprint
    text = str(one.to_dict()).casefold()
    assert "ana" not in text
    assert "lima" not in text
    assert ClearedMatches.from_dict(one.to_dict()) == one


def test_clearing_is_refused_for_what_is_never_published() -> None:
    with pytest.raises(InputError, match="flagged and banned"):
        ClearedMatches().adding("Ana Lima", case_ref="CASE-7", status=Status.MINOR)
    with pytest.raises(InputError, match="no letters or digits"):
        ClearedMatches().adding("?!", case_ref="CASE-7", status=Status.BANNED)


def test_the_common_mark_round_trips_and_fits_only_name_entries() -> None:
    entry = EntryPayload(Status.FLAGGED, Strength.NAME_ONLY, "CASE-7", common_name=True)
    assert EntryPayload.decode(entry.encode()) == entry
    assert EntryPayload.decode(entry.encode()[:1] + bytes([2]) + entry.encode()[2:]) == (
        EntryPayload(Status.FLAGGED, Strength.NAME_ONLY, "CASE-7")
    )
    with pytest.raises(InvalidParameters):
        EntryPayload(Status.FLAGGED, Strength.STRONG, "CASE-7", common_name=True)


def test_v1_lists_never_carry_the_common_mark() -> None:
    record = Record(
        id=1, status=Status.BANNED, case_ref="CASE-7", created_at=NOW, updated_at=NOW,
        expires_at=None, identifiers=(Identifier("name", "Ana Lima"),), common_name=True,
    )  # fmt: skip
    v1 = merge_entries([record], profile="v1")
    v2 = merge_entries([record], profile="v2")
    assert not any(e.common_name for e in v1.values())
    assert all(e.common_name for e in v2.values())
    assert not any(
        e.common_name for e in merge_entries([replace(record, common_name=False)]).values()
    )
