"""Name-only matches the committee has cleared: not alerted again (issue 13, ADR 0020).

Names collide.  When the committee tells an organizer that an attendee who
matched a record by name alone is not that person, the organizer records
it (`coc-hashscreen organizer clear-match`), and later runs do not alert on
that name and that record again, until the record's status or case changes
(a different case reference or status is a different entry).

What is kept, with the organizer's state (mode 0600), is a keyed
fingerprint of the attendee's canonical name under each profile, never the
name: HMAC-SHA-256 with a random key kept beside them, cut to 16 bytes.
Someone holding the state file can test a guessed name against it, as
they could against the attendee list on the same machine; nothing more.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final

from ..core import CASE_REF_PATTERN, PROFILES, Status, Strength, canonical, check_case_ref
from ..errors import FormatError, InputError, InvalidIdentifier
from ..formats import Fields
from ._results import Hit

__all__ = ["MAX_CLEARED", "ClearedMatch", "ClearedMatches"]

MAX_CLEARED: Final = 10_000
_KEY_SIZE: Final = 32
_FINGERPRINT_SIZE: Final = 16


@dataclass(frozen=True)
class ClearedMatch:
    """One cleared name: its fingerprint under one profile, for one record and status."""

    profile: str
    fingerprint: bytes
    case_ref: str
    status: Status

    def to_dict(self) -> dict[str, str]:
        return {
            "profile": self.profile,
            "fingerprint": self.fingerprint.hex(),
            "case_ref": self.case_ref,
            "status": self.status.value,
        }


@dataclass(frozen=True)
class ClearedMatches:
    """The cleared name-only matches of one committee (series), and their key."""

    key: bytes = b""
    entries: tuple[ClearedMatch, ...] = ()

    def fingerprint(self, profile: str, canonical_name: str) -> bytes:
        message = f"{profile}\x00{canonical_name}".encode()
        return hmac.digest(self.key, message, "sha256")[:_FINGERPRINT_SIZE]

    def covers(self, profile: str, canonical_name: str, hit: Hit) -> bool:
        """Whether *hit* on the name *canonical_name* (under *profile*) was cleared.

        Only a name-only hit on a name is ever cleared: an e-mail address
        or handle identifies an account, not a string many people share.
        """
        if (
            not self.entries
            or hit.kind != "name"
            or hit.strength is not Strength.NAME_ONLY
            or hit.shared
        ):
            return False
        wanted = ClearedMatch(
            profile, self.fingerprint(profile, canonical_name), hit.case_ref, hit.status
        )
        return wanted in self.entries

    def adding(
        self,
        name: str,
        *,
        case_ref: str,
        status: Status,
        random: Callable[[int], bytes] = os.urandom,
    ) -> ClearedMatches:
        """These cleared matches and *name* for the record *case_ref* with *status*."""
        check_case_ref(case_ref)
        if status not in (Status.FLAGGED, Status.BANNED):
            raise InputError("only flagged and banned records are published; clear one of those")
        key = self.key or random(_KEY_SIZE)
        cleared = replace(self, key=key)
        new = []
        for profile in sorted(PROFILES):
            try:
                form = canonical("name", name, profile=profile)
            except InvalidIdentifier:
                continue
            entry = ClearedMatch(profile, cleared.fingerprint(profile, form), case_ref, status)
            if entry not in self.entries:
                new.append(entry)
        if not new and not any(e.case_ref == case_ref for e in self.entries):
            raise InputError("the name has no letters or digits to match; check what you typed")
        entries = (*self.entries, *new)
        if len(entries) > MAX_CLEARED:
            raise InputError(
                f"more than {MAX_CLEARED:,} cleared names; remove old ones with "
                "'organizer unclear-match --case REF'"
            )
        return replace(cleared, entries=entries)

    def removing(self, case_ref: str) -> tuple[ClearedMatches, int]:
        """These cleared matches without any for *case_ref*, and how many names that was."""
        kept = tuple(e for e in self.entries if e.case_ref != case_ref)
        names = sum(self.by_case().get(case_ref, {}).values())
        return replace(self, entries=kept), names

    def by_case(self) -> dict[str, dict[str, int]]:
        """How many names are cleared per case reference and status (what `organizer
        cleared` lists; the names themselves are not kept)."""
        # One entry per profile the name is valid in: a name counts once,
        # as the most entries any one profile holds for it.
        per_profile: dict[tuple[str, str, str], int] = {}
        for entry in self.entries:
            where = (entry.case_ref, entry.status.value, entry.profile)
            per_profile[where] = per_profile.get(where, 0) + 1
        counts: dict[str, dict[str, int]] = {}
        for (case_ref, status, _), n in per_profile.items():
            per_status = counts.setdefault(case_ref, {})
            per_status[status] = max(per_status.get(status, 0), n)
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key.hex(), "entries": [e.to_dict() for e in self.entries]}

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> ClearedMatches:
        fields = Fields(dict(value), "state file cleared matches")
        fields.expect({"key", "entries"})
        entries = []
        for raw in fields.items("entries", max_items=MAX_CLEARED):
            item = Fields(raw if isinstance(raw, dict) else {}, "state file cleared match")
            item.expect({"profile", "fingerprint", "case_ref", "status"})
            entries.append(
                ClearedMatch(
                    profile=item.text("profile", max_length=20),
                    fingerprint=item.bytes_hex("fingerprint", size=_FINGERPRINT_SIZE),
                    case_ref=item.text("case_ref", max_length=48, pattern=CASE_REF_PATTERN),
                    status=Status.parse(item.text("status", max_length=20)),
                )
            )
        key = fields.bytes_hex("key", max_size=_KEY_SIZE)
        if entries and len(key) != _KEY_SIZE:
            # Without their key the fingerprints can never match again.
            raise FormatError("the state file's cleared matches have no key")
        return cls(key=key, entries=tuple(entries))
