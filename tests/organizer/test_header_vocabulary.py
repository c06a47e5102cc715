"""Header vocabulary: pretix's headers in every locale it ships, generic headers per language."""

from __future__ import annotations

import itertools

import pytest

from coc_hashscreen.organizer import _pretix_headers as pretix
from coc_hashscreen.organizer._headers import kind_of, pretix_order_emails

from ._plans import plan_of as _plan

_NAME_KINDS = {"name", "given", "family"}


# ---------------------------------------------------------------------------
# pretix, from the table generated out of its translation catalogues


@pytest.mark.parametrize(
    "texts", [pretix.ATTENDEE_NAME, pretix.ATTENDEE_GIVEN, pretix.ATTENDEE_FAMILY]
)
def test_every_locales_attendee_name_headers_are_attendee_names(texts: frozenset[str]) -> None:
    for text in texts:
        found = kind_of(text)
        assert found is not None, text
        assert found[0] in _NAME_KINDS, text
        assert found[1] is False, text


@pytest.mark.parametrize("texts", [pretix.ORDER_NAME, pretix.ORDER_GIVEN, pretix.ORDER_FAMILY])
def test_every_locales_invoice_name_headers_are_order_level(texts: frozenset[str]) -> None:
    for text in texts:
        found = kind_of(text)
        assert found is not None, text
        assert found[0] in _NAME_KINDS, text
        assert found[1] is True, text


def test_every_locales_attendee_email_is_the_attendees() -> None:
    assert len(pretix.ATTENDEE_EMAIL) > 30  # every locale pretix ships, not a handful
    for text in pretix.ATTENDEE_EMAIL:
        assert kind_of(text) == ("email", False), text


def test_pretix_order_email_is_order_level_beside_attendee_columns_in_every_locale() -> None:
    for attendee, order in itertools.product(pretix.ATTENDEE_EMAIL, pretix.ORDER_EMAIL):
        assert pretix_order_emails([attendee, order]) == {1}, (attendee, order)
    # The check-in list: "Attendee name" and "Order code", its "Email" merged.
    for code, order in itertools.product(pretix.ORDER_CODE, pretix.ORDER_EMAIL):
        assert pretix_order_emails([code, "Attendee name", order]) == {2}


def test_a_plain_email_elsewhere_is_the_persons_own() -> None:
    for text in pretix.ORDER_EMAIL:
        assert pretix_order_emails(["Name", text]) == frozenset()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # pretix's German back end, as the order data export writes it
        (
            "Bestellnummer,Positions-ID,Status,E-Mail,Telefonnummer,Name Teilnehmer*in,"
            "Teilnehmer*innenname: Vorname,Teilnehmer*innenname: Nachname,"
            "E-Mail Teilnehmer*in,Rechnungsadresse: Name",
            [
                ("email", "E-Mail", True),
                ("name", "Name Teilnehmer*in", False),
                ("given", "Teilnehmer*innenname: Vorname", False),
                ("family", "Teilnehmer*innenname: Nachname", False),
                ("email", "E-Mail Teilnehmer*in", False),
                ("name", "Rechnungsadresse: Name", True),
            ],
        ),
        # French back end
        (
            "Code de commande,E-Mail,Nom du participant,E-mail du participant",
            [
                ("email", "E-Mail", True),
                ("name", "Nom du participant", False),
                ("email", "E-mail du participant", False),
            ],
        ),
        # Dutch check-in list: its e-mail is the attendee's or else the buyer's
        (
            "Bestelcode,Naam deelnemer,E-mail",
            [("name", "Naam deelnemer", False), ("email", "E-mail", True)],
        ),
        # English order data with the name parts and a Latin transcription
        (
            "Order code,Email,Attendee name: Given name,Attendee name: Family name,"
            "Attendee name: Latin transcription,Attendee email,"
            "Invoice address name: Given name",
            [
                ("email", "Email", True),
                ("given", "Attendee name: Given name", False),
                ("family", "Attendee name: Family name", False),
                ("name", "Attendee name: Latin transcription", False),
                ("email", "Attendee email", False),
                ("given", "Invoice address name: Given name", True),
            ],
        ),
    ],
)
def test_pretix_exports_per_locale(header: str, expected: list[tuple[str, str, bool]]) -> None:
    assert _plan(header) == expected


# ---------------------------------------------------------------------------
# generic headers in the main European languages and of common platforms


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        # de
        ("Vorname", "given"), ("Nachname", "family"), ("E-Mail-Adresse", "email"),
        ("Vollständiger Name", "name"), ("E-Mail", "email"),
        # fr
        ("Prénom", "given"), ("Nom", "family"), ("Courriel", "email"),
        ("Adresse e-mail", "email"), ("Nom complet", "name"),
        # es
        ("Nombre", "given"), ("Apellidos", "family"), ("Correo electrónico", "email"),
        ("Nombre completo", "name"),
        # it
        ("Nome", "given"), ("Cognome", "family"), ("Indirizzo email", "email"),
        ("Nome e cognome", "name"),
        # nl
        ("Voornaam", "given"), ("Achternaam", "family"), ("E-mailadres", "email"),
        ("Naam", "name"),
        # pt
        ("Sobrenome", "family"), ("Apelido", "family"), ("Endereço de e-mail", "email"),
        ("Nome completo", "name"),
        # pl
        ("Imię", "given"), ("Nazwisko", "family"), ("Adres e-mail", "email"),
        ("Imię i nazwisko", "name"),
        # sv
        ("Förnamn", "given"), ("Efternamn", "family"), ("E-post", "email"),
        ("E-postadress", "email"), ("Namn", "name"),
        # da
        ("Fornavn", "given"), ("Efternavn", "family"), ("E-mailadresse", "email"),
        ("Navn", "name"),
        # fi
        ("Etunimi", "given"), ("Sukunimi", "family"), ("Sähköposti", "email"),
        ("Sähköpostiosoite", "email"), ("Koko nimi", "name"),
        # cs
        ("Jméno", "given"), ("Příjmení", "family"), ("E-mailová adresa", "email"),
        ("Celé jméno", "name"),
        # Tito, Google Forms, Microsoft Forms, badges, pretalx
        ("Ticket Full Name", "name"), ("Ticket Email", "email"),
        ("Your full name", "name"), ("Email address", "email"),
        ("Your email address", "email"), ("Name", "name"),
        ("Name (as it should appear on your badge)", "name"),
        ("E-mail [required]", "email"), ("Speaker names", "name"),
    ],
)  # fmt: skip
def test_generic_headers_per_language(header: str, kind: str) -> None:
    assert kind_of(header) == (kind, False)


@pytest.mark.parametrize(
    "header", ["ticket_name", "Ticket name", "Event name", "Product name", "Seat name"]
)
def test_ticket_and_event_names_are_not_person_names(header: str) -> None:
    """Luma's ticket_name ("Standard") is the ticket type, not a person."""
    assert kind_of(header) is None


def test_luma_guest_export_reads_the_name_not_the_ticket() -> None:
    plan = _plan("api_id,name,first_name,last_name,email,ticket_name,approval_status")
    assert ("name", "name", False) in plan
    assert all(header != "ticket_name" for _, header, _ in plan)


def test_titos_registration_is_the_order() -> None:
    # In Tito a registration is the order: its name and e-mail are the
    # buyer's, whatever the ticket's holder is called.
    assert kind_of("Registration Name") == ("name", True)
    assert kind_of("Registration Email") == ("email", True)
    assert kind_of("registration_email") == ("email", True)
    plan = _plan("Ticket Full Name,Ticket Email,Registration Name,Registration Email")
    assert plan == [
        ("name", "Ticket Full Name", False),
        ("email", "Ticket Email", False),
        ("name", "Registration Name", True),
        ("email", "Registration Email", True),
    ]
