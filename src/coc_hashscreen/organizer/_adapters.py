"""Records from ticketing and call-for-papers platforms, as they hand them out.

Each adapter turns one platform record (a pretix order or position, a
pretalx speaker, a Tito ticket, an Eventbrite attendee, a Luma guest) into
a `ScreenRecord`.  Field names come from each platform's own source and API
documentation.  Pure functions: nothing here reads a file.

- Identifiers are handed to `ScreenRecord.from_mapping` under header keys of
  the header vocabulary (`_headers.kind_of`), so a platform record and a CSV
  row of the same export mean the same.  The buyer's or order's contact
  goes under the *order-level* keys ``"Order name"`` and ``"Order email"``,
  never under the attendee's own.
- Answers to custom questions are read by their question's text through
  the same vocabulary: "GitHub username" holds a GitHub handle.  Yes/no
  answers are never read as handles.
- Nothing else is passed through unless asked for by name (``keep=``), and
  fields holding ticket secrets (pretix ``secret``, Eventbrite
  ``barcodes``, Luma ``check_in_qr_code``, ...) are refused even then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from typing import Any, Final

from ._headers import HANDLE_KINDS, SECRET_FIELDS, is_yes_no, kind_of, refuse_secret_field
from ._records import ScreenRecord

__all__ = [
    "SECRET_FIELDS",
    "eventbrite_attendee_record",
    "luma_guest_record",
    "pretalx_speaker_record",
    "pretix_export_records",
    "pretix_order_records",
    "pretix_position_record",
    "pretix_questions",
    "tito_ticket_record",
]

# Header keys the vocabulary reads as attendee-level and as order-level.
NAME: Final = "Name"
GIVEN: Final = "First name"
FAMILY: Final = "Last name"
EMAIL: Final = "Email"
ORDER_NAME: Final = "Order name"
ORDER_EMAIL: Final = "Order email"

# Keys of flat records that name a ticket type, not a person (Luma's
# ``ticket_name`` is "Standard"), whatever the header vocabulary says.
_NOT_NAMES: Final = frozenset({"ticket_name", "ticketName"})


class _Fields:
    """Identifier values under header keys, in order; the pieces of one record."""

    def __init__(self) -> None:
        self.values: dict[str, list[str]] = {}

    def add(self, key: str, value: object) -> None:
        # An empty field is kept too: pretix's plain "Email" is the order's
        # because an "Attendee email" field is there, filled or not.
        self.values.setdefault(key, []).extend(_texts(value))

    def answer(self, questions: Iterable[object], value: object) -> None:
        """An answer, under the first of its question's texts the vocabulary knows.

        A yes/no answer to a handle question ("Print my Twitter handle on my
        badge": "Yes", pretix's "True") is a choice, not a handle.  Answers
        come one at a time here, so this is judged per answer, for handle
        questions only: an answer "Jo" to a name question is a name.
        """
        for question in questions:
            found = kind_of(question) if isinstance(question, str) else None
            if found is not None:
                texts = _texts(value)
                if found[0] not in HANDLE_KINDS or not any(is_yes_no(t) for t in texts):
                    self.add(str(question), value)
                return

    def record(self, ref: Mapping[str, Any]) -> ScreenRecord:
        record = ScreenRecord.from_mapping(self.values)
        return replace(record, ref={**record.ref, **ref})


def _texts(value: object) -> list[str]:
    """The non-blank texts of a value: a text, or a list of texts; nothing else."""
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str) and v.strip()]


def _obj(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _i18n(value: object) -> list[str]:
    """A text, or every language's text of a multilingual one ({"en": ..., "de": ...})."""
    if isinstance(value, Mapping):
        return [v for v in value.values() if isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def _kept(platform: str, keep: Iterable[str], *sources: Mapping[str, Any]) -> dict[str, Any]:
    """The fields named in *keep*, from the first source that has each."""
    kept: dict[str, Any] = {}
    for name in keep:
        refuse_secret_field(name, platform)
        for source in sources:
            value = source.get(name)
            if name in source and (value is None or isinstance(value, str | int | float | bool)):
                kept[name] = value
                break
    return kept


def row_ref(row: int, role: str | None) -> dict[str, Any]:
    """A record's ``ref``: its 1-based row in the document, and the role if given."""
    return {"row": row, "role": role} if role else {"row": row}


def _ref(ref: Mapping[str, Any] | None, kept: Mapping[str, Any]) -> dict[str, Any]:
    # The caller's (a row number, a role) win over a kept field of the same name.
    return {**kept, **(ref or {})}


# ---------------------------------------------------------------------------
# pretix


def pretix_questions(questions: Iterable[object]) -> dict[int, tuple[str, ...]]:
    """Question texts by id, from pretix's ``questions`` (export or ``/questions/``).

    Answers name their question by id only; pass this to the order and
    position adapters as *questions*.  A multilingual question keeps every
    language's text, and its ``identifier``.
    """
    found: dict[int, tuple[str, ...]] = {}
    for question in questions:
        q = _obj(question)
        qid = q.get("id")
        if isinstance(qid, int) and not isinstance(qid, bool):
            texts = [*_i18n(q.get("question")), *_i18n(q.get("identifier"))]
            found[qid] = tuple(texts)
    return found


def pretix_position_record(
    position: Mapping[str, Any],
    *,
    order: Mapping[str, Any] | None = None,
    questions: Mapping[int, Iterable[str]] | None = None,
    keep: Iterable[str] = (),
    ref: Mapping[str, Any] | None = None,
) -> ScreenRecord:
    """One pretix order position (a ticket) as a record.

    ``attendee_name`` (or ``attendee_name_parts``, with its
    ``latin_transcription``) and ``attendee_email`` are the attendee's own;
    *order*'s ``email`` and invoice address name are order-level.  Answers
    (``answers[{question, answer}]``) are read by the question's text from
    *questions* (`pretix_questions`), else by ``question_identifier``.
    """
    order = order or {}
    fields = _Fields()
    parts = _obj(position.get("attendee_name_parts"))
    # The export has only attendee_name; the API adds its parts.
    name = position.get("attendee_name") or parts.get("full_name") or parts.get("_legacy")
    fields.add(NAME, name)
    if not _texts(name):
        fields.add(GIVEN, parts.get("given_name"))
        fields.add(FAMILY, parts.get("family_name"))
    fields.add(NAME, parts.get("latin_transcription"))
    fields.add(EMAIL, position.get("attendee_email"))
    for answer in _list(position.get("answers")):
        a = _obj(answer)
        qid = a.get("question")
        texts = list((questions or {}).get(qid, ())) if isinstance(qid, int) else []
        fields.answer([*texts, *_i18n(a.get("question_identifier"))], a.get("answer"))
    fields.add(ORDER_EMAIL, order.get("email"))
    fields.add(ORDER_NAME, _obj(order.get("invoice_address")).get("name"))
    return fields.record(_ref(ref, _kept("pretix", keep, position, order)))


def pretix_order_records(
    order: Mapping[str, Any],
    *,
    questions: Mapping[int, Iterable[str]] | None = None,
    keep: Iterable[str] = (),
    first_row: int = 1,
    role: str | None = None,
) -> list[ScreenRecord]:
    """The records of a pretix order's ``positions``, the order's e-mail order-level.

    Works on an order of the REST API (``/orders/``) and of the "Order data
    (JSON)" export alike; rows are numbered from *first_row*.
    """
    return [
        pretix_position_record(
            _obj(position), order=order, questions=questions, keep=keep, ref=row_ref(row, role)
        )
        for row, position in enumerate(_list(order.get("positions")), start=first_row)
    ]


def pretix_export_records(
    export: Mapping[str, Any], *, keep: Iterable[str] = (), role: str | None = None
) -> list[ScreenRecord]:
    """Every position of pretix's "Order data (JSON)" export (``{"event": {...}}``)."""
    event = _obj(export.get("event"))
    questions = pretix_questions(_list(event.get("questions")))
    records: list[ScreenRecord] = []
    for order in _list(event.get("orders")):
        records += pretix_order_records(
            _obj(order), questions=questions, keep=keep, first_row=len(records) + 1, role=role
        )
    return records


# ---------------------------------------------------------------------------
# pretalx, Tito, Eventbrite, Luma


def pretalx_speaker_record(
    speaker: Mapping[str, Any],
    *,
    questions: Mapping[int, Iterable[str]] | None = None,
    keep: Iterable[str] = (),
    ref: Mapping[str, Any] | None = None,
) -> ScreenRecord:
    """A pretalx speaker of the API (``/speakers/``) or of the speaker JSON export.

    API: ``name``, ``email`` and ``answers`` (expanded, ``question`` holding
    the question with its text; or ids, read through *questions*).  Export:
    one object per speaker, keyed by column label ("Name", "Email") and by
    each question's text.
    """
    fields = _Fields()
    for key in ("name", "email"):
        fields.add(NAME if key == "name" else EMAIL, speaker.get(key))
    for key, value in speaker.items():
        if isinstance(key, str) and key not in ("name", "email", "answers"):
            fields.answer([key], value)
    for answer in _list(speaker.get("answers")):
        a = _obj(answer)
        question = a.get("question")
        if isinstance(question, int):
            texts = list((questions or {}).get(question, ()))
        else:
            texts = _i18n(_obj(question).get("question"))
        fields.answer(texts, a.get("answer"))
    return fields.record(_ref(ref, _kept("pretalx", keep, speaker)))


def tito_ticket_record(
    ticket: Mapping[str, Any],
    *,
    keep: Iterable[str] = (),
    ref: Mapping[str, Any] | None = None,
) -> ScreenRecord:
    """A Tito ticket (Admin API ``tickets``, or a ticket webhook).

    ``name``, ``first_name``/``last_name`` and ``email`` are the ticket
    holder's; ``registration_name``/``registration_email`` (or the nested
    ``registration``) are the buyer's, order-level.  ``responses`` (keyed by
    question slug) and ``answers[{question_title, response}]`` (a webhook's
    ``question: {title}``) are read by the question.
    """
    fields = _Fields()
    fields.add(NAME, ticket.get("name"))
    if not _texts(ticket.get("name")):
        fields.add(GIVEN, ticket.get("first_name"))
        fields.add(FAMILY, ticket.get("last_name"))
    fields.add(EMAIL, ticket.get("email"))
    for slug, value in _obj(ticket.get("responses")).items():
        if isinstance(slug, str):
            fields.answer([slug.replace("-", " ").replace("_", " ")], value)
    for answer in _list(ticket.get("answers")):
        a = _obj(answer)
        # A webhook nests the question; the Admin API 3.0 names its title.
        titles = [*_i18n(_obj(a.get("question")).get("title")), *_i18n(a.get("question_title"))]
        fields.answer(titles, a.get("humanized_response") or a.get("response"))
    registration = _obj(ticket.get("registration"))
    fields.add(ORDER_NAME, ticket.get("registration_name") or registration.get("name"))
    fields.add(ORDER_EMAIL, ticket.get("registration_email") or registration.get("email"))
    return fields.record(_ref(ref, _kept("tito", keep, ticket)))


def eventbrite_attendee_record(
    attendee: Mapping[str, Any],
    *,
    keep: Iterable[str] = (),
    ref: Mapping[str, Any] | None = None,
) -> ScreenRecord:
    """An Eventbrite attendee (``/events/{id}/attendees/``).

    ``profile`` (``name``, ``first_name``, ``last_name``, ``email``) is the
    attendee's; the expanded ``order`` (``?expand=order``) is the buyer's,
    order-level.  ``answers[{question, answer}]`` are read by the question.
    """
    fields = _Fields()
    profile = _obj(attendee.get("profile"))
    fields.add(NAME, profile.get("name"))
    if not _texts(profile.get("name")):
        fields.add(GIVEN, profile.get("first_name"))
        fields.add(FAMILY, profile.get("last_name"))
    fields.add(EMAIL, profile.get("email"))
    for answer in _list(attendee.get("answers")):
        a = _obj(answer)
        fields.answer(_i18n(a.get("question")), a.get("answer"))
    order = _obj(attendee.get("order"))
    buyer = order.get("name") or " ".join(_texts([order.get("first_name"), order.get("last_name")]))
    fields.add(ORDER_NAME, buyer)
    fields.add(ORDER_EMAIL, order.get("email"))
    return fields.record(_ref(ref, _kept("eventbrite", keep, attendee)))


def luma_guest_record(
    guest: Mapping[str, Any],
    *,
    keep: Iterable[str] = (),
    ref: Mapping[str, Any] | None = None,
) -> ScreenRecord:
    """A Luma guest (``/event/get-guests``: an entry ``{"guest": {...}}`` or the guest).

    ``user_name`` (or ``user_first_name``/``user_last_name``, or ``name``)
    and ``user_email`` (or ``email``) are the guest's.  The ticket's name
    (``event_ticket.name``, "Standard") is never a person's.
    ``registration_answers[{label, answer}]`` are read by the label.
    """
    guest = _obj(guest.get("guest")) or guest
    fields = _Fields()
    name = guest.get("user_name") or guest.get("name")
    fields.add(NAME, name)
    if not _texts(name):
        fields.add(GIVEN, guest.get("user_first_name") or guest.get("first_name"))
        fields.add(FAMILY, guest.get("user_last_name") or guest.get("last_name"))
    fields.add(EMAIL, guest.get("user_email") or guest.get("email"))
    for answer in _list(guest.get("registration_answers")):
        a = _obj(answer)
        fields.answer([*_i18n(a.get("label")), *_i18n(a.get("question_type"))], a.get("answer"))
    return fields.record(_ref(ref, _kept("luma", keep, guest)))


def flat_record(
    item: Mapping[str, Any],
    *,
    keep: Iterable[str] = (),
    ref: Mapping[str, Any] | None = None,
) -> ScreenRecord:
    """A flat object keyed like a CSV header line; unknown keys are dropped, not kept."""
    fields = _Fields()
    for key, value in item.items():
        if isinstance(key, str) and kind_of(key) is not None and key not in _NOT_NAMES:
            fields.add(key, value)
    # Of no known platform: any platform's secret field names count.
    return fields.record(_ref(ref, _kept("*", keep, item)))


def records_of(
    adapter: Callable[..., ScreenRecord],
    items: Iterable[object],
    *,
    keep: Iterable[str],
    role: str | None,
) -> Iterator[ScreenRecord]:
    """*adapter* over *items*, numbered from 1; an item that is no object is no person."""
    keep = tuple(keep)
    for row, item in enumerate(items, start=1):
        yield adapter(_obj(item), keep=keep, ref=row_ref(row, role))
