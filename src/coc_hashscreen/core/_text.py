"""Rules for text that people read: committee, organizer and file names.

Names travel in signed files and end up on terminals and in reports, so
one rule decides what is fit to print, wherever a name is made or read.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from ..errors import InputError, InvalidText

__all__ = [
    "FORMULA_START",
    "MAX_NAME",
    "NAME_RULE",
    "check_text",
    "clean_text",
    "display_name",
    "escape_unsafe",
    "has_unsafe_characters",
    "is_fit_name",
]

# The longest committee, organizer or event name a file may carry.
MAX_NAME: Final = 200
NAME_RULE: Final = (
    f"1 to {MAX_NAME} characters, without control, invisible or direction-changing characters"
)


# Joiners shape letters in Persian, Indic and emoji text; every other
# format character is invisible or reorders what a terminal shows.
_JOINERS: Final = frozenset("\u200c\u200d")
_UNSAFE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in _UNSAFE_CATEGORIES and ch not in _JOINERS


def has_unsafe_characters(text: str) -> bool:
    """Whether *text* holds a character that could deceive whoever reads it printed.

    Control characters can rewrite a terminal, bidi overrides and invisible
    characters can make one name look like another, line separators break
    one-line output, and lone surrogates (possible through JSON escapes)
    cannot be printed at all.
    """
    return not text.isprintable() and any(_unsafe(ch) for ch in text)


def check_text(value: str, what: str) -> str:
    """*value*, if it is Unicode text: a lone surrogate is refused with `InvalidText`.

    Every place that reads text from outside (JSON, the command line, a
    Python caller's report) calls this before the text is stored, sealed or
    printed, where a surrogate would fail with a `UnicodeEncodeError`.
    """
    if _SURROGATE.search(value):
        raise InvalidText(
            f"{what} is not Unicode text (it holds a lone surrogate, U+D800 to U+DFFF); "
            "save it as UTF-8 and try again"
        )
    return value


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape_unsafe(text: str, *, keep_newlines: bool = False) -> str:
    """*text* with every unsafe character (`has_unsafe_characters`) shown as an escape.

    The one function that stands between text from a report, the register
    or a file and a terminal: C0 and C1 controls (an escape sequence could
    rewrite the screen), line and paragraph separators, bidi controls
    (U+202A-202E, U+2066-2069, U+200E, U+200F, U+061C) and other invisible
    format characters, and lone surrogates become ``\\u001b``, ``\\u202e`` and
    the like.  With *keep_newlines*, line feeds (and CR LF pairs, as one
    line feed) stay: for multi-line text that we lay out ourselves.
    """
    if text.isprintable():
        return text
    if keep_newlines:
        return "\n".join(escape_unsafe(line) for line in text.replace("\r\n", "\n").split("\n"))
    return "".join(_escape(ch) if _unsafe(ch) else ch for ch in text)


# OWASP's list of characters that start a formula in spreadsheet software:
# a cell we write that starts with one gets an apostrophe before it.
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str, *, keep: str = "") -> str:
    """*value* with the characters `has_unsafe_characters` finds taken out.

    Whitespace among them (tab, line feed, the line and paragraph
    separators) becomes a space; the rest (other controls, bidi and
    invisible format characters) is dropped.  Normalization treats these
    characters the same way, so a cleaned identifier keeps its canonical
    form: this is how identifier values are stored.  Characters in *keep*
    stay (see `Identifier`: the soft hyphen of mojibake).
    """
    if value.isprintable():
        return value
    return "".join(
        (" " if ch.isspace() else "") if _unsafe(ch) and ch not in keep else ch for ch in value
    )


def is_fit_name(value: str) -> bool:
    """Whether *value* may name a committee, an organizer or a file, as `NAME_RULE` says."""
    return bool(value.strip()) and len(value) <= MAX_NAME and not has_unsafe_characters(value)


def display_name(value: str, what: str) -> str:
    """*value* stripped, if it is fit to name a committee or an organizer."""
    name = value.strip()
    if not is_fit_name(name):
        raise InputError(f"{what} must be {NAME_RULE}")
    return name
