"""The requests an organizer's online hasher sends: full batches, then a padded total.

The service must learn how many identifiers an organizer screens only up
to a size bucket (issue 16).  So the identifiers the cache does not know
wait here until `MAX_OPRF_BATCH` of them can go in one request; every
request but the last of a run is full, and `flush` pads the run's total
with random inputs to the next power of two.  A run of fewer than
`MAX_OPRF_BATCH` inputs is then one request of a power-of-two size, and a
longer one a number of full requests that is itself a power of two.

Padding counts against the organizer's quota like any input.  Where the
quota left is too small for the whole padding, the padding shrinks to fit:
the service then learns that the run used the rest of the quota, which its
committee set.  Real identifiers always go before padding, so a quota
spent by padding alone loses nothing.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from ..errors import ServiceRefused
from ._oprf import MAX_OPRF_BATCH, oprf_input

if TYPE_CHECKING:
    from ._hashing import BatchEvaluator, KeyedHash

__all__ = ["PADDING_SIZE", "padded_total"]

# A padding input: random bytes of the length of a short identifier's input;
# the service sees only blinded elements, which look alike whatever the input.
PADDING_SIZE: Final = 32

Submit = Callable[
    [list[tuple[str, str]], list["bytes | None"], list["str | None"], list[bytes]],
    "Future[list[KeyedHash]]",
]


def padded_total(count: int) -> int:
    """The inputs a run of *count* sends once padded: the next power of two (0 for 0)."""
    return 0 if count == 0 else 1 << (count - 1).bit_length()


@dataclass
class _Task:
    """Items submitted together, waiting for the peppers of those the cache did not know."""

    items: list[tuple[str, str]]
    found: list[bytes | None]
    texts: list[str | None]
    outer: Future[list[KeyedHash]]
    # The items to evaluate, in order, and the peppers received so far.
    needed: list[int]
    peppers: list[bytes] = field(default_factory=list)


class _Requests:
    """The queue of one online `KeyedHasher`: sends full requests, then `flush` pads.

    Called from the one thread that submits work; the Argon2 of a task is
    handed to *submit* once the service answered for all of its items.
    """

    def __init__(self, evaluator: BatchEvaluator, submit: Submit) -> None:
        self._evaluator = evaluator
        self._submit = submit
        self._tasks: deque[_Task] = deque()
        # Items waiting, over all tasks, and how many inputs went out (padding too).
        self._waiting = 0
        self.sent = 0

    def holds(self, future: Future[list[KeyedHash]]) -> bool:
        return any(task.outer is future for task in self._tasks)

    def add(
        self,
        items: list[tuple[str, str]],
        found: list[bytes | None],
        texts: list[str | None],
    ) -> Future[list[KeyedHash]]:
        outer: Future[list[KeyedHash]] = Future()
        needed = [i for i, x in enumerate(found) if x is None]
        task = _Task(items, found, texts, outer, needed)
        if not needed:
            self._start(task)
            return outer
        self._tasks.append(task)
        self._waiting += len(needed)
        while self._waiting >= MAX_OPRF_BATCH:
            self._send(MAX_OPRF_BATCH, padding=0)
        return outer

    def flush(self) -> None:
        """Send every item still waiting, then pad the run to a power of two (quota allowing)."""
        target = padded_total(self.sent + self._waiting)
        while self._waiting or self.sent < target:
            # Between flushes fewer than a full request wait, so one request takes them all.
            real = self._waiting
            size = min(MAX_OPRF_BATCH, target - self.sent)
            try:
                self._send(real, padding=size - real)
            except ServiceRefused as exc:
                left = exc.remaining
                if exc.reason != "quota-spent" or left is None or left >= size:
                    raise
                if real == 0:
                    return  # padding alone was refused: every real item has gone out
                if left < real:
                    raise
                # The quota cannot hold the whole padding: pad to what it holds.
                target = self.sent + left

    def cancel(self) -> None:
        """Give up on every task still waiting (the hasher is closing)."""
        while self._tasks:
            self._tasks.popleft().outer.cancel()
        self._waiting = 0

    def _send(self, real: int, *, padding: int) -> None:
        """One request: the next *real* waiting items, then *padding* random inputs."""
        inputs: list[bytes] = []
        owners: list[_Task] = []
        for task in self._tasks:
            # Each task comes up once per request, so its next items start after its peppers.
            start = len(task.peppers)
            for index in task.needed[start : start + real - len(inputs)]:
                inputs.append(oprf_input(*task.items[index]))
                owners.append(task)
            if len(inputs) == real:
                break
        inputs += [os.urandom(PADDING_SIZE) for _ in range(padding)]
        outputs = self._evaluator.evaluate(inputs)
        self.sent += len(inputs)
        self._waiting -= real
        for task, output in zip(owners, outputs, strict=False):
            task.peppers.append(output)
        while self._tasks and len(self._tasks[0].peppers) == len(self._tasks[0].needed):
            self._start(self._tasks.popleft())

    def _start(self, task: _Task) -> None:
        if not task.outer.set_running_or_notify_cancel():
            return
        inner = self._submit(task.items, task.found, task.texts, task.peppers)
        inner.add_done_callback(lambda done: _copy(done, task.outer))


def _copy(done: Future[list[KeyedHash]], outer: Future[list[KeyedHash]]) -> None:
    if done.cancelled():
        outer.set_exception(RuntimeError("the hashing was cancelled"))
    elif (exc := done.exception()) is not None:
        outer.set_exception(exc)
    else:
        outer.set_result(done.result())
