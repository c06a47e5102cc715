"""Platform records built from each platform's documented field names.

pretix: src/pretix/base/exporters/json.py ("Order data (JSON)") and the REST
API's order and order position resources (doc/api/resources/orders.rst);
pretalx: the speaker export form (orga/forms/export.py) and the API speaker
serializer; Tito: Admin API 3.0 ticket (tickets/index.json,
show.json); Eventbrite: the v3 attendee object (profile,
answers, barcodes, expanded order); Luma: ``/event/get-guests`` entries.

Planted in each, against the `world` fixture's list:
- a listed person under their own identifiers (García, Иванов);
- a person known only by a nested answer (Mallory's GitHub handle);
- a not-listed attendee whose order's buyer is listed (García's address as
  the buyer's), with their own e-mail;
- a ticket secret that must never reach a report.
"""

from __future__ import annotations

from typing import Any

SECRET = "s3cr3t-t1cket-code"
BUYER = "jose.garcia+events@gmail.com"  # García's listed address, as a buyer's

PRETIX_EXPORT: dict[str, Any] = {
    "event": {
        "name": "DemoConf",
        "slug": "democonf",
        "organizer": {"name": "Demo", "slug": "demo"},
        "meta_data": {},
        "categories": [],
        "items": [],
        "questions": [
            {"id": 11, "identifier": "R7GHX", "required": False, "position": 1,
             "question": "GitHub username", "type": "S"},
            {"id": 12, "identifier": "BADGE", "required": False, "position": 2,
             "question": "Print my Twitter handle on my badge", "type": "B"},
            {"id": 13, "identifier": "DIET", "required": False, "position": 3,
             "question": "Dietary requirements", "type": "T"},
        ],
        "orders": [
            {
                "code": "A1B2C", "status": "p", "testmode": False, "customer": None,
                "user": BUYER, "email": BUYER, "phone": "None", "locale": "en",
                "comment": "", "total": "50.00", "fees": [],
                "positions": [
                    {"id": 1, "positionid": 1, "item": 1, "variation": None,
                     "attendee_name": "Grace Hopper", "attendee_email": "grace@example.org",
                     "company": None, "secret": SECRET, "addon_to": None,
                     "answers": [{"question": 13, "answer": "vegan"}]},
                    {"id": 2, "positionid": 2, "item": 1, "variation": None,
                     "attendee_name": None, "attendee_email": None, "secret": SECRET + "2",
                     "addon_to": None,
                     "answers": [{"question": 11, "answer": "mallory"},
                                 {"question": 12, "answer": "True"}]},
                ],
            },
            {
                "code": "Z9Y8X", "status": "p", "email": "orders@example.com",
                "user": "orders@example.com", "total": "25.00", "fees": [],
                "positions": [
                    {"id": 3, "positionid": 1, "item": 1, "attendee_name": "Piotr Ivanov",
                     "attendee_email": "petr@example.ru", "secret": SECRET + "3",
                     "answers": []},
                ],
            },
        ],
        "quotas": [],
        "subevents": [],
    }
}  # fmt: skip

# REST API: /orders/ (paged), answers by question id and identifier only.
PRETIX_API_ORDERS: dict[str, Any] = {
    "count": 1, "next": None, "previous": None,
    "results": [
        {
            "code": "A1B2C", "status": "p", "testmode": False, "secret": SECRET,
            "email": BUYER, "phone": None, "locale": "en",
            "url": f"https://pretix.example/demo/democonf/order/A1B2C/{SECRET}/",
            "invoice_address": {"company": "", "name": "José García",
                                "name_parts": {"_scheme": "given_family"}},
            "positions": [
                {"id": 1, "order": "A1B2C", "positionid": 1, "attendee_name": "Grace Hopper",
                 "attendee_name_parts": {"_scheme": "given_family", "given_name": "Grace",
                                         "family_name": "Hopper"},
                 "attendee_email": "grace@example.org", "secret": SECRET,
                 "pseudonymization_id": "PSEUDO123", "answers": []},
                {"id": 2, "order": "A1B2C", "positionid": 2, "attendee_name": None,
                 "attendee_name_parts": {}, "attendee_email": None, "secret": SECRET,
                 "pseudonymization_id": "PSEUDO456",
                 "answers": [{"question": 11, "answer": "mallory",
                              "question_identifier": "github", "options": [],
                              "option_identifiers": []}]},
            ],
        }
    ],
}  # fmt: skip

# REST API: /orderpositions/ (no order e-mail on a position).
PRETIX_API_POSITIONS: list[dict[str, Any]] = [
    {"id": 7, "order": "Q1W2E", "positionid": 1, "attendee_name": None,
     "attendee_name_parts": {"_scheme": "given_family", "given_name": "Пётр",
                             "family_name": "Иванов", "latin_transcription": "Petr Ivanov"},
     "attendee_email": None, "secret": SECRET, "pseudonymization_id": "P1", "answers": []},
]  # fmt: skip

PRETALX_API_SPEAKERS: dict[str, Any] = {
    "count": 2, "next": None, "previous": None,
    "results": [
        {"code": "ABCDE", "name": "Ada Example", "biography": "Talks.", "submissions": ["X1"],
         "avatar_url": None, "email": "ada@example.org", "timezone": "UTC", "locale": "en",
         "answers": [{"id": 5, "question": {"id": 3, "question": {"en": "GitHub username"}},
                      "answer": "mallory", "answer_file": None, "submission": None,
                      "person": "ABCDE", "options": []}]},
        {"code": "FGHIJ", "name": "José María García", "biography": "", "submissions": [],
         "email": None, "answers": []},
    ],
}  # fmt: skip

PRETALX_EXPORT: list[dict[str, Any]] = [
    {"ID": "ABCDE", "Name": "Ada Example", "Biography": "Talks.", "Email": "ada@example.org",
     "Proposal IDs": ["X1"], "Proposal titles": ["A talk"], "Mastodon account": None},
    {"ID": "KLMNO", "Name": "Someone", "Biography": "", "Email": "someone@example.org",
     "Proposal IDs": [], "Proposal titles": [],
     "Mastodon account": "@mallory@example.social"},
]  # fmt: skip

TITO_TICKETS: dict[str, Any] = {
    "tickets": [
        {"_type": "ticket", "id": 180, "slug": "ti_" + SECRET,
         "unique_url": "https://ti.to/demo/democonf/tickets/ti_" + SECRET,
         "email": "grace@example.org", "first_name": "Grace", "last_name": "Hopper",
         "name": "Grace Hopper", "reference": "UHMF-4", "state": "complete",
         "registration_id": 30, "registration_name": "José García",
         "registration_email": BUYER, "release_title": "Early Bird",
         "responses": {"dietary-requirements": "none"}},
        {"_type": "ticket", "id": 181, "slug": "ti_x" + SECRET, "email": None,
         "first_name": None, "last_name": None, "name": None, "reference": "UHMF-5",
         "registration_name": "José García", "registration_email": BUYER,
         "release_title": "Early Bird", "responses": {"github-username": "mallory"},
         "answers": [{"_type": "answer", "question_id": 2, "ticket_reference": "UHMF-5",
                      "question_title": "Twitter handle", "response": "No",
                      "primary_response": "No"},
                     {"_type": "answer", "question_id": 3, "question_title": "Mastodon",
                      "response": "@mallory@example.social"}]},
    ],
    "meta": {"api_version": "3.0.0", "current_page": 1, "total_count": 2},
}  # fmt: skip

EVENTBRITE_ATTENDEES: dict[str, Any] = {
    "pagination": {"object_count": 2, "page_number": 1, "page_size": 50, "page_count": 1,
                   "has_more_items": False},
    "attendees": [
        {"id": "2360209833", "order_id": "1689365701", "event_id": "151214834641",
         "ticket_class_name": "General", "status": "Attending", "checked_in": False,
         "profile": {"first_name": "Grace", "last_name": "Hopper", "name": "Grace Hopper",
                     "email": "grace@example.org"},
         "barcodes": [{"barcode": SECRET, "status": "unused"}], "answers": [],
         "order": {"id": "1689365701", "name": "José García", "first_name": "José",
                   "last_name": "García", "email": BUYER}},
        {"id": "2360209834", "order_id": "1689365702", "ticket_class_name": "General",
         "profile": {"first_name": "", "last_name": "", "email": ""},
         "barcodes": [{"barcode": SECRET + "2", "status": "unused"}],
         "answers": [{"question_id": "99", "question": "GitHub handle", "type": "text",
                      "answer": "mallory"}]},
    ],
}  # fmt: skip

LUMA_GUESTS: dict[str, Any] = {
    "entries": [
        {"api_id": "gst-1", "guest": {
            "api_id": "gst-1", "approval_status": "approved", "check_in_qr_code": SECRET,
            "user_api_id": "usr-1", "user_name": "Grace Hopper",
            "user_email": "grace@example.org", "event_ticket": {"name": "Standard"},
            "registration_answers": []}},
        {"api_id": "gst-2", "guest": {
            "api_id": "gst-2", "approval_status": "approved", "check_in_qr_code": SECRET,
            "user_name": None, "user_first_name": "José", "user_last_name": "García",
            "user_email": None, "event_ticket": {"name": "Standard"},
            "registration_answers": [{"label": "GitHub", "answer": "mallory",
                                      "question_id": "q1", "question_type": "text"}]}},
    ],
    "has_more": False, "next_cursor": None,
}  # fmt: skip
