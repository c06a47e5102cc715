"""Small value types shared by the committee and organizer sides."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Final

from ..errors import InputError, InvalidIdentifier, InvalidText
from ._names_v2 import repair_mojibake
from ._normalize import STRONG_KINDS, canonical, check_kind
from ._text import check_text, clean_text

__all__ = ["CASE_REF_PATTERN", "Identifier", "Status", "Strength", "check_case_ref"]

# Case references travel inside every list entry's fixed-size payload and
# are quoted by people on the phone: short, ASCII, unambiguous.
CASE_REF_PATTERN: Final = r"[A-Za-z0-9][A-Za-z0-9._/-]{0,47}"


class Status(enum.StrEnum):
    """The status of a record in the committee's register."""

    FLAGGED = "flagged"
    BANNED = "banned"
    MINOR = "minor"

    @classmethod
    def parse(cls, value: str) -> Status:
        try:
            return cls(value)
        except ValueError:
            raise InputError(
                f"unknown status {str(value)[:20]!r}; use flagged, banned or minor"
            ) from None

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @property
    def published(self) -> bool:
        """Minor incidents are never reported to organizers."""
        return self is not Status.MINOR


_SEVERITY: Final = {Status.MINOR: 0, Status.FLAGGED: 1, Status.BANNED: 2}


class Strength(enum.StrEnum):
    """How much a match says: an account matched, only a name, or the order's contact.

    ``ORDER_CONTACT`` is never a list entry's strength: screening gives it to
    a hit through a record's order-level identifiers (the buyer, the
    invoice address), which say nothing about the attendee themselves.
    """

    STRONG = "strong"
    NAME_ONLY = "name-only"
    ORDER_CONTACT = "order-contact"

    @classmethod
    def of_kind(cls, kind: str) -> Strength:
        return cls.STRONG if check_kind(kind) in STRONG_KINDS else cls.NAME_ONLY


def check_case_ref(case_ref: str) -> str:
    if not isinstance(case_ref, str) or not re.fullmatch(CASE_REF_PATTERN, case_ref):
        raise InputError(
            "a case reference is 1-48 characters of letters, digits and . _ / -, "
            "starting with a letter or digit"
        )
    return case_ref


@dataclass(frozen=True, slots=True)
class Identifier:
    """One identifier of a person, as given, validated on construction.

    ``alias`` marks a name the person is also known by (an explicit alias in
    the committee's register).  The value is kept cleaned (`clean_text`):
    controls, bidi and invisible characters, which normalization ignores,
    never reach the register or a terminal; a lone surrogate is refused.
    """

    kind: str
    # Kept out of repr: reprs end up in logs and tracebacks.
    value: str = field(repr=False)
    alias: bool = False

    def __post_init__(self) -> None:
        canonical(self.kind, self.value)  # raises InvalidIdentifier
        try:
            check_text(self.value, "the value")
        except InvalidText:
            raise InvalidIdentifier(self.kind, "not Unicode text (a lone surrogate)") from None
        # A soft hyphen in mojibake is half of a character ("í" read as
        # Windows-1252 is "Ã" and U+00AD): dropping it would leave text the
        # profile can no longer repair, and another canonical form.
        keep = "\xad" if repair_mojibake(self.value) != self.value else ""
        object.__setattr__(self, "value", clean_text(self.value, keep=keep))
        if self.alias and self.kind != "name":
            raise InputError("only names can be aliases; add other identifiers directly")

    @property
    def canonical(self) -> str:
        return canonical(self.kind, self.value)
