"""Latin spellings of one Cyrillic word, for the committee's variant keys.

The organizer's canonical form reads Cyrillic with ``unidecode`` (ё as е);
an attendee who registered as "Schewtschenko" or "Yevgeny" would not match
a record kept as "Шевченко" or "Евгений" through that alone.  So the
committee publishes, for each Cyrillic word of a name, the spellings the
schemes below give, and mixtures of them (see ``spellings``).

The schemes, and where their tables come from:

``icao``
    ICAO Doc 9303 (machine readable travel documents), Part 3, Section 6,
    the Cyrillic transliteration table, which Russian passports follow
    since 2013: ц ts, х kh, щ shch, ю iu, я ia, ъ ie, й i, ё e, ђ d, ћ c.
    The table's per-language exceptions (г h in Belarusian and Serbian,
    и y in Ukrainian, щ sht in Bulgarian) come in with the national
    schemes below.
``bgn_pcgn``
    The BGN/PCGN 1947 system for Russian: е and ё as "ye"/"yo" at the start
    of a word and after a vowel, й, ъ or ь; ё elsewhere is ë, written "yo"
    here as it is in English-language texts; й y, ы y, ю yu, я ya.
``english``
    The spellings English-language media and people themselves use, close
    to BGN/PCGN but with "-ий"/"-ый" as "y" and a final "-ия" as "ia"
    ("Yevgeny", "Yulia").
``ukrainian_2010``
    Resolution No. 55 of the Cabinet of Ministers of Ukraine of 27 January
    2010: г h, ґ g, и y, і i, and є ї й ю я as ye yi y yu ya at the start
    of a word, ie i i iu ia elsewhere.
``german``
    The Duden-style spellings under which many emigrants to Germany were
    registered: в w, ж sch, з s, й j, х ch, ц z, ч tsch, ш sch, щ schtsch,
    ю ju, я ja, е as "je" at the start and after a vowel, й as "i" after a
    vowel ("Nikolai"), final "-ий" as "i".
``bulgarian_2009``
    Bulgaria's Transliteration Act of 2009: х h, щ sht, ъ a, ь y, and a
    final "-ия" as "ia".
``serbian_latin``
    Gaj's Latin alphabet, which Serbian writes interchangeably with
    Cyrillic, and Macedonian's official romanization, with their diacritics
    dropped as they are in ASCII-only records: đ dj, ž z, ć c, č c, š s.
``scholarly``
    The scholarly (linguists') transliteration, close to ISO 9, with its
    diacritics dropped: č c, š s, ž z, šč sc, x for х, j for й, ju, ja.

The tables were written by hand from those standards' published tables,
not copied from a machine-readable file; letters a scheme does not cover
(Ukrainian letters in a Russian system, say) take the English reading.
The pair "кс" may also be written "x" ("Xenia"), and a few popular
alternatives no whole scheme uses ("tz", "sch", "h" for х) are offered as
single-letter swaps.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from unidecode import unidecode

from ._bounded import bounded_spellings, letters_only

# The English reading, which every scheme starts from.
_BASE: Mapping[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian and Belarusian.
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
    # Serbian and Macedonian.
    "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz",
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip

_VOWELS = frozenset("аеёиоуыэюяіїє")
# After these, BGN/PCGN and German write е as "ye"/"je".
_SOFTENING = _VOWELS | frozenset("йъь")
# After these, German writes ё as plain "o" ("Gorbatschow").
_HUSHING = frozenset("жчшщ")
# Apostrophes (Ukrainian "Мар'яна") are not transliterated by any scheme.
_APOSTROPHES = str.maketrans("", "", "'’ʼ`ʹ")
# Stress marks, where a dictionary or a careful writer adds them.
_STRESS = str.maketrans("ѐѝ", "еи", "\u0300\u0301")


@dataclass(frozen=True)
class _Scheme:
    """How one scheme departs from ``_BASE``; the context rules win over ``letters``."""

    letters: Mapping[str, str] = field(default_factory=dict)
    start: Mapping[str, str] = field(default_factory=dict)
    after_vowel: Mapping[str, str] = field(default_factory=dict)
    between_vowels: Mapping[str, str] = field(default_factory=dict)
    after_hushing: Mapping[str, str] = field(default_factory=dict)
    # The word's last two letters, where a scheme writes them as one.
    endings: Mapping[str, str] = field(default_factory=dict)
    # Letters the scheme's language lacks: a word with one is not in that
    # language, and reading it so only adds spellings nobody uses.
    foreign: frozenset[str] = frozenset()

    @cached_property
    def table(self) -> Mapping[str, str]:
        """Every letter's reading where its place in the word does not matter."""
        return {**_BASE, **self.letters}

    @cached_property
    def _contextual(self) -> frozenset[str]:
        rules = (self.start, self.after_vowel, self.between_vowels, self.after_hushing)
        return frozenset().union(*rules)

    def contextual_positions(self, text: str) -> list[int]:
        """Where a letter's reading in this scheme depends on its neighbours."""
        return [i for i, letter in enumerate(text) if letter in self._contextual]


_SCHEMES: dict[str, _Scheme] = {
    "icao": _Scheme(
        letters={
            "ё": "e", "є": "ie", "ї": "i", "й": "i", "ъ": "ie", "ю": "iu", "я": "ia",
            "ђ": "d", "ћ": "c", "ѓ": "g", "ќ": "k",
        },
    ),
    "bgn_pcgn": _Scheme(
        start={"е": "ye"},
        after_vowel={"е": "ye"},
    ),
    "english": _Scheme(
        start={"е": "ye"},
        endings={"ий": "y", "ый": "y", "ия": "ia"},
    ),
    "ukrainian_2010": _Scheme(
        letters={"г": "h", "и": "y", "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"},
        start={"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
        foreign=frozenset("ёыэъ"),
    ),
    "german": _Scheme(
        letters={
            "в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z", "ч": "tsch",
            "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja", "ё": "jo", "є": "je",
            "ї": "ji",
        },
        start={"е": "je"},
        after_vowel={"е": "je", "й": "i"},
        between_vowels={"с": "ss"},
        after_hushing={"ё": "o"},
        endings={"ий": "i"},
    ),
    "bulgarian_2009": _Scheme(
        letters={"х": "h", "щ": "sht", "ъ": "a", "ь": "y"},
        endings={"ия": "ia"},
        foreign=frozenset("ёыэіїєґў"),
    ),
    "serbian_latin": _Scheme(
        letters={
            "ж": "z", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "sc", "й": "j",
            "ю": "ju", "я": "ja", "ё": "jo", "ы": "i", "є": "je", "ї": "ji",
        },
    ),
    "scholarly": _Scheme(
        letters={
            "ж": "z", "х": "x", "ц": "c", "ч": "c", "ш": "s", "щ": "sc", "й": "j",
            "ю": "ju", "я": "ja", "ё": "e", "є": "je", "ї": "ji",
            "ђ": "d", "ѓ": "g", "ќ": "k",
        },
    ),
}  # fmt: skip

SCHEMES: tuple[str, ...] = tuple(_SCHEMES)

# Spellings of a letter, or of a unit below, that no whole scheme gives.
_EXTRAS: Mapping[str, tuple[str, ...]] = {
    "ё": ("io",),
    "й": ("i", "j"),
    "х": ("h",),
    "ц": ("tz",),
    "щ": ("sch",),
    "ћ": ("ch",),
    "ђ": ("d",),
    "џ": ("dj", "dzh"),
    "ў": ("w",),
    "кс": ("x",),
}
# Endings spelled in more ways than any scheme's: "Dmitriy", "Dmitrii", "Dmitri".
_ENDING_EXTRAS: Mapping[str, tuple[str, ...]] = {
    "ий": ("y", "iy", "ii", "yi", "i", "ij"),
    "ый": ("y", "iy", "yi", "i"),
    "ия": ("ia", "iya", "iia", "ija"),
}
_PAIRS = frozenset(_EXTRAS) - frozenset(_BASE)


def romanizations(word: str) -> frozenset[str]:
    """Every spelling of one Cyrillic ``word`` under the schemes, at most 64.

    Always holds what ``unidecode`` makes of the word (letters only,
    lower-case), with ё read as ё and as е, since that is what the
    organizer's side computes.  Non-Cyrillic input, Latin look-alikes mixed
    in included, gives the empty set; a word of signs alone (ь) may too.
    """
    text = _normalize(word)
    if not text or not all(_is_cyrillic(letter) for letter in text):
        return frozenset()
    required = [letters_only(unidecode(form)) for form in _with_and_without_yo(word, text)]
    if not set(text) <= _BASE.keys():
        # Cyrillic letters of other languages (Kazakh ә, say): unidecode's reading only.
        return frozenset(filter(None, required))
    readings = _with_and_without_yo(text)
    spans = _units(text)
    schemes = [scheme for scheme in _SCHEMES.values() if not scheme.foreign & set(text)]
    columns = [_render(scheme, reading, spans) for reading in readings for scheme in schemes]
    extras = [_extras(text, start, end) for start, end in spans]
    return bounded_spellings(required, columns, extras)


def romanize(word: str, scheme: str) -> str:
    """``word`` in one scheme of ``SCHEMES``; empty if it is not a word of Cyrillic letters."""
    if scheme not in _SCHEMES:
        raise ValueError(f"unknown romanization scheme {scheme!r}; known: {', '.join(SCHEMES)}")
    text = _normalize(word)
    if not text or not set(text) <= _BASE.keys():
        return ""
    return "".join(_render(_SCHEMES[scheme], text, _units(text)))


def _normalize(word: str) -> str:
    # NFC first so that й, ё, ї and ў stay one letter when the stress marks go.
    text = unicodedata.normalize("NFC", word.casefold())
    return text.translate(_STRESS).translate(_APOSTROPHES)


def _is_cyrillic(letter: str) -> bool:
    return "\u0400" <= letter <= "\u052f" or "\u1c80" <= letter <= "\u1c8f"


def _with_and_without_yo(*forms: str) -> list[str]:
    """The forms, then the same with ё read as е where that differs (it is usually not written)."""
    plain = [form.replace("ё", "е").replace("Ё", "Е") for form in forms]
    return list(dict.fromkeys([*forms, *plain]))


def _units(text: str) -> list[tuple[int, int]]:
    """Spans of the word's units: letters, "кс", and the endings some schemes write as one."""
    spans = []
    start = 0
    while start < len(text):
        pair = text[start : start + 2]
        ending = start + 2 == len(text) and pair in _ENDING_EXTRAS
        end = start + 2 if ending or pair in _PAIRS else start + 1
        spans.append((start, end))
        start = end
    return spans


def _render(scheme: _Scheme, text: str, spans: list[tuple[int, int]]) -> tuple[str, ...]:
    letters = [scheme.table[letter] for letter in text]
    for i in scheme.contextual_positions(text):
        letters[i] = _render_in_context(scheme, text, i)
    units = ["".join(letters[start:end]) for start, end in spans]
    start, end = spans[-1]
    if end - start == 2 and text[start:] in scheme.endings:
        units[-1] = scheme.endings[text[start:]]
    return tuple(units)


def _render_in_context(scheme: _Scheme, text: str, i: int) -> str:
    letter = text[i]
    for rules in _contexts(scheme, text, i):
        if letter in rules:
            return rules[letter]
    return scheme.table[letter]


def _contexts(scheme: _Scheme, text: str, i: int) -> tuple[Mapping[str, str], ...]:
    """The scheme's rules for letter ``i``'s place in the word, the most specific first."""
    if i == 0:
        return (scheme.start,)
    before = text[i - 1]
    if before in _HUSHING:
        return (scheme.after_hushing,)
    if before not in _SOFTENING:
        return ()
    if before in _VOWELS and text[i + 1 : i + 2] in _VOWELS:
        return (scheme.between_vowels, scheme.after_vowel)
    return (scheme.after_vowel,)


def _extras(text: str, start: int, end: int) -> tuple[str, ...]:
    unit = text[start:end]
    if end == len(text) and unit in _ENDING_EXTRAS:
        return _ENDING_EXTRAS[unit]
    return _EXTRAS.get(unit, ())
