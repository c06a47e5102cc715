"""Given-name alternatives: English nicknames and the hypocorisms table."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core._namedata.given_names import (
    MAX_ALTERNATIVES,
    PROVENANCE,
    _cut,
    alternatives,
)
from coc_hashscreen.core._namedata.hypocorisms import GROUPS

TABLE_NAMES = sorted({name for group in GROUPS for name in group})
LOWER_ASCII = re.compile(r"[a-z]+")


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("robert", "bob"),
        ("bob", "robert"),
        ("aleksandr", "sasha"),
        ("sasha", "aleksandr"),
        ("bartlomiej", "bartek"),
        ("bartek", "bartlomiej"),
        ("malgorzata", "gosia"),
        ("francisco", "paco"),
        ("giuseppe", "beppe"),
        ("konstantinos", "kostas"),
        ("johannes", "hannes"),
    ],
)
def test_alternatives_go_both_ways(token: str, expected: str) -> None:
    assert expected in alternatives(token)


def test_a_familiar_form_gives_the_other_familiar_forms_of_its_name() -> None:
    assert {"aleksandr", "shura", "sanya"} <= alternatives("sasha")
    assert {"dmitrii", "dmitry", "mitya"} <= alternatives("dima")


def test_groups_with_the_same_formal_name_are_merged() -> None:
    # José is in the Spanish and the Portuguese block.
    assert {"pepe", "ze"} <= alternatives("jose")
    assert "ze" in alternatives("pepe")
    assert "pepe" in alternatives("ze")


def test_a_familiar_form_of_several_names_gives_all_of_them() -> None:
    assert {"vyacheslav", "yaroslav", "stanislav", "vladislav"} <= alternatives("slava")


def test_english_and_table_alternatives_are_combined() -> None:
    # Anna: English Annie from the package, Russian Anya from the table.
    assert {"annie", "anya"} <= alternatives("anna")


def test_unknown_names_have_no_alternatives() -> None:
    assert alternatives("zzyzx") == frozenset()
    assert alternatives("") == frozenset()


def test_tokens_that_are_not_lower_case_ascii_have_no_alternatives() -> None:
    assert alternatives("Robert") == frozenset()
    assert alternatives("josé") == frozenset()
    assert alternatives("robert smith") == frozenset()


@given(st.sampled_from(TABLE_NAMES))
def test_alternatives_of_table_names_are_bounded_lower_ascii_and_exclude_the_token(
    token: str,
) -> None:
    found = alternatives(token)
    assert found
    assert token not in found
    assert len(found) <= MAX_ALTERNATIVES
    assert all(LOWER_ASCII.fullmatch(name) for name in found)


@given(st.text(max_size=12))
def test_alternatives_of_any_text_are_bounded_lower_ascii_and_exclude_it(token: str) -> None:
    found = alternatives(token)
    assert token not in found
    assert len(found) <= MAX_ALTERNATIVES
    assert all(LOWER_ASCII.fullmatch(name) for name in found)


def test_no_name_in_either_source_has_more_than_the_bound() -> None:
    assert max(len(alternatives(name)) for name in TABLE_NAMES) <= MAX_ALTERNATIVES
    assert len(alternatives("lena")) <= MAX_ALTERNATIVES


def test_the_cut_takes_direct_pairings_first_each_in_sorted_order() -> None:
    direct = [f"d{chr(ord('a') + i)}" for i in range(20)]
    siblings = ["sz", "sy", "sx", "sw", "sv", "su"]
    cut = _cut("token", reversed(direct), siblings)
    assert len(cut) == MAX_ALTERNATIVES
    assert cut == frozenset(direct) | {"su", "sv", "sw", "sx"}


def test_the_cut_drops_the_token_repeats_and_non_ascii_names() -> None:
    assert _cut("bob", ["bob", "rob", "k.c.", "zoë"], ["rob", "robert"]) == {"rob", "robert"}


def test_every_table_entry_is_lower_case_ascii() -> None:
    bad = [name for group in GROUPS for name in group if not LOWER_ASCII.fullmatch(name)]
    assert bad == []


def test_no_group_repeats_a_name() -> None:
    repeated = [group for group in GROUPS if len(set(group)) != len(group)]
    assert repeated == []


def test_every_group_has_a_formal_name_and_a_familiar_form() -> None:
    assert all(len(group) >= 2 for group in GROUPS)


def test_the_table_has_at_least_250_pairs() -> None:
    pairs = {(group[0], form) for group in GROUPS for form in group[1:]}
    assert len(pairs) >= 250


def test_provenance_names_both_sources() -> None:
    assert "nicknames" in PROVENANCE
    assert "Apache-2.0" in PROVENANCE
    assert "hypocorisms" in PROVENANCE
    assert "by hand" in PROVENANCE
