"""Rules for text that people read: committee, organizer and file names.

Names travel in signed files and end up on terminals and in reports, so
one rule decides what is fit to print, wherever a name is made or read.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from ..errors import InputError

__all__ = ["MAX_NAME", "NAME_RULE", "display_name", "has_unsafe_characters", "is_fit_name"]

# The longest committee, organizer or event name a file may carry.
MAX_NAME: Final = 200
NAME_RULE: Final = (
    f"1 to {MAX_NAME} characters, without control, invisible or direction-changing characters"
)


# Joiners shape letters in Persian, Indic and emoji text; every other
# format character is invisible or reorders what a terminal shows.
_JOINERS: Final = frozenset("\u200c\u200d")
_UNSAFE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def has_unsafe_characters(text: str) -> bool:
    """Whether *text* holds a character that could deceive whoever reads it printed.

    Control characters can rewrite a terminal, bidi overrides and invisible
    characters can make one name look like another, line separators break
    one-line output, and lone surrogates (possible through JSON escapes)
    cannot be printed at all.
    """
    return any(unicodedata.category(ch) in _UNSAFE_CATEGORIES and ch not in _JOINERS for ch in text)


def is_fit_name(value: str) -> bool:
    """Whether *value* may name a committee, an organizer or a file, as `NAME_RULE` says."""
    return bool(value.strip()) and len(value) <= MAX_NAME and not has_unsafe_characters(value)


def display_name(value: str, what: str) -> str:
    """*value* stripped, if it is fit to name a committee or an organizer."""
    name = value.strip()
    if not is_fit_name(name):
        raise InputError(f"{what} must be {NAME_RULE}")
    return name
