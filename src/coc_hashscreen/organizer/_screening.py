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

import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Final

from ..core import (
    HashingOptions,
    HashKey,
    HpkePrivateKey,
    KeyedHash,
    KeyedHasher,
    RemoteEpochKey,
    Strength,
    resolve_now,
    short_id,
    worker_count,
)
from ..errors import (
    FormatError,
    InvalidParameters,
    MismatchError,
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
from ._history import RowDigests
from ._online import ServiceClient, Transport, screening_key
from ._progress import ScreenProgress, ScreenStatus, Tracker
from ._records import ScreenRecord
from ._results import (
    Hit,
    ListInfo,
    ScreeningReport,
)
from ._run import _Chunk, _Run
from ._state import FileState, StateStore, check_list, check_trust, pin_trust, record_list

__all__ = ["ScreenProgress", "ScreenStatus", "Screener", "ScreenerOptions", "Source", "load_trust"]

CHUNK_SIZE: Final = 2048
FIRST_CHUNK: Final = 256
# Chunks read ahead while the cache serves them (see `_screen_chunks`).
MAX_AHEAD: Final = 8
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
    # How an online list's service is reached (None: HTTPS); tests replace it.
    transport: Transport | None = None


def load_trust(source: TrustFile | Source) -> TrustFile:
    """A verified trust file from a `TrustFile`, its bytes, or a path."""
    if isinstance(source, TrustFile):
        return source
    return parse_trust(source) if isinstance(source, bytes) else read_trust(source)


class Screener:
    """Screens records against one verified list with one epoch key.

    Build it with `Screener.load`, which checks everything first.
    """

    def __init__(
        self,
        *,
        hashed_list: HashedList,
        key: HashKey,
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
        key = screening_key(parsed_grant, organizer_key, header, transport=options.transport)
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
                run.evaluations = hasher.evaluations
                run.remaining = self._service_remaining()
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
            else:
                # Online: what waits for a full request goes now, padded.
                hasher.flush()
            tracker.rows += len(batch)
            tracker.tick(force=tracker.rows == len(batch))
            # Finish the oldest chunk while the next is hashed (waiting for
            # it); but past chunks the cache served whole, read on, up to
            # MAX_AHEAD: a re-screen reaches its new rows, the only Argon2
            # work, sooner, and looks up the old ones meanwhile.  Online,
            # a chunk whose identifiers wait for a full request is never
            # waited for while rows remain: reading on fills the request.
            while (
                ahead
                and (
                    not batch
                    or len(ahead) > MAX_AHEAD
                    or (len(ahead) > 1 and not ahead[0].served())
                )
                and not (batch and ahead[0].waiting(hasher))
            ):
                run.finish(ahead.popleft(), tracker.wait)
            if not batch:
                break

    def _service_remaining(self) -> int | None:
        key = self._key
        if isinstance(key, RemoteEpochKey) and isinstance(key.evaluator, ServiceClient):
            return key.evaluator.remaining
        return None

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
