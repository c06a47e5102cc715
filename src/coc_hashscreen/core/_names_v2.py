"""Normalization profile ``v2`` for names: the one canonical form an organizer computes.

Profile v1 stays as it was (`_normalize`); v2 changes the canonical form
of a name so that more of the spellings a careful person would flag agree
(ADR 0020).  Every rule here is frozen with the profile, vectors in
``tests/vectors/normalization-v2.json``; the committee's extra keys are in
`_variants_v2` and may grow.  In the order applied:

1. mojibake repaired (UTF-8 read as Windows-1252 or Latin-1, once or
   twice) when re-decoding succeeds;
2. NFKC; every default-ignorable code point, control, format, private-use
   and unassigned character dropped; whitespace unified;
3. in a word that mixes Latin with another script, or that is wholly made
   of look-alikes beside a Latin word, look-alike letters read as the
   Latin letters they imitate (Unicode's confusables, UTS #39);
4. bracketed text left out ("(she/her)", "[Speaker]"); case folded;
5. a one-word Han or Hangul name split into surname and joined given
   name; other Han and Hangul words and kana romanized whole (kana long
   vowels simplified); Greek as ELOT 743 (passports); known Arabic-script
   names in their usual spelling; Cyrillic with ё read as е; everything
   transliterated to ASCII;
6. apostrophes dropped and hyphenated parts joined (``Anne-Marie`` =
   ``Annemarie``);
7. placeholders (FNU, LNU, NFN, NLN) dropped; titles dropped at the
   start and suffixes at the end while two words remain; doubled letters
   collapsed (not into two letters); name particles dropped, but for the
   first word, when two other words remain; one-letter initials dropped
   when two longer words remain;
8. the words sorted.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable
from typing import Final

from unidecode import unidecode

from ..errors import InvalidIdentifier
from ._namedata import arabic, assigned, confusables, greek, han, hangul, kana

__all__ = [
    "HONORIFICS",
    "PARTICLES",
    "PLACEHOLDERS",
    "SUFFIXES",
    "TITLES",
    "canonical_name",
    "clean",
    "finish",
    "has_han",
    "has_mixed_scripts",
    "is_han",
    "name_parts",
    "trim",
    "unconfuse_handle",
    "unicode_parts",
    "word_tokens",
]

MAX_INPUT_CHARS: Final = 1024

# Titles dropped from the start of a name (or of a comma part), and
# post-nominal letters and suffixes dropped from its end, only while two
# words remain (ADR 0020): "Hugh Herr" keeps "herr", "Md Karim" keeps
# "md", "Rajesh Kumar Pani" and "Mei Ling Ing" keep their surnames.  Words
# that are also common names are on neither list ("Sig", "Mba", "Ma").
TITLES: Final = frozenset(
    {
        "dr", "prof", "mr", "mrs", "ms", "mx", "miss", "mstr", "sir", "dame",
        "rev", "mme", "mlle", "herr", "frau", "dipl", "ing", "mag", "mgr", "inz",
        "avv", "dott", "ssa", "med", "sra", "srta", "pani", "engr", "drs", "univ", "sigra",
    }
)  # fmt: skip
SUFFIXES: Final = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "phd", "md", "dphil", "msc", "bsc", "esq"}
)  # fmt: skip
HONORIFICS: Final = TITLES | SUFFIXES
# Not "van": it is also a Vietnamese middle name ("Nguyen Van Anh").
# "dela" is "della" with its doubled letter collapsed, as `finish` sees it.
PARTICLES: Final = frozenset(
    {"von", "der", "de", "del", "della", "dela", "di", "da", "dos", "du", "des", "al", "el",
     "bin", "ibn", "zu", "ter", "y"}
)  # fmt: skip
# What forms put in an empty name field: first/last name unknown, no
# first/last name.
PLACEHOLDERS: Final = frozenset({"fnu", "lnu", "nfn", "nln"})

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties): rendered as
# nothing, so they can hide inside a name.  Most are format characters
# (dropped by category anyway); these ranges catch the rest, such as Khmer
# U+17B4/U+17B5, Hangul fillers and variation selectors.
_IGNORABLE: Final = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
_DROPPED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_SPACE_CATEGORIES: Final = frozenset({"Zs", "Zl", "Zp"})
_NOT_ALNUM: Final = re.compile(r"[^a-z0-9]+")
_APOSTROPHES: Final = re.compile(r"['`]")
# A hyphen (or dash) between two letters or digits joins them.
_JOINING_DASH: Final = re.compile(r"(?<=[a-z0-9])[-\u2010\u2011\u2012\u2013]+(?=[a-z0-9])")
_DOUBLED: Final = re.compile(r"([a-z])\1+")
_BRACKETED: Final = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
# Mojibake is UTF-8 read as a single-byte code page: the lead bytes of
# Latin letters with accents (C2-C5: Â Ã Ä Å), of Cyrillic (D0, D1: Ð Ñ)
# and of punctuation (E2: â) followed by what a continuation byte looks like
# there.  Other lead bytes are left alone: "VÍŠEK" and "DÉŽA" are real
# capitals that happen to be valid UTF-8.
_MOJIBAKE_HINT: Final = re.compile(
    "[\u00c2-\u00c5\u00d0\u00d1\u00e2][\u0080-\u00bf\u0152-\u0192\u02c6-\u2122]"
)


def _fail(kind: str, rule: str) -> InvalidIdentifier:
    return InvalidIdentifier(kind, rule)


_IGNORABLE_CODES: Final = frozenset(
    code for low, high in _IGNORABLE for code in range(low, high + 1)
)


def _ignorable(code: int) -> bool:
    return code in _IGNORABLE_CODES


_ASSIGNED_FIRST: Final = [first for first, _ in assigned.RANGES]


def _assigned_in_14(ch: str) -> bool:
    """Whether Unicode 14.0 assigns *ch*: v2 reads text as 14.0 does on every Python."""
    code = ord(ch)
    i = bisect.bisect_right(_ASSIGNED_FIRST, code) - 1
    return i >= 0 and code <= assigned.RANGES[i][1]


def repair_mojibake(text: str) -> str:
    """*text* re-decoded as UTF-8 when it is UTF-8 that was read as Windows-1252 or Latin-1.

    Only when the bytes decode strictly and hold a multi-byte sequence:
    ``JosÃ©`` becomes ``José``, twice-garbled text is repaired twice, and
    a real name ("Ã…sa" is not one; "Ana" is left alone) never changes.
    """
    for _ in range(2):
        if not _MOJIBAKE_HINT.search(text):
            return text
        for codec in ("cp1252", "latin-1"):
            try:
                repaired = text.encode(codec).decode("utf-8")
            except UnicodeError:
                continue
            break
        else:
            return text
        if any(unicodedata.category(ch) in ("Mn", "Cc", "Co") for ch in repaired):
            return text  # a combining mark or a control: not a name's text
        text = repaired
    return text


def clean(kind: str, value: str) -> str:
    """Mojibake repaired, NFKC, invisible characters dropped, whitespace unified."""
    if not isinstance(value, str):
        raise _fail(kind, f"expected text, got {type(value).__name__}")
    if len(value) > MAX_INPUT_CHARS:
        raise _fail(kind, f"longer than {MAX_INPUT_CHARS} characters")
    # The same result, sooner, for most of what organizers screen (checked
    # against the general path by tests/core/test_names_v2_ascii.py).
    return _clean_ascii(value) if value.isascii() else _clean_any(value)


# ASCII has no mojibake, every character is assigned and NFKC leaves it as
# it is: only its controls go, and those Python counts as space become one.
_ASCII_CLEAN: Final = {
    code: " " if chr(code).isspace() else None
    for code in range(128)
    if chr(code).isspace() or not chr(code).isprintable()
}


def _clean_ascii(value: str) -> str:
    return value.translate(_ASCII_CLEAN)


def _clean_any(value: str) -> str:
    out: list[str] = []
    # Characters Unicode 14.0 does not assign go first, whatever this
    # Python's Unicode says, so that 3.11, 3.12 and 3.13 agree.
    text = "".join(ch for ch in repair_mojibake(value) if _assigned_in_14(ch))
    for ch in unicodedata.normalize("NFKC", text):
        category = unicodedata.category(ch)
        if ch.isspace() or category in _SPACE_CATEGORIES:
            out.append(" ")
        elif category not in _DROPPED_CATEGORIES and not _ignorable(ord(ch)):
            out.append(ch)
    return "".join(out)


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()  # what casefold and NFKC make of ASCII
    # casefold() can leave text that is no longer NFKC; fold until stable.
    folded = unicodedata.normalize("NFKC", text.casefold())
    return unicodedata.normalize("NFKC", folded.casefold())


# ---------------------------------------------------------------------------
# scripts and look-alikes


def _is_latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN ")


def _letters(word: str) -> list[str]:
    return [ch for ch in word if ch.isalpha()]


def _has_latin(word: str) -> bool:
    return any(_is_latin(ch) for ch in _letters(word))


def _prototype(ch: str) -> str | None:
    """The ASCII a non-Latin letter imitates, whatever its case.

    Looked up as the capital of its case-folded form first (names start with
    a capital, so "Ν" and "ν" both read "n", as in v1), then as that form:
    the result is the same for "В" and "в", "Ꮶ" and "ꮶ".
    """
    folded = ch.casefold()
    if len(folded) != 1:
        return confusables.PROTOTYPES.get(ch)
    return confusables.PROTOTYPES.get(folded.upper()) or confusables.PROTOTYPES.get(folded)


def _all_lookalikes(word: str) -> bool:
    letters = _letters(word)
    return bool(letters) and all(not _is_latin(ch) and _prototype(ch) for ch in letters)


def _unconfuse_word(word: str, *, beside_latin: bool) -> str:
    """A word's look-alike letters as Latin, if it mixes scripts (or is all look-alikes
    beside Latin words): "Ꭻohn", "Sսsan", and "Јоһո" next to "Smith"."""
    if not (_has_latin(word) or (beside_latin and _all_lookalikes(word))):
        return word
    return "".join(ch if _is_latin(ch) else _prototype(ch) or ch for ch in word)


def _unconfuse(text: str) -> str:
    return text if text.isascii() else _unconfuse_any(text)  # ASCII: nothing to read as Latin


def _unconfuse_any(text: str) -> str:
    words = text.split(" ")
    latin = [_has_latin(w) for w in words]
    return " ".join(
        _unconfuse_word(w, beside_latin=any(latin[:i] + latin[i + 1 :]))
        for i, w in enumerate(words)
    )


def has_mixed_scripts(value: str) -> bool:
    """Whether a word of *value* still mixes Latin with another script after look-alikes
    are read as Latin: worth a second look by a person."""
    if value.isascii():
        return False  # one script only
    text = _unconfuse(clean("name", value))
    return any(
        _has_latin(word) and any(not _is_latin(ch) for ch in _letters(word))
        for word in text.split(" ")
    )


def unconfuse_handle(text: str) -> str:
    """Look-alike letters in a handle as the ASCII they imitate: handles are ASCII."""
    return "".join(ch if ch.isascii() else _prototype(ch) or ch for ch in text)


# ---------------------------------------------------------------------------
# names


def _romanized(word: str, *, alone: bool) -> str:
    """One folded word in ASCII: Han, Hangul, kana, Greek and Arabic by their rules, the
    rest by unidecode (Cyrillic with ё read as е)."""
    if word.isascii():
        return word  # no script rule applies, and unidecode leaves it as it is
    word = word.replace("ё", "е")
    split = (han.han_name(word) or hangul.hangul_name(word)) if alone else None
    if split is not None:
        return " ".join(split)
    for applies, romanize in _SCRIPT_RULES:
        if applies(word):
            return romanize(word)
    return unidecode(word)


def _hangul_word(word: str) -> str:
    # A surname alone keeps its usual spelling: "김 서연" = "김서연".
    usual = hangul.SURNAMES.get(word)
    return usual[0] if usual else hangul.romanize_rr(word)


def _han_word(word: str) -> str:
    # Han characters of one word are one word ("小明" = "xiaoming"), read
    # as in a one-word name: "宁 王" is "王宁".
    return han.word_pinyin(word) or unidecode(word)


def _greek_word(word: str) -> str:
    # ELOT 743, the spelling of Greek passports: η is i ("Dimitra").
    return greek.romanize(word, "elot743") or unidecode(word)


def _arabic_word(word: str) -> str:
    # A known name in its usual spelling; unidecode gives consonants only.
    return arabic.arabic_name_key(word) or unidecode(word)


_SCRIPT_RULES: Final[tuple[tuple[Callable[[str], bool], Callable[[str], str]], ...]] = (
    (kana.is_kana, kana.kana_romaji),
    (hangul.is_hangul, _hangul_word),
    (lambda word: is_han(word), _han_word),
    (lambda word: _script(word) == "GREEK", _greek_word),
    (arabic.is_arabic, _arabic_word),
)


def _script(word: str) -> str | None:
    """The script of every letter of *word* by its Unicode name's first word, if one."""
    scripts = {unicodedata.name(ch, "?").split(" ")[0] for ch in _letters(word)}
    return scripts.pop() if len(scripts) == 1 else None


def is_han(word: str) -> bool:
    """Whether every letter of *word* is a Han character (and it has one)."""
    letters = _letters(word)
    return bool(letters) and all(unicodedata.name(ch, "").startswith("CJK ") for ch in letters)


def has_han(value: str) -> bool:
    """Whether a name has a word in Han characters."""
    return any(is_han(word) for part in unicode_parts(value) for word in part)


def unicode_parts(value: str) -> list[list[str]]:
    """A name as comma-separated parts of folded Unicode words, look-alikes read as Latin.

    Bracketed text is left out: pronouns, roles and nicknames ("(she/her)",
    "[Speaker]", "(Bob)") are not the name.
    """
    text = _fold(_unconfuse(_BRACKETED.sub(" ", clean("name", value))))
    parts = [[w for w in chunk.split(" ") if w] for chunk in text.split(",")]
    return [part for part in parts if part]


def word_tokens(word: str, *, alone: bool = False) -> list[str]:
    """The ASCII tokens of one folded word: apostrophes dropped, hyphenated parts joined.

    *alone* says the word is the whole name, so a Han or Hangul word is
    split into surname and given name.
    """
    ascii_word = _romanized(word, alone=alone).lower()
    ascii_word = _JOINING_DASH.sub("", _APOSTROPHES.sub("", ascii_word))
    return [t for t in _NOT_ALNUM.split(ascii_word) if t]


def name_parts(value: str) -> list[list[str]]:
    """A name as comma-separated parts of ASCII tokens, in writing order, before `trim`."""
    parts = unicode_parts(value)
    alone = len(parts) == 1 and len(parts[0]) == 1
    tokens = [[t for w in part for t in word_tokens(w, alone=alone)] for part in parts]
    return [part for part in tokens if part]


def trim(parts: list[list[str]]) -> list[str]:
    """The words of a name in reading order, placeholders and edge honorifics dropped.

    Titles go from the start and suffixes from the end of each comma part
    ("Dr. García, José", "King, Jr., Martin"), only while two words remain:
    "Hugh Herr" and "Md Karim" keep theirs.  Two comma parts are
    surname(s), given name(s), and swap.
    """
    parts = [[t for t in part if t not in PLACEHOLDERS] for part in parts]
    parts = [part for part in parts if part]
    total = sum(len(part) for part in parts)
    for part in parts:
        while total > 2 and part and part[0] in TITLES:
            del part[0]
            total -= 1
        while total > 2 and part and part[-1] in SUFFIXES:
            del part[-1]
            total -= 1
    parts = [part for part in parts if part]
    if len(parts) == 2:
        return parts[1] + parts[0]
    return [token for part in parts for token in part]


def finish(tokens: list[str]) -> str | None:
    """The key of a name's words: doubled letters collapsed, particles and initials
    dropped, sorted; None if nothing is left.

    Particles go when two other words remain, one-letter initials when two
    longer words remain: enough is left to tell people apart.
    """
    # Doubled letters first, so that what the later rules see is what a
    # second pass would see ("aa" is an initial once collapsed); but not
    # into two letters: "Lee" is not "Le", nor "Ann" "An".
    tokens = [_collapsed(t) for t in tokens]
    # A particle stands between names: as the first word it is a name
    # ("Du Jia Hui", "Des Byrne", "De Luca").
    if sum(t not in PARTICLES for t in tokens) >= 2:
        tokens = tokens[:1] + [t for t in tokens[1:] if t not in PARTICLES]
    if sum(len(t) > 1 for t in tokens) >= 2:
        tokens = [t for t in tokens if len(t) > 1]
    return " ".join(sorted(tokens)) or None


def _collapsed(token: str) -> str:
    collapsed = _DOUBLED.sub(r"\1", token)
    return collapsed if len(collapsed) > 2 else token


def canonical_name(value: str) -> str:
    """The canonical form of a name under profile v2 (the module's rules 1-8)."""
    key = finish(trim(name_parts(value)))
    if key is None:
        raise _fail("name", "no letters or digits left after normalization")
    return key
