"""Which text encoding a CSV file is in, and what to say when it is none we read.

UTF-8 (with or without a byte-order mark) and UTF-16/32 with one are read;
a legacy single-byte file (Windows-1252, MacRoman, Latin-1) only when the
caller names its encoding, since guessing would mis-decode names silently.
A refusal says what the bytes look like and the exact `--encoding` to pass.
Messages never quote the text.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

from ..errors import InputError

__all__ = [
    "LINE_END",
    "SAVE_AS",
    "legacy_advice",
    "sample_text",
    "text_encoding",
    "undecodable",
]

SAVE_AS: Final = "save it as 'CSV UTF-8' or XLSX"
# A line end; a CR at the end of a chunk waits for the next (it may be CRLF).
LINE_END: Final = re.compile(r"\r\n|\r(?!\Z)|\n")

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def text_encoding(sample: bytes, named: str | None) -> str:
    """The codec to read *sample*'s file with, or an error saying what it looks like."""
    bom = next((codec for mark, codec in _BOMS if sample.startswith(mark)), None)
    if named is not None:
        return _named_encoding(sample, named, bom)
    if bom is not None:
        return bom
    if b"\x00" in sample:
        raise InputError(_binary_advice(sample))
    if not sample.isascii():
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        except UnicodeDecodeError as exc:
            raise undecodable(sample, exc.start, "utf-8") from None
    return "utf-8"


_NAMES: Final = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
    "mac-roman": "MacRoman",
    "iso8859-1": "Latin-1",
}


def undecodable(
    data: bytes, bad: int, encoding: str, first_line: int = 1, before: str = ""
) -> InputError:
    """The error for bytes *encoding* cannot decode at *bad*: the line, and what to do."""
    text = before + data[: max(bad, 0)].decode(encoding, errors="replace")
    line = first_line + len(LINE_END.findall(text))
    name = _NAMES.get(codecs.lookup(encoding).name, encoding)
    if name.startswith("UTF"):
        return InputError(f"line {line} is not valid {name}: {legacy_advice(data)}")
    return InputError(
        f"line {line} is not valid {name}; check --encoding (Excel's 'CSV' is cp1252 on "
        "Windows, mac_roman on a Mac), or save the file as 'CSV UTF-8'"
    )


def _named_encoding(sample: bytes, named: str, bom: str | None) -> str:
    try:
        info = codecs.lookup(named)
    except LookupError:
        raise InputError(
            f"unknown encoding {named[:30]!r}; use e.g. cp1252, mac_roman, latin-1 or utf-8"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(f"{named[:30]!r} is not a text encoding; use e.g. cp1252 or mac_roman")
    if bom is not None:
        if _family(info.name) != _family(bom):
            raise InputError(
                f"the file starts with a {codecs.lookup(bom).name} byte-order mark, so it is not "
                f"{info.name}; leave out --encoding"
            )
        return bom
    if not sample.isascii() and _is_single_byte(info.name):
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        except UnicodeDecodeError:
            return info.name
        # Valid UTF-8 with non-ASCII read as a legacy encoding would turn
        # every accented letter into two wrong ones.
        raise InputError(f"the file is UTF-8, not {info.name}; leave out --encoding")
    return info.name


def _family(codec: str) -> tuple[str, ...]:
    """ "utf-16-le", "utf-16" and "UTF16" are one family; so are "utf-8" and "utf-8-sig"."""
    return tuple(codecs.lookup(codec).name.split("-")[:2])


def _is_single_byte(codec: str) -> bool:
    return len("é".encode(codec, errors="replace")) == 1


def _binary_advice(sample: bytes) -> str:
    even, odd = sample[0::2], sample[1::2]
    if even and odd and (odd.count(0) > len(odd) // 2 or even.count(0) > len(even) // 2):
        return (
            "this looks like UTF-16 text without a byte-order mark; save it as 'CSV UTF-8' "
            "or as Unicode Text"
        )
    return f"this is a binary file, not a CSV file or spreadsheet; {SAVE_AS}"


# Punctuation that Windows-1252 puts in 0x80-0x9F and text often has.
_PUNCTUATION: Final = frozenset("‘’‚“”„–—…€•·«»°´¨ˆ˜™")


def legacy_advice(data: bytes) -> str:
    """What non-UTF-8 text looks like, and what to do: one clause, quoting nothing."""
    if _plausibility(data, "mac_roman") > _plausibility(data, "cp1252"):
        return (
            "this looks like MacRoman text, Excel's 'CSV' on a Mac; save it as 'CSV UTF-8' or "
            "pass --encoding mac_roman"
        )
    has_c1 = any(0x80 <= b <= 0x9F for b in data)
    name = "Windows-1252" if has_c1 else "Windows-1252 or Latin-1"
    return (
        f"this looks like {name} text, Excel's 'CSV' on Windows; save it as 'CSV UTF-8' or "
        "pass --encoding cp1252"
    )


def _plausibility(data: bytes, codec: str) -> int:
    """How many non-ASCII characters read as *codec* fit where they stand.

    A lower-case letter or common punctuation fits; an upper-case letter fits
    at the start of a word or in an all-capitals word ("JosŽ" and "MŸller"
    are MacRoman read as Windows-1252).  Undecodable bytes count against.
    """
    text = f" {data.decode(codec, errors='replace')} "
    return sum(
        1 if _fits(text[i - 1], char, text[i + 1]) else -1
        for i, char in enumerate(text)
        if not char.isascii()
    )


def _fits(before: str, char: str, after: str) -> bool:
    if char == "\ufffd" or not (char.isalpha() or char in _PUNCTUATION):
        return False
    # An upper-case letter after a lower-case one, or inside a lower-case word.
    return not (char.isupper() and (before.islower() or (before.isalpha() and after.islower())))


def sample_text(sample: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
