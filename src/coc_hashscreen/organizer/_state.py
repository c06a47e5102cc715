"""An organizer's local state: what it has already seen, per series.

For each series (committee) it keeps the pinned trust generation, signing
key and head fingerprint (trust on first use, then only successors), and the
highest list version and epoch seen.  An older list is refused (rollback); a
list whose epoch goes backwards while its version goes forward is refused too
(a committee never does that).

It also remembers the digest and signer of the last `MAX_SEEN` lists it
accepted, so two different lists that claim one (epoch, version), or two
different trust files of one generation, are refused as a fork
(`ForkError`) instead of being used one after the other (ADR 0012).  When a
newer trust file declares a key compromised, the marks set by lists that key
signed are forgotten: a thief's inflated version cannot lock the organizer
out of the committee's real lists.

The trust logic is pure (`SeriesState`); `FileState` adds a JSON file,
written atomically under an exclusive lock, and `MemoryState` serves tests
and callers that keep state elsewhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, Protocol

from ..core import Status, short_id
from ..errors import (
    ForkError,
    FormatError,
    InputError,
    MismatchError,
    RollbackError,
    UntrustedSigner,
)
from ..formats import (
    Fields,
    HashedList,
    ListHeader,
    TrustFile,
    check_successor,
    dump_json,
    load_json,
    write_atomic,
)
from ._cleared import ClearedMatches

__all__ = [
    "FIRST_PIN_MAX_GENERATION",
    "FileState",
    "MemoryState",
    "SeenList",
    "SeriesState",
    "StateChange",
    "StateStore",
    "check_list",
    "check_trust",
    "clear_match",
    "default_state_path",
    "list_digest",
    "pin_trust",
    "record_list",
    "unclear_match",
]

# 3 adds the cleared name-only matches (`_cleared`); 1 and 2 are still read.
STATE_FORMAT: Final = 3
# The lists remembered for fork detection: enough to span any list an
# organizer could still be offered; older versions are rollbacks anyway.
MAX_SEEN: Final = 32
# A first pin beyond this generation needs the fingerprint the committee
# published: a stolen first key can mint generation 1000 in a second, a real
# committee rotates a few times in its life (ADR 0012).
FIRST_PIN_MAX_GENERATION: Final = 5
STATE_LIMIT: Final = 4 * 2**20
STATE_ENV: Final = "COC_HASHSCREEN_STATE"


@dataclass(frozen=True)
class SeenList:
    """A list an organizer accepted: its numbers, its digest and the key that signed it."""

    epoch: int
    version: int
    digest: bytes
    signer: bytes

    def to_dict(self) -> dict[str, object]:
        return {
            "epoch": self.epoch,
            "version": self.version,
            "digest": self.digest.hex(),
            "signer": self.signer.hex(),
        }


def list_digest(hashed_list: HashedList) -> bytes:
    """What identifies a list's content: its header and every entry, not its signature."""
    digest = hashlib.sha256(dump_json(hashed_list.header.to_dict()))
    digest.update(hashed_list.entries)
    return digest.digest()


def _fork(what: str, files: str) -> ForkError:
    return ForkError(
        f"{what}: the committee's {files} forked (two copies of its directory, or a "
        "stolen key); do not use either, and contact the committee, which must say "
        "which one is its own"
    )


@dataclass(frozen=True)
class SeriesState:
    """What an organizer remembers about one series."""

    committee: str
    trust_generation: int
    signing_key_id: bytes
    list_version: int = 0
    list_epoch: int = 0
    # b"" in a state written by format 1, which did not keep it.
    trust_fingerprint: bytes = b""
    # The newest lists accepted, oldest first.
    lists: tuple[SeenList, ...] = ()
    # Name-only matches the committee cleared (format 3).
    cleared: ClearedMatches = field(default_factory=ClearedMatches)

    @classmethod
    def first_use(cls, trust: TrustFile) -> SeriesState:
        """The state of a series seen for the first time: *trust* pinned, no list yet."""
        return cls(
            trust.committee,
            trust.generation,
            trust.signing_key_id,
            trust_fingerprint=trust.fingerprint,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "committee": self.committee,
            "trust_generation": self.trust_generation,
            "signing_key_id": self.signing_key_id.hex(),
            "trust_fingerprint": self.trust_fingerprint.hex(),
            "list_version": self.list_version,
            "list_epoch": self.list_epoch,
            "lists": [seen.to_dict() for seen in self.lists],
            "cleared": self.cleared.to_dict(),
        }

    def after_trust(self, trust: TrustFile, series: bytes) -> SeriesState:
        """The state after accepting *trust* as this series' trust file."""
        check_successor(
            series=series,
            generation=self.trust_generation,
            signing_key_id=self.signing_key_id,
            newer=trust,
        )
        if (
            trust.generation == self.trust_generation
            and self.trust_fingerprint
            and trust.fingerprint != self.trust_fingerprint
        ):
            # A renewal keeps the fingerprint; anything else at one generation is a fork.
            raise _fork(
                f"two different trust files claim generation {trust.generation}", "trust files"
            )
        moved = replace(
            self,
            committee=trust.committee,
            trust_generation=trust.generation,
            signing_key_id=trust.signing_key_id,
            trust_fingerprint=trust.fingerprint,
        )
        return moved.forget_compromised(frozenset(trust.compromised))

    def forget_compromised(self, compromised: frozenset[bytes]) -> SeriesState:
        """Forget what lists signed by a *compromised* key taught: their marks and digests.

        Lists signed by those keys can never verify again (only the current
        key is trusted), so nothing a thief published with them can return;
        what they must not do is hold the real lists back.  A state from
        format 1 does not know who signed its marks: it forgets them too.
        """
        if not compromised:
            return self
        kept = tuple(seen for seen in self.lists if seen.signer not in compromised)
        unknown = not self.lists and self.list_version > 0
        if kept == self.lists and not unknown:
            return self
        return replace(
            self,
            lists=kept,
            list_version=max((seen.version for seen in kept), default=0),
            list_epoch=max((seen.epoch for seen in kept), default=0),
        )

    def after_list(
        self, header: ListHeader, *, digest: bytes = b"", signer: bytes = b""
    ) -> SeriesState:
        """The state after accepting the list with *header*; refuses rollback and forks.

        *digest* (`list_digest`) and *signer* are remembered; without a
        digest only the numbers are checked.
        """
        for seen in self.lists:
            if seen.version == header.version and (
                seen.epoch != header.epoch or (digest and seen.digest != digest)
            ):
                raise _fork(
                    f"this list claims version {header.version} of epoch {header.epoch}, "
                    "but a different list with those numbers was already used",
                    "lists",
                )
        if header.version < self.list_version:
            raise RollbackError(
                f"this list is version {header.version}, older than version "
                f"{self.list_version} already used; get the committee's current list. If the "
                "committee says this is its current list, it must rotate away from the key "
                "that signed the newer one and mark that key compromised ('committee "
                "rotate-key --compromised'); its new trust file then clears the newer version"
            )
        if header.epoch < self.list_epoch:
            raise RollbackError(
                f"this list is from epoch {header.epoch}, older than epoch {self.list_epoch} "
                "already used; get the committee's current list"
            )
        lists = self.lists
        if digest and not any(seen.version == header.version for seen in lists):
            lists = (*lists, SeenList(header.epoch, header.version, digest, signer))[-MAX_SEEN:]
        return replace(self, list_version=header.version, list_epoch=header.epoch, lists=lists)


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

    def items(self) -> dict[bytes, SeriesState]:
        return dict(self.series)

    def forget(self, series: bytes) -> None:
        self.series.pop(series, None)


def per_user_directory(xdg_variable: str, xdg_default: str) -> Path:
    """This tool's per-user directory: macOS's Application Support, Windows's local
    application data, else ``$XDG_…`` (*xdg_variable*) or ``~/.local/<xdg_default>``."""
    home = Path.home()
    if sys.platform == "darwin":  # pragma: no cover - platform specific
        base = home / "Library" / "Application Support"
    elif os.name == "nt":  # pragma: no cover - platform specific
        base = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
    else:
        base = Path(os.environ.get(xdg_variable) or home / ".local" / xdg_default)
    return base / "coc-hashscreen"


def default_state_path() -> Path:
    """``$COC_HASHSCREEN_STATE``, else the platform's per-user state directory."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    return per_user_directory("XDG_STATE_HOME", "state") / "state.json"


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
            "series": {series.hex(): s.to_dict() for series, s in sorted(states.items())},
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

    def items(self) -> dict[bytes, SeriesState]:
        """Every pinned series and what is remembered of it."""
        with self._locked():
            return self._read()

    def forget(self, series: bytes) -> None:
        """Drop a series: its pin, its marks, its remembered lists (`trust forget`)."""
        with self._locked():
            states = self._read()
            if states.pop(series, None) is not None:
                self._write(states)


def _parse_seen(value: Any) -> SeenList:
    if not isinstance(value, dict):
        raise FormatError("the state file is malformed")
    item = Fields(value, "state file list")
    item.expect({"epoch", "version", "digest", "signer"})
    return SeenList(
        epoch=item.integer("epoch"),
        version=item.integer("version"),
        digest=item.bytes_hex("digest", size=32),
        signer=item.bytes_hex("signer", max_size=32),
    )


def _parse_series(value: Any, version: int) -> SeriesState:
    if not isinstance(value, dict):
        raise FormatError("the state file is malformed")
    item = Fields(value, "state file series")
    fields = {"committee", "trust_generation", "signing_key_id", "list_version", "list_epoch"}
    # Format 1 kept neither the fingerprint nor the lists: read as unknown;
    # format 2 had no cleared matches.
    item.expect(
        fields
        | ({"trust_fingerprint", "lists"} if version > 1 else set())
        | ({"cleared"} if version > 2 else set())
    )
    return SeriesState(
        committee=item.name("committee"),
        trust_generation=item.integer("trust_generation", minimum=1),
        signing_key_id=item.bytes_hex("signing_key_id", size=32),
        list_version=item.integer("list_version"),
        list_epoch=item.integer("list_epoch"),
        trust_fingerprint=item.bytes_hex("trust_fingerprint", max_size=32) if version > 1 else b"",
        lists=tuple(
            _parse_seen(seen)
            for seen in (item.items("lists", max_items=MAX_SEEN) if version > 1 else ())
        ),
        cleared=(
            ClearedMatches.from_dict(item.obj("cleared").raw()) if version > 2 else ClearedMatches()
        ),
    )


def _parse_state(data: bytes) -> dict[bytes, SeriesState]:
    if len(data) > STATE_LIMIT:
        raise FormatError("the state file is too large")
    fields = load_json(data, "state file")
    fields.expect({"format", "series"})
    version = fields.integer("format", minimum=1)
    if version not in (1, 2):
        fields.format_version("format", STATE_FORMAT)
    return {
        bytes.fromhex(key): _parse_series(value, version)
        for key, value in fields.obj("series").raw().items()
    }


def _check_fingerprint(trust: TrustFile, fingerprint: bytes) -> None:
    """*trust* must be the file whose head fingerprint the committee published."""
    if len(fingerprint) < 16 or not trust.fingerprint.startswith(fingerprint):
        raise MismatchError(
            f"this trust file's fingerprint is not the one you gave (generation "
            f"{trust.generation} of series {short_id(trust.series)}…): do not use it, and "
            "check with the committee"
        )


def _first_pin(trust: TrustFile, fingerprint: bytes | None) -> SeriesState:
    """Trust on first use, refused where a stolen first key would be used.

    Without a published fingerprint, a generation beyond
    `FIRST_PIN_MAX_GENERATION` is refused.
    """
    if fingerprint is None and trust.generation > FIRST_PIN_MAX_GENERATION:
        raise UntrustedSigner(
            f"this trust file is generation {trust.generation}, more than committees reach "
            "by rotating; a file made with a stolen old key looks like this. Compare its "
            "fingerprint ('trust show') with the one the committee published, then pin it "
            "with 'trust pin TRUST --fingerprint FINGERPRINT'"
        )
    return SeriesState.first_use(trust)


def _trust_change(trust: TrustFile, fingerprint: bytes | None = None) -> StateChange:
    def change(current: SeriesState | None) -> SeriesState:
        # A fingerprint given is checked whatever is pinned: a successor of
        # the pin can still be a fork by a key stolen before the rotation
        # (both branches chain from the pinned key), and the organizer who
        # compared the published fingerprint must not be told it matched.
        if fingerprint is not None:
            _check_fingerprint(trust, fingerprint)
        if current is None:  # trust on first use
            return _first_pin(trust, fingerprint)
        return current.after_trust(trust, trust.series)

    return change


def check_trust(store: StateStore, trust: TrustFile, *, fingerprint: bytes | None = None) -> None:
    """Refuse *trust* unless it is the pinned one or its successor; change nothing.

    *fingerprint* is the head fingerprint the committee published; it is
    needed for a first pin beyond `FIRST_PIN_MAX_GENERATION`.
    """
    _trust_change(trust, fingerprint)(store.get(trust.series))


def pin_trust(
    store: StateStore, trust: TrustFile, *, fingerprint: bytes | None = None
) -> SeriesState:
    """Pin *trust* (first use) or move the pin to a checked successor."""
    return store.update(trust.series, _trust_change(trust, fingerprint))


def _list_change(trust: TrustFile, listed: HashedList | ListHeader) -> StateChange:
    # The trust file first: a compromise it declares clears marks before the
    # list is compared with them.
    accept_trust = _trust_change(trust)
    if isinstance(listed, HashedList):
        header, digest, signer = listed.header, list_digest(listed), listed.signer
    else:
        header, digest, signer = listed, b"", b""

    def change(current: SeriesState | None) -> SeriesState:
        return accept_trust(current).after_list(header, digest=digest, signer=signer)

    return change


def check_list(store: StateStore, trust: TrustFile, listed: HashedList | ListHeader) -> None:
    """Refuse *listed* if it is older than a list already used, or forks one; change nothing.

    Given the `HashedList` (not just its header) its digest is compared too.
    """
    _list_change(trust, listed)(store.get(trust.series))


def record_list(
    store: StateStore, trust: TrustFile, listed: HashedList | ListHeader
) -> SeriesState:
    """Remember *listed* as used (checking again, under the store's lock)."""
    return store.update(trust.series, _list_change(trust, listed))


def _pinned(current: SeriesState | None) -> SeriesState:
    if current is None:
        raise InputError(
            "this committee is not pinned here; screen one of its lists first (or name the "
            "state file it was screened with, --state)"
        )
    return current


def clear_match(
    store: StateStore, series: bytes, name: str, *, case_ref: str, status: Status
) -> SeriesState:
    """Remember that the committee cleared *name*'s name-only match on *case_ref*.

    Later screenings with this state do not alert on it while the record
    keeps that case reference and status (`_cleared`).
    """

    def change(current: SeriesState | None) -> SeriesState:
        state = _pinned(current)
        cleared = state.cleared.adding(name, case_ref=case_ref, status=status)
        return replace(state, cleared=cleared)

    return store.update(series, change)


def unclear_match(store: StateStore, series: bytes, case_ref: str) -> int:
    """Forget the cleared names of *case_ref*; how many there were."""
    removed = 0

    def change(current: SeriesState | None) -> SeriesState:
        nonlocal removed
        state = _pinned(current)
        cleared, removed = state.cleared.removing(case_ref)
        return replace(state, cleared=cleared)

    store.update(series, change)
    return removed
