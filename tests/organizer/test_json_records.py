"""JSON and API records: each platform's adapter, the document reader, and what reaches a report."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import Strength
from coc_hashscreen.errors import CocHashscreenError, InputError
from coc_hashscreen.organizer import (
    SECRET_FIELDS,
    ScreeningReport,
    ScreenRecord,
    eventbrite_attendee_record,
    luma_guest_record,
    pretalx_speaker_record,
    pretix_export_records,
    pretix_order_records,
    pretix_position_record,
    pretix_questions,
    read_json,
    read_json_records,
    report_to_csv,
    report_to_json,
    tito_ticket_record,
)
from coc_hashscreen.organizer._adapters import EMAIL, GIVEN, NAME, ORDER_EMAIL, ORDER_NAME
from coc_hashscreen.organizer._headers import kind_of

from ..conftest import World
from ._platform_fixtures import (
    BUYER,
    EVENTBRITE_ATTENDEES,
    LUMA_GUESTS,
    PRETALX_API_SPEAKERS,
    PRETALX_EXPORT,
    PRETIX_API_ORDERS,
    PRETIX_API_POSITIONS,
    PRETIX_EXPORT,
    SECRET,
    TITO_TICKETS,
)

DOCUMENTS: dict[str, tuple[object, str]] = {
    "pretix export": (PRETIX_EXPORT, "pretix 'Order data (JSON)' export"),
    "pretix API orders": (PRETIX_API_ORDERS, "pretix API orders"),
    "pretix API positions": (PRETIX_API_POSITIONS, "pretix API order positions"),
    "pretalx API": (PRETALX_API_SPEAKERS, "pretalx API speakers"),
    "pretalx export": (PRETALX_EXPORT, "pretalx speaker export"),
    "Tito": (TITO_TICKETS, "Tito tickets"),
    "Eventbrite": (EVENTBRITE_ATTENDEES, "Eventbrite attendees"),
    "Luma": (LUMA_GUESTS, "Luma guests"),
}


def _hits(report: ScreeningReport) -> dict[int, set[tuple[str, str, Strength]]]:
    return {m.row: {(h.kind, h.case_ref, h.strength) for h in m.hits} for m in report.matches}


def _screen(world: World, document: object) -> ScreeningReport:
    return world.screener().screen(read_json_records(json.dumps(document).encode()))


# ---------------------------------------------------------------------------
# the order-level contact is marked as the header vocabulary marks it


def test_order_level_keys_are_the_vocabularys_order_level_headers() -> None:
    assert kind_of(ORDER_EMAIL) == ("email", True)
    assert kind_of(ORDER_NAME) == ("name", True)
    assert [kind_of(k) for k in (NAME, GIVEN, EMAIL)] == [
        ("name", False),
        ("given", False),
        ("email", False),
    ]


def test_a_buyers_email_flows_as_an_order_email_column_does() -> None:
    """An attendee's record holds the buyer's address exactly as a CSV "Order email" cell."""
    grace, handle_only = pretix_export_records(PRETIX_EXPORT)[:2]
    assert grace == ScreenRecord.from_mapping(
        {NAME: ["Grace Hopper"], EMAIL: ["grace@example.org"], ORDER_EMAIL: [BUYER], "row": 1}
    )
    assert handle_only == ScreenRecord.from_mapping(
        {"GitHub username": ["mallory"], ORDER_EMAIL: [BUYER], "row": 2}
    )
    (tito,) = [tito_ticket_record(TITO_TICKETS["tickets"][0])]
    assert tito == ScreenRecord.from_mapping(
        {
            NAME: ["Grace Hopper"],
            EMAIL: ["grace@example.org"],
            ORDER_NAME: ["José García"],
            ORDER_EMAIL: [BUYER],
        }
    )
    attendee = eventbrite_attendee_record(EVENTBRITE_ATTENDEES["attendees"][0])
    assert attendee == ScreenRecord.from_mapping(
        {
            NAME: ["Grace Hopper"],
            EMAIL: ["grace@example.org"],
            ORDER_NAME: ["José García"],
            ORDER_EMAIL: [BUYER],
        }
    )


# ---------------------------------------------------------------------------
# every platform, read from its document and screened


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_platform_is_detected(name: str) -> None:
    document, platform = DOCUMENTS[name]
    found = read_json(json.dumps(document).encode(), role="attendee")
    assert found.platform == platform
    assert found.describe() == [f"read as {platform}: {found.count()} record(s)"]
    assert all(r.ref["role"] == "attendee" for r in found.records())
    assert [r.ref["row"] for r in found.records()] == list(range(1, found.count() + 1))


def test_platforms_screened(world: World) -> None:
    garcia, mallory, ivanov = (world.case_refs[k] for k in ("garcia", "mallory", "ivanov"))
    strong, name_only = Strength.STRONG, Strength.NAME_ONLY
    gh = ("github", mallory, strong)
    expected_rows = {
        # row: a hit that must be there
        "pretix export": {2: gh, 3: ("email", ivanov, strong)},
        "pretix API orders": {2: gh},
        "pretix API positions": {1: ("name", ivanov, name_only)},
        "pretalx API": {1: gh, 2: ("name", garcia, name_only)},
        "pretalx export": {2: ("mastodon", mallory, strong)},
        "Tito": {2: gh},
        "Eventbrite": {2: gh},
        "Luma": {2: gh},
    }
    for name, wanted in expected_rows.items():
        report = _screen(world, DOCUMENTS[name][0])
        hits = _hits(report)
        for row, hit in wanted.items():
            assert hit in hits.get(row, set()), (name, row)
        # Grace shares an order with a listed buyer: never a strong match on her.
        if name in ("pretix export", "pretix API orders", "Tito", "Eventbrite", "Luma"):
            assert all(s is not strong for _, _, s in hits.get(1, set())), name


def test_yes_no_answers_are_never_handles() -> None:
    """ "Print my Twitter handle on my badge": True is a choice, not a handle."""
    records = pretix_export_records(PRETIX_EXPORT)
    assert all(not r.twitter for r in records)
    tito = tito_ticket_record(TITO_TICKETS["tickets"][1])
    assert (tito.twitter, tito.mastodon) == ((), ("@mallory@example.social",))


def test_luma_ticket_name_is_never_a_name() -> None:
    record = luma_guest_record(LUMA_GUESTS["entries"][0])
    assert record.names == ("Grace Hopper",)
    nameless = copy.deepcopy(LUMA_GUESTS["entries"][0])
    nameless["guest"]["user_name"] = None
    assert luma_guest_record(nameless).names == ()


def test_answers_read_by_question_text_and_identifier() -> None:
    order = PRETIX_API_ORDERS["results"][0]
    # The API gives ids and identifiers; /questions/ gives the text.
    questions = pretix_questions(
        [{"id": 11, "question": {"en": "GitHub username", "de": "GitHub-Name"}, "identifier": "X"}]
    )
    with_text = pretix_order_records({**order, "positions": [
        {**order["positions"][1], "answers": [{"question": 11, "answer": "octo",
                                               "question_identifier": "X"}]}
    ]}, questions=questions)  # fmt: skip
    assert with_text[0].github == ("octo",)
    assert pretix_order_records(order)[1].github == ("mallory",)  # identifier "github"
    parts = pretix_position_record(PRETIX_API_POSITIONS[0])
    assert parts.names == ("Petr Ivanov", "Пётр Иванов")
    speaker = pretalx_speaker_record(
        {"name": "A", "answers": [{"question": 3, "answer": "@a@b.example"}]},
        questions={3: ("Mastodon",)},
    )
    assert speaker.mastodon == ("@a@b.example",)


# ---------------------------------------------------------------------------
# what is passed through


def test_nothing_is_passed_through_unless_asked(world: World) -> None:
    for name, (document, _) in DOCUMENTS.items():
        report = world.screener().screen(
            read_json_records(json.dumps(document).encode()), include_clear=True
        )
        for text in (report_to_json(report), report_to_csv(report)):
            assert SECRET not in text, name
            assert "PSEUDO" not in text, name
            assert "vegan" not in text, name
            assert "Talks." not in text, name
        assert all(set(m.ref) == {"row"} for m in report.matches), name


def test_keep_passes_named_fields_from_the_position_or_its_order(world: World) -> None:
    records = read_json_records(
        json.dumps(PRETIX_EXPORT).encode(), keep=("code", "positionid"), role="attendee"
    )
    assert [dict(r.ref) for r in records] == [
        {"code": "A1B2C", "positionid": 1, "row": 1, "role": "attendee"},
        {"code": "A1B2C", "positionid": 2, "row": 2, "role": "attendee"},
        {"code": "Z9Y8X", "positionid": 1, "row": 3, "role": "attendee"},
    ]
    report = world.screener().screen(records)
    assert {m.row: m.passthrough["code"] for m in report.matches}[3] == "Z9Y8X"
    ticket = tito_ticket_record(TITO_TICKETS["tickets"][0], keep=("reference",))
    assert dict(ticket.ref) == {"reference": "UHMF-4"}


@pytest.mark.parametrize(
    ("platform", "field"), [(p, f) for p, fields in SECRET_FIELDS.items() for f in sorted(fields)]
)
def test_secrets_are_refused_even_when_asked(platform: str, field: str) -> None:
    documents = {
        "pretix": PRETIX_EXPORT,
        "tito": TITO_TICKETS,
        "eventbrite": EVENTBRITE_ATTENDEES,
        "luma": LUMA_GUESTS,
    }
    with pytest.raises(InputError, match="never passed through") as caught:
        read_json_records(json.dumps(documents[platform]).encode(), keep=(field,))
    assert SECRET not in str(caught.value)


# ---------------------------------------------------------------------------
# refusals


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"alice@example.org": {"x": 1}},
            "a JSON object with 1 key(s), none of them event, results, tickets, attendees or "
            "entries: not an export this tool knows; export attendees as CSV or see the "
            "organizer guide for the platforms it reads",
        ),
        (
            "Jane Doe",
            "the JSON document is a string, not a list of people or a platform's export; see "
            "the organizer guide for the platforms it reads",
        ),
        (
            ["Jane Doe"],
            "item 1 of the JSON list is a string, not an object with a person's fields; "
            "export the attendees again",
        ),
        (
            [{"Dietary": "Jane Doe"}],
            "none of the 1 JSON object(s) has a field this tool reads as a name, e-mail "
            "address or handle; see the organizer guide for the platforms it reads",
        ),
        (
            {
                "results": [
                    {
                        "id": 1,
                        "order": "A1B2C",
                        "attendee_name": "Jane Doe",
                        "require_attention": False,
                        "order__status": "p",
                    }
                ]
            },
            "these are pretix check-in list positions, which fill an empty attendee name "
            "with the buyer's; take the order positions (/orderpositions/) or the "
            "'Order data (JSON)' export instead",
        ),
        (
            {"tickets": []},
            "the JSON document (Tito tickets) holds no records; export the attendees or "
            "speakers again, with at least one",
        ),
        (
            {"event": {"orders": []}},
            "the JSON document (pretix 'Order data (JSON)' export) holds no records; export "
            "the attendees or speakers again, with at least one",
        ),
    ],
)
def test_unknown_shapes_are_refused_in_one_line_without_values(
    document: object, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        read_json_records(json.dumps(document).encode())
    assert str(caught.value) == message
    assert "Jane" not in str(caught.value)
    assert "alice" not in str(caught.value)


def test_invalid_json_names_the_place_not_the_text() -> None:
    with pytest.raises(InputError) as caught:
        read_json_records(b'{"name": "Jane Doe",, }')
    assert str(caught.value) == (
        "the input is not valid JSON (line 1, column 21: Expecting property name enclosed "
        "in double quotes); export it again"
    )


def test_a_flat_list_is_read_by_its_keys_and_passes_nothing_else() -> None:
    records = read_json_records(
        json.dumps(
            [{"Full Name": "Ada", "E-mail": "ada@example.org", "Notes": "x", "ticket_name": "VIP"}]
        ).encode()
    )
    assert records == [
        ScreenRecord(names=("Ada",), emails=("ada@example.org",), ref={"row": 1}),
    ]


# ---------------------------------------------------------------------------
# any JSON value: records, or one of our errors


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["name", "email", "answers", "question", "answer", "positions", "profile", "guest",
             "code", "order", "attendee_name", "responses", "registration_answers", "label",
             "user_email", "_type", "event", "orders", "questions", "id", "results"]
        ) | st.text(max_size=6),
        inner,
        max_size=5,
    ),
    max_leaves=25,
)  # fmt: skip
_documents = _json | st.builds(
    lambda key, value: {key: value},
    st.sampled_from(["event", "results", "tickets", "attendees", "entries"]),
    _json,
)


@given(_documents)
def test_any_json_value_gives_records_or_our_error(document: Any) -> None:
    try:
        records = read_json_records(json.dumps(document).encode())
    except CocHashscreenError:
        return
    assert records
    assert all(isinstance(r, ScreenRecord) for r in records)


@given(st.binary(max_size=64))
def test_any_bytes_give_records_or_our_error(data: bytes) -> None:
    with contextlib.suppress(CocHashscreenError):
        assert read_json_records(data)


def test_every_adapter_is_public_and_in_the_guide() -> None:
    from pathlib import Path

    from coc_hashscreen import organizer
    from coc_hashscreen.organizer import _adapters

    guide = (Path(__file__).parents[2] / "docs" / "organizer-guide.md").read_text("utf-8")
    for name in _adapters.__all__:
        assert name in organizer.__all__, name
        assert f"`{name}" in guide or f"{name}(" in guide, name


@pytest.mark.parametrize(
    "page",
    [
        {"count": 250, "next": "https://pretix.example/api/v1/?page=2", "results": [{}]},
        {"count": 250, "next": None, "results": [{"name": "Ann"}]},
        {"pagination": {"has_more_items": True}, "attendees": [{"profile": {}}]},
        {"entries": [{"guest": {}}], "has_more": True, "next_cursor": "abc"},
        {"tickets": [{"_type": "ticket"}], "meta": {"next_page": 2}},
    ],
    ids=["pretix-next", "pretalx-count", "eventbrite", "luma", "tito"],
)
def test_one_page_of_a_longer_listing_is_refused(page: dict[str, Any]) -> None:
    # Its other pages' people would go unscreened, with nothing said.
    with pytest.raises(InputError) as refused:
        read_json(json.dumps(page).encode())
    assert "more pages follow" in str(refused.value)


def test_the_last_page_of_a_listing_is_read() -> None:
    page = {"count": 1, "next": None, "results": [{"name": "Ann Other", "email": "a@example.org"}]}
    assert len(read_json(json.dumps(page).encode()).people) == 1


def test_a_field_to_keep_that_no_record_has_is_refused() -> None:
    data = json.dumps([{"name": "Ann Other", "email": "a@example.org", "ticket": "T1"}]).encode()
    assert [r.ref for r in read_json(data, keep=["ticket"]).people] == [{"row": 1, "ticket": "T1"}]
    for reader in (
        lambda: read_json(data, keep=["tikcet"]),
        lambda: read_json(data).records(keep=["tikcet"]),
    ):
        with pytest.raises(InputError) as refused:
            reader()
        assert "has a field 'tikcet' to keep" in str(refused.value)


def test_a_text_with_a_byte_order_mark_reads_as_its_bytes_do() -> None:
    text = '\ufeff[{"name": "Ann Other", "email": "a@example.org"}]'
    assert read_json(text).people == read_json(text.encode("utf-8")).people


def test_flat_objects_without_names_or_emails_are_warned_of() -> None:
    assert read_json(b'[{"name": "Ann", "email": "a@example.org"}]').warnings == ()
    (only,) = read_json(b'[{"name": "Ann"}]').warnings
    assert "no field of attendee e-mail addresses" in only
    (only,) = read_json(b'[{"Email": "a@example.org", "Buyer name": "B"}]').warnings
    assert "no field of attendee names" in only
    assert read_json(json.dumps(TITO_TICKETS).encode()).warnings == ()
