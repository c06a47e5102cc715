"""Input records: one person to screen, whatever the input looked like.

Readers (CSV today) turn rows into `ScreenRecord` values; dict records are
read with the same header vocabulary (`_headers`).  Nothing here knows how
screening works: the engine takes records, the readers make them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core import KINDS
from ._headers import combine, is_secret_field, kind_of, pretix_order_emails

__all__ = ["ScreenRecord"]


def _values(value: object) -> tuple[object, ...]:
    if type(value) is tuple:
        return value  # what the readers give: nothing to convert
    if value is None:
        return ()
    if isinstance(value, str | bytes):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(value)
    return (value,)


@dataclass(frozen=True)
class ScreenRecord:
    """One person to screen: identifiers per kind, plus fields passed through.

    ``ref`` is handed back untouched with the person's result (a row number,
    a role such as "speaker", an id of your own).  ``order_identifiers``
    holds ``(kind, value)`` pairs of the order the person's ticket belongs
    to (the buyer's or invoice address's name and e-mail): they are screened
    too, but a hit through one says the buyer is listed, not the person, and
    is reported as `Strength.ORDER_CONTACT`.  Identifier values stay out of
    repr.
    """

    names: tuple[str, ...] = field(default=(), repr=False)
    emails: tuple[str, ...] = field(default=(), repr=False)
    github: tuple[str, ...] = field(default=(), repr=False)
    twitter: tuple[str, ...] = field(default=(), repr=False)
    mastodon: tuple[str, ...] = field(default=(), repr=False)
    ref: Mapping[str, Any] = field(default_factory=dict)
    order_identifiers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        for name in ("names", "emails", "github", "twitter", "mastodon"):
            object.__setattr__(self, name, _values(getattr(self, name)))
        order = self.order_identifiers
        if isinstance(order, Mapping):
            # Also given as kind -> values, as `from_kinds` takes them.
            order = tuple((k, str(v)) for k, values in order.items() for v in _values(values))
        object.__setattr__(self, "order_identifiers", tuple((k, v) for k, v in order))

    def identifiers(self) -> Iterator[tuple[str, str]]:
        for kind, values in zip(
            KINDS, (self.names, self.emails, self.github, self.twitter, self.mastodon), strict=True
        ):
            for value in values:
                yield kind, value

    @classmethod
    def from_kinds(
        cls,
        values: Mapping[str, Iterable[str]],
        *,
        ref: Mapping[str, Any] | None = None,
        order: Mapping[str, Iterable[str]] | None = None,
    ) -> ScreenRecord:
        """A record from identifier values per kind (``name``, ``email``, ...).

        *order* holds the order-level values per kind (see ``order_identifiers``).
        """
        return cls(
            names=tuple(values.get("name", ())),
            emails=tuple(values.get("email", ())),
            github=tuple(values.get("github", ())),
            twitter=tuple(values.get("twitter", ())),
            mastodon=tuple(values.get("mastodon", ())),
            ref=ref or {},
            order_identifiers=tuple(
                (kind, value) for kind, values in (order or {}).items() for value in values
            ),
        )

    @classmethod
    def from_found(
        cls,
        found: Iterable[tuple[str, bool, Iterable[str]]],
        *,
        ref: Mapping[str, Any] | None = None,
    ) -> ScreenRecord:
        """A record from ``(kind, is_order_level, values)``, as columns or keys give them.

        The person's own values and the order's are kept apart: an order's
        e-mail never stands in for an attendee's empty one.
        """
        own: list[tuple[str, Iterable[str]]] = []
        order: list[tuple[str, Iterable[str]]] = []
        for kind, is_order, values in found:
            (order if is_order else own).append((kind, values))
        return cls.from_kinds(combine(own), ref=ref, order=combine(order))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ScreenRecord:
        """A record from a dict: keys are read as CSV headers are, the rest passed through.

        Keys the header vocabulary marks order-level (``"Buyer email"``,
        ``"Order email"``, ``"Invoice address name"``) give
        ``order_identifiers``, never the person's own.

        ``name``/``names``, ``email``/``emails``, ``github``, ``twitter`` and
        ``mastodon`` in any case, and every header CSV detection knows
        (``"E-mail"``, ``"Email Address"``, ``"Full Name"``, ``"firstName"``
        with ``"lastName"``, ``"GitHub username"``...) hold identifiers, one
        value or a list, taken as given (a record alone cannot tell a yes/no
        answer from a handle; read a table with `read_input`, which judges
        its columns whole); pretix's plain ``"Email"`` beside
        ``"Attendee email"`` is order-level, as in a CSV file.  Any other key
        (a flag such as ``"speaker": True``) is passed through, except ticket secrets (``"secret"``,
        ``"Ticket secret"``, ...), which never reach a report.
        """
        found: list[tuple[str, bool, list[str]]] = []
        ref: dict[str, Any] = {}
        keys = [key if isinstance(key, str) else "" for key in data]
        order_emails = pretix_order_emails(keys)
        for i, (key, value) in enumerate(data.items()):
            kind = kind_of(key) if isinstance(key, str) else None
            values = _texts(value)
            if kind is not None and values is not None:
                # A plain "Email" beside pretix's "Attendee email" is the
                # order's, as in a CSV file.  Values are taken as given: one
                # record cannot tell a yes/no answer from a handle "jo" (a
                # table's columns are judged whole by `detect_columns`).
                found.append((kind[0], kind[1] or i in order_emails, values))
            elif not (isinstance(key, str) and is_secret_field(key, "*")):
                ref[key] = value
        return cls.from_found(found, ref=ref)


def _texts(value: object) -> list[str] | None:
    """The non-blank texts of a value, or None if it holds anything but text."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        return None
    return [v for v in items if v.strip()]
