"""Spelling variants: one name as registers and ticketing exports write it."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core._namedata.spellings import (
    GROUPS,
    MAX_ALTERNATIVES,
    collapse,
    spelling_alternatives,
)

_ASCII_WORD = re.compile(r"[a-z]+")
_SPELLINGS = sorted({spelling for group in GROUPS for spelling in group})

spellings = st.sampled_from(_SPELLINGS)
tokens = st.one_of(spellings, st.text(alphabet="abcdefghijklmnopqrstuvwxyz", max_size=12))


def _group_of(token: str) -> set[str]:
    return {s for group in GROUPS if collapse(token) in map(collapse, group) for s in group}


# --- the table


def test_there_are_at_least_150_groups() -> None:
    assert len(GROUPS) >= 150


def test_every_spelling_is_a_lower_case_ascii_word() -> None:
    assert [s for s in _SPELLINGS if not _ASCII_WORD.fullmatch(s)] == []


def test_every_group_holds_at_least_two_spellings_and_fits_the_bound() -> None:
    assert [g for g in GROUPS if not 2 <= len(g) <= MAX_ALTERNATIVES + 1] == []


def test_no_group_holds_two_spellings_that_differ_only_by_a_doubled_letter() -> None:
    # The canonical form collapses doubled letters: such a pair already agrees.
    pairs = [
        (a, b) for group in GROUPS for a, b in combinations(group, 2) if collapse(a) == collapse(b)
    ]
    assert pairs == []


def test_no_spelling_is_in_two_groups() -> None:
    seen: dict[str, int] = {}
    twice = []
    for number, group in enumerate(GROUPS):
        for spelling in group:
            key = collapse(spelling)
            if seen.setdefault(key, number) != number:
                twice.append(spelling)
    assert twice == []


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("john", "jon"),  # two names, not two spellings
        ("michael", "mikhail"),  # a translation
        ("joseph", "youssef"),
        ("robert", "bob"),  # a nickname: another module's
        ("jasmine", "yasmin"),
        ("ali", "alan"),
    ],
)
def test_different_names_are_not_joined(left: str, right: str) -> None:
    assert right not in spelling_alternatives(left)
    assert left not in spelling_alternatives(right)


# --- spelling_alternatives


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("katherine", {"catherine", "kathryn", "katharine", "catharine"}),
        ("steven", {"stephen"}),
        ("sarah", {"sara"}),
        ("muhammad", {"mohammed", "mohammad", "muhammed"}),
        ("hussain", {"hussein", "hossein"}),
        ("youssef", {"yusuf", "yousif"}),
        ("fatima", {"fatimah", "fatma"}),
        ("aisha", {"ayesha", "aicha"}),
        ("abdullah", {"abdallah", "abdulla"}),
        ("khaled", {"khalid"}),
        ("umar", {"omar"}),
        ("mostafa", {"mustafa", "moustafa"}),
        ("aleksandr", {"alexander", "oleksandr"}),
        ("yevgeny", {"evgeny", "evgenii"}),
        ("chaudhry", {"chowdhury", "choudhury"}),
        ("mueller", {"muller"}),
        ("rodrigues", {"rodriguez"}),
        ("mcdonald", {"macdonald"}),
    ],
)
def test_a_spelling_gives_the_others_of_its_name(token: str, expected: set[str]) -> None:
    assert expected <= spelling_alternatives(token)


def test_a_token_is_found_with_or_without_its_doubled_letters() -> None:
    assert spelling_alternatives("mohamed") == spelling_alternatives("mohammed")
    assert "muhammad" in spelling_alternatives("mohamed")
    # "Hasan" and "Hassan" already agree; the group gives the French-influenced forms.
    assert spelling_alternatives("hasan") == {"hassane", "hacene"}


def test_a_token_in_no_group_has_no_alternatives() -> None:
    assert spelling_alternatives("ali") == frozenset()
    assert spelling_alternatives("zxq") == frozenset()
    assert spelling_alternatives("") == frozenset()


def test_a_token_that_is_not_lower_case_ascii_has_no_alternatives() -> None:
    assert spelling_alternatives("Sarah") == frozenset()
    assert spelling_alternatives("sárah") == frozenset()
    assert spelling_alternatives("sarah smith") == frozenset()


def test_spellings_that_collapse_to_the_token_are_not_alternatives() -> None:
    # "mohammed" collapses to "mohamed": no new key, so not offered.
    assert all(collapse(s) != "mohamed" for s in spelling_alternatives("mohamed"))


@given(tokens)
def test_alternatives_are_bounded_lower_case_ascii_and_never_the_token(token: str) -> None:
    found = spelling_alternatives(token)
    assert len(found) <= MAX_ALTERNATIVES
    assert all(_ASCII_WORD.fullmatch(s) for s in found)
    assert token not in found
    assert collapse(token) not in {collapse(s) for s in found}


@given(spellings)
def test_alternatives_are_the_rest_of_the_group(token: str) -> None:
    rest = {s for s in _group_of(token) if collapse(s) != collapse(token)}
    assert spelling_alternatives(token) == rest


@given(spellings, spellings)
def test_alternatives_are_symmetric(left: str, right: str) -> None:
    assert (right in spelling_alternatives(left)) == (left in spelling_alternatives(right))


@given(tokens)
def test_alternatives_are_deterministic(token: str) -> None:
    assert spelling_alternatives(token) == spelling_alternatives(token)


def test_a_token_in_two_groups_gets_both_merged_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from coc_hashscreen.core._namedata import spellings as module

    groups = (("anna", "hanna", "ana"), ("hanna", "hannah", "ana"))
    monkeypatch.setattr(module, "GROUPS", groups)
    monkeypatch.setattr(module, "_INDEX", module._index(groups))
    # "anna" and "ana" collapse alike: one of them, the first seen, is offered.
    assert spelling_alternatives("hana") == {"anna", "hannah"}
    assert spelling_alternatives("hannah") == {"hanna", "ana"}
