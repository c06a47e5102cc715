"""Latin spellings of one Greek word, for the committee's variant keys.

The organizer's canonical form (profile v2) reads a Greek word with the
``elot743`` scheme below, the spelling of Greek passports, so that table is
frozen with the profile.  Greeks also write their names as "Christos",
"Hristos" or "Xristos", so the committee publishes, for each Greek word of
a name, the spellings the other schemes give and mixtures of them (see
``_bounded``).

The schemes, and where their tables come from:

``elot743``
    ELOT 743:1982, which ISO 843:1997 took over as its transcription, as
    Greek passports use it: αι ai, ει ei, οι oi, ου ou, αυ/ευ/ηυ as av/ev/iv
    before a vowel or voiced consonant and af/ef/if otherwise, γγ ng, γκ gk
    (g at the start), γξ nx, γχ nch, μπ mp (b at the start), ντ nt (d at
    the start), β v, η i, θ th, υ y, φ f, χ ch, ψ ps, ω o.
``phonetic``
    How Greeks write their names in English by sound: η, ι, υ, ει, οι all
    "i", αι "e", χ "h", γι before a vowel "yi" ("Yiannis"), medial γκ, μπ,
    ντ as ng, mb, nd.
``classical``
    The learned (Erasmian, Latinizing) spelling: η e, β b, φ ph, αυ au,
    ευ eu ("Demetrios", "Euangelos", "Philippos").

The tables were written by hand from ELOT 743's and ISO 843's published
tables and from common usage, not copied from a machine-readable file.
Accents go; a diaeresis (ϊ, ϋ) or an accent on the first of two vowels
keeps them apart ("Αΐδα", "ρολόι"); final ς reads as σ.  Per-letter
alternatives that people really use (η as e, ου as u, χ as x, κ as c before
a, o, ou, φ as ph, γ before a front vowel as y or gh, passports' "mp" for
an initial μπ) are offered as swaps.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from unidecode import unidecode

from ._bounded import bounded_spellings, letters_only

_ELOT: Mapping[str, str] = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
    "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
    "ω": "o", "ϊ": "i", "ϋ": "y",
    "αι": "ai", "ει": "ei", "οι": "oi", "ου": "ou", "υι": "yi",
    "αυ": "av", "ευ": "ev", "ηυ": "iv",
    "γγ": "ng", "γκ": "gk", "γξ": "nx", "γχ": "nch", "μπ": "mp", "ντ": "nt",
    "γι": "gi",
}  # fmt: skip
_START: Mapping[str, str] = {"γκ": "g", "μπ": "b", "ντ": "d"}

_SCHEMES: dict[str, Mapping[str, str]] = {
    "elot743": _ELOT,
    "phonetic": {
        **_ELOT,
        "υ": "i", "ϋ": "i", "χ": "h", "αι": "e", "ει": "i", "οι": "i", "υι": "i",
        "γκ": "ng", "μπ": "mb", "ντ": "nd", "γι": "yi",
    },
    "classical": {
        **_ELOT,
        "β": "b", "η": "e", "φ": "ph", "αυ": "au", "ευ": "eu", "ηυ": "eu", "γκ": "nk",
    },
}  # fmt: skip
SCHEMES: tuple[str, ...] = tuple(_SCHEMES)

# αυ, ευ, ηυ: "v" before these, "f" before anything else and at the end.
_VOICED = frozenset("αεηιουωϊϋβγδζλμνρ")
_VOWELS = frozenset("αεηιουωϊϋ")
_VOWEL_PAIRS = frozenset({"αι", "ει", "οι", "ου", "υι", "αυ", "ευ", "ηυ"})
_CONSONANT_PAIRS = frozenset({"γγ", "γκ", "γξ", "γχ", "μπ", "ντ"})
# γ sounds like English y before these ("Yeorgios"); κ may be c before those.
_FRONT = frozenset("εηιυϊϋ")
_BACK = frozenset("αοω")

# Spellings of a unit no whole scheme gives; "γ+" and "κ+" are γ before a
# front vowel and κ before a back one.
_EXTRAS: Mapping[str, tuple[str, ...]] = {
    "η": ("e",),
    "ου": ("u",),
    "χ": ("h", "x", "kh"),
    "δ": ("dh",),
    "ξ": ("ks",),
    "μπ": ("b", "mp"),
    "ντ": ("d", "nt"),
    "γκ": ("g", "ng"),
    "γγ": ("gg",),
    "γι": ("y",),
    "γ+": ("y", "gh"),
    "κ+": ("c",),
}

# Other code points for the same letters (ϐ in French typography, ϑ ϕ ϰ ϱ ϲ ϵ
# in older fonts and mathematics).
_VARIANT_FORMS = str.maketrans("ϐϑϕϰϱϲϵ", "βθφκρσε")
_DIAERESIS = "\u0308"
_ACCENTS = frozenset("\u0300\u0301\u0342")
_WITH_DIAERESIS = {"ι": "ϊ", "υ": "ϋ"}


def romanizations(word: str) -> frozenset[str]:
    """Every spelling of one Greek ``word`` under the schemes, at most 64.

    Always holds what ``unidecode`` makes of the word (letters only,
    lower-case), as the organizer's side computes it.  Non-Greek input,
    Latin look-alikes mixed in included, gives the empty set.
    """
    letters, accented = _normalize(word)
    if not letters or not all(_is_greek(letter) for letter in letters):
        return frozenset()
    required = [letters_only(unidecode(word))]
    if not set(letters) <= _ELOT.keys():
        # Archaic letters (ϝ, ϙ): unidecode's reading only.
        return frozenset(filter(None, required))
    spans = _units(letters, accented)
    columns = [_render(table, letters, spans) for table in _SCHEMES.values()]
    extras = [_EXTRAS.get(_extra_key(letters, start, end), ()) for start, end in spans]
    return bounded_spellings(required, columns, extras)


def romanize(word: str, scheme: str) -> str:
    """``word`` in one scheme of ``SCHEMES``; empty if it is not a word of Greek letters."""
    if scheme not in _SCHEMES:
        raise ValueError(f"unknown romanization scheme {scheme!r}; known: {', '.join(SCHEMES)}")
    letters, accented = _normalize(word)
    if not letters or not set(letters) <= _ELOT.keys():
        return ""
    return "".join(_render(_SCHEMES[scheme], letters, _units(letters, accented)))


def _normalize(word: str) -> tuple[str, list[bool]]:
    """The word's letters, with ϊ and ϋ for a diaeresis, and which of them bore an accent.

    Breathings and the iota subscript go: modern names are written without
    them, and no scheme here reads them.
    """
    letters: list[str] = []
    accented: list[bool] = []
    for char in unicodedata.normalize("NFD", word.casefold().translate(_VARIANT_FORMS)):
        if not unicodedata.combining(char):
            letters.append(char)
            accented.append(False)
        elif letters and char == _DIAERESIS:
            letters[-1] = _WITH_DIAERESIS.get(letters[-1], letters[-1])
        elif letters and char in _ACCENTS:
            accented[-1] = True
    return "".join(letters), accented


def _is_greek(letter: str) -> bool:
    return "\u0370" <= letter <= "\u03ff" or "\u1f00" <= letter <= "\u1fff"


def _units(letters: str, accented: list[bool]) -> list[tuple[int, int]]:
    spans = []
    start = 0
    while start < len(letters):
        end = start + 2 if _is_pair(letters, accented, start) else start + 1
        spans.append((start, end))
        start = end
    return spans


def _is_pair(letters: str, accented: list[bool], i: int) -> bool:
    """Whether letters ``i`` and ``i + 1`` are written as one unit."""
    pair = letters[i : i + 2]
    if pair in _CONSONANT_PAIRS:
        return True
    if pair in _VOWEL_PAIRS:
        # "ρολόι": an accent on the first vowel only means two syllables.
        return not (accented[i] and not accented[i + 1])
    # "Γιώργος", "Γιάννης": ι only softens the γ before another vowel.
    return pair == "γι" and not accented[i + 1] and letters[i + 2 : i + 3] in _VOWELS


def _render(
    table: Mapping[str, str], letters: str, spans: list[tuple[int, int]]
) -> tuple[str, ...]:
    return tuple(_render_unit(table, letters, start, end) for start, end in spans)


def _render_unit(table: Mapping[str, str], letters: str, start: int, end: int) -> str:
    unit = letters[start:end]
    if start == 0 and unit in _START:
        return _START[unit]
    spelled = table[unit]
    if unit in {"αυ", "ευ", "ηυ"} and spelled.endswith("v"):
        following = letters[end : end + 1]
        return spelled if following in _VOICED else spelled[:-1] + "f"
    return spelled


def _extra_key(letters: str, start: int, end: int) -> str:
    unit = letters[start:end]
    following = letters[end : end + 1]
    if unit == "γ" and following in _FRONT:
        return "γ+"
    if unit == "κ" and following in _BACK:
        return "κ+"
    return unit
