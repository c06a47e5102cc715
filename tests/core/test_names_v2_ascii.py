"""Profile v2's fast paths for ASCII give exactly what its general path gives.

A released profile's output never changes (tests/vectors/normalization-v2.json);
these shortcuts only make it sooner, and these properties hold them to it.
"""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from unidecode import unidecode

from coc_hashscreen.core import _names_v2 as v2
from coc_hashscreen.core._namedata import han, hangul

ASCII = st.text(st.characters(max_codepoint=0x7F), max_size=60)
WORD = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20)


@given(ASCII)
def test_clean(text: str) -> None:
    assert v2._clean_ascii(text) == v2._clean_any(text)


@given(ASCII)
def test_fold(text: str) -> None:
    folded = unicodedata.normalize(
        "NFKC", unicodedata.normalize("NFKC", text.casefold()).casefold()
    )
    assert v2._fold(text) == folded


@given(ASCII)
def test_unconfuse(text: str) -> None:
    assert v2._unconfuse(text) == v2._unconfuse_any(text) == text


@given(WORD, st.booleans())
def test_romanized(word: str, alone: bool) -> None:
    # The general path: no script rule applies, no Han or Hangul split, and
    # unidecode leaves the word as it is.
    assert not any(applies(word) for applies, _ in v2._SCRIPT_RULES)
    assert han.han_name(word) is None
    assert hangul.hangul_name(word) is None
    assert unidecode(word) == word
    assert v2._romanized(word, alone=alone) == word
