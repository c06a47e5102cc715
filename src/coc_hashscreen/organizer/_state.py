"""An organizer's local state: what it has already seen, per series.

For each series (committee) it keeps the pinned trust generation and signing
key (trust on first use, then only successors), and the highest list version
and epoch seen.  An older list is refused (rollback); a list whose epoch goes
backwards while its version goes forward is refused too (a committee never
does that).  The trust logic is pure (`SeriesState`); `FileState` adds a
JSON file, written atomically under an exclusive lock, and `MemoryState`
serves tests and callers that keep state elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final, Protocol

from ..errors import FormatError, RollbackError
from ..formats import (
    Fields,
    ListHeader,
    TrustFile,
    check_successor,
    dump_json,
    load_json,
    write_atomic,
)

__all__ = [
    "FileState",
    "MemoryState",
    "SeriesState",
    "StateChange",
    "StateStore",
    "check_list",
    "check_trust",
    "default_state_path",
    "pin_trust",
    "record_list",
]

STATE_FORMAT: Final = 1
STATE_LIMIT: Final = 4 * 2**20
STATE_ENV: Final = "COC_HASHSCREEN_STATE"


@dataclass(frozen=True)
class SeriesState:
    """What an organizer remembers about one series."""

    committee: str
    trust_generation: int
    signing_key_id: bytes
    list_version: int = 0
    list_epoch: int = 0

    @classmethod
    def first_use(cls, trust: TrustFile) -> SeriesState:
        """The state of a series seen for the first time: *trust* pinned, no list yet."""
        return cls(trust.committee, trust.generation, trust.signing_key_id)

    def after_trust(self, trust: TrustFile, series: bytes) -> SeriesState:
        """The state after accepting *trust* as this series' trust file."""
        check_successor(
            series=series,
            generation=self.trust_generation,
            signing_key_id=self.signing_key_id,
            newer=trust,
        )
        return replace(
            self,
            committee=trust.committee,
            trust_generation=trust.generation,
            signing_key_id=trust.signing_key_id,
        )

    def after_list(self, header: ListHeader) -> SeriesState:
        """The state after accepting the list with *header*; refuses rollback."""
        if header.version < self.list_version:
            raise RollbackError(
                f"this list is version {header.version}, older than version "
                f"{self.list_version} already used; get the committee's current list"
            )
        if header.epoch < self.list_epoch:
            raise RollbackError(
                f"this list is from epoch {header.epoch}, older than epoch {self.list_epoch} "
                "already used; get the committee's current list"
            )
        return replace(self, list_version=header.version, list_epoch=header.epoch)


# A check-and-advance of one series' state: it returns the new state or
# raises, and a store applies it atomically (under its lock, if it has one).
StateChange = Callable[[SeriesState | None], SeriesState]


class StateStore(Protocol):
    """Where `SeriesState` lives between runs."""

    def get(self, series: bytes) -> SeriesState | None: ...

    def update(self, series: bytes, change: StateChange) -> SeriesState: ...


class MemoryState:
    """State kept in memory: for tests, or callers that persist it themselves."""

    def __init__(self) -> None:
        self.series: dict[bytes, SeriesState] = {}

    def get(self, series: bytes) -> SeriesState | None:
        return self.series.get(series)

    def update(self, series: bytes, change: StateChange) -> SeriesState:
        new = change(self.series.get(series))
        self.series[series] = new
        return new


def default_state_path() -> Path:
    """``$COC_HASHSCREEN_STATE``, else the platform's per-user state directory."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "darwin":  # pragma: no cover - platform specific
        base = home / "Library" / "Application Support"
    elif os.name == "nt":  # pragma: no cover - platform specific
        base = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or home / ".local" / "state")
    return base / "coc-hashscreen" / "state.json"


class FileState:
    """State in a JSON file, read-modify-written under an exclusive lock."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_state_path()

    def __repr__(self) -> str:
        return f"FileState({os.fspath(self.path)!r})"

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock_path = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX)
            except ImportError:  # pragma: no cover - no flock on this platform
                pass
            yield
        finally:
            os.close(fd)

    def _read(self) -> dict[bytes, SeriesState]:
        try:
            with open(self.path, "rb") as handle:
                data = handle.read(STATE_LIMIT + 1)
        except FileNotFoundError:
            return {}
        try:
            return _parse_state(data)
        except (FormatError, ValueError):
            raise FormatError(
                f"the state file {os.fspath(self.path)!r} is damaged; it only records which "
                "lists you have seen: move it aside to start afresh (you lose rollback "
                "protection for lists seen so far)"
            ) from None

    def _write(self, states: dict[bytes, SeriesState]) -> None:
        document = {
            "format": STATE_FORMAT,
            "series": {
                series.hex(): {
                    "committee": s.committee,
                    "trust_generation": s.trust_generation,
                    "signing_key_id": s.signing_key_id.hex(),
                    "list_version": s.list_version,
                    "list_epoch": s.list_epoch,
                }
                for series, s in sorted(states.items())
            },
        }
        write_atomic(self.path, dump_json(document) + b"\n", private=True)

    def update(self, series: bytes, change: StateChange) -> SeriesState:
        with self._locked():
            states = self._read()
            new = change(states.get(series))
            if states.get(series) != new:
                states[series] = new
                self._write(states)
            return new

    def get(self, series: bytes) -> SeriesState | None:
        with self._locked():
            return self._read().get(series)


def _parse_state(data: bytes) -> dict[bytes, SeriesState]:
    if len(data) > STATE_LIMIT:
        raise FormatError("the state file is too large")
    fields = load_json(data, "state file")
    fields.expect({"format", "series"})
    fields.format_version("format", STATE_FORMAT)
    result = {}
    for key, value in fields.obj("series").raw().items():
        if not isinstance(value, dict):
            raise FormatError("the state file is malformed")
        item = Fields(value, "state file series")
        item.expect(
            {"committee", "trust_generation", "signing_key_id", "list_version", "list_epoch"}
        )
        result[bytes.fromhex(key)] = SeriesState(
            committee=item.name("committee"),
            trust_generation=item.integer("trust_generation", minimum=1),
            signing_key_id=item.bytes_hex("signing_key_id", size=32),
            list_version=item.integer("list_version"),
            list_epoch=item.integer("list_epoch"),
        )
    return result


def _trust_change(trust: TrustFile) -> StateChange:
    def change(current: SeriesState | None) -> SeriesState:
        if current is None:  # trust on first use
            return SeriesState.first_use(trust)
        return current.after_trust(trust, trust.series)

    return change


def check_trust(store: StateStore, trust: TrustFile) -> None:
    """Refuse *trust* unless it is the pinned one or its successor; change nothing."""
    _trust_change(trust)(store.get(trust.series))


def pin_trust(store: StateStore, trust: TrustFile) -> SeriesState:
    """Pin *trust* (first use) or move the pin to a checked successor."""
    return store.update(trust.series, _trust_change(trust))


def _list_change(trust: TrustFile, header: ListHeader) -> StateChange:
    def change(current: SeriesState | None) -> SeriesState:
        base = current or SeriesState.first_use(trust)
        return base.after_list(header)

    return change


def check_list(store: StateStore, trust: TrustFile, header: ListHeader) -> None:
    """Refuse *header* if it is older than a list already used; change nothing."""
    _list_change(trust, header)(store.get(header.series))


def record_list(store: StateStore, trust: TrustFile, header: ListHeader) -> SeriesState:
    """Remember *header* as used (checking again, under the store's lock)."""
    return store.update(header.series, _list_change(trust, header))
