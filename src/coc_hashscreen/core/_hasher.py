"""Batch hashing: many identifiers on a thread pool bounded by a memory budget.

argon2-cffi releases the GIL, so threads reach all cores without the
pickling cost of processes; the number of threads is bounded by a memory
budget, because each call holds ``memory_cost`` KiB for its whole duration.
With a cache (`ArgonCache`) a known identifier costs HKDF alone; the hasher
counts what its threads finish (`HashCounts`), for progress.

With an organizer's online key (`RemoteEpochKey`) the peppers come from the
committee's service: `_Requests` gathers the identifiers the cache does not
know into requests of exactly `MAX_OPRF_BATCH`, so the service sees only
full requests and, after `KeyedHasher.flush`, a total padded to a power of
two: a size bucket, not the size of the list.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from types import TracebackType

from ..errors import InvalidParameters, ServiceError, ServiceRefused
from ._closing import Closing
from ._hashing import (
    ARGON2_OUTPUT_SIZE,
    Argon2Params,
    HashingOptions,
    HashKey,
    KeyedHash,
    Progress,
    RemoteEpochKey,
    _argon2_of,
    _check_version,
    _expand,
    cache_fingerprint,
    cache_key,
    spelling_fingerprint,
)
from ._normalize import KINDS, check_kind
from ._requests import _Requests

__all__ = ["HashCounts", "KeyedHasher", "available_cpus", "worker_count"]


def _output(x: bytes | None) -> bytes | None:
    # Anything but an Argon2 output is recomputed, never trusted.
    return x if x is not None and len(x) == ARGON2_OUTPUT_SIZE else None


def _paid_for(exc: BaseException | None) -> bool:
    """Whether a run ended by *exc* leaves answered evaluations worth finishing."""
    return isinstance(exc, ServiceRefused | ServiceError)


def available_cpus() -> int:
    """CPUs this process may run on (affinity-aware where the OS tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def worker_count(params: Argon2Params, options: HashingOptions) -> int:
    """Threads for Argon2: the options' workers (default: the CPUs) lowered to fit the budget.

    A budget too small for even one call is an error, not a silent slowdown.
    """
    fit = options.memory_budget // params.memory_bytes
    if fit < 1:
        raise InvalidParameters(
            f"one Argon2 call needs {params.memory_bytes // 2**20} MiB but the memory "
            f"budget is {options.memory_budget // 2**20} MiB; raise the memory budget"
        )
    return min(options.workers or available_cpus(), fit)


@dataclass(frozen=True)
class HashCounts:
    """What a `KeyedHasher` has done so far: read while it runs, for progress.

    *submitted* identifiers were handed to it; *from_cache* of them were
    served by the cache (HKDF alone); *computed* Argon2 calls have finished,
    taking *argon2_seconds* summed over the threads.
    """

    submitted: int = 0
    from_cache: int = 0
    computed: int = 0
    argon2_seconds: float = 0.0

    def to_dict(self) -> dict[str, int | float]:
        return {
            "submitted": self.submitted,
            "from_cache": self.from_cache,
            "computed": self.computed,
            "argon2_seconds": round(self.argon2_seconds, 3),
        }


class KeyedHasher(Closing):
    """Keyed hashing of many identifiers, for one list version, on a bounded thread pool.

    Use as a context manager.  The number of threads is `worker_count`.
    With a cache in the options, an identifier found there costs HKDF
    alone: the cache is consulted when work is submitted, so `counts` says
    at once how much Argon2 is still to come.
    """

    def __init__(
        self, key: HashKey, *, version: int, options: HashingOptions = HashingOptions()
    ) -> None:
        self.workers = worker_count(key.params, options)
        self.params = key.params
        self.version = _check_version(version)
        self._key = key
        self._argon2 = options.argon2
        self._cache = options.cache
        self._fingerprint_key = cache_key(key) if options.cache is not None else b""
        self._counts = HashCounts()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="coc-hashscreen-argon2")
        self._requests = (
            _Requests(key.evaluator, self._submit_peppered)
            if isinstance(key, RemoteEpochKey)
            else None
        )

    def __repr__(self) -> str:
        return (
            f"KeyedHasher(params={self.params!r}, version={self.version}, workers={self.workers})"
        )

    def close(self) -> None:
        if self._requests is not None:
            self._requests.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._requests is not None and self._cache is not None and _paid_for(exc):
            # The service refused or failed part way: the Argon2 work queued
            # for identifiers it has answered is paid for in quota.  It is
            # finished, into the cache, so that the run after a top-up does
            # not pay for those identifiers again.
            self._requests.cancel()
            self._pool.shutdown(wait=True, cancel_futures=False)
        self.close()

    @property
    def online(self) -> bool:
        """Whether peppers come from the committee's service (`flush` then matters)."""
        return self._requests is not None

    def waiting(self, future: Future[list[KeyedHash]]) -> bool:
        """Whether *future* still waits for identifiers not yet sent to the service."""
        return self._requests is not None and self._requests.holds(future)

    def flush(self) -> None:
        """Send what waits for the service, padding the run to a power of two.

        Call it once the last identifiers are submitted: before it, an
        online hasher sends only full requests.
        """
        if self._requests is not None:
            self._requests.flush()

    @property
    def evaluations(self) -> int:
        """Inputs sent to the service so far, padding included."""
        return self._requests.sent if self._requests is not None else 0

    @property
    def counts(self) -> HashCounts:
        with self._lock:
            return self._counts

    def _count(self, **changes: float) -> None:
        with self._lock:
            counts = self._counts
            self._counts = replace(
                counts, **{name: getattr(counts, name) + value for name, value in changes.items()}
            )

    def _cached(self, items: Sequence[tuple[str, str]]) -> list[bytes | None]:
        """Each item's Argon2 output from the cache, or None where it must be computed."""
        cache = self._cache
        found: list[bytes | None] = [None] * len(items)
        if cache is not None:
            for i, (kind, form) in enumerate(items):
                found[i] = _output(cache.get(cache_fingerprint(self._fingerprint_key, kind, form)))
        self._count(submitted=len(items), from_cache=sum(x is not None for x in found))
        return found

    def submit(self, kind: str, canonical_form: str) -> Future[KeyedHash]:
        """Start hashing one canonical identifier; the future holds the result.

        Offline keys only: an online hasher takes identifiers by `submit_many`.
        """
        if self._requests is not None:
            raise InvalidParameters("an online hasher takes identifiers by submit_many")
        item = (check_kind(kind), canonical_form)
        return self._pool.submit(self._derive, item, self._cached([item])[0])

    def submit_many(
        self, items: Sequence[tuple[str, str]], *, spellings: Sequence[str | None] = ()
    ) -> Future[list[KeyedHash]]:
        """Start hashing several identifiers as one task: fewer futures, less overhead.

        *spellings*, one per item (or none), are the texts the items were
        read as: with a cache, each is remembered for `spelling`.
        """
        checked = [(check_kind(kind), form) for kind, form in items]
        found = self._cached(checked)
        texts = list(spellings) or [None] * len(checked)
        if self._requests is not None:
            return self._requests.add(checked, found, texts)
        return self._pool.submit(self._derive_all, checked, found, texts)

    def _submit_peppered(
        self,
        items: list[tuple[str, str]],
        found: list[bytes | None],
        texts: list[str | None],
        peppers: list[bytes],
    ) -> Future[list[KeyedHash]]:
        # Called by _Requests once the service answered for every item not found.
        return self._pool.submit(self._derive_all, items, found, texts, peppers)

    def spelling(self, kind: str, value: str) -> bytes | None:
        """The Argon2 output of *value* if the cache holds it under this exact text."""
        if self._cache is None or kind not in KINDS:
            return None
        return _output(self._cache.get(spelling_fingerprint(self._fingerprint_key, kind, value)))

    def known(self, kind: str, canonical_form: str, *, text: str) -> bytes | None:
        """The Argon2 output of a canonical identifier if the cache holds it; if so, it
        is also remembered under *text*, the spelling it was read as this time."""
        if self._cache is None:
            return None
        x = _output(self._cache.get(cache_fingerprint(self._fingerprint_key, kind, canonical_form)))
        if x is not None:
            self._cache.put(spelling_fingerprint(self._fingerprint_key, kind, text), x)
        return x

    def submit_known(self, outputs: Sequence[bytes]) -> Future[list[KeyedHash]]:
        """Derive the tags and payload keys of Argon2 outputs already known (`spelling`)."""
        self._count(submitted=len(outputs), from_cache=len(outputs))
        version = self.version
        return self._pool.submit(lambda: [_expand(x, version) for x in outputs])

    def _derive_all(
        self,
        items: list[tuple[str, str]],
        found: list[bytes | None],
        texts: list[str | None],
        peppers: list[bytes] | None = None,
    ) -> list[KeyedHash]:
        given = iter(peppers or ())
        return [
            self._derive(item, x, text, b"" if x is not None or peppers is None else next(given))
            for item, x, text in zip(items, found, texts, strict=True)
        ]

    def _derive(
        self, item: tuple[str, str], x: bytes | None, text: str | None = None, peppered: bytes = b""
    ) -> KeyedHash:
        cache = self._cache
        if x is None:
            started = time.perf_counter()
            x = _argon2_of(self._key, item, self._argon2, peppered)
            self._count(computed=1, argon2_seconds=time.perf_counter() - started)
            if cache is not None:
                cache.put(cache_fingerprint(self._fingerprint_key, *item), x)
        if cache is not None and text is not None:
            cache.put(spelling_fingerprint(self._fingerprint_key, item[0], text), x)
        return _expand(x, self.version)

    def hash_many(
        self, items: Sequence[tuple[str, str]], *, progress: Progress | None = None
    ) -> list[KeyedHash]:
        """Hash ``(kind, canonical_form)`` pairs; results in input order.

        Equal pairs are hashed once.  *progress* is called from this thread
        with ``(done, total)`` counted in distinct pairs.  Not with an
        organizer's online key, whose identifiers go by `submit_many` and `flush`.
        """
        unique = list(dict.fromkeys(items))
        results: dict[tuple[str, str], KeyedHash] = {}
        for done, (item, result) in enumerate(self.imap(unique), start=1):
            results[item] = result
            if progress is not None:
                progress(done, len(unique))
        return [results[item] for item in items]

    def imap(
        self, items: Iterable[tuple[str, str]], *, window: int | None = None
    ) -> Iterator[tuple[tuple[str, str], KeyedHash]]:
        """Hash a stream lazily, in order, with at most *window* calls in flight.

        The pool stays busy while the caller produces the next items, and
        memory stays bounded whatever the length of the stream.
        """
        limit = window or 4 * self.workers
        pending: deque[tuple[tuple[str, str], Future[KeyedHash]]] = deque()
        try:
            for item in items:
                pending.append((item, self.submit(*item)))
                if len(pending) >= limit:
                    head, future = pending.popleft()
                    yield head, future.result()
            while pending:
                head, future = pending.popleft()
                yield head, future.result()
        finally:
            for _, future in pending:
                future.cancel()
