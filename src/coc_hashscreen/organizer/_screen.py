"""The organizer side: verify a list and a grant, then screen records locally.

`Screener.load` runs every check before any screening, in this order, each
with its own error: size limit, signature, format version, normalization
profile, validity period (with `CLOCK_SKEW`), rollback, that the grant
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
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from ..core import (
    DEFAULT_MEMORY_BUDGET,
    KINDS,
    Argon2Params,
    HpkePrivateKey,
    KeyedHash,
    KeyedHasher,
    Status,
    Strength,
    canonical,
    key_check,
    resolve_now,
    short_id,
    worker_count,
)
from ..errors import FormatError, InvalidIdentifier, MismatchError, UnknownKind, WrongKeyError
from ..formats import (
    Grant,
    HashedList,
    TrustFile,
    parse_grant,
    parse_list,
    parse_trust,
    read_envelope,
)
from ._directory import load_organizer_key
from ._headers import combine, kind_of
from ._state import FileState, StateStore, check_list, check_trust, pin_trust, record_list

__all__ = [
    "Hit",
    "InvalidValue",
    "ListInfo",
    "Match",
    "RecordRef",
    "ScreenRecord",
    "Screener",
    "ScreeningReport",
    "load_trust",
]

CHUNK_SIZE: Final = 2048
# Identifiers per task handed to the thread pool: enough to make the cost of
# a future negligible, few enough to keep every worker busy.  Costly Argon2
# parameters get smaller tasks, so a task takes well under a second and an
# interrupted run stops promptly: about 2**20 KiB-passes per task (half a
# second on the reference machine).
TASK_SIZE: Final = 32
TASK_WORK: Final = 2**20


def task_size(params: Argon2Params) -> int:
    return max(1, min(TASK_SIZE, TASK_WORK // (params.memory_cost * params.time_cost)))


# Called with (records read so far, total records if known).
ScreenProgress = Callable[[int, int | None], None]
Source = bytes | str | os.PathLike[str]


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


@dataclass(frozen=True)
class Hit:
    """One identifier of a record that is on the list."""

    kind: str
    status: Status
    strength: Strength
    case_ref: str


def _rank(hit: Hit) -> tuple[int, int, str]:
    # Strong evidence first, then the more severe status.
    return (hit.strength is not Strength.STRONG, -hit.status.severity, hit.case_ref)


@dataclass(frozen=True)
class RecordRef:
    """A record of the input, by position and by the fields it passed through."""

    index: int
    ref: Mapping[str, Any]

    @property
    def row(self) -> int:
        """The input's own row number if it gave one, else the 1-based position."""
        row = self.ref.get("row")
        return row if isinstance(row, int) and not isinstance(row, bool) else self.index


@dataclass(frozen=True)
class Match(RecordRef):
    """A record with at least one identifier on the list."""

    hits: tuple[Hit, ...]

    @property
    def best(self) -> Hit:
        return min(self.hits, key=_rank)

    @property
    def status(self) -> Status:
        return self.best.status

    @property
    def strength(self) -> Strength:
        """Strong when an e-mail or handle matched; name-only when only names did."""
        return self.best.strength

    @property
    def case_ref(self) -> str:
        return self.best.case_ref

    @property
    def matched(self) -> tuple[str, ...]:
        """The kinds that matched, in the order of `KINDS`."""
        kinds = {hit.kind for hit in self.hits}
        return tuple(kind for kind in KINDS if kind in kinds)


@dataclass(frozen=True)
class InvalidValue(RecordRef):
    """An identifier that could not be normalized: which rule failed, not the value."""

    kind: str
    rule: str


@dataclass(frozen=True)
class ListInfo:
    """What the report says about the list it screened against."""

    committee: str
    series: bytes
    epoch: int
    version: int
    issued_at: datetime
    expires_at: datetime
    profile: str
    kdf: Argon2Params


@dataclass(frozen=True)
class ScreeningReport:
    """The result of one screening run.

    Nothing about people who did not match is kept beyond counts, unless
    ``include_clear`` was asked for.  ``records`` counts every record read;
    ``screened`` those with at least one usable identifier.  ``unusable``
    lists the others: they were not screened, and are never dropped
    silently.
    """

    list: ListInfo
    records: int
    screened: int
    identifiers_hashed: int
    matches: tuple[Match, ...]
    unusable: tuple[RecordRef, ...]
    invalid: tuple[InvalidValue, ...]
    clear: tuple[RecordRef, ...] | None = None


class _FingerprintSet:
    """A set of nonzero 64-bit integers in one flat array (open addressing).

    About 8-16 bytes a member, where a Python set of ints takes over 60: the
    difference between 40 and 150 MiB for a million-row input.
    """

    _MAX_LOAD: Final = 0.7

    def __init__(self, capacity: int = 1 << 12) -> None:
        self._slots = array("Q", bytes(8 * capacity))
        self._mask = capacity - 1
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def _find(self, value: int) -> int:
        slots, mask = self._slots, self._mask
        i = value & mask
        while slots[i] and slots[i] != value:
            i = (i + 1) & mask
        return i

    def __contains__(self, value: int) -> bool:
        return self._slots[self._find(value)] == value

    def add(self, value: int) -> None:
        i = self._find(value)
        if self._slots[i] == value:
            return
        self._slots[i] = value
        self._size += 1
        if self._size > self._MAX_LOAD * (self._mask + 1):
            old = self._slots
            self._slots = array("Q", bytes(16 * len(old)))
            self._mask = 2 * len(old) - 1
            for member in old:
                if member:
                    self._slots[self._find(member)] = member


def load_trust(source: TrustFile | Source) -> TrustFile:
    """A verified trust file from a `TrustFile`, its bytes, or a path."""
    if isinstance(source, TrustFile):
        return source
    return parse_trust(_read(source, "trust"))


def _read(source: Source, file_type: str) -> bytes:
    if isinstance(source, bytes):
        return source
    return read_envelope(Path(source), file_type)


@dataclass
class _Chunk:
    records: list[tuple[int, Mapping[str, Any], list[tuple[str, str]]]]
    tasks: list[tuple[list[tuple[str, str]], Future[list[KeyedHash]]]]


class Screener:
    """Screens records against one verified list with one epoch key.

    Build it with `Screener.load`, which checks everything first.
    """

    def __init__(
        self,
        *,
        hashed_list: HashedList,
        epoch_key: bytes,
        info: ListInfo,
        workers: int | None = None,
        memory_budget: int = DEFAULT_MEMORY_BUDGET,
    ) -> None:
        self.hashed_list = hashed_list
        self.info = info
        self._epoch_key = epoch_key
        self._workers = workers
        self._memory_budget = memory_budget
        # Fail now, not at the first record, if the budget cannot fit a call.
        worker_count(hashed_list.header.kdf, workers=workers, memory_budget=memory_budget)

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
        state: StateStore | None = None,
        now: datetime | None = None,
        workers: int | None = None,
        memory_budget: int = DEFAULT_MEMORY_BUDGET,
    ) -> Screener:
        """Verify a list and a grant against a pinned trust file, then build a screener.

        *state* defaults to the per-user state file (`FileState`); pass a
        `MemoryState` to keep nothing on disk.  *now* is read once and used
        for every validity check.
        """
        now = resolve_now(now)
        store: StateStore = state if state is not None else FileState()
        trust_file = load_trust(trust)
        check_trust(store, trust_file)
        key = (
            organizer_key
            if isinstance(organizer_key, HpkePrivateKey)
            else load_organizer_key(organizer_key)
        )
        # Size limit, signature, format version and profile, in that order.
        listed = parse_list(_read(hashed_list, "list"), trust_file.trusted_keys())
        header = listed.header
        if header.series != trust_file.series:
            raise MismatchError(
                f"this list is from series {short_id(header.series)}…, not from the "
                f"committee of your trust file ({short_id(trust_file.series)}…)"
            )
        header.check_validity(now)
        check_list(store, trust_file, header)
        parsed_grant = parse_grant(_read(grant, "grant"), trust_file.trusted_keys())
        _check_grant(parsed_grant, header.series, header.epoch, now)
        epoch_key = parsed_grant.open(key)
        expected = key_check(epoch_key, series=header.series, epoch=header.epoch, salt=header.salt)
        if expected != header.key_check:
            raise WrongKeyError(
                "the key in the grant does not match this list's key check, so screening "
                "would silently match nobody; get a matching list and grant from the committee"
            )
        # Only a load that passed every check moves the state forward.
        pin_trust(store, trust_file)
        record_list(store, trust_file, header)
        info = ListInfo(
            committee=trust_file.committee,
            series=header.series,
            epoch=header.epoch,
            version=header.version,
            issued_at=header.issued_at,
            expires_at=header.expires_at,
            profile=header.profile,
            kdf=header.kdf,
        )
        return cls(
            hashed_list=listed,
            epoch_key=epoch_key,
            info=info,
            workers=workers,
            memory_budget=memory_budget,
        )

    # -- screening ---------------------------------------------------------------

    def screen(
        self,
        records: Iterable[ScreenRecord | Mapping[str, Any]],
        *,
        progress: ScreenProgress | None = None,
        total: int | None = None,
        include_clear: bool = False,
        chunk_size: int = CHUNK_SIZE,
    ) -> ScreeningReport:
        """Screen *records* (dataclasses or dicts) and report who matched.

        Exactly one Argon2 call per distinct (kind, canonical form) in the
        whole input.  *progress* is called with (records done, *total*)
        after each chunk; *total* defaults to ``len(records)`` when known.
        """
        if total is None and isinstance(records, Sized):
            total = len(records)
        run = _Run(self, include_clear=include_clear)
        header = self.hashed_list.header
        with KeyedHasher(
            epoch_key=self._epoch_key,
            salt=header.salt,
            params=header.kdf,
            version=header.version,
            workers=self._workers,
            memory_budget=self._memory_budget,
        ) as hasher:
            previous: _Chunk | None = None
            numbered = enumerate(records, start=1)
            while batch := list(itertools.islice(numbered, chunk_size)):
                prepared = run.prepare(batch, hasher)
                # The pool hashes this chunk while the previous one finishes.
                if previous is not None:
                    run.finish(previous)
                    if progress is not None:
                        progress(run.records, total)
                previous = prepared
            if previous is not None:
                run.finish(previous)
                if progress is not None:
                    progress(run.records, total)
        return ScreeningReport(
            list=self.info,
            records=run.records,
            screened=run.records - len(run.unusable),
            identifiers_hashed=run.hashed,
            matches=tuple(run.matches),
            unusable=tuple(run.unusable),
            invalid=tuple(run.invalid),
            clear=tuple(run.clear) if include_clear else None,
        )

    def lookup(self, hashed: KeyedHash, kind: str) -> Hit | None:
        entry = self.hashed_list.lookup(hashed)
        if entry is None:
            return None
        if entry.strength is not Strength.of_kind(kind):
            raise FormatError("a list entry's strength does not fit the kind it was found by")
        return Hit(kind, entry.status, entry.strength, entry.case_ref)


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

    def __init__(self, screener: Screener, *, include_clear: bool) -> None:
        self.screener = screener
        self.profile = screener.info.profile
        self.include_clear = include_clear
        self.fingerprint_key = os.urandom(16)
        self.no_match = _FingerprintSet()
        # Hits and identifiers in flight are few and keyed by the exact
        # (kind, form): a fingerprint collision can then never put one
        # identifier's hit on another.  In flight, each keeps the fingerprint
        # it will be remembered by if it does not match.
        self.hits: dict[tuple[str, str], Hit] = {}
        self.inflight: dict[tuple[str, str], int] = {}
        self.records = 0
        self.hashed = 0
        self.matches: list[Match] = []
        self.unusable: list[RecordRef] = []
        self.invalid: list[InvalidValue] = []
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

    def prepare(
        self, batch: list[tuple[int, ScreenRecord | Mapping[str, Any]]], hasher: KeyedHasher
    ) -> _Chunk:
        chunk = _Chunk(records=[], tasks=[])
        pending: list[tuple[str, str]] = []
        for index, item in batch:
            record = item if isinstance(item, ScreenRecord) else ScreenRecord.from_mapping(item)
            keys: list[tuple[str, str]] = []
            for kind, value in record.identifiers():
                try:
                    form = canonical(kind, value, profile=self.profile)
                except (InvalidIdentifier, UnknownKind) as exc:
                    self.invalid.append(
                        InvalidValue(index, record.ref, kind, getattr(exc, "rule", str(exc)))
                    )
                    continue
                key = (kind, form)
                if key in keys:
                    continue
                keys.append(key)
                if key in self.hits or key in self.inflight:
                    continue
                fingerprint = self._fingerprint(key)
                if fingerprint in self.no_match:
                    continue
                self.inflight[key] = fingerprint
                pending.append(key)
            chunk.records.append((index, record.ref, keys))
        size = task_size(hasher.params)
        for start in range(0, len(pending), size):
            task = pending[start : start + size]
            chunk.tasks.append((task, hasher.submit_many(task)))
        return chunk

    def finish(self, chunk: _Chunk) -> None:
        for keys, future in chunk.tasks:
            for key, hashed in zip(keys, future.result(), strict=True):
                fingerprint = self.inflight.pop(key)
                self.hashed += 1
                hit = self.screener.lookup(hashed, key[0])
                if hit is None:
                    self.no_match.add(fingerprint)
                else:
                    self.hits[key] = hit
        for index, ref, keys in chunk.records:
            self.records += 1
            if not keys:
                self.unusable.append(RecordRef(index, ref))
                continue
            hits = tuple(dict.fromkeys(self.hits[key] for key in keys if key in self.hits))
            if hits:
                self.matches.append(Match(index, ref, tuple(sorted(hits, key=_rank))))
            elif self.include_clear:
                self.clear.append(RecordRef(index, ref))
