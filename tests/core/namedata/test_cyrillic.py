from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from unidecode import unidecode

from coc_hashscreen.core._namedata.cyrillic import SCHEMES, romanizations, romanize

ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўђјљњћџѓќѕ"
cyrillic_words = st.text(st.sampled_from(ALPHABET), min_size=1, max_size=14).filter(
    lambda word: word.strip("ь") != ""
)


def _unidecoded(word: str) -> str:
    return re.sub("[^a-z]", "", unidecode(word).lower())


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("щукин", "shchukin"),
        ("юлия", "iuliia"),
        ("пётр", "petr"),
        ("андрей", "andrei"),
        ("объедков", "obieedkov"),  # ъ is "ie" on passports since 2013
        ("цветков", "tsvetkov"),
        ("ксения", "kseniia"),
        ("хабаров", "khabarov"),
    ],
)
def test_icao_follows_doc_9303(word: str, expected: str) -> None:
    assert romanize(word, "icao") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("андреев", "andreyev"),  # е after a vowel
        ("евгений", "yevgeniy"),  # е at the start
        ("ёлкин", "yolkin"),
        ("пётр", "pyotr"),
        ("юлия", "yuliya"),
        ("ильич", "ilich"),  # ь is dropped in plain ASCII
        ("объедков", "obyedkov"),  # е after ъ
        ("крылов", "krylov"),
    ],
)
def test_bgn_pcgn_writes_ye_at_the_start_and_after_vowels_and_signs(
    word: str, expected: str
) -> None:
    assert romanize(word, "bgn_pcgn") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        # Examples from the resolution's own table.
        ("андрій", "andrii"),
        ("борщагівка", "borshchahivka"),
        ("ганна", "hanna"),
        ("ґалаґан", "galagan"),
        ("єнакієве", "yenakiieve"),
        ("яготин", "yahotyn"),
        ("юрій", "yurii"),
        ("їжакевич", "yizhakevych"),
        ("йосипівка", "yosypivka"),
        ("стрий", "stryi"),
        ("олексіївка", "oleksiivka"),
        ("знам'янка", "znamianka"),
        ("ігор", "ihor"),
    ],
)
def test_ukrainian_2010_has_its_own_word_initial_forms(word: str, expected: str) -> None:
    assert romanize(word, "ukrainian_2010") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("шевченко", "schewtschenko"),
        ("жуков", "schukow"),
        ("хабаров", "chabarow"),
        ("цветков", "zwetkow"),
        ("щукин", "schtschukin"),
        ("горбачёв", "gorbatschow"),  # ё after a hushing consonant is o
        ("евгений", "jewgeni"),
        ("андреев", "andrejew"),
        ("василий", "wassili"),  # s between vowels is doubled
        ("юлия", "julija"),
        ("зайцев", "saizew"),  # й after a vowel is i: "Nikolai", "Sergei"
        ("николай", "nikolai"),
    ],
)
def test_german_spellings_are_those_of_the_duden(word: str, expected: str) -> None:
    assert romanize(word, "german") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("христо", "hristo"),
        ("щерев", "shterev"),
        ("търново", "tarnovo"),
        ("софия", "sofia"),
        ("стоянов", "stoyanov"),
    ],
)
def test_bulgarian_2009_reads_sht_and_a(word: str, expected: str) -> None:
    assert romanize(word, "bulgarian_2009") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ђорђе", "djordje"),
        ("љубиша", "ljubisa"),
        ("његош", "njegos"),
        ("ћирић", "ciric"),
        ("џаковић", "dzakovic"),
        ("ѓорѓи", "gjorgji"),  # Macedonian
        ("ќосе", "kjose"),
    ],
)
def test_serbian_and_macedonian_latin_lose_only_their_diacritics(word: str, expected: str) -> None:
    assert romanize(word, "serbian_latin") == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("жуков", "zukov"), ("хабаров", "xabarov"), ("щукин", "scukin"), ("юлия", "julija")],
)
def test_scholarly_is_ascii_without_the_hachek_not_zh(word: str, expected: str) -> None:
    assert romanize(word, "scholarly") == expected


@pytest.mark.parametrize(
    ("word", "spellings"),
    [
        ("Пётр", {"petr", "pyotr", "piotr", "pjotr"}),
        ("Иванов", {"ivanov", "iwanow"}),
        ("Евгений", {"evgenii", "yevgeniy", "evgeny", "yevgeny", "jewgeni", "evgeniy"}),
        ("Юлия", {"iuliia", "yuliya", "yulia", "julia", "julija"}),
        ("Щукин", {"shchukin", "schukin", "schtschukin"}),
        ("Хабаров", {"khabarov", "habarov", "chabarow"}),
        ("Шевченко", {"shevchenko", "schewtschenko"}),
        ("Олександр", {"oleksandr"}),
        ("Ігор", {"ihor", "igor"}),
        ("Жуков", {"zhukov", "schukow"}),
        ("Цветков", {"tsvetkov", "tzvetkov", "zwetkow"}),
        ("Ксения", {"kseniia", "kseniya", "ksenia", "xenia"}),
        ("Горбачёв", {"gorbachev", "gorbachyov", "gorbatschow"}),
        ("Дмитрий", {"dmitrii", "dmitriy", "dmitry", "dmitri"}),
        ("Дарья", {"daria", "darya", "darja"}),
        ("Наталья", {"natalia", "natalya", "natalja"}),
        ("Мар'яна", {"mariana", "maryana"}),
    ],
)
def test_the_spellings_people_use_are_offered(word: str, spellings: set[str]) -> None:
    assert spellings <= romanizations(word)


def test_every_scheme_output_survives_the_bound() -> None:
    word = "константинопольский"
    found = romanizations(word)
    assert {romanize(word, scheme) for scheme in SCHEMES} <= found
    assert len(found) <= 64


def test_languages_are_not_read_with_letters_they_lack() -> None:
    # Russian ё, ы, э, ъ rule out a Ukrainian reading, as in "horbachyov".
    assert not any(spelling.startswith("h") for spelling in romanizations("горбачёв"))
    # And ё rules out Bulgarian, whose ъ is a vowel, "a".
    assert not any("a" in spelling[2:4] for spelling in romanizations("объёмов"))


def test_stress_marks_apostrophes_and_capitals_do_not_change_the_spellings() -> None:
    assert romanizations("Мари́я") == romanizations("мария")
    assert romanizations("ПЁТР") == romanizations("пётр")
    assert romanizations("Мар’яна") == romanizations("мар'яна")


def test_decomposed_letters_are_read_as_their_composed_forms() -> None:
    assert romanizations("и\u0306ошкар") == romanizations("йошкар")
    assert romanizations("пе\u0308тр") == romanizations("пётр")


@pytest.mark.parametrize("word", ["ivanov", "Ivanоv", "иван-петров", "", "123", "Γιώργος"])
def test_words_not_wholly_cyrillic_have_no_spellings(word: str) -> None:
    assert romanizations(word) == frozenset()
    assert romanize(word, "icao") == ""


def test_other_cyrillic_letters_get_unidecodes_reading_alone() -> None:
    assert romanizations("әлия") == {_unidecoded("әлия")}


def test_an_unknown_scheme_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown romanization scheme 'iso9'"):
        romanize("иван", "iso9")


def test_the_cut_at_the_bound_does_not_depend_on_hash_seeds() -> None:
    code = (
        "from coc_hashscreen.core._namedata.cyrillic import romanizations;"
        "print(sorted(romanizations('евгений')))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1


def test_a_ten_letter_word_takes_well_under_a_millisecond() -> None:
    best = min(_timed("шевченкова", 50) for _ in range(5))
    assert best < 0.001


def _timed(word: str, times: int) -> float:
    start = time.perf_counter()
    for _ in range(times):
        romanizations(word)
    return (time.perf_counter() - start) / times


@given(cyrillic_words)
def test_spellings_are_few_ascii_letters_and_never_none(word: str) -> None:
    found = romanizations(word)
    assert 1 <= len(found) <= 64
    assert all(re.fullmatch("[a-z]+", spelling) for spelling in found)


@given(cyrillic_words)
def test_unidecodes_reading_is_always_there_with_and_without_yo(word: str) -> None:
    found = romanizations(word)
    for form in (word, word.replace("ё", "е")):
        assert _unidecoded(form) in found or not _unidecoded(form)


@given(cyrillic_words)
def test_spellings_are_deterministic_and_hold_every_scheme(word: str) -> None:
    found = romanizations(word)
    assert romanizations(word) == found
    assert {romanize(word, scheme) for scheme in SCHEMES} - {""} <= found | _foreign(word)


def _foreign(word: str) -> set[str]:
    # The schemes skipped for letters their language lacks.
    return {romanize(word, "ukrainian_2010"), romanize(word, "bulgarian_2009")}


@given(st.text(st.characters(max_codepoint=0x3FF)))
def test_text_without_cyrillic_has_no_spellings(text: str) -> None:
    assert romanizations(text) == frozenset()
