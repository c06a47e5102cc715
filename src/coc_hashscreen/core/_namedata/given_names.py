"""Other given names a person may go by: "Bob" for Robert, "Sasha" for Aleksandr.

The committee publishes extra variant keys per register name (ADR 0020) so
that an attendee who writes "Bob Smith" matches the register's "Robert
Smith".  `alternatives` gives the given names to try for one given-name
token; the caller builds the keys.

Tokens are lower-case ASCII letters, as the name normalization leaves them
(accents transliterated, Cyrillic and Greek romanized).  Anything else,
including an empty string, has no alternatives.  Not for Chinese, Japanese
or Korean given names: neither source covers them and the caller does not
pass them.

Pure: the English dataset is read once, when this module is imported.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Final

from nicknames import NickNamer

from .hypocorisms import GROUPS

__all__ = ["MAX_ALTERNATIVES", "PROVENANCE", "alternatives"]

PROVENANCE: Final = (
    "Given-name alternatives come from two sources.  English nicknames, in both "
    "directions (Robert to Bob and Bob to Robert), come from the nicknames package "
    "(version 1.0.1 or later; Apache-2.0; Carlton Northern and Nick Crews, a "
    "hand-curated dataset of English names and nicknames), read through its "
    "NickNamer class.  Familiar forms in other languages (Russian, Ukrainian, "
    "Polish, Czech, Slovak, Hungarian, German, Dutch, Scandinavian, Spanish, "
    "Portuguese, Italian, French, Greek, Romanian, Serbian and Croatian, Hebrew, "
    "Arabic and Persian) come from the table in "
    "coc_hashscreen.core._namedata.hypocorisms, compiled by hand by the "
    "maintainers from general knowledge of each language's familiar forms, not "
    "copied from a dataset, and awaiting review by native speakers."
)

# The most alternatives one token yields: a name with many (Lena, Chris) would
# otherwise multiply the committee's keys for every register name that has it.
MAX_ALTERNATIVES: Final = 24

_TOKEN: Final = re.compile(r"[a-z]+")


def _merged_groups() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Familiar forms by formal name, and formal names by familiar form.

    Groups with the same formal name (José in Spanish and in Portuguese)
    become one; a familiar form shared by several formal names (Slava)
    points to all of them.
    """
    familiar: dict[str, set[str]] = {}
    formal: dict[str, set[str]] = {}
    for name, *forms in GROUPS:
        familiar.setdefault(name, set()).update(forms)
        for form in forms:
            formal.setdefault(form, set()).add(name)
    return (
        {k: frozenset(v) for k, v in familiar.items()},
        {k: frozenset(v) for k, v in formal.items()},
    )


_FAMILIAR_FORMS, _FORMAL_NAMES = _merged_groups()
_NICKNAMER: Final = NickNamer()


def _english(token: str) -> set[str]:
    """The English dataset's nicknames of *token* and the names it is a nickname of."""
    found: set[str] = _NICKNAMER.nicknames_of(token)
    found |= _NICKNAMER.canonicals_of(token)
    return found


def _hypocorisms(token: str) -> tuple[set[str], set[str]]:
    """From the table: the names *token* is directly paired with, and its siblings.

    Siblings are the other familiar forms of the formal names that *token*
    is a familiar form of (Sasha to Shura, through Aleksandr).
    """
    formal = _FORMAL_NAMES.get(token, frozenset())
    direct = set(_FAMILIAR_FORMS.get(token, frozenset())) | formal
    siblings: set[str] = set()
    for name in formal:
        siblings |= _FAMILIAR_FORMS[name]
    return direct, siblings


def _cut(token: str, first: Iterable[str], then: Iterable[str]) -> frozenset[str]:
    """At most MAX_ALTERNATIVES names: *first* before *then*, each in sorted order."""
    chosen: list[str] = []
    for pool in (first, then):
        for name in sorted(set(pool)):
            if len(chosen) == MAX_ALTERNATIVES:
                return frozenset(chosen)
            if name != token and name not in chosen and _TOKEN.fullmatch(name):
                chosen.append(name)
    return frozenset(chosen)


@functools.lru_cache(maxsize=4096)
def alternatives(token: str) -> frozenset[str]:
    """The given names a person with given name *token* may also go by.

    English nicknames in both directions, and the familiar forms of the
    hypocorisms table: formal to familiar, familiar to formal, and familiar
    to the other familiar forms of the same formal name.  Never *token*
    itself; only lower-case ASCII letters; at most MAX_ALTERNATIVES, the
    names directly paired with *token* before the siblings, each set cut in
    sorted order, so the result depends on the data only.  A token that is
    not lower-case ASCII letters, or that no source knows, gives the empty
    set.
    """
    if not _TOKEN.fullmatch(token):
        return frozenset()
    direct, siblings = _hypocorisms(token)
    return _cut(token, direct | _english(token), siblings)
