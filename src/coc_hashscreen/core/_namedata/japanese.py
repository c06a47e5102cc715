"""Japanese readings of kanji names, for the committee's variants (the ``japanese`` extra).

A register name written in kanji ("山田太郎") is read in Japanese by
pykakasi, a maintained dictionary-based reader (GPL-3.0-or-later, which is
why it is an optional extra and not a dependency: ADR 0020), and each
reading is given with the ways people write its long vowels ("Satou",
"Sato", "Satoh", "Satoo").  Without the extra a kanji name gets no
Japanese readings; `available` says so, and the committee is warned when
it publishes such a name.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any, Final

__all__ = ["available", "long_vowel_spellings", "readings"]

_MAX_READINGS: Final = 12
_LONG_VOWELS: Final = (
    ("ou", ("ou", "o", "oh", "oo")),
    ("oo", ("oo", "o", "oh")),
    ("uu", ("uu", "u")),
)


@functools.cache
def _kakasi() -> Any:
    try:
        module = importlib.import_module("pykakasi")
    except ImportError:
        return None
    return module.kakasi()


def available() -> bool:
    """Whether kanji names get Japanese readings (pykakasi is installed)."""
    return _kakasi() is not None


def long_vowel_spellings(word: str) -> list[str]:
    """*word* with each long vowel written every usual way, *word* itself first."""
    spellings = [word]
    for long, ways in _LONG_VOWELS:
        if long in word:
            spellings += [s.replace(long, way) for s in spellings for way in ways[1:]]
    return list(dict.fromkeys(spellings))


@functools.lru_cache(maxsize=4096)
def readings(word: str) -> frozenset[str]:
    """The Japanese readings of a word with kanji, space-separated as pykakasi segments it.

    Empty without pykakasi, or for a word it reads as nothing.
    """
    kakasi = _kakasi()
    if kakasi is None:
        return frozenset()
    items = kakasi.convert(word)
    # pykakasi skips what it cannot read (most simplified Chinese
    # characters): a reading must cover every character, or a Chinese name
    # would publish a fragment of it ("孙丽娟" as "ken").
    if "".join(str(item.get("orig", "")) for item in items) != word:
        return frozenset()
    segments = [str(item.get("hepburn", "")).strip().lower() for item in items]
    if not segments or not all(s.isascii() and s.isalpha() for s in segments):
        return frozenset()
    # Each segment's long vowels one at a time, and the segments run
    # together ("yamadatarou"), as a Western form sometimes writes them.
    spelled = [long_vowel_spellings(s) for s in segments]
    first = [options[0] for options in spelled]
    found = [
        " ".join([*first[:i], option, *first[i + 1 :]])
        for i, options in enumerate(spelled)
        for option in options
    ]
    found.append("".join(first))
    return frozenset(list(dict.fromkeys(found))[:_MAX_READINGS])
