"""Names in Arabic script and their usual Latin spellings."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core._namedata.arabic import (
    ARABIC_NAMES,
    MAX_SPELLINGS,
    _fold_arabic,
    arabic_name_key,
    arabic_spellings,
    is_arabic,
)
from coc_hashscreen.core._namedata.spellings import GROUPS, collapse

_ASCII_WORD = re.compile(r"[a-z]+")

names = st.sampled_from(sorted(ARABIC_NAMES))
# Arabic letters, marks and tatweel, Persian and Urdu letters, and some Latin.
words = st.one_of(
    names,
    names.map(lambda name: "ال" + name),
    st.text(
        alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from("a "),
        max_size=10,
    ),
)


# --- is_arabic


@pytest.mark.parametrize(
    "word", ["محمد", "أَحْمَد", "فاطمة", "حسین", "پرویز", "چودھری", "گل", "ٹیپو", "عـلي"]
)
def test_arabic_persian_and_urdu_words_are_arabic(word: str) -> None:
    assert is_arabic(word)


@pytest.mark.parametrize("word", ["", "ahmad", "محمد1", "محمدx", "١٢٣", "ـــ", "محمد،", "مح مد"])
def test_other_words_are_not_arabic(word: str) -> None:
    assert not is_arabic(word)


# --- the table and its folding


def test_there_are_about_120_names_or_more() -> None:
    assert len(ARABIC_NAMES) >= 120


@given(names)
def test_every_key_is_arabic_script_after_folding(name: str) -> None:
    assert is_arabic(_fold_arabic(name))


@given(names)
def test_every_name_has_lower_case_ascii_spellings_within_the_bound(name: str) -> None:
    spellings = ARABIC_NAMES[name]
    assert 1 <= len(spellings) <= MAX_SPELLINGS
    assert all(_ASCII_WORD.fullmatch(s) for s in spellings)
    assert len(set(spellings)) == len(spellings)


def test_no_two_keys_fold_to_one_word() -> None:
    folded = Counter(_fold_arabic(name) for name in ARABIC_NAMES)
    assert [word for word, count in folded.items() if count > 1] == []


def test_the_spellings_of_a_name_are_not_split_across_spelling_groups() -> None:
    where = {collapse(s): n for n, group in enumerate(GROUPS) for s in group}
    split = {}
    for name, spellings in ARABIC_NAMES.items():
        groups = {where[collapse(s)] for s in spellings if collapse(s) in where}
        if len(groups) > 1:
            split[name] = groups
    assert split == {}


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("آمنة", "امنه"),
        ("مصطفى", "مصطفي"),
        ("مُحَمَّد", "محمد"),
        ("عـــلي", "علي"),
        ("مؤمن", "مومن"),
        ("وائل", "وايل"),
        ("عبد الله", "عبدالله"),
    ],
)
def test_folding_drops_marks_and_reads_variant_letters_alike(written: str, folded: str) -> None:
    assert _fold_arabic(written) == folded


@given(words)
def test_folding_is_idempotent(word: str) -> None:
    once = _fold_arabic(word)
    assert _fold_arabic(once) == once


# --- arabic_spellings


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("محمد", {"muhammad", "mohammed", "mohamed", "mohammad"}),
        ("أحمد", {"ahmad", "ahmed"}),
        ("احمد", {"ahmad", "ahmed"}),
        ("علي", {"ali"}),
        ("علی", {"ali"}),  # Persian ye, read as Arabic ya: not listed as written
        ("حسن", {"hassan", "hasan"}),
        ("حسين", {"hussein", "hussain", "husain", "hossein"}),
        ("فاطمة", {"fatima", "fatimah", "fatma"}),
        ("فاطمه", {"fatima", "fatimah", "fatma"}),
        ("عبدالله", {"abdullah", "abdallah", "abdulla"}),
        ("عبد الله", {"abdullah", "abdallah", "abdulla"}),
        ("يوسف", {"yusuf", "youssef", "yousef"}),
        ("عمر", {"omar", "umar"}),
        ("خالد", {"khalid", "khaled"}),
        ("مصطفى", {"mustafa", "mostafa"}),
        ("مصطفي", {"mustafa", "mostafa"}),
        ("إبراهيم", {"ibrahim", "ebrahim"}),
        ("ابراهيم", {"ibrahim", "ebrahim"}),
        ("ليلى", {"layla", "leila"}),
        ("ال", {"al", "el"}),
        ("بن", {"bin", "ben"}),
        ("ابن", {"ibn"}),
        ("عبد", {"abd", "abdul", "abdel"}),
        ("أبو", {"abu", "abou"}),
    ],
)
def test_a_listed_word_gives_its_latin_spellings(word: str, expected: set[str]) -> None:
    assert expected <= arabic_spellings(word)


def test_persian_spellings_have_their_own_entry() -> None:
    assert arabic_name_key("حسین") == "hossein"
    assert arabic_name_key("حسين") == "hussein"
    assert "parviz" in arabic_spellings("پرویز")


def test_the_article_joined_to_a_name_gives_al_el_and_the_name_alone() -> None:
    assert arabic_spellings("الحسن") == {
        "hassan", "hasan", "alhassan", "alhasan", "elhassan", "elhasan",
    }  # fmt: skip


def test_the_article_joined_to_a_long_listed_name_stays_within_the_bound() -> None:
    found = arabic_spellings("المحمد")
    assert len(found) == MAX_SPELLINGS
    # The name alone comes first, so it is never cut.
    assert set(ARABIC_NAMES["محمد"]) <= found


def test_the_article_joined_to_an_unknown_word_or_a_particle_gives_nothing() -> None:
    assert arabic_spellings("الزبرجد") == frozenset()
    assert arabic_spellings("البن") == frozenset()


def test_a_listed_name_that_starts_like_the_article_is_read_as_listed() -> None:
    # إلياس folds to الياس; it is Ilyas, not al- + ياس.
    assert arabic_spellings("إلياس") == set(ARABIC_NAMES["إلياس"])


@pytest.mark.parametrize("word", ["", "ahmad", "زبرجد", "١٢٣", "محمدی"])
def test_an_unlisted_word_gives_nothing(word: str) -> None:
    assert arabic_spellings(word) == frozenset()


@given(words)
def test_spellings_are_bounded_lower_case_ascii(word: str) -> None:
    found = arabic_spellings(word)
    assert len(found) <= MAX_SPELLINGS
    assert all(_ASCII_WORD.fullmatch(s) for s in found)


# --- arabic_name_key


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("محمد", "muhammad"),
        ("مُحَمَّد", "muhammad"),
        ("أحمد", "ahmad"),
        ("علي", "ali"),
        ("حسن", "hassan"),
        ("فاطمة", "fatima"),
        ("عبد الله", "abdullah"),
        ("يوسف", "yusuf"),
        ("إبراهيم", "ibrahim"),
    ],
)
def test_the_key_is_the_first_listed_spelling(word: str, key: str) -> None:
    assert arabic_name_key(word) == key


@pytest.mark.parametrize("word", ["", "زبرجد", "الحسن", "ahmad"])
def test_an_unlisted_word_has_no_key(word: str) -> None:
    assert arabic_name_key(word) is None


@given(words)
def test_the_key_is_one_of_the_spellings(word: str) -> None:
    key = arabic_name_key(word)
    if key is not None:
        assert key in arabic_spellings(word)
