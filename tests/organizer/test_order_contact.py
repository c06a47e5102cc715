"""The order's contact is not the attendee: a buyer's hit is order-contact, never strong.

Fixtures use the column headers of pretix's "Order positions" export and of
Eventbrite's attendee report (with its buyer columns), as those systems
document them.
"""

from __future__ import annotations

import csv
import io
import json

from coc_hashscreen.core import HashingOptions, Strength
from coc_hashscreen.organizer import (
    Match,
    ScreeningReport,
    ScreenRecord,
    read_csv,
    report_to_csv,
    report_to_json,
    report_to_table,
)

from ..conftest import World
from ..helpers import CountingArgon2

# pretix's order positions export: "Email" is the order's, "Attendee email"
# the position's own; "Invoice address name" is the buyer's.
PRETIX_HEADER = (
    "Event slug,Order code,Position ID,Status,Email,Phone number,Order date,Product,"
    "Attendee name,Attendee name: Given name,Attendee name: Family name,Attendee email,"
    "Invoice address company,Invoice address name"
)
# A listed buyer (José María García, banned) bought three tickets for people
# who are not listed; Пётр Иванов's ticket was bought by someone unlisted.
PRETIX = (
    PRETIX_HEADER + "\n" + "conf,GARC1,1,p,jose.garcia+events@gmail.com,,2026-01-01,Ticket,"
    "Ann Other,Ann,Other,ann@example.org,,José María García\n"
    "conf,GARC1,2,p,jose.garcia+events@gmail.com,,2026-01-01,Ticket,"
    "Bo Other,Bo,Other,,,José María García\n"
    "conf,GARC1,3,p,jose.garcia+events@gmail.com,,2026-01-01,Ticket,"
    "Cy Other,Cy,Other,cy@example.org,,José María García\n"
    "conf,IVAN1,1,p,buyer@example.org,,2026-01-02,Ticket,"
    "Пётр Иванов,Пётр,Иванов,petr@example.ru,,Bea Buyer\n"
)

# Eventbrite's attendee report with buyer columns.
EVENTBRITE = (
    "Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,"
    "Buyer First Name,Buyer Last Name,Buyer Email\n"
    "1001,2026-01-01,Dee,Other,dee@example.org,1,General,1,Petr,Ivanov,petr@example.ru\n"
    "1001,2026-01-01,Eve,Other,,1,General,2,Petr,Ivanov,petr@example.ru\n"
)


def _screen(world: World, data: str, **options: object) -> ScreeningReport:
    screener = world.screener(**options)
    with read_csv(io.BytesIO(data.encode())) as source:
        return screener.screen(source.records(), include_clear=True)


def test_a_listed_buyer_makes_every_position_order_contact_never_strong(world: World) -> None:
    report = _screen(world, PRETIX)
    by_row = {m.row: m for m in report.matches}
    for row in (1, 2, 3):
        match = by_row[row]
        assert match.strength is Strength.ORDER_CONTACT
        assert {h.strength for h in match.hits} == {Strength.ORDER_CONTACT}
        assert match.case_ref == world.case_refs["garcia"]
        assert match.needs_confirmation
        assert set(match.matched) <= {"order-name", "order-email"}
    # Bo has no e-mail of his own: the order's never stands in for it, yet
    # his own name was screened, so the row is screened.
    assert 2 not in [r.row for r in report.unusable]


def test_a_listed_attendee_with_an_unlisted_buyer_is_strong(world: World) -> None:
    report = _screen(world, PRETIX)
    (match,) = [m for m in report.matches if m.row == 4]
    assert match.strength is Strength.STRONG
    assert match.case_ref == world.case_refs["ivanov"]
    assert Strength.ORDER_CONTACT not in {h.strength for h in match.hits}


def test_eventbrite_buyer_columns_are_order_contact(world: World) -> None:
    report = _screen(world, EVENTBRITE)
    assert [(m.row, m.strength) for m in report.matches] == [
        (1, Strength.ORDER_CONTACT),
        (2, Strength.ORDER_CONTACT),
    ]
    # Eve has a name of her own but no e-mail: screened, the buyer's e-mail
    # did not become hers.
    assert report.screened == 2


def test_own_hit_and_order_hit_both_shown_strongest_first(world: World) -> None:
    record = ScreenRecord(
        names=("Mallory Smith",),
        order_identifiers=(("email", "petr@example.ru"),),
    )
    (match,) = world.screener().screen([record]).matches
    assert [h.strength for h in match.hits] == [Strength.NAME_ONLY, Strength.ORDER_CONTACT]
    assert match.strength is Strength.NAME_ONLY
    assert match.matched == ("name", "order-email")


def test_an_identifier_the_person_shares_with_the_order_is_their_own(world: World) -> None:
    # A single-ticket order: the buyer is the attendee.
    record = ScreenRecord.from_mapping(
        {"Attendee email": "petr@example.ru", "Order email": "petr@example.ru"}
    )
    (match,) = world.screener().screen([record]).matches
    assert [h.strength for h in match.hits] == [Strength.STRONG]


def test_mapping_keys_marked_order_level_are_order_identifiers(world: World) -> None:
    record = ScreenRecord.from_mapping(
        {"name": "Nobody Listed", "Buyer email": "jose.garcia+events@gmail.com", "id": 7}
    )
    assert record.emails == ()
    assert record.order_identifiers == (("email", "jose.garcia+events@gmail.com"),)
    (match,) = world.screener().screen([record]).matches
    assert match.strength is Strength.ORDER_CONTACT
    assert match.to_dict()["strength"] == "order-contact"


def test_a_record_with_only_order_identifiers_is_not_screened_but_its_hit_is_shown(
    world: World,
) -> None:
    record = ScreenRecord(order_identifiers=(("email", "petr@example.ru"),))
    report = world.screener().screen([record])
    assert [r.row for r in report.unusable] == [1]
    assert report.screened == 0
    assert [m.strength for m in report.matches] == [Strength.ORDER_CONTACT]


def test_a_shared_buyer_email_is_hashed_once(world: World) -> None:
    counter = CountingArgon2()
    records = [
        ScreenRecord(names=(f"Person {i}",), order_identifiers=(("email", "buyer@example.org"),))
        for i in range(10)
    ]
    screener = world.screener(hashing=HashingOptions(argon2=counter))
    screener.chunk_size = 3
    report = screener.screen(records)
    assert counter.calls == report.identifiers_hashed == 11


def test_every_output_carries_the_class(world: World) -> None:
    report = _screen(world, PRETIX)
    data = json.loads(report_to_json(report))
    strengths = {m["row"]: m["strength"] for m in data["matches"]}
    assert strengths == {1: "order-contact", 2: "order-contact", 3: "order-contact", 4: "strong"}
    rows = list(csv.DictReader(io.StringIO(report_to_csv(report))))
    assert {r["row"]: r["strength"] for r in rows if r["result"] == "match"} == {
        "1": "order-contact",
        "2": "order-contact",
        "3": "order-contact",
        "4": "strong",
    }
    table = report_to_table(report)
    assert table.count("order-contact*") == 3
    assert "* order-contact: the buyer of this ticket" in table
    assert "* name-only" not in table  # no name-only match: no name-only footnote


def test_footnotes_appear_only_when_due(world: World) -> None:
    strong = world.screener().screen([{"github": "mallory"}])
    assert "* " not in report_to_table(strong)
    name_only = world.screener().screen([{"name": "Mallory Smith"}])
    table = report_to_table(name_only)
    assert "* name-only" in table
    assert "* order-contact" not in table


def test_match_to_dict_keeps_row_and_adds_line() -> None:
    match = Match(1, {"row": 3, "line": 7, "Order code": "ABC12"}, ())
    assert (match.row, match.line, match.label) == (3, 7, 7)
    assert match.passthrough == {"Order code": "ABC12"}
    assert Match(2, {}, ()).position() == {"row": 2}


def test_order_identifiers_may_be_given_per_kind() -> None:
    record = ScreenRecord(order_identifiers={"email": ["a@example.org"], "name": "Bea Buyer"})  # type: ignore[arg-type]
    assert record.order_identifiers == (("email", "a@example.org"), ("name", "Bea Buyer"))


def test_table_numbers_by_row_when_a_source_gave_no_lines(world: World) -> None:
    report = world.screener().screen([{"github": "mallory"}, {"row": 9, "github": "mallory"}])
    lines = report_to_table(report).splitlines()
    assert "    row  status" in lines[3]
    assert [line.split()[0] for line in lines[4:6]] == ["1", "9"]


def test_an_unreadable_order_identifier_is_named_as_the_orders(world: World) -> None:
    record = ScreenRecord(names=("Ann Other",), order_identifiers=(("email", "not-an-address"),))
    report = world.screener().screen([record])
    assert [(i.row, i.kind) for i in report.invalid] == [(1, "order-email")]
    assert report.screened == 1
