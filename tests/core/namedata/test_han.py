"""Chinese names in Han characters: canonical pinyin and Latin variants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core._namedata.han import (
    COMPOUND_SURNAMES,
    MAX_VARIANTS,
    SURNAME_READINGS,
    han_name,
    han_variants,
)

# Frozen with profile v2: a change here is a change of canonical form, and
# also catches a unidecode release that changes its Han readings.
FROZEN = [
    ("王小明", ("wang", "xiaoming")),
    ("王明", ("wang", "ming")),
    ("欧阳娜娜", ("ouyang", "nana")),
    ("歐陽娜娜", ("ouyang", "nana")),
    ("曾国藩", ("zeng", "guofan")),
    ("单田芳", ("shan", "tianfang")),
    ("單田芳", ("shan", "tianfang")),
    ("张伟", ("zhang", "wei")),
    ("張偉", ("zhang", "wei")),
    ("李娜", ("li", "na")),
    ("刘德华", ("liu", "dehua")),
    ("劉德華", ("liu", "dehua")),
    ("诸葛亮", ("zhuge", "liang")),
    ("司马迁", ("sima", "qian")),
    ("司馬遷", ("sima", "qian")),
    ("尉迟恭", ("yuchi", "gong")),
    ("万俟卨", ("moqi", "xie")),
    ("长孙无忌", ("zhangsun", "wuji")),
    ("上官婉儿", ("shangguan", "waner")),
    ("解缙", ("xie", "jin")),
    ("仇英", ("qiu", "ying")),
    ("朴树", ("piao", "shu")),
    ("区志雄", ("ou", "zhixiong")),
    ("覃斌", ("qin", "bin")),
    ("翟志刚", ("zhai", "zhigang")),
    ("叶问", ("ye", "wen")),
    ("沈从文", ("shen", "congwen")),
    ("宁静", ("ning", "jing")),
    ("万里", ("wan", "li")),
    ("毛泽东", ("mao", "zedong")),
    ("周恩来", ("zhou", "enlai")),
    ("黄晓明", ("huang", "xiaoming")),
    ("陈方安生", ("chen", "fangansheng")),
]


@pytest.mark.parametrize(("word", "name"), FROZEN)
def test_frozen_names(word: str, name: tuple[str, str]) -> None:
    assert han_name(word) == name


def test_given_names_of_different_length_differ() -> None:
    assert han_name("王小明") != han_name("王明")
    assert han_name("王小明")[1] != han_name("王明")[1]  # type: ignore[index]


def test_compound_surname_needs_a_given_name() -> None:
    # Two characters are always one surname and one given name.
    assert han_name("欧阳") == ("ou", "yang")
    assert han_name("司马") == ("si", "ma")


def test_compatibility_ideographs_read_as_their_unified_forms() -> None:
    assert han_name("\uf9a8王") == han_name("令王")  # 令 U+F9A8


def test_none_outside_two_to_four_han_characters() -> None:
    for word in ("王", "王小明明明", "", "wang", "王 明", "王ming", "王〇", "김서연", "さとう"):
        assert han_name(word) is None


def test_none_for_characters_without_a_reading() -> None:
    # Extension B: unidecode has no reading, and dropping the character
    # would give 王𠀀明 the canonical form of 王明.
    assert han_name("王\U00020000明") is None
    assert han_variants("王\U00020000明") == frozenset()


def test_tables_are_consistent() -> None:
    assert len(COMPOUND_SURNAMES) >= 36
    for surname in COMPOUND_SURNAMES:
        assert len(surname) == 2
        assert surname in SURNAME_READINGS
    for surname, reading in SURNAME_READINGS.items():
        assert 1 <= len(surname) <= 2
        assert _ascii(reading)


def test_variants_hold_joined_and_split_given_names() -> None:
    variants = han_variants("王小明")
    assert ("wang", "xiaoming") in variants
    assert ("wang", "xiao", "ming") in variants
    assert ("wong", "xiaoming") in variants


def test_variants_hold_usual_non_pinyin_surnames() -> None:
    assert {("chan", "ming"), ("chen", "ming"), ("tan", "ming")} <= han_variants("陳明")
    assert ("cheung", "ming") in han_variants("张明")
    assert ("hsieh", "ming") in han_variants("謝明")
    assert ("auyeung", "na", "na") in han_variants("欧阳娜娜")
    assert ("ou", "yang", "nana") in han_variants("欧阳娜娜")


def test_variants_of_a_compound_hold_the_other_split() -> None:
    assert ("yue", "zhenghua") in han_variants("乐正华")
    assert ("yuezheng", "hua") in han_variants("乐正华")


def test_variants_are_empty_where_there_is_no_name() -> None:
    assert han_variants("王") == frozenset()
    assert han_variants("wang") == frozenset()


_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_WORDS = st.text(_HAN, min_size=1, max_size=6)


def _ascii(token: str) -> bool:
    return token.isascii() and token.isalpha() and token.islower()


@given(_WORDS)
def test_name_is_ascii_deterministic_and_sized(word: str) -> None:
    name = han_name(word)
    assert name == han_name(word)
    if name is not None:
        assert 2 <= len(word) <= 4
        assert all(_ascii(token) for token in name)


@given(_WORDS)
def test_variants_are_bounded_ascii_and_hold_the_name(word: str) -> None:
    variants = han_variants(word)
    assert len(variants) <= MAX_VARIANTS
    name = han_name(word)
    assert (name in variants) if name else not variants
    for variant in variants:
        assert all(_ascii(token) for token in variant)


@given(_HAN, _HAN)
def test_one_more_given_character_changes_the_given_name(b: str, c: str) -> None:
    short, long = han_name("王" + b), han_name("王" + b + c)
    if short is not None and long is not None:
        assert short != long


@given(st.text(st.characters(exclude_categories=("Cs", "Lo")), max_size=6))
def test_other_scripts_give_nothing(word: str) -> None:
    assert han_name(word) is None
    assert han_variants(word) == frozenset()
