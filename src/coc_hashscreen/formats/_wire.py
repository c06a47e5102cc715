"""Strict JSON for the payloads of our files.

Payloads are read only after their signature verified, but a parser must
still never crash on anything but our own errors: duplicate keys, NaN,
floats where integers belong, unknown or missing fields, deep nesting and
huge numbers are all refused with `FormatError`, lone surrogates with
`InvalidText`.

Memory: Python builds an object of 50 to 200 bytes for each JSON value, so
a 4 MiB document of ``[],`` or ``{},`` would take 100 to 200 MiB.  Before
anything is built, `load_json` counts the document's values (strings,
containers and separators, outside strings) and refuses more than
`MAX_JSON_VALUES`; what is left is the text itself (docs/formats.md gives
the measured peak per parser).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any, Final, NoReturn

from ..core import NAME_RULE, check_text, is_fit_name
from ..errors import FormatError, InvalidText, UnsupportedFormat

__all__ = [
    "MAX_JSON_VALUES",
    "MAX_TIMESTAMP",
    "Fields",
    "b64",
    "dump_json",
    "load_json",
    "timestamp_field",
]

MAX_INT = 2**63 - 1
# 9999-12-31T23:59:59Z: the last second datetime can represent.
MAX_TIMESTAMP = 253_402_300_799
# The most values one JSON document may hold.  The largest real document,
# a report naming 100 people with 20 identifiers of each kind and 50
# attachments, holds about 19,000.
MAX_JSON_VALUES: Final = 50_000

# A string (possessive: no backtracking on hostile input), or a character
# that opens a container or separates two values.
_TOKEN: Final = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"|[\[{,]', re.DOTALL)
_SURROGATE_ESCAPE: Final = re.compile(rb"\\u[dD][89abcdefABCDEF]")


def dump_json(obj: Mapping[str, Any]) -> bytes:
    """Compact, key-sorted UTF-8 JSON: the same object always gives the same bytes."""
    text = json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidText(
            "a document to write holds text that is not Unicode (a lone surrogate)"
        ) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _no_constants(name: str) -> NoReturn:
    raise ValueError(f"{name} is not allowed")


def _count_values(data: bytes, what: str, limit: int) -> None:
    """Refuse a document of more than *limit* values before any object is built.

    Counts strings, container openings and commas outside strings: every
    value and key is one of those or the first item of a container, so the
    count bounds the objects `json.loads` would make.  The scan stops at
    the limit; it holds one match at a time.
    """
    for count, _ in enumerate(_TOKEN.finditer(data)):
        if count >= limit:
            raise FormatError(f"the {what} holds more than {limit:,} JSON values; no real one does")


def _check_strings(obj: object, what: str) -> None:
    """Refuse a lone surrogate in any key or string of a parsed document."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            check_text(item, f"a string in the {what}")
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def load_json(data: bytes, what: str, *, max_values: int = MAX_JSON_VALUES) -> Fields:
    """Parse a JSON object strictly; every failure is a `FormatError` or `InvalidText`."""
    _count_values(data, what, max_values)
    try:
        text = data.decode("utf-8")
        obj = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except UnicodeDecodeError:
        raise FormatError(f"the {what} is not valid UTF-8") from None
    except (ValueError, RecursionError):
        raise FormatError(f"the {what} is not valid JSON") from None
    if not isinstance(obj, dict):
        raise FormatError(f"the {what} is not a JSON object")
    # Only a \\uD800-\\uDFFF escape can put a surrogate into decoded UTF-8.
    if _SURROGATE_ESCAPE.search(data):
        _check_strings(obj, what)
    return Fields(obj, what)


class Fields:
    """Typed, bounded access to the fields of one JSON object."""

    def __init__(self, obj: Mapping[str, Any], what: str) -> None:
        self._obj = obj
        self.what = what

    def expect(self, required: set[str], optional: set[str] | frozenset[str] = frozenset()) -> None:
        """Refuse missing and unknown fields."""
        present = set(self._obj)
        missing = required - present
        if missing:
            raise FormatError(f"the {self.what} lacks the field(s) {', '.join(sorted(missing))}")
        unknown = present - required - optional
        if unknown:
            raise FormatError(
                f"the {self.what} has unknown field(s) {', '.join(sorted(unknown)[:5])}"
            )

    def has(self, key: str) -> bool:
        return key in self._obj

    def format_version(self, key: str, supported: int | tuple[int, ...]) -> int:
        versions = supported if isinstance(supported, tuple) else (supported,)
        version = self.integer(key, minimum=1)
        if version not in versions:
            said = " and ".join(map(str, versions))
            raise UnsupportedFormat(
                f"the {self.what} has format version {version}; this release reads "
                f"version{'s' if len(versions) > 1 else ''} {said}: use a matching release "
                "of coc-hashscreen"
            )
        return version

    def _bad(self, key: str, expected: str) -> FormatError:
        return FormatError(f"the {self.what} field {key!r} must be {expected}")

    def integer(self, key: str, *, minimum: int = 0, maximum: int = MAX_INT) -> int:
        value = self._obj[key]
        if type(value) is not int or not minimum <= value <= maximum:
            raise self._bad(key, f"an integer in {minimum}..{maximum}")
        return value

    def text(self, key: str, *, max_length: int, pattern: str | None = None) -> str:
        value = self._obj[key]
        if not isinstance(value, str) or len(value) > max_length:
            raise self._bad(key, f"text of at most {max_length} characters")
        if pattern is not None and not re.fullmatch(pattern, value):
            raise self._bad(key, f"text matching {pattern}")
        return value

    def name(self, key: str) -> str:
        """A display name, held to the rules `display_name` applies when it is made."""
        value = self._obj[key]
        if not isinstance(value, str) or not is_fit_name(value):
            raise self._bad(key, f"a name of {NAME_RULE}")
        return value

    def bytes_hex(self, key: str, *, size: int | None = None, max_size: int = 4096) -> bytes:
        value = self._obj[key]
        if not isinstance(value, str) or len(value) > 2 * max_size:
            raise self._bad(key, "hexadecimal")
        try:
            raw = bytes.fromhex(value)
        except ValueError:
            raise self._bad(key, "hexadecimal") from None
        if value != raw.hex():
            raise self._bad(key, "lower-case hexadecimal")
        if size is not None and len(raw) != size:
            raise self._bad(key, f"{size} bytes")
        return raw

    def bytes_b64(self, key: str, *, max_size: int) -> bytes:
        value = self._obj[key]
        if not isinstance(value, str) or len(value) > (max_size + 2) // 3 * 4:
            raise self._bad(key, f"base64 of at most {max_size} bytes")
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise self._bad(key, "base64") from None
        if base64.b64encode(raw).decode("ascii") != value:
            raise self._bad(key, "canonical base64")
        return raw

    def obj(self, key: str) -> Fields:
        value = self._obj[key]
        if not isinstance(value, dict):
            raise self._bad(key, "an object")
        return Fields(value, f"{self.what} {key}")

    def items(self, key: str, *, max_items: int) -> list[Any]:
        value = self._obj[key]
        if not isinstance(value, list) or len(value) > max_items:
            raise self._bad(key, f"a list of at most {max_items} items")
        return value

    def raw(self) -> Mapping[str, Any]:
        return self._obj


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def timestamp_field(fields: Fields, key: str) -> int:
    """A Unix time in seconds that `datetime` can represent."""
    return fields.integer(key, minimum=0, maximum=MAX_TIMESTAMP)
