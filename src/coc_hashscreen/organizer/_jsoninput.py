"""Attendee and speaker records from a JSON document, whichever platform made it.

The document's shape says which platform it is (see `read_json`); each
platform's records go through its adapter (`_adapters`).  A shape we do not
know is refused with one line that names what was found (an object and its
number of keys, a list of numbers), never a value nor a key: keys of an
unknown document can be attendee data too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ..core import Closing
from ..errors import InputError
from ._adapters import (
    _obj,
    eventbrite_attendee_record,
    flat_record,
    luma_guest_record,
    pretalx_speaker_record,
    pretix_export_records,
    pretix_order_records,
    pretix_position_record,
    records_of,
    tito_ticket_record,
)
from ._headers import kind_of
from ._records import ScreenRecord

__all__ = ["JsonRecords", "read_json", "read_json_records"]

_Adapter = Callable[..., ScreenRecord]
# What `_list_of` calls a list of flat objects, whole or one page of it.
_FLAT: Final = frozenset({"flat objects", "an API page of flat objects"})
_NAME_KINDS: Final = frozenset({"name", "given", "family"})

# Top-level keys of the documents we know: {"tickets": [...]} and the like.
_WRAPPERS: Final[Mapping[str, tuple[str, _Adapter]]] = {
    "tickets": ("Tito tickets", tito_ticket_record),
    "attendees": ("Eventbrite attendees", eventbrite_attendee_record),
    "entries": ("Luma guests", luma_guest_record),
}


@dataclass(frozen=True)
class JsonRecords(Closing):
    """The people of a JSON document, and which platform's document it was read as.

    Read like an open `CsvSource` (``plan.describe()``, ``plan.warnings``,
    ``count()``, ``records(keep=...)``, a context manager), so a caller
    handles either alike; the document is already in memory and closing it
    does nothing.
    """

    platform: str
    people: tuple[ScreenRecord, ...]
    # The parsed document, read again when records() is asked to keep fields.
    document: object = field(default=None, repr=False, compare=False)
    role: str | None = None

    @property
    def plan(self) -> JsonRecords:
        return self

    notes: tuple[str, ...] = ()

    @property
    def warnings(self) -> tuple[str, ...]:
        """What to check, as `ColumnPlan.warnings`: flat objects without names or e-mails.

        A platform's adapter knows where its people's fields are; flat
        objects are read by their keys, which may miss a kind.
        """
        return self.notes

    def describe(self) -> list[str]:
        """One line for people to check the detection, as `ColumnPlan.describe`."""
        return [f"read as {self.platform}: {len(self.people)} record(s)"]

    def count(self) -> int:
        return len(self.people)

    def records(self, *, keep: Sequence[str] = ()) -> Iterator[ScreenRecord]:
        """The people's records; *keep* names fields to pass through (never ticket secrets)."""
        if not keep or self.document is None:
            return iter(self.people)
        return iter(_kept_records(self.document, tuple(keep), self.role)[1])

    def close(self) -> None:
        pass


def read_json_records(
    data: bytes | str, *, keep: Iterable[str] = (), role: str | None = None
) -> list[ScreenRecord]:
    """The records of a JSON document (see `read_json`)."""
    return list(read_json(data, keep=keep, role=role).people)


def read_json(
    data: bytes | str, *, keep: Iterable[str] = (), role: str | None = None
) -> JsonRecords:
    """Read a platform's JSON document; refuse, in one line, any other shape.

    Known: pretix's "Order data (JSON)" export (``{"event": {"orders": ...}}``),
    pretix REST API orders and order positions and pretalx API speakers
    (a page ``{"results": [...]}`` or its list), pretalx's speaker JSON
    export, Tito ``{"tickets": [...]}``, Eventbrite ``{"attendees": [...]}``,
    Luma ``{"entries": [...]}``, and a list of flat objects keyed like a CSV
    header line.  *keep* names fields to pass through (never ticket
    secrets); rows are numbered from 1 in document order.
    """
    document = _parse(data)
    platform, records = _kept_records(document, tuple(keep), role)
    if not records:
        raise InputError(
            f"the JSON document ({platform}) holds no records; export the attendees or "
            "speakers again, with at least one"
        )
    return JsonRecords(platform, tuple(records), document, role, _flat_warnings(platform, document))


def _flat_warnings(platform: str, document: object) -> tuple[str, ...]:
    """Warnings for a list of flat objects with no name or no attendee e-mail field.

    Keys are not quoted: keys of an unknown document can be attendee data.
    """
    items = document.get("results") if isinstance(document, dict) else document
    if platform not in _FLAT or not isinstance(items, list):
        return ()
    found = {kind_of(k) for item in items for k in item if isinstance(k, str)}
    warnings = []
    if not any(kind is not None and kind[0] in _NAME_KINDS and not kind[1] for kind in found):
        warnings.append(
            "no field of attendee names was recognized in the JSON objects; only the "
            "fields recognized are screened (see the organizer guide for the names read)"
        )
    if ("email", False) not in found:
        warnings.append(
            "no field of attendee e-mail addresses was recognized in the JSON objects; "
            "only the fields recognized are screened"
        )
    return tuple(warnings)


def _kept_records(
    document: object, keep: tuple[str, ...], role: str | None
) -> tuple[str, list[ScreenRecord]]:
    """`_dispatch`, refusing a field to keep that no record has (a misspelling)."""
    platform, records = _dispatch(document, keep, role)
    for name in keep:
        if records and not any(name in record.ref for record in records):
            raise InputError(
                f"no record of the JSON document ({platform}) has a field {name[:40]!r} to "
                "keep; fields kept are a record's own text or number fields, not nested "
                "ones, so check its spelling against the platform's field names"
            )
    return platform, records


def _parse(data: bytes | str) -> Any:
    if isinstance(data, str):
        data = data.removeprefix("\ufeff")  # as json.loads does for bytes
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        # The message names what was expected, never the text found.
        raise InputError(
            f"the input is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "export it again"
        ) from None
    except UnicodeDecodeError:
        raise InputError("the JSON input is not valid UTF-8; export it again") from None
    except (ValueError, RecursionError):
        # An integer of thousands of digits, or nesting deeper than Python's stack.
        raise InputError(
            "the JSON input holds a number too long or nesting too deep to read; it is not "
            "an export of attendees or speakers"
        ) from None


def _dispatch(
    document: object, keep: tuple[str, ...], role: str | None
) -> tuple[str, list[ScreenRecord]]:
    if isinstance(document, dict):
        _refuse_a_partial_page(document)
        if isinstance(document.get("event"), dict) and "orders" in document["event"]:
            return "pretix 'Order data (JSON)' export", pretix_export_records(
                document, keep=keep, role=role
            )
        for key, (platform, adapter) in _WRAPPERS.items():
            if isinstance(document.get(key), list):
                return platform, list(records_of(adapter, document[key], keep=keep, role=role))
        if isinstance(document.get("results"), list):
            return _list_of(document["results"], keep, role, paged=True)
        raise InputError(
            f"a JSON object with {len(document)} key(s), none of them event, results, tickets, "
            "attendees or entries: not an export this tool knows; export attendees as CSV "
            "or see the organizer guide for the platforms it reads"
        )
    if isinstance(document, list):
        return _list_of(document, keep, role, paged=False)
    raise InputError(
        f"the JSON document is {_kind(document)}, not a list of people or a platform's "
        "export; see the organizer guide for the platforms it reads"
    )


def _refuse_a_partial_page(document: dict[str, Any]) -> None:
    """Refuse one page of a longer API listing: its other pages' people would go unscreened.

    pretix and pretalx pages have ``next`` (and ``count``), Eventbrite's
    ``pagination.has_more_items``, Luma's ``has_more``, Tito's
    ``meta.next_page``.
    """
    results = document.get("results")
    count = document.get("count")
    more = (
        bool(document.get("next"))
        or (isinstance(count, int) and isinstance(results, list) and count > len(results))
        or bool(_obj(document.get("pagination")).get("has_more_items"))
        or document.get("has_more") is True
        or _obj(document.get("meta")).get("next_page") is not None
    )
    if more:
        raise InputError(
            "this is one page of an API listing and more pages follow: the people on them "
            "would not be screened; put the records of every page into one JSON list, or "
            "take the platform's export, and screen that"
        )


def _list_of(
    items: list[Any], keep: tuple[str, ...], role: str | None, *, paged: bool
) -> tuple[str, list[ScreenRecord]]:
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError(
                f"item {number} of the JSON list is {_kind(item)}, not an object with a "
                "person's fields; export the attendees again"
            )
    platform, adapter = _platform(items)
    if paged and platform == "flat objects":
        platform = "an API page of flat objects"
    if platform == "pretix API orders":
        records: list[ScreenRecord] = []
        for order in items:
            records += pretix_order_records(order, keep=keep, first_row=len(records) + 1, role=role)
        return platform, records
    return platform, list(records_of(adapter, items, keep=keep, role=role))


def _platform(items: list[dict[str, Any]]) -> tuple[str, _Adapter]:
    """Which platform's records *items* are, by the keys the first of them holds."""
    first = items[0] if items else {}
    keys = set(first)
    if "order__status" in keys or "require_attention" in keys:
        # A check-in list's positions carry the invoice address name as an
        # empty attendee name: the buyer would be screened as the attendee.
        raise InputError(
            "these are pretix check-in list positions, which fill an empty attendee name "
            "with the buyer's; take the order positions (/orderpositions/) or the "
            "'Order data (JSON)' export instead"
        )
    for test, platform, adapter in _SHAPES:
        if test(first, keys):
            return platform, adapter
    if items and not any(isinstance(k, str) and kind_of(k) for item in items for k in item):
        raise InputError(
            f"none of the {len(items)} JSON object(s) has a field this tool reads as a name, "
            "e-mail address or handle; see the organizer guide for the platforms it reads"
        )
    return "flat objects", flat_record


_Test = Callable[[dict[str, Any], set[str]], bool]
# Tried in order: the first whose test fits the list's first object decides.
_SHAPES: Final[tuple[tuple[_Test, str, _Adapter], ...]] = (
    (lambda _, k: {"positions", "code"} <= k, "pretix API orders", pretix_position_record),
    (
        lambda _, k: (
            "order" in k and bool(k & {"attendee_name", "attendee_email", "attendee_name_parts"})
        ),
        "pretix API order positions",
        pretix_position_record,
    ),
    (
        lambda _, k: {"code", "name"} <= k and bool(k & {"biography", "submissions", "answers"}),
        "pretalx API speakers",
        pretalx_speaker_record,
    ),
    (
        lambda _, k: "ID" in k and bool(k & {"Proposal IDs", "Proposal titles", "Biography"}),
        "pretalx speaker export",
        pretalx_speaker_record,
    ),
    (
        lambda o, k: o.get("_type") == "ticket" or "registration_email" in k,
        "Tito tickets",
        tito_ticket_record,
    ),
    (
        lambda o, _: isinstance(o.get("profile"), dict),
        "Eventbrite attendees",
        eventbrite_attendee_record,
    ),
    (
        lambda _, k: bool(k & {"guest", "user_email", "user_name"}),
        "Luma guests",
        luma_guest_record,
    ),
)


def _kind(value: object) -> str:
    """What a JSON value is, without its value."""
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"
