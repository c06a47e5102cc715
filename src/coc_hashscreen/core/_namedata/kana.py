"""Japanese names written in kana, and their romaji.

The organizer's canonical form is ``kana_romaji``: modified Hepburn with
long vowels simplified (ou, oo → o; uu → u; ー dropped), the way most
Japanese passports and most people write them.  What ``kana_romaji``
returns is frozen with normalization profile v2.  ``kana_variants`` serves
only the committee and may grow.

Sources: modified Hepburn (Kenkyusha's dictionary, 3rd edition, 1954),
except that ん is always n, with no apostrophe before a vowel (しんいち
shinichi), as in passports; っ is written by doubling the consonant (tch
before ch); the extended katakana combinations for loanwords (ティ ti,
ファ fa, ヴァ va) as in the usual Hepburn tables.  Tables compiled by hand.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final

MAX_VARIANTS: Final = 16

_KATAKANA_TO_HIRAGANA: Final = 0x60  # ァ U+30A1 - ぁ U+3041
_LONG: Final = "ー"
_SOKUON: Final = "っ"

# Hiragana, one romaji syllable each.  Katakana is mapped onto these first.
# Hiragana, one romaji syllable each, by rows of the kana table.  Katakana
# is mapped onto these first.
_ROWS: Final = (
    ("あいうえお", ("a", "i", "u", "e", "o")),
    ("かきくけこ", ("ka", "ki", "ku", "ke", "ko")),
    ("さしすせそ", ("sa", "shi", "su", "se", "so")),
    ("たちつてと", ("ta", "chi", "tsu", "te", "to")),
    ("なにぬねの", ("na", "ni", "nu", "ne", "no")),
    ("はひふへほ", ("ha", "hi", "fu", "he", "ho")),
    ("まみむめも", ("ma", "mi", "mu", "me", "mo")),
    ("やゆよ", ("ya", "yu", "yo")),
    ("らりるれろ", ("ra", "ri", "ru", "re", "ro")),
    ("わゐゑをん", ("wa", "i", "e", "o", "n")),
    ("がぎぐげご", ("ga", "gi", "gu", "ge", "go")),
    ("ざじずぜぞ", ("za", "ji", "zu", "ze", "zo")),
    ("だぢづでど", ("da", "ji", "zu", "de", "do")),
    ("ばびぶべぼ", ("ba", "bi", "bu", "be", "bo")),
    ("ぱぴぷぺぽ", ("pa", "pi", "pu", "pe", "po")),
    ("ぁぃぅぇぉ", ("a", "i", "u", "e", "o")),
    ("ゃゅょゎ", ("ya", "yu", "yo", "wa")),
    ("ゔゕゖ", ("vu", "ka", "ke")),
)
_SYLLABLES: Final[Mapping[str, str]] = MappingProxyType(
    {kana: romaji for row, spellings in _ROWS for kana, romaji in zip(row, spellings, strict=True)}
)
# Katakana ヷヸヹヺ have no hiragana counterpart.
_KATAKANA_ONLY: Final[Mapping[str, str]] = MappingProxyType(
    {"ヷ": "va", "ヸ": "vi", "ヹ": "ve", "ヺ": "vo"}
)
_SMALL_Y: Final = frozenset("ゃゅょ")
_SMALL_VOWELS: Final = frozenset("ぁぃぅぇぉ")
_ITERATION: Final[Mapping[str, bool]] = MappingProxyType(
    {"ゝ": False, "ゞ": True, "ヽ": False, "ヾ": True}
)
_VOWELS: Final = frozenset("aeiou")

# How a long vowel may be written after its first vowel, which the syllable
# before already spells (さとう: sato + "", "u", "h" or "o"); canonical first.
_LONG_SPELLINGS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "ou": ("", "u", "h", "o"),
        "oo": ("", "o", "h"),
        "uu": ("", "u"),
        "o-": ("", "o", "h"),
        "u-": ("", "u"),
        "a-": ("", "a"),
        "i-": ("", "i"),
        "e-": ("", "e"),
    }
)


def _is_kana_char(char: str) -> bool:
    return (
        "\u3041" <= char <= "\u3096"
        or "\u30a1" <= char <= "\u30fa"
        or char in _ITERATION
        or char == _LONG
    )


def is_kana(word: str) -> bool:
    """Whether the word is non-empty Hiragana or Katakana (after NFKC, so halfwidth counts)."""
    text = unicodedata.normalize("NFKC", word)
    return bool(text) and all(_is_kana_char(c) for c in text)


def _hiragana(text: str) -> str:
    """Katakana as hiragana, iteration marks spelled out."""
    out: list[str] = []
    for char in text:
        if char in _ITERATION:
            # ゝ repeats the kana before it, ゞ with a dakuten (みすゞ misuzu).
            if out:
                voiced = unicodedata.normalize("NFC", out[-1] + "\u3099")
                out.append(voiced if _ITERATION[char] and len(voiced) == 1 else out[-1])
            continue
        if "\u30a1" <= char <= "\u30f6":
            char = chr(ord(char) - _KATAKANA_TO_HIRAGANA)
        out.append(char)
    return "".join(out)


def _consonant(romaji: str) -> str:
    """The consonant of a syllable ("" for a vowel, n or a mark)."""
    if len(romaji) < 2 or romaji[-1] not in _VOWELS:
        return ""
    return romaji[:-1]


def _combine(previous: str, small: str) -> str | None:
    """A syllable and a following small kana as one syllable (きゃ kya, ファ fa), or None."""
    consonant = _consonant(previous)
    vowel = _SYLLABLES[small]
    if small in _SMALL_Y:
        if not consonant:
            return None
        # しゃ sha, ちゃ cha, じゃ ja: the y is already in sh, ch, j.
        return consonant + (vowel[1:] if consonant in ("sh", "ch", "j") else vowel)
    if previous == "u":
        return "w" + vowel  # ウィ wi, ウェ we, ウォ wo
    if previous == "i" and vowel == "e":
        return "ye"  # イェ
    if consonant in ("k", "g"):
        return consonant + "w" + vowel  # クァ kwa, グァ gwa
    return consonant + vowel if consonant else None


def _syllables(hiragana: str) -> list[str]:
    """Romaji syllables; っ and ー stay as marks."""
    out: list[str] = []
    for char in hiragana:
        if char in (_SOKUON, _LONG):
            out.append(char)
            continue
        if (char in _SMALL_Y or char in _SMALL_VOWELS) and out:
            combined = _combine(out[-1], char)
            if combined is not None:
                out[-1] = combined
                continue
        out.append(_KATAKANA_ONLY.get(char) or _SYLLABLES[char])
    return out


def _long_kind(last_vowel: str, syllable: str) -> str:
    """Which long vowel a bare vowel after ``last_vowel`` makes, or ""."""
    if syllable == "u" and last_vowel in ("o", "u"):
        return last_vowel + "u"
    if syllable == "o" and last_vowel == "o":
        return "oo"
    return ""


def _geminate(syllable: str) -> str:
    # っ doubles the consonant after it, as t before ch (まっちゃ matcha).
    if syllable[0] in _VOWELS:
        return syllable
    return ("t" if syllable.startswith("ch") else syllable[0]) + syllable


def _parts(word: str) -> list[tuple[str, ...]]:
    """The romaji as parts, each its spellings, the canonical one first; [] unless kana."""
    if not is_kana(word):
        return []
    parts: list[tuple[str, ...]] = []
    last_vowel, last_long, sokuon = "", False, False
    for syllable in _syllables(_hiragana(unicodedata.normalize("NFKC", word))):
        if syllable == _SOKUON:
            sokuon = True
            continue
        if syllable == _LONG:
            kind = f"{last_vowel}-" if last_vowel and not last_long else ""
        else:
            # A long vowel is one more vowel: おおうち is o-uchi, not o.
            kind = "" if last_long else _long_kind(last_vowel, syllable)
        if kind:
            parts.append(_LONG_SPELLINGS[kind])
            last_long, sokuon = True, False
            continue
        if syllable == _LONG:
            continue
        parts.append((_geminate(syllable) if sokuon else syllable,))
        last_vowel = syllable[-1] if syllable[-1] in _VOWELS else ""
        last_long, sokuon = False, False
    return parts


def kana_romaji(word: str) -> str:
    """Modified Hepburn with long vowels simplified; "" unless ``is_kana``."""
    return "".join(part[0] for part in _parts(word))


def _choices(parts: list[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    # Each spelling throughout first (all "oh", all doubled), then mixtures.
    for style in range(max(len(part) for part in parts)):
        yield tuple(part[min(style, len(part) - 1)] for part in parts)
    yield from itertools.product(*parts)


def kana_variants(word: str) -> frozenset[str]:
    """Spellings of the word's long vowels people use (ou, oo, oh, o; uu, u; doubled for ー).

    Includes ``kana_romaji(word)``; empty where that is ""; at most
    ``MAX_VARIANTS``.
    """
    parts = _parts(word)
    if not kana_romaji(word):
        return frozenset()
    found: dict[str, None] = {}
    for choice in _choices(parts):
        found.setdefault("".join(choice))
        if len(found) == MAX_VARIANTS:
            break
    return frozenset(found)
