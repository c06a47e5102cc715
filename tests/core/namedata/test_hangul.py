"""Korean names in Hangul: Revised Romanization and the surname table."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core._namedata.hangul import (
    MAX_VARIANTS,
    SURNAMES,
    hangul_name,
    hangul_variants,
    is_hangul,
    romanize_rr,
)

# RR by the Unicode names of the conjoining jamo, written out from the
# notice's tables independently of the module's index arithmetic.
_JAMO_RR = {
    "CHOSEONG": {
        "KIYEOK": "g", "SSANGKIYEOK": "kk", "NIEUN": "n", "TIKEUT": "d",
        "SSANGTIKEUT": "tt", "RIEUL": "r", "MIEUM": "m", "PIEUP": "b",
        "SSANGPIEUP": "pp", "SIOS": "s", "SSANGSIOS": "ss", "IEUNG": "",
        "CIEUC": "j", "SSANGCIEUC": "jj", "CHIEUCH": "ch", "KHIEUKH": "k",
        "THIEUTH": "t", "PHIEUPH": "p", "HIEUH": "h",
    },
    "JUNGSEONG": {
        "A": "a", "AE": "ae", "YA": "ya", "YAE": "yae", "EO": "eo", "E": "e",
        "YEO": "yeo", "YE": "ye", "O": "o", "WA": "wa", "WAE": "wae", "OE": "oe",
        "YO": "yo", "U": "u", "WEO": "wo", "WE": "we", "WI": "wi", "YU": "yu",
        "EU": "eu", "YI": "ui", "I": "i",
    },
    "JONGSEONG": {
        "KIYEOK": "k", "SSANGKIYEOK": "k", "KIYEOK-SIOS": "k", "NIEUN": "n",
        "NIEUN-CIEUC": "n", "NIEUN-HIEUH": "n", "TIKEUT": "t", "RIEUL": "l",
        "RIEUL-KIYEOK": "k", "RIEUL-MIEUM": "m", "RIEUL-PIEUP": "l",
        "RIEUL-SIOS": "l", "RIEUL-THIEUTH": "l", "RIEUL-PHIEUPH": "p",
        "RIEUL-HIEUH": "l", "MIEUM": "m", "PIEUP": "p", "PIEUP-SIOS": "p",
        "SIOS": "t", "SSANGSIOS": "t", "IEUNG": "ng", "CIEUC": "t",
        "CHIEUCH": "t", "KHIEUKH": "k", "THIEUTH": "t", "PHIEUPH": "p", "HIEUH": "t",
    },
}  # fmt: skip

_ALL_SYLLABLES = [chr(code) for code in range(0xAC00, 0xD7A4)]


def _ascii(text: str) -> bool:
    return text.isascii() and text.isalpha() and text.islower()


def _rr_from_names(syllable: str) -> str:
    out = []
    for jamo in unicodedata.normalize("NFD", syllable):
        _, position, name = unicodedata.name(jamo).split(" ", 2)
        out.append(_JAMO_RR[position][name])
    return "".join(out)


def test_every_syllable_romanizes_as_its_jamo() -> None:
    for syllable in _ALL_SYLLABLES:
        rr = romanize_rr(syllable)
        assert _ascii(rr), syllable
        assert rr == _rr_from_names(syllable), syllable


@pytest.mark.parametrize(
    ("hangul", "rr"),
    [
        ("서연", "seoyeon"),
        ("민준", "minjun"),
        ("지훈", "jihun"),
        ("수빈", "subin"),
        ("하은", "haeun"),
        ("영희", "yeonghui"),
        ("철수", "cheolsu"),
        ("지우", "jiu"),
        ("예린", "yerin"),
        ("도윤", "doyun"),
        ("은채", "eunchae"),
        ("태민", "taemin"),
        ("광수", "gwangsu"),
        ("꽃님", "kkotnim"),
    ],
)
def test_given_names_romanize_per_syllable(hangul: str, rr: str) -> None:
    assert romanize_rr(hangul) == rr


def test_no_sound_change_between_syllables() -> None:
    # The notice's own examples for personal names: 복남 is not "bongnam".
    assert romanize_rr("복남") == "boknam"
    assert romanize_rr("빛나") == "bitna"
    assert romanize_rr("신라") == "sinra"


def test_final_consonants_take_their_final_values() -> None:
    assert [romanize_rr(s) for s in "각낟랄맙밧앙잦찿캌탙팦핳"] == [
        "gak", "nat", "ral", "map", "bat", "ang", "jat",
        "chat", "kak", "tat", "pap", "hat",
    ]  # fmt: skip


def test_is_hangul_takes_only_precomposed_syllables() -> None:
    assert is_hangul("김서연")
    assert not is_hangul("")
    assert not is_hangul("김 서연")
    assert not is_hangul("\u1100\u1175\u11b7")  # 김 as conjoining jamo
    assert not is_hangul("\u3131")  # ㄱ, a compatibility jamo
    assert not is_hangul("kim")


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("김서연", ("kim", "seoyeon")),
        ("이민준", ("lee", "minjun")),
        ("박지훈", ("park", "jihun")),
        ("최수빈", ("choi", "subin")),
        ("정하은", ("jung", "haeun")),
        ("류현진", ("ryu", "hyeonjin")),
        ("유재석", ("yoo", "jaeseok")),
        ("남궁민", ("namgung", "min")),
        ("제갈성렬", ("jegal", "seongryeol")),
        ("선우용녀", ("sunwoo", "yongnyeo")),
        ("김철", ("kim", "cheol")),
        ("빈우진", ("bin", "ujin")),  # a surname not in the table: RR
    ],
)
def test_hangul_name(word: str, name: tuple[str, str]) -> None:
    assert hangul_name(word) == name


def test_two_syllable_surname_needs_a_given_name() -> None:
    # 남궁 alone is 남 with the given name 궁.
    assert hangul_name("남궁") == ("nam", "gung")
    assert hangul_name("선우") == ("sun", "u")


def test_hangul_name_is_none_outside_two_to_four_syllables() -> None:
    for word in ("김", "김서연서연", "", "kim", "김 서연", "金瑞延", "김서연1"):
        assert hangul_name(word) is None


def test_surname_spellings_are_lower_case_ascii() -> None:
    for surname, spellings in SURNAMES.items():
        assert is_hangul(surname)
        assert 1 <= len(surname) <= 2
        assert spellings
        assert len(set(spellings)) == len(spellings)
        assert all(_ascii(s) for s in spellings)


def test_variants_include_the_canonical_and_usual_spellings() -> None:
    variants = hangul_variants("박정희")
    assert ("park", "jeonghui") in variants
    assert ("park", "jeong", "hui") in variants
    assert ("park", "junghee") in variants  # popular
    assert ("pak", "chonghui") in variants  # McCune–Reischauer
    assert ("kim", "taejung") in hangul_variants("김대중")  # MR voicing
    assert ("lee", "younghee") in hangul_variants("이영희")
    assert ("kim", "minjoon") in hangul_variants("김민준")


def test_variants_of_a_two_syllable_surname_include_the_other_split() -> None:
    variants = hangul_variants("선우진")
    assert ("sunwoo", "jin") in variants
    assert ("sun", "ujin") in variants


def test_variants_are_empty_where_there_is_no_name() -> None:
    assert hangul_variants("김") == frozenset()
    assert hangul_variants("kim") == frozenset()


_HANGUL_WORDS = st.text(st.sampled_from(_ALL_SYLLABLES), min_size=1, max_size=6)


@given(_HANGUL_WORDS)
def test_name_is_ascii_and_deterministic(word: str) -> None:
    name = hangul_name(word)
    assert name == hangul_name(word)
    if name is None:
        assert not 2 <= len(word) <= 4
        return
    for token in name:
        assert _ascii(token)


@given(_HANGUL_WORDS)
def test_variants_are_bounded_ascii_and_hold_the_name(word: str) -> None:
    variants = hangul_variants(word)
    assert len(variants) <= MAX_VARIANTS
    name = hangul_name(word)
    assert (name in variants) if name else not variants
    for variant in variants:
        assert all(_ascii(t) for t in variant)


@given(st.text(st.characters(codec="utf-8"), max_size=6))
def test_other_scripts_give_nothing(word: str) -> None:
    if is_hangul(word):
        return
    assert hangul_name(word) is None
    assert romanize_rr(word) == ""
    assert hangul_variants(word) == frozenset()
