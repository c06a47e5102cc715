"""New since last time: digests of a run's rows, never the rows, to compare the next run with.

A run given a *row key* (`row_digest_key`, derived from the organizer's
private key) records three 12-byte keyed digests per row, of its values as
read with case and spacing folded: its *identity* (the first of its e-mail
address, handles, then name), a *secondary* (its name) and its *content*
(every identifier of the row and of its order).  The next run
on the same input then says which rows are new or changed, and which
matches are new, changed, unchanged or gone (`compare_runs`).  The file
that keeps them (`HistoryFile`, mode 0600) holds digests, row numbers,
case references and statuses: what the report itself shows, and nothing
that names an attendee to anyone without the organizer's key.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..core import HpkePrivateKey
from ..errors import CocHashscreenError, FormatError
from ..formats import read_limited, write_atomic
from ._results import GoneMatch, Match, ScreeningReport, SinceLast

__all__ = [
    "HistoryFile",
    "MatchMemory",
    "RowDigests",
    "RunMemory",
    "compare_runs",
    "history_name",
    "row_digest_key",
]

DIGEST_SIZE: Final = 12
HISTORY_FORMAT: Final = 1
HISTORY_LIMIT: Final = 256 * 2**20
# Identity: the identifier least likely to change or be shared, first.
_IDENTITY_ORDER: Final = ("email", "github", "mastodon", "twitter", "name")


def row_digest_key(organizer_key: HpkePrivateKey) -> bytes:
    """The key of an organizer's row digests: the same on every run, useless without it."""
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"coc-hashscreen row digests")
    return kdf.derive(organizer_key.private_bytes())


def _folded(identifiers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted({(kind, " ".join(value.casefold().split())) for kind, value in identifiers})


def _mac(key: bytes, label: bytes, items: Iterable[tuple[str, str]]) -> bytes:
    message = label + b"".join(f"\x00{kind}\x01{form}".encode() for kind, form in items)
    # Keyed BLAKE2b, as the cache's fingerprints (core._hashing): no GIL
    # round trip per row.
    return hashlib.blake2b(message, key=key, digest_size=DIGEST_SIZE).digest()


class RowDigests:
    """A run's digests, one triple per record in input order: 36 bytes each.

    *identity* is the row's first identifier in `_IDENTITY_ORDER`;
    *secondary* its name (or its second identifier), so that a row whose
    e-mail address changed is found again by its name; *content* covers
    every identifier of the row and of its order.
    """

    _SIZE: Final = 3 * DIGEST_SIZE

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._data = bytearray()

    def __len__(self) -> int:
        return len(self._data) // self._SIZE

    def add(self, own: Iterable[tuple[str, str]], order: Iterable[tuple[str, str]]) -> None:
        """Digest one record's identifiers as read (case and spacing folded): the same
        text gives the same digests in every run, whatever the cache knew."""
        own, order = _folded(own), _folded(order)
        ranked = sorted(own, key=lambda key: (_IDENTITY_ORDER.index(key[0]), key[1]))
        content = _mac(self._key, b"content", [*sorted(own), ("order", ""), *sorted(order)])
        names = [key for key in ranked[1:] if key[0] == "name"]
        second = (names or ranked[1:] or ranked)[:1]
        # A row with nothing of its own is known by its content alone.
        identity = _mac(self._key, b"identity", ranked[:1]) if ranked else content
        secondary = _mac(self._key, b"identity", second) if ranked else content
        self._data += identity + secondary + content

    def at(self, index: int) -> tuple[bytes, bytes, bytes]:
        """The (identity, secondary, content) digests of record *index* (1-based)."""
        start = (index - 1) * self._SIZE
        triple = bytes(self._data[start : start + self._SIZE])
        return (
            triple[:DIGEST_SIZE],
            triple[DIGEST_SIZE : 2 * DIGEST_SIZE],
            triple[2 * DIGEST_SIZE :],
        )

    def rows(self) -> list[Row]:
        """(identity, secondary, content) of every record, in input order."""
        return [self.at(n) for n in range(1, len(self) + 1)]


# (identity, secondary, content) digests of one row.
Row = tuple[bytes, bytes, bytes]


@dataclass(frozen=True)
class MatchMemory:
    """A match as the next run remembers it: which record (0-based position) and row it
    was, a digest of the row and its hits, and what it matched."""

    index: int
    row: int
    digest: bytes
    case_refs: tuple[str, ...]
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class RunMemory:
    """What a run leaves for the next: when, how many records, digests and matches."""

    at: datetime
    records: int
    rows: list[Row]
    matches: list[MatchMemory]

    def to_bytes(self) -> bytes:
        document = {
            "format": HISTORY_FORMAT,
            "at": self.at.astimezone(UTC).isoformat(),
            "records": self.records,
            "rows": b"".join(i + s + c for i, s, c in self.rows).hex(),
            "matches": [
                {
                    "index": m.index,
                    "row": m.row,
                    "digest": m.digest.hex(),
                    "case_refs": list(m.case_refs),
                    "statuses": list(m.statuses),
                }
                for m in self.matches
            ],
        }
        return json.dumps(document, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> RunMemory:
        try:
            document = json.loads(data)
            if document["format"] != HISTORY_FORMAT:
                raise FormatError("a history file of a format this version does not read")
            rows = _split_rows(bytes.fromhex(document["rows"]))
            matches = [
                MatchMemory(
                    int(m["index"]),
                    int(m["row"]),
                    bytes.fromhex(m["digest"]),
                    tuple(map(str, m["case_refs"])),
                    tuple(map(str, m["statuses"])),
                )
                for m in document["matches"]
            ]
            return cls(datetime.fromisoformat(document["at"]), int(document["records"]), rows,
                       matches)  # fmt: skip
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError("the history file is damaged") from exc


def _split_rows(raw: bytes) -> list[Row]:
    d = DIGEST_SIZE
    if len(raw) % (3 * d):
        raise ValueError("rows of a history file are 36 bytes each")
    return [(raw[i : i + d], raw[i + d : i + 2 * d], raw[i + 2 * d : i + 3 * d])
            for i in range(0, len(raw), 3 * d)]  # fmt: skip


def _match_digest(content: bytes, match: Match) -> bytes:
    hits = sorted(f"{h.committee}\x00{h.kind}\x00{h.status.value}\x00{h.strength.value}\x00"
                  f"{h.case_ref}" for h in match.hits)  # fmt: skip
    return hashlib.sha256(content + "\x02".join(hits).encode()).digest()[:DIGEST_SIZE]


def pair_rows(rows: Sequence[Row], previous: Sequence[Row]) -> dict[int, int]:
    """Each row's row in the last run (positions from 0), one to one.

    By identity, the same content first (a second ticket of the same person
    is a new row, not the first one again); then, for a row whose identity
    the last run did not have, a last-run row with its secondary (the name)
    whose identity this run does not have: the e-mail address changed.
    """
    by_identity: dict[bytes, list[int]] = {}
    for j, (identity, _, _) in enumerate(previous):
        by_identity.setdefault(identity, []).append(j)
    pairs: dict[int, int] = {}
    claimed: set[int] = set()
    for same_content in (True, False):
        for k, (identity, _, content) in enumerate(rows):
            if k not in pairs:
                found = _unclaimed(by_identity.get(identity, ()), claimed, previous, content,
                                   same_content=same_content)  # fmt: skip
                if found is not None:
                    pairs[k] = found
                    claimed.add(found)
    present = {identity for identity, _, _ in rows}
    by_secondary: dict[bytes, list[int]] = {}
    for j, (identity, secondary, _) in enumerate(previous):
        if j not in claimed and identity not in present:
            by_secondary.setdefault(secondary, []).append(j)
    for k, (identity, secondary, _) in enumerate(rows):
        waiting = by_secondary.get(secondary)
        if k not in pairs and identity not in by_identity and waiting:
            pairs[k] = waiting.pop(0)
    return pairs


def _unclaimed(
    candidates: Sequence[int], claimed: set[int], previous: Sequence[Row], content: bytes,
    *, same_content: bool,
) -> int | None:  # fmt: skip
    for j in candidates:
        if j not in claimed and (not same_content or previous[j][2] == content):
            return j
    return None


def compare_runs(
    report: ScreeningReport,
    digests: RowDigests,
    previous: RunMemory | None,
    *,
    now: datetime,
) -> tuple[ScreeningReport, RunMemory]:
    """*report* with each match's change since *previous* and a `SinceLast`
    summary; and what to remember of this run for the next."""
    rows = digests.rows()
    pairs = pair_rows(rows, previous.rows) if previous is not None else {}
    before = {m.index: m for m in previous.matches} if previous is not None else {}
    remembered: list[MatchMemory] = []
    still: set[int] = set()
    matches: list[Match] = []
    for match in report.matches:
        k = match.index - 1
        memory = MatchMemory(
            k, match.row, _match_digest(rows[k][2], match),
            tuple(dict.fromkeys(h.case_ref for h in match.hits)),
            tuple(dict.fromkeys(h.status.value for h in match.hits)),
        )  # fmt: skip
        remembered.append(memory)
        change = None
        if previous is not None:
            earlier = before.get(pairs.get(k, -1))
            if earlier is not None:
                still.add(earlier.index)
            change = (
                "new" if earlier is None
                else "changed" if earlier.digest != memory.digest
                else "unchanged"
            )  # fmt: skip
        matches.append(replace(match, change=change))
    since = None
    if previous is not None:
        paired = set(pairs.values())
        since = SinceLast(
            previous_at=previous.at,
            previous_records=previous.records,
            new_rows=len(rows) - len(pairs),
            changed_rows=sum(previous.rows[j][2] != rows[k][2] for k, j in pairs.items()),
            gone_rows=len(previous.rows) - len(paired),
            gone_matches=tuple(
                GoneMatch(m.row, m.case_refs, m.statuses)
                for m in previous.matches
                if m.index not in still
            ),
        )
    annotated = replace(report, matches=tuple(matches), since=since)
    return annotated, RunMemory(now, report.records, rows, remembered)


def history_name(input_path: str | os.PathLike[str]) -> str:
    """The default name of an input's history: its file name without dates and numbers,
    so that ``attendees-2026-11-03.csv`` and ``attendees-2026-11-10.csv`` share one."""
    stem = Path(input_path).name.rsplit(".", 1)[0].lower()
    words = "".join(ch if ch.isalpha() else " " for ch in stem).split()
    return "-".join(words) or "input"


class HistoryFile:
    """A run's memory in a file (mode 0600), one per input name."""

    def __init__(self, directory: str | os.PathLike[str], name: str) -> None:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name) or "input"
        self.path = Path(directory) / f"{safe[:80]}.json"

    def __repr__(self) -> str:
        return f"HistoryFile({os.fspath(self.path)!r})"

    def load(self) -> tuple[RunMemory | None, str | None]:
        """The last run's memory, or None; and a warning if a file was there but unreadable."""
        try:
            return RunMemory.from_bytes(
                read_limited(self.path, HISTORY_LIMIT, "history file")
            ), None
        except FileNotFoundError:
            return None, None
        except (OSError, CocHashscreenError) as exc:
            return None, f"the last run's history could not be read ({exc}); starting afresh"

    def save(self, memory: RunMemory) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomic(self.path, memory.to_bytes(), private=True)
