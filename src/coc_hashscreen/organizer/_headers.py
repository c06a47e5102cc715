"""What a CSV column header or a record's mapping key holds.

One table serves CSV files and dict records alike, so "Email Address" or
"First name" means the same wherever it appears.  Attendee-level headers
hold the person's own identifiers; buyer- or order-level ones stand in
only when a record's own are empty (as for unassigned tickets).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Final

from ..core import KINDS

__all__ = ["COLUMN_KINDS", "combine", "kind_of", "normalize_header"]

# What a column can hold.  "given" and "family" are parts of one name.
COLUMN_KINDS: Final = (*KINDS, "given", "family")


def normalize_header(header: str) -> str:
    """Lower-case words: "E-Mail Address", "e_mail_address" and "email address" agree."""
    lowered = re.sub(r"(?<![a-z])e[-_ ]?mail", "email", header.lower())
    return " ".join(re.findall(r"[a-z0-9]+", lowered))


# Headers of attendee-level columns, after `normalize_header`.
_ATTENDEE: Final[Mapping[str, frozenset[str]]] = {
    "name": frozenset({
        "name", "full name", "fullname", "attendee name", "attendee full name",
        "ticket full name", "ticket name", "participant name", "speaker name", "speaker",
        "display name", "your name", "registrant name", "delegate name", "badge name",
        "names",
    }),
    "given": frozenset({
        "first name", "firstname", "given name", "forename", "ticket first name",
        "attendee name given name", "attendee name first name", "attendee first name",
        "speaker first name", "participant first name",
    }),
    "family": frozenset({
        "last name", "lastname", "surname", "family name", "ticket last name",
        "attendee name family name", "attendee last name", "speaker last name",
        "participant last name",
    }),
    "email": frozenset({
        "email", "email address", "mail", "attendee email", "ticket email", "speaker email",
        "participant email", "contact email", "your email", "emails",
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

# Buyer- or order-level columns: used for a row only when the row's
# attendee-level cells of that kind are all empty (as pretix's own check-in
# export and Tito's importers do for unassigned tickets).
_FALLBACK: Final[Mapping[str, frozenset[str]]] = {
    "name": frozenset({"order name", "invoice address name", "buyer name"}),
    "given": frozenset({"buyer first name", "invoice address name given name"}),
    "family": frozenset({"buyer last name", "invoice address name family name"}),
    "email": frozenset({"order email", "buyer email", "purchaser email"}),
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


# Cached: dict records repeat the same few keys on every record.
@functools.lru_cache(maxsize=4096)
def kind_of(header: str) -> tuple[str, bool] | None:
    """(kind, is_fallback) for a column header or mapping key, or None.

    camelCase keys ("firstName", "emailAddress") are read as words too;
    "GitHub" is still one word.
    """
    found = _kind_of(normalize_header(header))
    if found is None:
        found = _kind_of(normalize_header(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)))
    return found


def _kind_of(normalized: str) -> tuple[str, bool] | None:
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


# Kinds whose order-level values stand in together: a buyer's first and last
# name replace the attendee's whole name or nothing of it.
_GROUPS: Final = (("name", "given", "family"), ("email",), ("github",), ("twitter",), ("mastodon",))


def combine(found: Iterable[tuple[str, bool, Iterable[str]]]) -> dict[str, list[str]]:
    """Identifier values per kind from ``(kind, is_fallback, values)``, in order.

    Fallback values of a group are used only when the group has no
    attendee-level value; first and last names make one name.
    """
    own: dict[str, list[str]] = {kind: [] for group in _GROUPS for kind in group}
    fallback: dict[str, list[str]] = {kind: [] for group in _GROUPS for kind in group}
    for kind, is_fallback, values in found:
        (fallback if is_fallback else own)[kind].extend(values)
    result: dict[str, list[str]] = {}
    for group in _GROUPS:
        source = own if any(own[kind] for kind in group) else fallback
        result.update((kind, source[kind]) for kind in group)
    given, family = result.pop("given"), result.pop("family")
    if given or family:
        result["name"].append(" ".join([*given, *family]))
    return result
