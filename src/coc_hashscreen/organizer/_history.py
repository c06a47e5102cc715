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
from collections.abc import Iterable
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

    def rows(self) -> dict[bytes, tuple[bytes, bytes]]:
        """identity -> (secondary, content), for every record."""
        return {i: (s, c) for i, s, c in (self.at(n) for n in range(1, len(self) + 1))}


@dataclass(frozen=True)
class MatchMemory:
    """A match as the next run remembers it: a digest of the row and its hits, where it
    was, and what it matched."""

    digest: bytes
    row: int
    case_refs: tuple[str, ...]
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class RunMemory:
    """What a run leaves for the next: when, how many records, digests and matches."""

    at: datetime
    records: int
    # identity -> (secondary, content)
    rows: dict[bytes, tuple[bytes, bytes]]
    matches: dict[bytes, MatchMemory]

    def to_bytes(self) -> bytes:
        document = {
            "format": HISTORY_FORMAT,
            "at": self.at.astimezone(UTC).isoformat(),
            "records": self.records,
            "rows": b"".join(i + s + c for i, (s, c) in self.rows.items()).hex(),
            "matches": [
                {
                    "identity": identity.hex(),
                    "digest": m.digest.hex(),
                    "row": m.row,
                    "case_refs": list(m.case_refs),
                    "statuses": list(m.statuses),
                }
                for identity, m in self.matches.items()
            ],
        }
        return json.dumps(document, separators=(",", ":")).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> RunMemory:
        try:
            document = json.loads(data)
            if document["format"] != HISTORY_FORMAT:
                raise FormatError("a history file of a format this version does not read")
            raw = bytes.fromhex(document["rows"])
            d = DIGEST_SIZE
            rows = {raw[i : i + d]: (raw[i + d : i + 2 * d], raw[i + 2 * d : i + 3 * d])
                    for i in range(0, len(raw), 3 * d)}  # fmt: skip
            matches = {
                bytes.fromhex(m["identity"]): MatchMemory(
                    bytes.fromhex(m["digest"]),
                    int(m["row"]),
                    tuple(map(str, m["case_refs"])),
                    tuple(map(str, m["statuses"])),
                )
                for m in document["matches"]
            }
            return cls(datetime.fromisoformat(document["at"]), int(document["records"]), rows,
                       matches)  # fmt: skip
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError("the history file is damaged") from exc


def _match_digest(content: bytes, match: Match) -> bytes:
    hits = sorted(f"{h.committee}\x00{h.kind}\x00{h.status.value}\x00{h.strength.value}\x00"
                  f"{h.case_ref}" for h in match.hits)  # fmt: skip
    return hashlib.sha256(content + "\x02".join(hits).encode()).digest()[:DIGEST_SIZE]


def _matched_rows(
    rows: dict[bytes, tuple[bytes, bytes]], previous: RunMemory
) -> dict[bytes, bytes]:
    """Each row's identity last time: its own, else that of the last run's row with the
    same secondary digest (the e-mail address changed, the name did not)."""
    by_secondary: dict[bytes, bytes] = {}
    for earlier, (secondary, _) in previous.rows.items():
        by_secondary.setdefault(secondary, earlier)
    found: dict[bytes, bytes] = {}
    for identity, (secondary, _) in rows.items():
        before = identity if identity in previous.rows else by_secondary.get(secondary)
        if before is not None:
            found[identity] = before
    return found


def _since(
    rows: dict[bytes, tuple[bytes, bytes]],
    found: dict[bytes, bytes],
    previous: RunMemory,
    matched_before: set[bytes],
) -> SinceLast:
    still = set(found.values())
    return SinceLast(
        previous_at=previous.at,
        previous_records=previous.records,
        new_rows=len(rows) - len(found),
        changed_rows=sum(
            previous.rows[before][1] != rows[identity][1] for identity, before in found.items()
        ),
        gone_rows=sum(before not in still for before in previous.rows),
        gone_matches=tuple(
            GoneMatch(m.row, m.case_refs, m.statuses)
            for before, m in sorted(previous.matches.items(), key=lambda item: item[1].row)
            if before not in matched_before
        ),
    )


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
    found = _matched_rows(rows, previous) if previous is not None else {}
    remembered: dict[bytes, MatchMemory] = {}
    matched_before: set[bytes] = set()
    matches: list[Match] = []
    for match in report.matches:
        identity, _, content = digests.at(match.index)
        memory = MatchMemory(
            _match_digest(content, match), match.row,
            tuple(dict.fromkeys(h.case_ref for h in match.hits)),
            tuple(dict.fromkeys(h.status.value for h in match.hits)),
        )  # fmt: skip
        remembered.setdefault(identity, memory)
        change = None
        if previous is not None:
            before = previous.matches.get(found.get(identity, b""))
            if before is not None:
                matched_before.add(found[identity])
            change = (
                "new" if before is None
                else "changed" if before.digest != memory.digest
                else "unchanged"
            )  # fmt: skip
        matches.append(replace(match, change=change))
    since = None if previous is None else _since(rows, found, previous, matched_before)
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
