"""Japanese names in kana: simplified Hepburn and the long-vowel variants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core._namedata.kana import MAX_VARIANTS, is_kana, kana_romaji, kana_variants

# Frozen with profile v2.
FROZEN = [
    ("さとう", "sato"),
    ("サトウ", "sato"),
    ("ｻﾄｳ", "sato"),
    ("ゆうこ", "yuko"),
    ("おおの", "ono"),
    ("こうじ", "koji"),
    ("しんいち", "shinichi"),
    ("きょうこ", "kyoko"),
    ("ちゅうや", "chuya"),
    ("はっとり", "hattori"),
    ("えいこ", "eiko"),
    ("いいだ", "iida"),
    ("とおる", "toru"),
    ("ゆうき", "yuki"),
    ("りゅうのすけ", "ryunosuke"),
    ("しゅういち", "shuichi"),
    ("じゅんこ", "junko"),
    ("ちひろ", "chihiro"),
    ("つばさ", "tsubasa"),
    ("ふじた", "fujita"),
    ("ぢ", "ji"),
    ("づ", "zu"),
    ("まっちゃ", "matcha"),
    ("いっぺい", "ippei"),
    ("けんいち", "kenichi"),
    ("しんぺい", "shinpei"),
    ("ゐゑを", "ieo"),
    ("ティナ", "tina"),
    ("ファイト", "faito"),
    ("ヴ", "vu"),
    ("ヴァイオリン", "vaiorin"),
    ("ジェシカ", "jeshika"),
    ("チェン", "chen"),
    ("ウィリアム", "wiriamu"),
    ("ディラン", "diran"),
    ("トゥーラ", "tura"),
    ("デューイ", "dyui"),
    ("ツァイ", "tsai"),
    ("ジョージ", "joji"),
    ("マリー", "mari"),
    ("ｶﾞｯｺｳ", "gakko"),
    ("みすゞ", "misuzu"),
    ("おおうち", "ouchi"),
]


@pytest.mark.parametrize(("word", "romaji"), FROZEN)
def test_frozen_romaji(word: str, romaji: str) -> None:
    assert kana_romaji(word) == romaji


def test_katakana_reads_as_hiragana() -> None:
    hiragana = "あいうえおかきくけこがぎぐげごさしすせそたちつてとなにぬねのはひふへほぱぴぷぺぽ"
    katakana = "アイウエオカキクケコガギグゲゴサシスセソタチツテトナニヌネノハヒフヘホパピプペポ"
    assert kana_romaji(hiragana) == kana_romaji(katakana)


def test_is_kana() -> None:
    assert is_kana("さとう")
    assert is_kana("サトウ")
    assert is_kana("ｻﾄｳ")
    assert is_kana("マリー")
    assert not is_kana("")
    assert not is_kana("佐藤")
    assert not is_kana("さとう ゆうこ")
    assert not is_kana("ジョン・スミス")
    assert not is_kana("sato")


def test_non_kana_romanizes_to_nothing() -> None:
    for word in ("", "佐藤", "sato", "さとう1", "김"):
        assert kana_romaji(word) == ""
        assert kana_variants(word) == frozenset()


def test_variants_spell_long_vowels_as_people_do() -> None:
    assert kana_variants("さとう") == {"sato", "satou", "satoh", "satoo"}
    assert kana_variants("ゆうこ") == {"yuko", "yuuko"}
    assert kana_variants("おおの") == {"ono", "oono", "ohno"}
    assert kana_variants("マリー") == {"mari", "marii"}
    assert kana_variants("ジョー") == {"jo", "joo", "joh"}
    assert kana_variants("けいこ") == {"keiko"}


def test_variants_try_one_spelling_throughout_first() -> None:
    variants = kana_variants("こうようこうたろう")
    assert len(variants) == MAX_VARIANTS
    assert {"koyokotaro", "kouyoukoutarou", "kohyohkohtaroh", "kooyookootaroo"} <= variants


_KANA = st.text(
    st.sampled_from(
        [chr(c) for c in range(0x3041, 0x3097)] + [chr(c) for c in range(0x30A1, 0x30FB)] + ["ー"]
    ),
    min_size=1,
    max_size=12,
)


def _ascii(text: str) -> bool:
    return text.isascii() and text.isalpha() and text.islower()


@given(_KANA)
def test_romaji_is_ascii_and_deterministic(word: str) -> None:
    romaji = kana_romaji(word)
    assert romaji == kana_romaji(word)
    assert romaji == "" or _ascii(romaji)
    assert len(romaji) <= 4 * len(word)


@given(_KANA)
def test_variants_are_bounded_and_hold_the_romaji(word: str) -> None:
    variants = kana_variants(word)
    assert len(variants) <= MAX_VARIANTS
    romaji = kana_romaji(word)
    assert (romaji in variants) if romaji else not variants
    assert all(_ascii(v) for v in variants)


@given(st.text(st.characters(max_codepoint=0x303F, codec="utf-8"), max_size=8))
def test_other_scripts_give_nothing(word: str) -> None:
    assert not is_kana(word)
    assert kana_romaji(word) == ""
    assert kana_variants(word) == frozenset()
