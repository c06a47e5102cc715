"""What a CSV column header or a record's mapping key holds.

One table serves CSV files and dict records alike, so "Email Address" or
"First name" means the same wherever it appears.  Attendee-level headers
hold the person's own identifiers; buyer- or order-level ones are the
order's, screened for every row and reported apart (ADR 0017).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Final

from ..core import KINDS
from ..errors import InputError
from . import _pretix_headers as pretix

__all__ = [
    "COLUMN_KINDS",
    "HANDLE_KINDS",
    "SECRET_FIELDS",
    "combine",
    "holds_several_names",
    "is_placeholder",
    "is_secret_field",
    "is_yes_no",
    "kind_of",
    "normalize_header",
    "pretix_order_emails",
    "refuse_secret_field",
    "services_named",
]

# What a column can hold.  "given" and "family" are parts of one name.
COLUMN_KINDS: Final = (*KINDS, "given", "family")


@functools.lru_cache(maxsize=4096)
def normalize_header(header: str) -> str:
    """Lower-case words: "E-Mail Address", "e_mail_address" and "email address" agree.

    Letters of every script count ("Prénom", "Имя"); punctuation and
    pretix's gender star ("Teilnehmer*in") separate words.
    """
    lowered = unicodedata.normalize("NFKC", header).casefold()
    lowered = re.sub(r"(?<![^\W\d_])e[-_ ]?mail", "email", lowered)
    return " ".join(re.findall(r"[^\W_]+", lowered))


# Fields that admit their holder or open the order: never passed through.
SECRET_FIELDS: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "pretix": frozenset(
            {
                "secret",
                "pseudonymization_id",
                "url",
                "payments",
                "downloads",
                "pdf_data",
                "web_secret",
            }
        ),
        "pretalx": frozenset(),
        "tito": frozenset(
            {
                "slug",
                "unique_url",
                "url",
                "admin_url",
                "qr_url",
                "registration_slug",
                "registration",
            }
        ),
        "eventbrite": frozenset({"barcodes", "barcode", "resource_uri"}),
        "luma": frozenset({"check_in_qr_code", "qr_code_url"}),
    }
)
# Headers of such columns, in every spelling: pretix's export headers in
# every locale ("Ticket secret", "Geheimnis") and the usual words of other
# exports.  Not the platforms' bare field names: in a CSV file "URL" is
# often a speaker's website, "Registration" a date and "Payments" a sum.
_SECRET_HEADERS: Final = frozenset(
    map(normalize_header, {
        *pretix.SECRET,
        "secret", "ticket secret", "qr code", "qr code secret", "barcode", "barcodes",
        "ticket barcode", "check in code", "pseudonymization id", "ticket code",
    })
)  # fmt: skip
_SECRET_WORDS: Final = frozenset(
    {"secret", "barcode", "barcodes", "qr", "token", "password", "passcode", "pin"}
)
# A link to a ticket or an order opens it: "Ticket URL", "Unique Order
# Link", "Manage registration URL", "Check-in QR code URL".
_LINKS: Final = frozenset({"url", "urls", "link", "links"})
_OPENED: Final = frozenset(
    {"ticket", "tickets", "order", "registration", "unique", "manage", "edit", "download",
     "magic", "admin", "check", "booking", "pdf", "join", "cancel", "cancellation", "invoice",
     "receipt", "login", "access", "personal", "wallet"}
)  # fmt: skip


def is_secret_field(name: str, platform: str | None = None) -> bool:
    """Whether a field or column holds a ticket secret or a link that opens the order.

    Such a field is never passed through to a report, even when asked for.
    A header is judged by its words; *platform*'s own field names
    (`SECRET_FIELDS`) count as well when a record of it is read, or of any
    platform (``"*"``) for a dict whose platform is not known.
    """
    if platform is not None:
        fields: Iterable[frozenset[str]] = (
            SECRET_FIELDS.values()
            if platform == "*"
            else [SECRET_FIELDS.get(platform, frozenset())]
        )
        if any(name in names for names in fields):
            return True
    header = normalize_header(name)
    words = set(header.split())
    return (
        header in _SECRET_HEADERS
        or bool(words & _SECRET_WORDS)
        or bool(words & _LINKS and words & _OPENED)
        or ({"ticket", "tickets"} & words and bool({"download", "pdf"} & words))
        or {"access", "code"} <= words
    )


def refuse_secret_field(name: str, platform: str | None = None) -> None:
    """Refuse to keep a field or column that `is_secret_field` (a CSV column or a JSON field)."""
    if is_secret_field(name, platform):
        raise InputError(
            f"{name[:40]!r} holds a ticket secret or a link that opens the order; it is "
            "never passed through to a report"
        )


def _answer(text: str) -> str:
    """A yes/no answer folded: "SÍ", "Sí" and "si" agree; Turkish "HAYIR" is "hayır"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold().replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Answers of a yes/no question: never read as an identifier, whatever the
# question says ("Print my Twitter handle on my badge").  pretix's own words
# for yes and no in every locale it ships, and the usual spellings of
# spreadsheets and forms.
_YES_NO: Final = frozenset(
    map(_answer, {
        *pretix.YES_NO,
        "yes", "no", "y", "n", "true", "false", "1", "0", "x", "on", "off", "ja", "nein",
        "oui", "non", "sí", "si", "sim", "não", "nao", "tak", "nie", "ano", "ne",
        "kyllä", "ei", "nej", "nee", "checked", "unchecked", "✓", "✔", "✗", "✘",
    })
)  # fmt: skip


# What people put in a field they have nothing for: the same as blank.
_PLACEHOLDERS: Final = frozenset({"-", "--", "---", "–", "—", "n/a", "n.a.", "none", "/", "?", "."})


def is_placeholder(text: str) -> bool:
    """Whether a cell says "nothing here" ("-", "n/a", "none"): read as blank."""
    return text.strip().casefold() in _PLACEHOLDERS


# Kinds whose question a yes/no answer can be mistaken for: "Print my
# Twitter handle on my badge" answered "Yes".
HANDLE_KINDS: Final = frozenset({"github", "twitter", "mastodon"})


def is_yes_no(text: str) -> bool:
    """Whether *text* is an answer to a yes/no question, in any language pretix uses."""
    return _answer(text) in _YES_NO


# Headers of attendee-level columns, after `normalize_header`.
_ATTENDEE: Final[Mapping[str, frozenset[str]]] = {
    "name": frozenset({
        "name", "full name", "fullname", "attendee name", "attendee full name",
        "ticket full name", "participant name", "speaker name", "speaker",
        "display name", "your name", "registrant name", "delegate name", "badge name",
        "names", "speaker names", "speakers", "attendee names", "your full name",
        "name on badge", "full names",
        # de fr es it nl pt pl sv da fi cs
        "vollständiger name", "voller name", "vor und nachname", "vor und zuname", "ihr name",
        "dein name", "teilnehmername", "name des teilnehmers",
        "nom complet", "prénom et nom", "nom et prénom", "votre nom", "nom du participant",
        "nombre completo", "nombre y apellidos", "nombre y apellido", "su nombre", "tu nombre",
        "nome completo", "nome e cognome", "il tuo nome", "nominativo", "seu nome",
        "naam", "volledige naam", "voor en achternaam", "je naam", "uw naam",
        "imię i nazwisko", "namn", "fullständigt namn", "för och efternamn", "ditt namn",
        "navn", "fulde navn", "fuldt navn", "dit navn", "nimi", "koko nimi", "nimesi",
        "jméno a příjmení", "celé jméno", "vaše jméno",
    }),
    "given": frozenset({
        "first name", "firstname", "given name", "forename", "ticket first name",
        "attendee name given name", "attendee name first name", "attendee first name",
        "speaker first name", "participant first name",
        # A bare "Nombre" or "Nome" is the given name beside "Apellidos" or
        # "Cognome"; alone, a given name is still the whole name.
        "vorname", "prénom", "nombre", "nombre de pila", "nome", "nome próprio",
        "primeiro nome", "voornaam", "imię", "förnamn", "fornavn", "etunimi", "jméno",
    }),
    "family": frozenset({
        "last name", "lastname", "surname", "family name", "ticket last name",
        "attendee name family name", "attendee last name", "speaker last name",
        "participant last name",
        # French "Nom" beside "Prénom" is the family name; alone, still the name.
        "nachname", "familienname", "zuname", "nom", "nom de famille", "apellido", "apellidos",
        "cognome", "achternaam", "familienaam", "apelido", "sobrenome", "último nome",
        "nazwisko", "efternamn", "efternavn", "sukunimi", "příjmení",
    }),
    "email": frozenset({
        "email", "email address", "mail", "attendee email", "ticket email", "speaker email",
        "participant email", "contact email", "your email", "emails", "email addresses",
        "your email address", "ticket email address",
        "email adresse", "emailadresse", "ihre email adresse", "deine email adresse",
        "courriel", "adresse email", "adresse courriel", "adresse électronique",
        "adresse mail", "votre adresse email", "votre email", "votre courriel",
        "correo", "correo electrónico", "dirección de correo electrónico",
        "dirección de correo", "tu correo electrónico", "su correo electrónico",
        "indirizzo email", "posta elettronica", "la tua email", "il tuo indirizzo email",
        "emailadres", "email adres", "je emailadres", "uw emailadres",
        "endereço de email", "correio eletrónico", "correio eletrônico", "seu email",
        "o seu email", "adres email", "twój adres email", "e post", "epost",
        "e postadress", "epostadress", "din e postadress", "din email", "sähköposti",
        "sähköpostiosoite", "emailová adresa", "váš email",
    }),
    "github": frozenset({"github", "github username", "github handle", "github profile"}),
    "twitter": frozenset({
        "twitter", "x", "twitter handle", "twitter username", "twitter x", "x twitter",
        "x handle", "twitter profile",
    }),
    "mastodon": frozenset({
        "mastodon", "mastodon handle", "mastodon account", "mastodon username", "fediverse",
        "fediverse handle",
    }),
}  # fmt: skip

# Buyer- or order-level columns: the order's contact, not the attendee.
# Screened for every row, but a hit through one is an order-contact match,
# never a strong one on the attendee (ADR 0017).
_FALLBACK: Final[Mapping[str, frozenset[str]]] = {
    # Tito's registration is the order: its name and e-mail are the buyer's.
    "name": frozenset({"order name", "invoice address name", "buyer name", "registration name"}),
    "given": frozenset({"buyer first name", "invoice address name given name"}),
    "family": frozenset({"buyer last name", "invoice address name family name"}),
    "email": frozenset({"order email", "buyer email", "purchaser email", "registration email"}),
}

# Custom questions such as "What's your GitHub username?" or "Twitter handle
# to print on your badge": the service first, or a service and a qualifier.
_SERVICES: Final = {"github": "github", "twitter": "twitter", "mastodon": "mastodon"}
_SERVICES_EXTRA: Final = {"fediverse": "mastodon"}
_QUALIFIERS: Final = frozenset(
    {"handle", "username", "user", "account", "profile", "url", "id", "name"}
)
# "Email 2", "Secondary email", "Alternate e-mail": one more column of a kind.
_EXTRA_WORDS: Final = frozenset(
    {"secondary", "alternate", "alternative", "other", "additional", "second", "2nd", "work",
     "personal", "private"}
)  # fmt: skip


def _pretix_table() -> dict[str, tuple[str, bool]]:
    """pretix's translated headers (generated from its catalogues), normalized.

    Where two locales' words meet in one header (Spanish "Nombre" is both
    pretix's "Given name" and its "Name"), the name part wins: a given or
    family name alone still makes the whole name, a whole name taken for a
    part would be joined to the other part.
    """
    table: dict[str, tuple[str, bool]] = {}
    for texts, kind, order_level in (
        (pretix.ATTENDEE_GIVEN, "given", False),
        (pretix.ATTENDEE_FAMILY, "family", False),
        (pretix.ORDER_GIVEN, "given", True),
        (pretix.ORDER_FAMILY, "family", True),
        (pretix.ATTENDEE_NAME, "name", False),
        (pretix.ORDER_NAME, "name", True),
        (pretix.ATTENDEE_EMAIL, "email", False),
    ):
        for text in texts:
            table.setdefault(normalize_header(text), (kind, order_level))
    return table


_PRETIX: Final = _pretix_table()
_PRETIX_ORDER_EMAIL: Final = frozenset(map(normalize_header, pretix.ORDER_EMAIL))
_PRETIX_ORDER_CODE: Final = frozenset(map(normalize_header, pretix.ORDER_CODE))
# "Name (as it should appear on your badge)", "E-mail [required]": the
# words in brackets qualify the header, they do not change what it holds.
_BRACKETED: Final = re.compile(r"\([^)]*\)|\[[^]]*\]")


# Cached: dict records repeat the same few keys on every record.
@functools.lru_cache(maxsize=4096)
@functools.lru_cache(maxsize=4096)
def kind_of(header: str) -> tuple[str, bool] | None:
    """(kind, is_order_level) for a column header or mapping key, or None.

    pretix's headers in every locale it ships, generic headers in English
    and the main European languages; camelCase keys ("firstName",
    "emailAddress") are read as words too, "GitHub" is still one word.
    """
    for text in (header, _BRACKETED.sub(" ", header)):
        found = _kind_of(normalize_header(text))
        if found is None:
            found = _kind_of(normalize_header(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)))
        if found is not None:
            return found
    return None


def _kind_of(normalized: str) -> tuple[str, bool] | None:
    if normalized in _PRETIX:
        return _PRETIX[normalized]
    words = normalized.split()
    stripped = " ".join(w for w in words if w not in _EXTRA_WORDS and not w.isdigit())
    for candidate in dict.fromkeys((normalized, stripped)):
        for kind, names in _ATTENDEE.items():
            if candidate in names:
                return kind, False
        for kind, names in _FALLBACK.items():
            if candidate in names:
                return kind, True
    services = {**_SERVICES, **_SERVICES_EXTRA}
    if words and words[0] in services:
        return services[words[0]], False
    for word, kind in services.items():
        if word in words and _QUALIFIERS & set(words):
            return kind, False
    return None


# Headers of cells holding several people's names, one a line or separated
# by commas (pretalx's "Speaker names" of a session with co-speakers).
_SEVERAL_NAMES: Final = frozenset(
    {"names", "speaker names", "speakers", "attendee names", "full names", "participant names"}
)


def holds_several_names(header: str) -> bool:
    """Whether a name column's cells list several people (pretalx's "Speaker names")."""
    return normalize_header(header) in _SEVERAL_NAMES


def services_named(header: str) -> tuple[str, ...]:
    """The handle kinds a header names, in order ("GitHub or Mastodon": github, mastodon)."""
    services = {**_SERVICES, **_SERVICES_EXTRA}
    found = (services[w] for w in normalize_header(header).split() if w in services)
    return tuple(dict.fromkeys(found))


def pretix_order_emails(headers: Sequence[str]) -> frozenset[int]:
    """Positions of pretix's plain "Email" columns that hold the order's e-mail.

    Beside pretix's "Attendee email", or in its check-in list (an "Attendee
    name" and an "Order code"), pretix's plain "Email" in any locale is the
    buyer's ("E-Mail" beside "E-Mail Teilnehmer*in"); the check-in list
    fills it with the attendee's own or else the buyer's, so it cannot
    count as the attendee's either.  Elsewhere (Eventbrite, forms) a plain
    "Email" is the person's own.
    """
    # Cached: a stream of dicts repeats its keys record after record.
    return _pretix_order_emails(tuple(headers))


@functools.lru_cache(maxsize=256)
def _pretix_order_emails(headers: tuple[str, ...]) -> frozenset[int]:
    normalized = [normalize_header(h) for h in headers]
    found = {_PRETIX.get(h) for h in normalized}
    has_code = any(h in _PRETIX_ORDER_CODE for h in normalized)
    if ("email", False) in found or (has_code and ("name", False) in found):
        return frozenset(
            i
            for i, h in enumerate(normalized)
            if h in _PRETIX_ORDER_EMAIL and _PRETIX.get(h) != ("email", False)
        )
    return frozenset()


def combine(found: Iterable[tuple[str, Iterable[str]]]) -> dict[str, list[str]]:
    """Identifier values per kind from ``(kind, values)``, in order.

    First and last names make one name.
    """
    result: dict[str, list[str]] = {kind: [] for kind in COLUMN_KINDS}
    for kind, values in found:
        result[kind].extend(values)
    given, family = result.pop("given"), result.pop("family")
    if given or family:
        result["name"].append(" ".join([*given, *family]))
    return result
