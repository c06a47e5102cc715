from __future__ import annotations

import re
import time
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from unidecode import unidecode

from coc_hashscreen.core._namedata.greek import SCHEMES, romanizations, romanize

ALPHABET = "αβγδεζηθικλμνξοπρστυφχψωςάέήίόύώϊϋΐΰ"
greek_words = st.text(st.sampled_from(ALPHABET), min_size=1, max_size=14)


def _unidecoded(word: str) -> str:
    return re.sub("[^a-z]", "", unidecode(word).lower())


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Ευάγγελος", "evangelos"),  # ευ before a vowel, γγ
        ("Αικατερίνη", "aikaterini"),
        ("Ευθύμιος", "efthymios"),  # ευ before a voiceless consonant
        ("Αύγουστος", "avgoustos"),
        ("Ναύπλιο", "nafplio"),
        ("Μπάμπης", "bampis"),  # b at the start, mp inside
        ("Ντίνος", "dinos"),
        ("Γκίκας", "gikas"),
        ("Αγκάθι", "agkathi"),
        ("Σφίγξ", "sfinx"),
        ("Αγχίαλος", "anchialos"),
        ("Ψαρά", "psara"),
        ("Ξάνθη", "xanthi"),
        ("Ζάκυνθος", "zakynthos"),
        ("Θεσσαλονίκη", "thessaloniki"),
        ("Χανιά", "chania"),
        ("Ευρώπη", "evropi"),
        ("Παπαδόπουλος", "papadopoulos"),
        ("Γιώργος", "giorgos"),
    ],
)
def test_elot_743_transcribes_digraphs_by_their_sound(word: str, expected: str) -> None:
    assert romanize(word, "elot743") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Χρήστος", "hristos"),
        ("Γιάννης", "yiannis"),
        ("Αικατερίνη", "ekaterini"),
        ("Κωνσταντίνος", "konstandinos"),
        ("Ευθύμιος", "efthimios"),
    ],
)
def test_the_phonetic_scheme_spells_as_greeks_say_it(word: str, expected: str) -> None:
    assert romanize(word, "phonetic") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Φίλιππος", "philippos"),
        ("Βαρβάρα", "barbara"),
        ("Ευάγγελος", "euangelos"),
        ("Αθηνά", "athena"),
    ],
)
def test_the_classical_scheme_keeps_the_learned_forms(word: str, expected: str) -> None:
    assert romanize(word, "classical") == expected


@pytest.mark.parametrize(
    ("word", "spellings"),
    [
        ("Γιώργος", {"giorgos", "yiorgos", "yorgos"}),
        ("Δημήτρης", {"dimitris", "demetris"}),
        ("Χρήστος", {"christos", "hristos", "xristos"}),
        ("Παπαδόπουλος", {"papadopoulos", "papadopulos"}),
        ("Κωνσταντίνος", {"konstantinos", "constantinos"}),
        ("Αικατερίνη", {"aikaterini", "ekaterini"}),
        ("Ευάγγελος", {"evangelos", "euangelos"}),
        ("Γιάννης", {"giannis", "yiannis", "yannis"}),
        ("Μπάμπης", {"babis", "bambis", "mpampis"}),  # passports print MP
        ("Σοφία", {"sofia", "sophia"}),
        ("Γεώργιος", {"georgios", "yeorgios"}),
        ("Βασίλης", {"vasilis", "basilis"}),
    ],
)
def test_the_spellings_people_use_are_offered(word: str, spellings: set[str]) -> None:
    assert spellings <= romanizations(word)


def test_different_names_are_not_made_alike() -> None:
    # Γεώργιος and Γιώργος, Αικατερίνη and Κατερίνα are different names.
    assert "georgios" not in romanizations("Γιώργος")
    assert "katerina" not in romanizations("Αικατερίνη")


def test_a_diaeresis_or_an_accent_on_the_first_vowel_keeps_two_vowels_apart() -> None:
    assert romanize("Αΐδα", "phonetic") == "aida"  # not "eda"
    assert romanize("ρολόι", "phonetic") == "roloi"  # not "roli"
    assert romanize("άυλος", "elot743") == "aylos"
    assert romanize("Εύα", "elot743") == "eva"  # an accent on the second keeps the pair
    assert romanize("Ευφροσύνη", "elot743") == "effrosyni"  # as passports print it


def test_final_sigma_capitals_and_polytonic_marks_do_not_change_the_spellings() -> None:
    assert romanizations("ΓΙΩΡΓΟΣ") == romanizations("γιώργοσ") == romanizations("Γιώργος")
    assert romanizations("Ὅμηρος") == romanizations("όμηρος")


def test_every_scheme_output_survives_the_bound() -> None:
    word = "Χατζηχριστοδουλόπουλος"
    found = romanizations(word)
    assert {romanize(word, scheme) for scheme in SCHEMES} <= found
    assert len(found) <= 64


@pytest.mark.parametrize("word", ["Giorgos", "Γiorgos", "Γιώργος-Νίκος", "", "Пётр"])
def test_words_not_wholly_greek_have_no_spellings(word: str) -> None:
    assert romanizations(word) == frozenset()
    assert romanize(word, "elot743") == ""


def test_archaic_letters_get_unidecodes_reading_alone() -> None:
    assert romanizations("ϝανακτ") == {_unidecoded("ϝανακτ")} - {""}


def test_an_unknown_scheme_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown romanization scheme 'greeklish'"):
        romanize("Νίκος", "greeklish")


def test_a_ten_letter_word_takes_well_under_a_millisecond() -> None:
    best = min(_timed("Θεσσαλονίκ", 50) for _ in range(5))
    assert best < 0.001


def _timed(word: str, times: int) -> float:
    start = time.perf_counter()
    for _ in range(times):
        romanizations(word)
    return (time.perf_counter() - start) / times


@given(greek_words)
def test_spellings_are_few_ascii_letters_and_never_none(word: str) -> None:
    found = romanizations(word)
    assert 1 <= len(found) <= 64
    assert all(re.fullmatch("[a-z]+", spelling) for spelling in found)


@given(greek_words)
def test_unidecodes_reading_is_always_there(word: str) -> None:
    assert _unidecoded(word) in romanizations(word)


@given(greek_words)
def test_spellings_are_deterministic_and_hold_every_scheme(word: str) -> None:
    found = romanizations(word)
    assert romanizations(word) == found
    assert {romanize(word, scheme) for scheme in SCHEMES} <= found


@given(st.text(st.characters(max_codepoint=0x36F)))
def test_text_without_greek_has_no_spellings(text: str) -> None:
    # The micro sign is Greek mu once compatibility-normalized, as every
    # name is: it counts as Greek.
    assume(not any(unicodedata.name(c, "").startswith("GREEK") for c in _nfkc(text)))
    assert romanizations(text) == frozenset()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_the_micro_sign_reads_as_greek_mu() -> None:
    assert "m" in romanizations("\u00b5")
