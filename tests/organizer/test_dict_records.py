"""Records given as dicts (Python API, flat JSON): the same rules as a CSV row.

A dict's keys are read as headers are, so each rule a CSV file gets holds
for a dict too: pretix's plain "Email" beside "Attendee email" is the
order's, a platform's answer to a yes/no question is never a handle, and
a ticket secret never reaches a report.
"""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import Strength
from coc_hashscreen.errors import InputError
from coc_hashscreen.organizer import (
    ScreenRecord,
    read_csv,
    read_json,
    report_to_csv,
    report_to_json,
    tito_ticket_record,
)

from ..conftest import World

LISTED_EMAIL = "jose.garcia+events@gmail.com"  # García, banned in the test world


@pytest.mark.parametrize(
    "keys",
    [
        ("Attendee name", "Attendee email", "Email", "Order code"),
        ("Name Teilnehmer*in", "E-Mail Teilnehmer*in", "E-Mail", "Bestellnummer"),
    ],
    ids=["en", "de"],
)
def test_pretix_plain_email_in_a_dict_is_the_orders(world: World, keys: tuple[str, ...]) -> None:
    name, own, plain, code = keys
    row = {name: "Ada Lovelace", own: "", plain: LISTED_EMAIL, code: "ABC12"}
    record = ScreenRecord.from_mapping(row)
    assert record.emails == ()
    assert record.order_identifiers == (("email", LISTED_EMAIL),)
    # A flat JSON list of the same rows reads the same.
    (from_json,) = read_json(json.dumps([row]).encode()).people
    assert from_json.order_identifiers == record.order_identifiers
    report = world.screener().screen([row])
    assert [m.strength for m in report.matches] == [Strength.ORDER_CONTACT]


@given(value=st.sampled_from(["jo", "x", "yes", "si", "Ja", "no"]))
def test_a_dict_value_is_taken_as_given_even_when_it_reads_as_yes_or_no(value: str) -> None:
    # "jo" and "x" are handles people have; one record cannot tell them from
    # an answer, so nothing is dropped (tables are judged by whole columns).
    record = ScreenRecord.from_mapping({"Name": "Jo", "GitHub": value, "twitter": value})
    assert record.github == (value,)
    assert record.twitter == (value,)
    assert record.names == ("Jo",)


def test_localized_yes_no_answers_are_no_handles_in_platform_answers() -> None:
    ticket = {
        "name": "Ann Other",
        "email": "ann@example.org",
        "responses": {"github-username": "Ja", "twitter-handle": "@ann"},
    }
    record = tito_ticket_record(ticket)
    assert record.github == ()
    assert record.twitter == ("@ann",)


def test_secrets_in_a_dict_never_reach_a_report(world: World) -> None:
    row = {
        "attendee_name": "José María García",
        "attendee_email": LISTED_EMAIL,
        "secret": "S3CRET-TICKET",
        "Ticket secret": "S3CRET-TOO",
        "pseudonymization_id": "PSEUDO1",
        "Geheimnis": "S3CRET-DE",
        "badge": "speaker",
    }
    assert ScreenRecord.from_mapping(row).ref == {"badge": "speaker"}
    report = world.screener().screen([row])
    assert report.matches
    for text in (report_to_csv(report), report_to_json(report)):
        assert "S3CRET" not in text
        assert "PSEUDO1" not in text
        assert "speaker" in text


@pytest.mark.parametrize(
    "header",
    [
        "Secret",
        "Ticket secret",
        "Pseudonymization ID",
        "Geheimnis",
        "Ticket URL",
        "Unique Ticket URL",
        "Order link",
        "Manage registration URL",
        "QR code",
        "check_in_qr_code",
        "Barcode #",
        "Access token",
        "Password",
        "PIN",
        "Access code",
        "Zoom join link",
        "Cancellation URL",
        "Invoice URL",
        "Ticket PDF",
        "Ticket download",
    ],
)
def test_keep_column_refuses_a_secret_column(header: str) -> None:
    data = f"Attendee name,Attendee email,{header}\nAda,ada@example.org,s3cr3t\n".encode()
    with read_csv(io.BytesIO(data)) as source, pytest.raises(InputError) as refused:
        list(source.records(keep=[header]))
    assert "never passed through to a report" in str(refused.value)
    assert "s3cr3t" not in str(refused.value)


@pytest.mark.parametrize(
    "header",
    ["URL", "Website URL", "Registration", "Payments", "Slug", "Order code", "Ticket type"],
)
def test_columns_that_only_share_a_platform_s_field_name_are_kept(header: str) -> None:
    # pretix's order "url" opens the order, but a CSV column "URL" is
    # usually a speaker's website; platform field names count only for
    # records of that platform (and for dicts of unknown origin).
    data = f"Attendee name,Attendee email,{header}\nAda,ada@example.org,kept\n".encode()
    with read_csv(io.BytesIO(data)) as source:
        (record,) = source.records(keep=[header])
    assert record.ref[header] == "kept"


def test_a_dict_of_unknown_origin_drops_every_platform_s_secret_field_names() -> None:
    row = {"name": "Ada", "url": "u", "slug": "s", "payments": [], "Website URL": "w"}
    assert ScreenRecord.from_mapping(row).ref == {"Website URL": "w"}


def test_platform_answers_to_name_questions_are_never_judged_yes_no() -> None:
    ticket = {
        "name": "",
        "email": "jo@example.org",
        "responses": {"full-name": "Jo", "twitter-handle": "No"},
    }
    record = tito_ticket_record(ticket)
    assert record.names == ("Jo",)
    assert record.twitter == ()
