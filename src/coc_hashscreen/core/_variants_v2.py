"""The committee's extra keys for a name under profile v2, each with the rule that made it.

An organizer computes one canonical form per name (`_names_v2`); the
committee publishes every spelling of a register name that a careful
person would flag, so the organizer's one form finds it (ADR 0020).  These
keys are not frozen: a later release may add spellings without changing
what organizers compute.  They are bounded (`MAX_NAME_KEYS`), in a fixed
order of priority, so the same register publishes the same keys.

Spellings come in three layers, each applied to what the one before made:

1. each word's spellings: its canonical romanization, hyphens and
   apostrophes split, umlauts and special letters spelled out letter by
   letter (``ü`` → ``u``/``ue``) and back (``ue`` → ``u``), Cyrillic and
   Greek in several romanization schemes, Han, Hangul and kana forms,
   Japanese readings of kanji (with the ``japanese`` extra), Arabic-script
   names in their usual Latin spellings;
2. the name's shapes: every sub-name that keeps the first given name and
   ends in one of the last two surnames, adjacent words joined, particles
   joined to the next word or swapped (``al``/``el``), ``Mc``/``Mac``
   forms, joined initials, Polish feminine and masculine surnames;
3. the first given name's nicknames and familiar forms (English and
   international; not for Han, Hangul or kana names), and common spelling
   variants of any word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Final

from unidecode import unidecode

from . import _names_v2 as v2
from ._namedata import arabic, cyrillic, given_names, greek, han, hangul, japanese, kana
from ._namedata import spellings as spelling_data

__all__ = ["MAX_NAME_KEYS", "name_variants"]

# Keys one register name may publish.  Each key is a guess an attendee's
# name is compared with, so each adds a little to the false matches; the
# benchmark (benchmarks/bench_names.py) measures what the whole set costs.
MAX_NAME_KEYS: Final = 160

# Letters people spell out in ASCII in more than one way; unidecode's
# spelling is always one of the choices.
_SPECIAL: Final[dict[str, tuple[str, ...]]] = {
    "ä": ("a", "ae"), "ö": ("o", "oe"), "ü": ("u", "ue"), "ß": ("ss", "s"),
    "ø": ("o", "oe"), "å": ("a", "aa"), "æ": ("ae", "a"), "œ": ("oe", "o"),
    "ş": ("s", "sh"), "ș": ("s", "sh"), "ç": ("c", "ch"), "ñ": ("n", "ny", "nh"),
    "č": ("c", "ch"), "š": ("s", "sh"), "ž": ("z", "zh"), "ć": ("c", "ch"),
    "ğ": ("g", "gh"), "ő": ("o", "oe"), "ű": ("u", "ue"), "đ": ("d", "dj"),
    "ț": ("t", "ts"), "ř": ("r", "rz"), "ł": ("l", "w"),
    # Japanese long vowels in Hepburn with macrons ("Ōno": Ono, Ohno, Oono).
    "ō": ("o", "oh", "ou", "oo"), "ū": ("u", "uu"),
}  # fmt: skip
_MAX_LETTER_CHOICES: Final = 16
# German transcriptions of umlauts, read back ("Mueller" is "Müller").
_SPELLED_UMLAUT: Final = re.compile(r"(?<=[b-df-hj-np-tv-z])([aou])e")
_POLISH: Final = (("ska", "ski"), ("cka", "cki"), ("dzka", "dzki"))
# Words that stand between given names and surnames without being either:
# the organizer's particles, and those it keeps ("van" is also a Vietnamese
# middle name) but a surname's end is never.
_SURNAME_LINKS: Final = v2.PARTICLES | {"van", "la", "le", "las", "los", "den", "ten", "do", "das"}
# Products of per-word spellings (every word of the name at once).
_MAX_PRODUCT: Final = 48
_MAX_SUBNAME_WORDS: Final = 7
# Names of more words get their canonical form alone.
_MAX_WORDS: Final = 12


class _Keys:
    """Keys in order of priority, each with the first rule that made it; stops at the cap."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.found: dict[str, str] = {}

    @property
    def full(self) -> bool:
        return len(self.found) >= self.cap

    def add(self, tokens: Sequence[str], rule: str) -> None:
        if self.full:
            return
        key = v2.finish(list(tokens))
        if key is not None and (not self.found or _distinctive(key, self.found)):
            self.found.setdefault(key, rule)


def _distinctive(key: str, found: Mapping[str, str]) -> bool:
    """Whether a spelling may be published: two words longer than an initial, or one
    word of three letters or more when the name itself is one word.

    A one-word key ("ken", "mei") would match every attendee listed by a
    first name alone; a key of initials ("j k") anyone with those initials.
    """
    words = [w for w in key.split(" ") if len(w) > 1]
    canonical_words = next(iter(found)).split(" ")
    if len(canonical_words) == 1:
        return len(key) >= 3
    return len(words) >= 2


# ---------------------------------------------------------------------------
# 1. the spellings of one word


def _split_punctuation(word: str) -> list[str]:
    """The word's tokens with hyphens and apostrophes as separators: "o brien", "anne marie"."""
    return [t for w in re.split(r"[-'’`‐‑–]+", word) for t in v2.word_tokens(w)]


def _letter_spellings(word: str) -> Iterator[str]:
    """Every spelling of the special letters of a Latin word, one choice per letter."""
    positions = [i for i, ch in enumerate(word) if ch in _SPECIAL]
    if not positions:
        return
    choices = [_SPECIAL[word[i]] for i in positions]
    for combo in itertools.islice(itertools.product(*choices), _MAX_LETTER_CHOICES):
        letters = list(word)
        for i, spelled in zip(positions, combo, strict=True):
            letters[i] = spelled
        yield "".join(letters)


def _script_spellings(word: str, *, alone: bool) -> Iterator[tuple[tuple[str, ...], str]]:
    """The other scripts' spellings of one word, as ASCII token tuples with their rule."""
    for spelled in sorted(cyrillic.romanizations(word)):
        yield (spelled,), "cyrillic romanization"
    for spelled in sorted(greek.romanizations(word)):
        yield (spelled,), "greek romanization"
    for spelled in sorted(arabic.arabic_spellings(word)):
        yield (spelled,), "arabic spelling"
    if kana.is_kana(word):
        for spelled in sorted(kana.kana_variants(word)):
            yield (spelled,), "kana long vowel"
    if hangul.is_hangul(word):
        yield from _hangul_spellings(word, alone=alone)
    if v2.is_han(word):
        yield from _han_spellings(word, alone=alone)


def _hangul_spellings(word: str, *, alone: bool) -> Iterator[tuple[tuple[str, ...], str]]:
    if alone:
        for tokens in sorted(hangul.hangul_variants(word)):
            yield tokens, "hangul spelling"
    elif word in hangul.SURNAMES:
        for spelled in hangul.SURNAMES[word]:
            yield (spelled,), "hangul surname"
    else:
        syllables = tuple(hangul.romanize_rr(ch) for ch in word)
        yield syllables, "hangul syllables"


def _han_spellings(word: str, *, alone: bool) -> Iterator[tuple[tuple[str, ...], str]]:
    syllables = tuple(unidecode(ch).strip().lower() for ch in word if ch.isalpha())
    if alone:
        for tokens in sorted(han.han_variants(word)):
            yield tokens, "han spelling"
        if len(syllables) == 4:
            # A two-character surname not in the table ("田中太郎" is Japanese).
            yield ("".join(syllables[:2]), "".join(syllables[2:])), "han split"
    yield syllables, "han syllables"
    for reading in sorted(japanese.readings(word)):
        yield tuple(reading.split()), "japanese reading"


def word_spellings(word: str, *, alone: bool) -> list[tuple[tuple[str, ...], str]]:
    """One folded Unicode word's spellings as token tuples, its canonical one first."""
    found: dict[tuple[str, ...], str] = {tuple(v2.word_tokens(word, alone=alone)): "canonical"}

    def add(tokens: Iterable[str], rule: str) -> None:
        cleaned = tuple(t for t in tokens if t)
        if cleaned:
            found.setdefault(cleaned, rule)

    add(_split_punctuation(word), "hyphen or apostrophe split")
    for spelled in _letter_spellings(word):
        add(v2.word_tokens(spelled), "special letters")
    ascii_word = "".join(v2.word_tokens(word))
    if word.isascii() and _SPELLED_UMLAUT.search(ascii_word):
        add((_SPELLED_UMLAUT.sub(r"\1", ascii_word),), "spelled-out umlaut")
    for tokens, rule in _script_spellings(word, alone=alone):
        add(tokens, rule)
    return list(found.items())


# ---------------------------------------------------------------------------
# 2. the shapes of a name


def _last_two(tokens: Sequence[str]) -> list[int]:
    """Where the last two surnames are: the last two words that are neither particles
    nor initials ("Eva M. Schulte" ends in "Schulte", not "M")."""
    return [i for i, t in enumerate(tokens) if t not in _SURNAME_LINKS and len(t) > 1][-2:]


def _subnames(tokens: Sequence[str], *, as_written: bool = True) -> Iterator[list[str]]:
    """Every sub-name that keeps the first word and ends in one of the last two surnames.

    "Luis Fernández de Córdoba" gives "Luis Fernández" and "Luis Córdoba"
    (and with "de"), "José María García López" gives "José García",
    "José López", "José María García"...
    """
    if len(tokens) < 3 or len(tokens) > _MAX_SUBNAME_WORDS:
        return
    for end in (i for i in _last_two(tokens) if i > 0):
        middle = range(1, end)
        for size in range(len(middle), -1, -1):
            for chosen in itertools.combinations(middle, size):
                yield [tokens[0], *(tokens[i] for i in chosen), tokens[end]]
    # Someone who goes by a middle name: "Joseph Anthony Ruiz" as "Anthony
    # Ruiz"; only for the name as written, where the second word is no half
    # of a hyphenated surname that a spelling split off.
    ends = _last_two(tokens)
    if as_written and ends and tokens[1] not in _SURNAME_LINKS and len(tokens[1]) > 1 < ends[-1]:
        yield [tokens[1], tokens[ends[-1]]]


def _joined(tokens: Sequence[str]) -> Iterator[tuple[list[str], str]]:
    """Adjacent words joined, particles joined to the next word, and al/el swapped."""
    for i in range(len(tokens) - 1):
        yield [*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :]], "words joined"
    run: list[str] = []
    out: list[str] = []
    for token in tokens:
        if token in v2.PARTICLES or token in ("van", "la", "le", "den"):
            run.append(token)
            continue
        out.append("".join(run) + token)
        run = []
    if run or out == list(tokens):
        return
    yield out, "particles joined"
    swapped = [{"al": "el", "el": "al"}.get(t, t) for t in tokens]
    if swapped != list(tokens):
        yield swapped, "al/el"


def _word_forms(token: str) -> Iterator[tuple[list[str], str]]:
    """Mc/Mac and Polish surname forms of one word."""
    if token.startswith("mc") and len(token) > 4:
        yield ["mac" + token[2:]], "mc/mac"
        yield ["mc", token[2:]], "mc/mac"
    elif token.startswith("mac") and len(token) > 5:
        yield ["mc" + token[3:]], "mc/mac"
        yield ["mac", token[3:]], "mc/mac"
    for other in _KOREAN_SURNAMES.get(token, ()):
        yield [other], "korean surname"
    for feminine, masculine in _POLISH:
        if token.endswith(feminine):
            yield [token[: -len(feminine)] + masculine], "polish surname"
        elif token.endswith(masculine):
            yield [token[: -len(masculine)] + feminine], "polish surname"


# Each Latin spelling of a Korean surname and the others ("Gim" is "Kim").
_KOREAN_SURNAMES: Final[dict[str, tuple[str, ...]]] = {
    spelled: tuple(other for other in spellings if other != spelled)
    for spellings in hangul.SURNAMES.values()
    if len(spellings) > 1
    for spelled in spellings
    if len(spelled) > 1
}


def _initials_joined(tokens: Sequence[str]) -> list[str] | None:
    """Runs of one-letter initials joined: "K. S. Ramesh" as "ks ramesh"."""
    out: list[str] = []
    run = ""
    for token in tokens:
        if len(token) == 1:
            run += token
            continue
        out += [run] if run else []
        out.append(token)
        run = ""
    out += [run] if run else []
    return out if out != list(tokens) else None


def _shapes(tokens: list[str], *, latin: bool, as_written: bool) -> Iterator[tuple[list[str], str]]:
    yield tokens, ""
    # A Han, Hangul or kana given name is one unit: 王淑英 without 淑 is
    # another person, so sub-names are for names in Latin letters.
    for sub in _subnames(tokens, as_written=as_written) if latin else ():
        yield sub, "sub-name"
    yield from _joined(tokens)
    for i, token in enumerate(tokens):
        for replacement, rule in _word_forms(token):
            yield [*tokens[:i], *replacement, *tokens[i + 1 :]], rule
    joined = _initials_joined(tokens)
    if joined is not None:
        yield joined, "initials joined"


# ---------------------------------------------------------------------------
# 3. nicknames and spelling variants


def _given_forms(tokens: list[str], *, latin: bool) -> Iterator[tuple[list[str], str]]:
    if latin and tokens:
        for other in sorted(given_names.alternatives(tokens[0])):
            yield [other, *tokens[1:]], "nickname"
    for i, token in enumerate(tokens):
        for other in sorted(spelling_data.spelling_alternatives(token)):
            yield [*tokens[:i], other, *tokens[i + 1 :]], "spelling variant"


# ---------------------------------------------------------------------------


def _sequences(value: str) -> tuple[list[tuple[list[list[str]], str]], bool]:
    """The name's spellings as comma parts of tokens, with their rule; and whether it is
    in Latin letters (nicknames apply)."""
    parts = v2.unicode_parts(value)
    words = [(p, w) for p, part in enumerate(parts) for w in part]
    alone = len(words) == 1
    spelled = [word_spellings(w, alone=alone) for _, w in words]
    latin = not any(v2.is_han(w) or hangul.is_hangul(w) or kana.is_kana(w) for _, w in words)

    def assemble(choice: Sequence[tuple[str, ...]]) -> list[list[str]]:
        out: list[list[str]] = [[] for _ in parts]
        for (p, _), tokens in zip(words, choice, strict=True):
            out[p].extend(tokens)
        return out

    base = [options[0][0] for options in spelled]
    sequences = [(assemble(base), "")]
    # One scheme for every word (a name romanized the same way throughout)...
    for scheme_words in _coherent(words, base):
        sequences.append((assemble(scheme_words[0]), scheme_words[1]))
    # ...then one word at a time.
    for i, options in enumerate(spelled):
        for tokens, rule in options[1:]:
            sequences.append((assemble([*base[:i], tokens, *base[i + 1 :]]), rule))
    return sequences, latin


def _coherent(
    words: Sequence[tuple[int, str]], base: Sequence[tuple[str, ...]]
) -> Iterator[tuple[list[tuple[str, ...]], str]]:
    """Every word in one Cyrillic or Greek scheme, or with all its special letters spelled out."""
    for module, label in ((cyrillic, "cyrillic"), (greek, "greek")):
        if not any(module.romanizations(w) for _, w in words):
            continue
        for scheme in module.SCHEMES:
            choice = [
                (module.romanize(w, scheme),) if module.romanizations(w) else base[i]
                for i, (_, w) in enumerate(words)
            ]
            yield choice, f"{label} romanization ({scheme})"
    yield from _products(words, base)


def _products(
    words: Sequence[tuple[int, str]], base: Sequence[tuple[str, ...]]
) -> Iterator[tuple[list[tuple[str, ...]], str]]:
    """Special letters spelled out, and Japanese readings, in every word at once.

    A name's words change together ("Çağrı Kılıç" as "Chagri Kilich",
    "伊藤 翔太" as "Shota Ito"); bounded by `_MAX_PRODUCT`.
    """
    for rule, spell in (
        ("special letters", _letter_options),
        ("japanese reading", _readings),
        ("romanization", _romanizations),
    ):
        options = [spell(w) or [base[i]] for i, (_, w) in enumerate(words)]
        if all(o == [base[i]] for i, o in enumerate(options)):
            continue
        for choice in itertools.islice(itertools.product(*options), _MAX_PRODUCT):
            if list(choice) != list(base):
                yield list(choice), rule


def _letter_options(word: str) -> list[tuple[str, ...]]:
    return [tuple(v2.word_tokens(spelled)) for spelled in _letter_spellings(word)]


def _romanizations(word: str) -> list[tuple[str, ...]]:
    """A Cyrillic or Greek word's romanizations, the first few: each word of a name may
    follow another scheme ("Philippos Kiriakidis")."""
    found = sorted(cyrillic.romanizations(word) | greek.romanizations(word))
    return [(spelled,) for spelled in found[:8]]


def _readings(word: str) -> list[tuple[str, ...]]:
    if not v2.is_han(word):
        return []
    return [tuple(reading.split()) for reading in sorted(japanese.readings(word))]


def name_variants(value: str, *, cap: int = MAX_NAME_KEYS) -> dict[str, str]:
    """Every key the committee publishes for a name, each with the rule that made it.

    The canonical form comes first (rule ``"canonical"``); at most *cap*
    keys, in a fixed order of priority.  Raises `InvalidIdentifier` as
    `canonical` does.
    """
    keys = _Keys(cap)
    # The organizer's form as it is: finishing it again is not idempotent
    # ("Y 0 0" is "0 0 y", which would finish as "0 0"), and a list must
    # always hold the key screening the same spelling computes.
    keys.found[v2.canonical_name(value)] = "canonical"
    if sum(len(part) for part in v2.unicode_parts(value)) > _MAX_WORDS:
        # No name has this many words; the work below grows with them.
        return keys.found
    sequences, latin = _sequences(value)
    trimmed = [(v2.trim([list(p) for p in parts]), rule) for parts, rule in sequences]
    for tokens, rule in trimmed:
        for shape, shape_rule in _shapes(tokens, latin=latin, as_written=not rule):
            keys.add(shape, _rule(rule, shape_rule))
    for tokens, rule in trimmed:
        for shape, shape_rule in [(tokens, ""), *(_first_last(tokens) if latin else [])]:
            for form, form_rule in _given_forms(shape, latin=latin):
                keys.add(form, _rule(rule, shape_rule, form_rule))
    return keys.found


def _first_last(tokens: list[str]) -> list[tuple[list[str], str]]:
    ends = _last_two(tokens)
    if len(tokens) < 3 or not ends:
        return []
    return [([tokens[0], tokens[ends[-1]]], "sub-name")]


def _rule(*rules: str) -> str:
    return ", ".join(r for r in rules if r) or "canonical"
