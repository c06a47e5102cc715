"""One `Screener.screen` call: normalize chunks of records, hash what is new, collect results.

`Screener` (`_screening`) drives it: `prepare` normalizes a chunk and hands
its hashing to the pool, `finish` looks the results up and builds matches.
An identifier is hashed once per run however far apart its repeats are; the
ones already hashed are remembered as 64-bit keyed fingerprints.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from ..core import (
    Argon2Params,
    KeyedHash,
    KeyedHasher,
    Strength,
    canonical,
    has_mixed_scripts,
)
from ..errors import InvalidIdentifier, UnknownKind
from ._fingerprints import FingerprintSet
from ._history import RowDigests
from ._records import ScreenRecord
from ._results import (
    MAX_DETAILS,
    DismissedMatch,
    Hit,
    InvalidValue,
    Match,
    RecordRef,
    ScreeningReport,
)

if TYPE_CHECKING:
    from ._screening import Screener

__all__ = ["SPELLED", "task_size"]

# Identifiers per task handed to the thread pool: enough to make the cost of
# a future negligible, few enough to keep every worker busy.  Costly Argon2
# parameters get smaller tasks, so a task takes well under a second and an
# interrupted run stops promptly: about 2**20 KiB-passes per task (half a
# second on the reference machine).
TASK_SIZE: Final = 32
TASK_WORK: Final = 2**20
# Identifiers per task when only HKDF is left to do.
KNOWN_TASK_SIZE: Final = 512
# Marks a key whose Argon2 output the cache knew: no canonical form starts
# with it, since normalization drops every control character.
SPELLED: Final = "\x00"


def task_size(params: Argon2Params) -> int:
    return max(1, min(TASK_SIZE, TASK_WORK // (params.memory_cost * params.time_cost)))


@dataclass
class _Chunk:
    # (index, ref, the person's own keys, the order's keys the person does not share)
    records: list[tuple[int, Mapping[str, Any], list[tuple[str, str]], list[tuple[str, str]]]]
    tasks: list[tuple[list[tuple[str, str]], Future[list[KeyedHash]]]]
    # A text each key the cache knew was read as, for the cleared-match check.
    texts: dict[tuple[str, str], str] = field(default_factory=dict)

    # Whether any of its identifiers needs Argon2 (else the cache served all).
    computing: bool = False

    def served(self) -> bool:
        """Served by the cache alone, and done: worth reading past before finishing."""
        return not self.computing and all(future.done() for _, future in self.tasks)

    def waiting(self, hasher: KeyedHasher) -> bool:
        """Whether identifiers of this chunk wait for the service (online lists only)."""
        return hasher.online and any(hasher.waiting(future) for _, future in self.tasks)


class _Run:
    """The state of one `Screener.screen` call."""

    def __init__(
        self, screener: Screener, *, include_clear: bool, digests: RowDigests | None
    ) -> None:
        self.screener = screener
        self.digests = digests
        self.profile = screener.info.profile
        self.include_clear = include_clear
        self.fingerprint_key = os.urandom(16)
        self.no_match = FingerprintSet()
        # Hits and identifiers in flight are few and keyed by the exact
        # (kind, form): a fingerprint collision can then never put one
        # identifier's hit on another.  In flight, each keeps the fingerprint
        # it will be remembered by if it does not match.
        self.hits: dict[tuple[str, str], Hit] = {}
        # Each hit's tag: one identifier read as two texts (one the cache
        # knew, one it did not) is two keys but one tag.
        self.hit_tags: dict[tuple[str, str], bytes] = {}
        self.inflight: dict[tuple[str, str], int] = {}
        # Per chunk, until its work is submitted: the Argon2 outputs of
        # values known by their text, and the text each new key was read as.
        self.known: dict[tuple[str, str], bytes] = {}
        self.spellings: dict[tuple[str, str], str] = {}
        self.texts: dict[tuple[str, str], str] = {}
        self.records = 0
        self.hashed = 0
        self.from_cache = 0
        self.evaluations = 0
        self.remaining: int | None = None
        self.matches: list[Match] = []
        self.dismissed: list[DismissedMatch] = []
        self.mixed: list[RecordRef] = []
        self.unscreened_matches = 0
        # The first MAX_DETAILS of each, and a count of the rest.
        self.unusable: list[RecordRef] = []
        self.invalid: list[InvalidValue] = []
        self.unusable_omitted = 0
        self.invalid_omitted = 0
        self.clear: list[RecordRef] = []

    def _fingerprint(self, key: tuple[str, str]) -> int:
        # Keyed with a per-run random key: nobody can aim two identifiers at
        # one fingerprint, and 64 bits make an accidental collision among
        # millions of identifiers about one chance in a million.
        kind, form = key
        digest = hashlib.blake2b(
            f"{kind}\x00{form}".encode(), digest_size=8, key=self.fingerprint_key
        ).digest()
        return int.from_bytes(digest, "big") or 1

    def _keys(
        self,
        index: int,
        record: ScreenRecord,
        identifiers: Iterable[tuple[str, str]],
        hasher: KeyedHasher,
        *,
        note: str = "",
    ) -> list[tuple[str, str]]:
        """The distinct (kind, canonical form) pairs of *identifiers*; unreadable ones are
        noted, under their kind prefixed by *note* ("order-" for the order's).

        An identifier whose Argon2 output the cache holds (found by its exact
        text, without normalizing it again, or by its canonical form) is
        keyed by that output, so that its spellings are one key: (kind,
        `SPELLED` + output); the output waits in ``known``, a text it was read
        as in ``texts``.
        """
        keys: list[tuple[str, str]] = []
        for kind, value in identifiers:
            # The profile is part of the text looked up: one text has one
            # canonical form under one profile.
            spelled = f"{self.profile}\x00{value}"
            x = hasher.spelling(kind, spelled)
            if x is None:
                try:
                    form = canonical(kind, value, profile=self.profile)
                except (InvalidIdentifier, UnknownKind) as exc:
                    if len(self.invalid) < MAX_DETAILS:
                        rule = getattr(exc, "rule", str(exc))
                        self.invalid.append(InvalidValue(index, record.ref, note + kind, rule))
                    else:
                        self.invalid_omitted += 1
                    continue
                x = hasher.known(kind, form, text=spelled)
                key = (kind, form)
                self.spellings.setdefault(key, spelled)
            if x is not None:
                key = (kind, SPELLED + x.hex())
                self.known[key] = x
                self.texts.setdefault(key, value)
            if key not in keys:
                keys.append(key)
            if kind == "name" and self.profile != "v1" and has_mixed_scripts(value):
                # Letters of two scripts left in one word after look-alikes
                # were read as Latin: possibly a disguise; a person looks.
                self._note_mixed(index, record)
        return keys

    def _form(self, key: tuple[str, str], texts: Mapping[tuple[str, str], str]) -> str:
        """The canonical form of a key, normalizing a text the cache knew (on a hit)."""
        kind, form = key
        if form.startswith(SPELLED):
            return canonical(kind, texts[key], profile=self.profile)
        return form

    def _note_mixed(self, index: int, record: ScreenRecord) -> None:
        if self.mixed and self.mixed[-1].index == index:
            return
        if len(self.mixed) < MAX_DETAILS:
            self.mixed.append(RecordRef(index, record.ref))

    def _needs_hashing(self, key: tuple[str, str]) -> bool:
        """Whether *key* is new to this run; if so it is now in flight."""
        if key in self.hits or key in self.inflight:
            return False
        fingerprint = self._fingerprint(key)
        if fingerprint in self.no_match:
            return False
        self.inflight[key] = fingerprint
        return True

    def prepare(
        self, batch: list[tuple[int, ScreenRecord | Mapping[str, Any]]], hasher: KeyedHasher
    ) -> _Chunk:
        chunk = _Chunk(records=[], tasks=[])
        pending: list[tuple[str, str]] = []
        known: list[tuple[str, str]] = []
        for index, item in batch:
            record = item if isinstance(item, ScreenRecord) else ScreenRecord.from_mapping(item)
            if self.digests is not None:
                self.digests.add(record.identifiers(), record.order_identifiers)
            keys = self._keys(index, record, record.identifiers(), hasher)
            # The order's identifiers the person does not share: hashed once
            # like any other (a buyer's e-mail on ten tickets is one call).
            order = [
                key
                for key in self._keys(
                    index, record, record.order_identifiers, hasher, note="order-"
                )
                if key not in keys
            ]
            for key in (*keys, *order):
                if self._needs_hashing(key):
                    (known if key[1].startswith(SPELLED) else pending).append(key)
            chunk.records.append((index, record.ref, keys, order))
        chunk.computing = bool(pending)
        size = task_size(hasher.params)
        for start in range(0, len(pending), size):
            task = pending[start : start + size]
            spellings = [self.spellings.get(key) for key in task]
            chunk.tasks.append((task, hasher.submit_many(task, spellings=spellings)))
        for start in range(0, len(known), KNOWN_TASK_SIZE):
            task = known[start : start + KNOWN_TASK_SIZE]
            chunk.tasks.append((task, hasher.submit_known([self.known[key] for key in task])))
        chunk.texts, self.texts = self.texts, {}
        self.known.clear()
        self.spellings.clear()
        return chunk

    def finish(
        self, chunk: _Chunk, wait: Callable[[Future[list[KeyedHash]]], list[KeyedHash]]
    ) -> None:
        for keys, future in chunk.tasks:
            for key, hashed in zip(keys, wait(future), strict=True):
                fingerprint = self.inflight.pop(key)
                self.hashed += 1
                hit = self.screener.lookup(hashed, key[0])
                if hit is None:
                    self.no_match.add(fingerprint)
                else:
                    self.hits[key] = hit
                    self.hit_tags[key] = hashed.tag
        for index, ref, keys, order in chunk.records:
            self._record_done(index, ref, (keys, order), chunk.texts)

    def _record_done(
        self, index: int, ref: Mapping[str, Any],
        found: tuple[list[tuple[str, str]], list[tuple[str, str]]],
        texts: Mapping[tuple[str, str], str],
    ) -> None:  # fmt: skip
        keys, order = found
        self.records += 1
        hits, dismissed = self._record_hits(keys, order, texts)
        if hits:
            self.matches.append(Match(index, ref, hits, screened=bool(keys)))
        elif dismissed:
            refs = tuple(dict.fromkeys(hit.case_ref for hit in dismissed))
            self.dismissed.append(DismissedMatch(index, ref, case_refs=refs))
            return
        if not keys:
            # Screened only through the order's contact, the person was
            # not: listed as not screened, beside any order-contact match.
            self.unscreened_matches += bool(hits)
            if len(self.unusable) < MAX_DETAILS:
                self.unusable.append(RecordRef(index, ref))
            else:
                self.unusable_omitted += 1
        elif self.include_clear and not hits:
            self.clear.append(RecordRef(index, ref))

    def _record_hits(
        self,
        keys: list[tuple[str, str]],
        order: list[tuple[str, str]],
        texts: Mapping[tuple[str, str], str],
    ) -> tuple[tuple[Hit, ...], list[Hit]]:
        """A record's hits, strongest first: its own, then its order's as order-contact;
        and the name-only hits the committee had cleared, which are left out."""
        own = [(key, self.hits[key]) for key in keys if key in self.hits]
        cleared = self.screener.cleared
        dismissed = [
            hit
            for key, hit in own
            if hit.strength is Strength.NAME_ONLY
            and cleared.covers(self.profile, self._form(key, texts), hit)
        ]
        # The order's identifiers the person shares are theirs, not the buyer's.
        own_tags = {self.hit_tags[key] for key, _ in own}
        via_order = [
            replace(self.hits[key], strength=Strength.ORDER_CONTACT)
            for key in order
            if key in self.hits and self.hit_tags[key] not in own_tags
        ]
        kept = [hit for _, hit in own if hit not in dismissed]
        return tuple(sorted(dict.fromkeys([*kept, *via_order]), key=Hit.rank)), dismissed

    def report(self) -> ScreeningReport:
        return ScreeningReport(
            list=self.screener.info,
            records=self.records,
            screened=self.records - len(self.unusable) - self.unusable_omitted,
            identifiers_hashed=self.hashed,
            identifiers_from_cache=self.from_cache,
            service_evaluations=self.evaluations,
            service_remaining=self.remaining,
            matches=tuple(self.matches),
            unusable=tuple(self.unusable),
            invalid=tuple(self.invalid),
            clear=tuple(self.clear) if self.include_clear else None,
            unusable_omitted=self.unusable_omitted,
            invalid_omitted=self.invalid_omitted,
            unscreened_matches=self.unscreened_matches,
            dismissed=tuple(self.dismissed),
            mixed_scripts=tuple(self.mixed),
        )
