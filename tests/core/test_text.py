"""Text fit for a terminal and for the register (issue 11, finding 7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import (
    KINDS,
    Identifier,
    canonical,
    clean_text,
    escape_unsafe,
    has_unsafe_characters,
)
from coc_hashscreen.errors import InvalidIdentifier

from ..strategies import emails, names

# Every character class the finding names, and some that look harmless.
HOSTILE = [
    "\x1b[2J",  # C0: an escape sequence
    "\x07",
    "\x7f",
    "\x85",  # C1: next line
    "\x9b",  # C1: control sequence introducer
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # bidi embeddings and overrides
    "\u2066", "\u2067", "\u2068", "\u2069",  # bidi isolates
    "\u200e", "\u200f", "\u061c",  # bidi marks
    "\u200b", "\ufeff",  # invisible
    "\ud800",  # a lone surrogate
]  # fmt: skip


@pytest.mark.parametrize("hostile", HOSTILE)
def test_every_hostile_character_is_escaped_visibly(hostile: str) -> None:
    shown = escape_unsafe(f"ok {hostile} ok")
    assert not has_unsafe_characters(shown)
    assert shown.isprintable()
    assert f"\\u{ord(hostile[0]):04x}" in shown
    assert escape_unsafe(f"a{hostile}\nb", keep_newlines=True).split("\n")[0] == escape_unsafe(
        f"a{hostile}"
    )


def test_newlines_are_kept_only_when_asked_and_joiners_stay() -> None:
    assert escape_unsafe("one\ntwo") == "one\\u000atwo"
    assert escape_unsafe("one\r\ntwo\tthree", keep_newlines=True) == "one\ntwo\\u0009three"
    persian = "می\u200cخواهم"  # the non-joiner shapes Persian text
    assert escape_unsafe(persian) == persian


@given(st.text())
def test_escaped_text_is_always_printable_but_for_line_feeds(text: str) -> None:
    assert not has_unsafe_characters(escape_unsafe(text))
    for line in escape_unsafe(text, keep_newlines=True).split("\n"):
        assert not has_unsafe_characters(line)


@pytest.mark.parametrize("hostile", [h for h in HOSTILE if h != "\ud800"])
def test_identifier_values_are_stored_clean(hostile: str) -> None:
    identifier = Identifier("name", f"Mallory{hostile}Smith")
    assert not has_unsafe_characters(identifier.value)
    assert identifier.canonical == canonical("name", f"Mallory{hostile}Smith")
    if not hostile[0].isspace():
        email = Identifier("email", f"mallory{hostile[0]}@example.org")
        assert email.value == "mallory@example.org"


@given(
    st.sampled_from(KINDS),
    names | emails | st.text(max_size=40),
    st.lists(st.sampled_from([h for h in HOSTILE if h != "\ud800"] + ["\t", "\n"]), max_size=4),
    st.integers(min_value=0, max_value=40),
)
def test_cleaning_never_changes_the_canonical_form(
    kind: str, value: str, noise: list[str], at: int
) -> None:
    # The register stores the cleaned value; the list is built from it, so a
    # cleaned value must hash exactly as the value given.
    given_value = value[:at] + "".join(noise) + value[at:]
    try:
        expected = canonical(kind, given_value)
    except InvalidIdentifier:
        with pytest.raises(InvalidIdentifier):
            canonical(kind, clean_text(given_value))
        return
    assert canonical(kind, clean_text(given_value)) == expected


@pytest.mark.parametrize(
    "garbled",
    [
        "Jos\u00c3\u00a9 Garc\u00c3\u00ada",  # UTF-8 read as Windows-1252 once
        "Jos\u00c3\u0192\u00c2\u00a9 Garc\u00c3\u0192\u00c2\u00ada",  # and twice
    ],
)
def test_a_stored_identifier_keeps_the_soft_hyphen_of_mojibake(garbled: str) -> None:
    # "í" garbled is "Ã" and a soft hyphen: dropped, the name would publish
    # "garca josa" and never match the organizer's "José García".
    stored = Identifier("name", garbled)
    assert "\u00ad" in stored.value
    assert stored.canonical == canonical("name", "José García", profile="v2") == "garcia jose"


def test_a_real_soft_hyphen_is_still_cleaned_away() -> None:
    stored = Identifier("name", "Ber\u00adnadette Ober\u00admeier")
    assert stored.value == "Bernadette Obermeier"
