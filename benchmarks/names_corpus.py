"""A labelled corpus of name pairs that a careful human screener would flag.

Each pair is (register spelling, attendee spelling, category): how a Code of
Conduct committee wrote a person's name down, and how a ticketing export
spelled the same person.  The people are invented; the differences are the
kind that happen between a register and an export.  The corpus was written
by hand, independently of the normalization rules it measures, so that it
tests them rather than restates them.

The categories, in the order the benchmark prints them:

formatting
    spacing, punctuation, "Last, First", tabs, quotes, pronouns or a role
    after the name
case
    upper, lower and mixed case, Turkish dotted and dotless i, ß as SS
accents
    diacritics present on one side only
word_order
    surname first without a comma
honorifics
    titles, honorifics and suffixes (Dr., Prof. Dr., Jr., III, PhD,
    Dipl.-Ing., Mag., Avv., pani, Sra.)
homoglyphs
    Cyrillic, Greek, Cherokee and Armenian look-alike letters inside Latin
    names; zero-width and other invisible characters
english_nicknames
    English nicknames and their full names, both directions
hypocorisms
    Russian, Spanish, Polish, German, Italian, Portuguese, Czech, Ukrainian,
    Dutch, Hungarian and Greek short forms
special_letters
    ö/oe, ß/ss, ø/oe, å/aa, æ/ae, þ/th, ð/d, ş/s/sh, ç/c/ch, ł/l, đ/dj,
    ñ/n/ny, ő/oe
middle_names
    middle names present, absent or initialised
compound_surnames
    Spanish and Portuguese names with one or two surnames, "y", "e"
hyphenation
    hyphenated, joined and spaced given names and surnames
chinese
    Han characters and pinyin, Wade-Giles and Cantonese spellings, given
    name joined, split or hyphenated, surname first or last, simplified
    and traditional characters
korean
    Hangul and romanizations (Kim/Gim, Lee/Yi/Rhee, Park/Bak, Choi/Choe),
    given name joined, hyphenated or split
japanese
    kanji and kana against romaji; long vowels as ū, uu, ou, oh or u
cyrillic
    Russian, Ukrainian, Bulgarian and Serbian names in Cyrillic against
    their romanizations, ё as e or yo, patronymics
greek
    Greek script against romanizations, phonetic spellings (μπ as b, ευ as
    ef, οι as i)
arabic
    Arabic script against romanizations, variant spellings, al-/el-, bin/ibn
indian_initials
    South Indian initials before or after the given name, or expanded
particles
    van der, de la, von, di, dell', ter, zu, le, da: joined, dropped, sorted
o_mac
    O'/Mc/Mac: apostrophes, spaces, case, Mc for Mac
polish_feminine
    feminine -ska/-cka/-dzka against the masculine -ski/-cki/-dzki
typos
    one-letter typos, doubled letters, spelling variants of one name
unicode_normalization
    fullwidth and half-width forms, NFD against NFC, ligatures,
    mathematical and small-capital letters, digraph code points
mojibake
    UTF-8 read as Windows-1252
"""

from __future__ import annotations

from typing import Final, NamedTuple

from _names_corpus_latin import PAIRS as _LATIN
from _names_corpus_world import PAIRS as _WORLD

__all__ = ["CATEGORIES", "PAIRS", "Pair"]

CATEGORIES: Final = (
    "formatting",
    "case",
    "accents",
    "word_order",
    "honorifics",
    "homoglyphs",
    "english_nicknames",
    "hypocorisms",
    "special_letters",
    "middle_names",
    "compound_surnames",
    "hyphenation",
    "chinese",
    "korean",
    "japanese",
    "cyrillic",
    "greek",
    "arabic",
    "indian_initials",
    "particles",
    "o_mac",
    "polish_feminine",
    "typos",
    "unicode_normalization",
    "mojibake",
)


class Pair(NamedTuple):
    """One person as the register and as an attendee list spell them."""

    register: str
    attendee: str
    category: str


def _pairs() -> tuple[Pair, ...]:
    tables = {**_LATIN, **_WORLD}
    if len(tables) != len(_LATIN) + len(_WORLD) or set(tables) != set(CATEGORIES):
        raise RuntimeError("the corpus tables do not hold exactly the documented categories")
    return tuple(
        Pair(register, attendee, category)
        for category in CATEGORIES
        for register, attendee in tables[category]
    )


PAIRS: Final = _pairs()
