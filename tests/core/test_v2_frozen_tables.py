"""Profile v2's organizer-side tables are frozen: a change to one is a new profile.

The vectors freeze chosen inputs; this freezes every entry of the tables
the canonical form reads (ADR 0020): each one is run through `canonical`,
and the outputs' digest must not change.  The committee-side tables
(nicknames, familiar forms, spelling families, other romanization schemes)
may grow and are not here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from coc_hashscreen.core import canonical
from coc_hashscreen.core._namedata import arabic, assigned, confusables, han, hangul, kana
from coc_hashscreen.core._names_v2 import HONORIFICS, PARTICLES, PLACEHOLDERS
from coc_hashscreen.errors import InvalidIdentifier

FROZEN = "3bba637609971f27e23b046c25955b100a38c13f24b01b57b667b83999a0fc71"


def _inputs() -> Iterator[str]:
    for word in sorted(arabic.ARABIC_NAMES):
        yield word
        yield f"{word} Smith"
    for surname in sorted(hangul.SURNAMES):
        yield surname + "서연"
        yield surname
    for surname in sorted({*han.SURNAME_READINGS, *han.COMPOUND_SURNAMES}):
        yield surname + "小明"
        yield f"小明 {surname}"
    for syllable in range(0x3041, 0x3097):
        yield chr(syllable) + "さと"
    for letter in "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰ":
        yield f"Δημ{letter}τρα"
    for char in sorted(confusables.PROTOTYPES):
        yield f"J{char}hn Smith"
    for word in sorted(HONORIFICS | PARTICLES | PLACEHOLDERS):
        yield f"{word} Ann Lee"
        yield f"Ann Lee {word}"
        yield f"Ann {word} Lee"
    yield str(len(assigned.RANGES))
    yield str(sum(last - first + 1 for first, last in assigned.RANGES))
    yield kana.kana_romaji("さとう")


def _digest() -> str:
    digest = hashlib.sha256()
    for value in _inputs():
        try:
            form = canonical("name", value, profile="v2")
        except InvalidIdentifier as exc:
            form = f"! {exc.rule}"
        digest.update(f"{value}\x00{form}\x00".encode())
    return digest.hexdigest()


def test_the_organizer_side_tables_of_v2_are_frozen() -> None:
    assert _digest() == FROZEN, (
        "a table the v2 canonical form reads has changed: that is a new profile "
        "(docs/normalization.md, Stability), not an edit"
    )
