"""Where a screening run is: counts from the hashing threads and an estimate of time left.

`Screener.screen` calls its *progress* callback from the calling thread
with a `ScreenStatus`: as soon as the first rows are read (with an estimate
of the identifiers to come and the time they take), at least every
*interval* seconds while the hashing threads work, and once at the end.
The counts are the hasher's (`HashCounts`), so they move with every
identifier hashed, not with every chunk of rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Final, TypeVar

from ..core import KeyedHasher

__all__ = ["PROGRESS_INTERVAL", "ScreenProgress", "ScreenStatus"]

PROGRESS_INTERVAL: Final = 0.5
# Before the first Argon2 call of a run has finished, its cost is guessed
# from the parameters: about a microsecond per KiB and pass on one core of
# a 2024 laptop (measured 0.76 at the default profile).
_SECONDS_PER_KIB_PASS: Final = 1e-6

T = TypeVar("T")


@dataclass(frozen=True)
class ScreenStatus:
    """A snapshot of a screening run, for a progress display.

    *rows* of *rows_total* (None if unknown) have been read.  Of the
    distinct identifiers found so far, *hashed* are done, *from_cache* of
    them without Argon2, and *computing* still need Argon2.  *expected* is
    the estimated number of distinct identifiers in the whole input, and
    *seconds_left* the estimated time to finish (None until it can be told).
    """

    rows: int
    rows_total: int | None
    identifiers: int
    hashed: int
    from_cache: int
    computing: int
    expected: int | None
    elapsed: float
    seconds_left: float | None
    done: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "rows_total": self.rows_total,
            "identifiers": self.identifiers,
            "hashed": self.hashed,
            "from_cache": self.from_cache,
            "computing": self.computing,
            "expected_identifiers": self.expected,
            "elapsed": round(self.elapsed, 2),
            "seconds_left": None if self.seconds_left is None else round(self.seconds_left, 1),
            "done": self.done,
        }


ScreenProgress = Callable[[ScreenStatus], None]


class Tracker:
    """Turns the hasher's counts into `ScreenStatus` calls, at most every *interval*."""

    def __init__(
        self,
        callback: ScreenProgress | None,
        hasher: KeyedHasher,
        *,
        total: int | None,
        interval: float = PROGRESS_INTERVAL,
    ) -> None:
        self.callback = callback
        self.hasher = hasher
        self.total = total
        self.interval = interval
        self.rows = 0
        params = hasher.params
        self._guess = params.memory_cost * params.time_cost * _SECONDS_PER_KIB_PASS
        self._workers = hasher.workers
        self._start = time.monotonic()
        self._last = float("-inf")

    def status(self, *, done: bool = False) -> ScreenStatus:
        counts = self.hasher.counts
        rows, total = self.rows, self.total
        scale = total / rows if total and rows and not done else 1.0
        expected = round(counts.submitted * scale) if rows else None
        argon2_seen = counts.submitted - counts.from_cache
        argon2_left = max(0.0, argon2_seen * scale - counts.computed)
        per_call = counts.argon2_seconds / counts.computed if counts.computed else self._guess
        return ScreenStatus(
            rows=rows,
            rows_total=total,
            identifiers=counts.submitted,
            hashed=counts.from_cache + counts.computed,
            from_cache=counts.from_cache,
            computing=max(0, argon2_seen - counts.computed),
            expected=expected,
            elapsed=time.monotonic() - self._start,
            seconds_left=0.0
            if done
            else (argon2_left * per_call / self._workers if rows else None),
            done=done,
        )

    def tick(self, *, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            self.callback(self.status())

    def finish(self) -> None:
        if self.callback is not None:
            self.callback(self.status(done=True))

    def wait(self, future: Future[T]) -> T:
        """The future's result, ticking while it is not ready."""
        if self.callback is None:
            return future.result()
        while True:
            try:
                return future.result(
                    timeout=max(0.01, self._last + self.interval - time.monotonic())
                )
            except TimeoutError:
                self.tick()
