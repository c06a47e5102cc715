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
from ._headers import combine, kind_of

__all__ = ["ScreenRecord"]


def _values(value: object) -> tuple[object, ...]:
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
    a role such as "speaker", an id of your own).  Identifier values stay out
    of repr.
    """

    names: tuple[str, ...] = field(default=(), repr=False)
    emails: tuple[str, ...] = field(default=(), repr=False)
    github: tuple[str, ...] = field(default=(), repr=False)
    twitter: tuple[str, ...] = field(default=(), repr=False)
    mastodon: tuple[str, ...] = field(default=(), repr=False)
    ref: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("names", "emails", "github", "twitter", "mastodon"):
            object.__setattr__(self, name, _values(getattr(self, name)))

    def identifiers(self) -> Iterator[tuple[str, str]]:
        for kind, values in zip(
            KINDS, (self.names, self.emails, self.github, self.twitter, self.mastodon), strict=True
        ):
            for value in values:
                yield kind, value

    @classmethod
    def from_kinds(
        cls, values: Mapping[str, Iterable[str]], *, ref: Mapping[str, Any] | None = None
    ) -> ScreenRecord:
        """A record from identifier values per kind (``name``, ``email``, ...)."""
        return cls(
            names=tuple(values.get("name", ())),
            emails=tuple(values.get("email", ())),
            github=tuple(values.get("github", ())),
            twitter=tuple(values.get("twitter", ())),
            mastodon=tuple(values.get("mastodon", ())),
            ref=ref or {},
        )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ScreenRecord:
        """A record from a dict: keys are read as CSV headers are, the rest passed through.

        ``name``/``names``, ``email``/``emails``, ``github``, ``twitter`` and
        ``mastodon`` in any case, and every header CSV detection knows
        (``"E-mail"``, ``"Email Address"``, ``"Full Name"``, ``"firstName"``
        with ``"lastName"``, ``"GitHub username"``...) hold identifiers, one
        value or a list.  A key holding neither text nor a list of texts (a
        flag such as ``"speaker": True``) is passed through.
        """
        found: list[tuple[str, bool, list[str]]] = []
        ref: dict[str, Any] = {}
        for key, value in data.items():
            kind = kind_of(key) if isinstance(key, str) else None
            values = _texts(value)
            if kind is None or values is None:
                ref[key] = value
            else:
                found.append((kind[0], kind[1], values))
        return cls.from_kinds(combine(found), ref=ref)


def _texts(value: object) -> list[str] | None:
    """The non-blank texts of a value, or None if it holds anything but text."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        return None
    return [v for v in items if v.strip()]
