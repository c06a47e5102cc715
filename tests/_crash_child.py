"""Run one operation in a child process and SIGKILL it at a chosen point.

    python tests/_crash_child.py OPERATION DIRECTORY KILL_AT

Everything before the operation (imports, opening files) is not counted.
During the operation, every profiler event of the main thread (each Python
call and return and each call into C, such as write, fsync, rename or a
SQLite step) advances a counter; at event KILL_AT the process kills itself
with SIGKILL, the one signal nothing can catch or clean up after.  With
KILL_AT 0 it runs to the end and prints how many events the operation took.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from coc_hashscreen.committee import Committee, NewRecord, PublishOptions, Register
from coc_hashscreen.core import Identifier, Status
from coc_hashscreen.organizer import FileState, SeriesState, init_organizer

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
SERIES = b"\x01" * 32


def _committee_operation(name: str) -> Callable[[Path], Callable[[], object]]:
    def build(directory: Path) -> Callable[[], object]:
        committee = Committee.open(directory / "committee")
        runs: dict[str, Callable[[], object]] = {
            "publish": lambda: committee.publish(directory / "current.list", now=NOW),
            "rotate-epoch": lambda: committee.publish(
                directory / "current.list", PublishOptions(rotate=True), now=NOW
            ),
            "expunge": lambda: committee.expunge(now=NOW.replace(year=2030)),
            "rotate-signing-key": lambda: committee.rotate_signing_key(now=NOW),
        }
        return runs[name]

    return build


def _add_records(directory: Path) -> Callable[[], object]:
    register = Register.open(directory / "committee" / "register.sqlite3")

    def add_three() -> None:
        for n in range(3):
            register.records.add(
                NewRecord(
                    status=Status.BANNED,
                    identifiers=[Identifier("email", f"p{n}-{i}@added.example") for i in range(5)],
                ),
                now=NOW,
            )

    return add_three


def _write_state(directory: Path) -> Callable[[], object]:
    store = FileState(directory / "state.json")
    return lambda: store.update(SERIES, lambda _: SeriesState("C", 1, b"\x02" * 32, 2, 1))


# What each operation does, made ready before the kill point is armed.
OPERATIONS: dict[str, Callable[[Path], Callable[[], object]]] = {
    **{
        name: _committee_operation(name)
        for name in ("publish", "rotate-epoch", "rotate-signing-key", "expunge")
    },
    "committee-init": lambda d: lambda: Committee.init(d / "new-committee", name="New", now=NOW),
    "register": _add_records,
    "state": _write_state,
    "organizer-key": lambda d: lambda: init_organizer(d / "organizer", name="Crash Conf"),
}


def operation(name: str, directory: Path) -> Callable[[], object]:
    if name not in OPERATIONS:
        raise SystemExit(f"unknown operation {name}")
    return OPERATIONS[name](directory)


def main() -> None:
    name, directory, kill_at = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    run = operation(name, directory)
    events = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal events
        events += 1
        if events == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    sys.setprofile(profile)
    run()
    sys.setprofile(None)
    print(events)


if __name__ == "__main__":
    main()
