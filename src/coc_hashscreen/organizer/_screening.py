"""The screening engine: verify a list and a grant, then screen records locally.

`Screener.load` runs every check before any screening, in this order, each
with its own error: the trust file's validity and pin, size limit,
signature, format version, normalization profile, validity period (with
`CLOCK_SKEW`), rollback and forks, that the grant
matches (series, epoch, organizer, validity) and that its key matches the
list's key check.  A wrong key fails loudly; it never silently matches
nobody.

`Screener.screen` streams records in chunks: it normalizes the next chunk
while the thread pool hashes the previous one, hashes each distinct
identifier exactly once however far apart its repeats are, and keeps memory
bounded by remembering identifiers it has hashed as 64-bit keyed
fingerprints in one flat array.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

from ..core import (
    Argon2Params,
    EpochKey,
    HashingOptions,
    HpkePrivateKey,
    KeyedHash,
    KeyedHasher,
    Strength,
    canonical,
    has_mixed_scripts,
    key_check,
    resolve_now,
    short_id,
    worker_count,
)
from ..errors import (
    FormatError,
    InvalidIdentifier,
    InvalidParameters,
    MismatchError,
    UnknownKind,
    WrongKeyError,
)
from ..formats import (
    CacheHeader,
    Grant,
    HashedList,
    TrustFile,
    cache_file_key,
    parse_grant,
    parse_list,
    parse_trust,
    read_grant,
    read_list,
    read_trust,
)
from ._cache import FileCache, sweep_caches
from ._cleared import ClearedMatches
from ._directory import load_organizer_key
from ._fingerprints import FingerprintSet
from ._history import RowDigests
from ._progress import ScreenProgress, ScreenStatus, Tracker
from ._records import ScreenRecord
from ._results import (
    MAX_DETAILS,
    DismissedMatch,
    Hit,
    InvalidValue,
    ListInfo,
    Match,
    RecordRef,
    ScreeningReport,
)
from ._state import FileState, StateStore, check_list, check_trust, pin_trust, record_list

__all__ = ["ScreenProgress", "ScreenStatus", "Screener", "ScreenerOptions", "Source", "load_trust"]

CHUNK_SIZE: Final = 2048
FIRST_CHUNK: Final = 256
# Chunks read ahead while the cache serves them (see `_screen_chunks`).
MAX_AHEAD: Final = 8
# Identifiers per task when only HKDF is left to do.
KNOWN_TASK_SIZE: Final = 512
# Marks a key whose value the cache knew by its text: no canonical form
# starts with it, since normalization drops every control character.
SPELLED: Final = "\x00"
# Identifiers per task handed to the thread pool: enough to make the cost of
# a future negligible, few enough to keep every worker busy.  Costly Argon2
# parameters get smaller tasks, so a task takes well under a second and an
# interrupted run stops promptly: about 2**20 KiB-passes per task (half a
# second on the reference machine).
TASK_SIZE: Final = 32
TASK_WORK: Final = 2**20


def task_size(params: Argon2Params) -> int:
    return max(1, min(TASK_SIZE, TASK_WORK // (params.memory_cost * params.time_cost)))


# A file given by its bytes or its path.
Source = bytes | str | os.PathLike[str]


@dataclass(frozen=True)
class ScreenerOptions:
    """How `Screener.load` checks and how the screener runs.

    *state* is where rollback protection and the pinned trust file live:
    None means the per-user state file (`FileState`); a `MemoryState`
    keeps nothing on disk.  *now* is the one time every validity check uses
    (None: the clock, read once).  *hashing* sets threads and memory (see
    `HashingOptions` for its Argon2 seam, which only tests replace) and may
    carry an in-memory `ArgonCache`; *cache_dir* keeps one on disk instead,
    encrypted, for every run of the epoch (`FileCache`).
    """

    state: StateStore | None = None
    now: datetime | None = None
    hashing: HashingOptions = field(default_factory=HashingOptions)
    # Where the encrypted Argon2 cache lives (`FileCache`); None: no file.
    # Not together with a cache in *hashing*.
    cache_dir: str | os.PathLike[str] | None = None


def load_trust(source: TrustFile | Source) -> TrustFile:
    """A verified trust file from a `TrustFile`, its bytes, or a path."""
    if isinstance(source, TrustFile):
        return source
    return parse_trust(source) if isinstance(source, bytes) else read_trust(source)


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


class Screener:
    """Screens records against one verified list with one epoch key.

    Build it with `Screener.load`, which checks everything first.
    """

    def __init__(
        self,
        *,
        hashed_list: HashedList,
        key: EpochKey,
        info: ListInfo,
        hashing: HashingOptions = HashingOptions(),
        cleared: ClearedMatches | None = None,
    ) -> None:
        self.hashed_list = hashed_list
        self.info = info
        # A cache on disk is saved after each run; its warnings say when a
        # file was there but not trusted.
        self.file_cache = hashing.cache if isinstance(hashing.cache, FileCache) else None
        # Name-only matches the committee cleared, from the state (`_cleared`).
        self.cleared = cleared if cleared is not None else ClearedMatches()
        self._key = key
        self._hashing = hashing
        # Records normalized while the pool hashes the previous chunk; tests
        # set it small to cross chunk boundaries.
        self.chunk_size = CHUNK_SIZE
        # Fail now, not at the first record, if the budget cannot fit a call.
        worker_count(key.params, hashing)

    def __repr__(self) -> str:
        return (
            f"Screener(series={short_id(self.info.series)}…, epoch={self.info.epoch}, "
            f"version={self.info.version})"
        )

    @classmethod
    def load(
        cls,
        *,
        hashed_list: Source,
        grant: Source,
        organizer_key: HpkePrivateKey | str | os.PathLike[str],
        trust: TrustFile | Source,
        options: ScreenerOptions = ScreenerOptions(),
    ) -> Screener:
        """Verify a list and a grant against a pinned trust file, then build a screener.

        Only a load that passes every check moves the state forward.
        """
        now = resolve_now(options.now)
        if options.cache_dir is not None:
            if options.hashing.cache is not None:
                raise InvalidParameters(
                    "give a cache in the hashing options or a cache_dir, not both"
                )
            # Expired grants take their caches along, even if this load fails.
            sweep_caches(options.cache_dir, now=now)
        store: StateStore = options.state if options.state is not None else FileState()
        trust_file = load_trust(trust)
        trust_file.check_validity(now)
        check_trust(store, trust_file)
        if not isinstance(organizer_key, HpkePrivateKey):
            organizer_key = load_organizer_key(organizer_key)
        keys = trust_file.trusted_keys()
        # Size limit, signature, format version and profile, in that order.
        listed = (
            parse_list(hashed_list, keys)
            if isinstance(hashed_list, bytes)
            else read_list(hashed_list, keys)
        )
        header = listed.header
        if header.series != trust_file.series:
            raise MismatchError(
                f"this list is from series {short_id(header.series)}…, not from the "
                f"committee of your trust file ({short_id(trust_file.series)}…)"
            )
        header.check_validity(now)
        check_list(store, trust_file, listed)
        parsed_grant = (
            parse_grant(grant, keys) if isinstance(grant, bytes) else read_grant(grant, keys)
        )
        _check_grant(parsed_grant, header.series, header.epoch, now)
        key = EpochKey(parsed_grant.open(organizer_key), header.salt, header.kdf)
        if key_check(key, series=header.series, epoch=header.epoch) != header.key_check:
            raise WrongKeyError(
                "the key in the grant does not match this list's key check, so screening "
                "would silently match nobody; get a matching list and grant from the committee"
            )
        pin_trust(store, trust_file)
        record_list(store, trust_file, listed)
        state = store.get(header.series)
        hashing = options.hashing
        if options.cache_dir is not None:
            cache = FileCache.open(
                options.cache_dir,
                CacheHeader(header.series, header.epoch, parsed_grant.expires_at),
                key=cache_file_key(organizer_key, key, series=header.series, epoch=header.epoch),
                now=now,
            )
            hashing = replace(hashing, cache=cache)
        return cls(
            hashed_list=listed,
            key=key,
            info=ListInfo.of(header, trust_file.committee),
            hashing=hashing,
            cleared=state.cleared if state is not None else None,
        )

    # -- screening ---------------------------------------------------------------

    def screen(
        self,
        records: Iterable[ScreenRecord | Mapping[str, Any]],
        *,
        progress: ScreenProgress | None = None,
        total: int | None = None,
        include_clear: bool = False,
        digests: RowDigests | None = None,
    ) -> ScreeningReport:
        """Screen *records* (dataclasses or dicts) and report who matched.

        Exactly one Argon2 call per distinct (kind, canonical form) in the
        whole input, and none for one the cache holds.  *progress* gets a
        `ScreenStatus` once the first rows are read, at least every half
        second while hashing, and at the end; *total* (rows, for its
        estimates) defaults to ``len(records)`` when known.  A file cache
        is saved at the end, even when the run is interrupted: every entry
        in it is a finished Argon2 output.  *digests*, if given, receives
        each record's keyed digests, for `compare_runs` to tell what is new
        since the last run.
        """
        if total is None and isinstance(records, Sized):
            total = len(records)
        run = _Run(self, include_clear=include_clear, digests=digests)
        version = self.hashed_list.header.version
        try:
            with KeyedHasher(self._key, version=version, options=self._hashing) as hasher:
                tracker = Tracker(progress, hasher, total=total)
                self._screen_chunks(run, hasher, tracker, enumerate(records, start=1))
                run.from_cache = hasher.counts.from_cache
            tracker.finish()
        finally:
            if self.file_cache is not None:
                self.file_cache.save()
        return run.report()

    def _screen_chunks(
        self,
        run: _Run,
        hasher: KeyedHasher,
        tracker: Tracker,
        numbered: Iterator[tuple[int, ScreenRecord | Mapping[str, Any]]],
    ) -> None:
        chunk_size = self.chunk_size
        # A small first chunk: the first estimate comes within a second.
        size = min(FIRST_CHUNK, chunk_size)
        ahead: deque[_Chunk] = deque()
        while True:
            batch = list(itertools.islice(numbered, size))
            size = chunk_size
            # The pool hashes this chunk while earlier ones finish.
            if batch:
                ahead.append(run.prepare(batch, hasher))
            tracker.rows += len(batch)
            tracker.tick(force=tracker.rows == len(batch))
            # Finish the oldest chunk while the next is hashed (waiting for
            # it); but past chunks the cache served whole, read on, up to
            # MAX_AHEAD: a re-screen reaches its new rows, the only Argon2
            # work, sooner, and looks up the old ones meanwhile.
            while ahead and (
                not batch or len(ahead) > MAX_AHEAD or (len(ahead) > 1 and not ahead[0].served())
            ):
                run.finish(ahead.popleft(), tracker.wait)
            if not batch:
                break

    def lookup(self, hashed: KeyedHash, kind: str) -> Hit | None:
        entry = self.hashed_list.lookup(hashed)
        if entry is None:
            return None
        if entry.strength is not Strength.of_kind(kind):
            raise FormatError("a list entry's strength does not fit the kind it was found by")
        if (entry.common_name or entry.shared) and self.info.profile == "v1":
            raise FormatError("a list entry carries a mark its list's profile does not have")
        return Hit(
            kind, entry.status, entry.strength, entry.case_ref, entry.common_name, entry.shared,
            committee=self.info.committee,
        )  # fmt: skip


def _check_grant(grant: Grant, series: bytes, epoch: int, now: datetime) -> None:
    if grant.series != series:
        raise MismatchError(
            "this grant is for another committee's lists; use the grant that came with "
            "this committee's list"
        )
    if grant.epoch != epoch:
        raise MismatchError(
            f"this grant is for epoch {grant.epoch} but the list is from epoch {epoch}; "
            f"ask the committee for a grant for epoch {epoch}"
        )
    grant.check_validity(now)


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
