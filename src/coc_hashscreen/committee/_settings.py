"""The committee's settings, kept in its register: its retention policy and publish floors.

They live in the register, not in a file beside it, so that a backup and a
hand-over carry them, and a change to them is in the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Final

from ._db import Database
from ._retention import DEFAULT_POLICY, RetentionPolicy

__all__ = ["PublishFloor", "SettingsStore"]

_POLICY: Final = "retention"
_FLOOR: Final = "publish_floor"


@dataclass(frozen=True)
class PublishFloor:
    """The lowest version and epoch the next publish may use; see `SettingsStore.floor`."""

    version: int = 1
    epoch: int = 1


class SettingsStore:
    """Named settings of one register, as JSON values."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def _get(self, name: str) -> object:
        row = self._db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return None if row is None else json.loads(row[0])

    def _set(self, name: str, value: object) -> None:
        """Write a setting inside the caller's transaction."""
        self._db.execute(
            "INSERT INTO settings (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, json.dumps(value, sort_keys=True)),
        )

    def policy(self) -> RetentionPolicy:
        """The committee's retention policy (`DEFAULT_POLICY` until it sets one)."""
        stored = self._get(_POLICY)
        return RetentionPolicy.from_dict(stored) if isinstance(stored, dict) else DEFAULT_POLICY

    def floor(self) -> PublishFloor:
        """The lowest version and epoch the next publish may use.

        Set by a restore: organizers refuse a version or epoch at or below
        one they have seen, and a register restored from a backup does not
        know what was published after it was taken.
        """
        stored = self._get(_FLOOR)
        if isinstance(stored, list) and len(stored) == 2:
            return PublishFloor(int(stored[0]), int(stored[1]))
        return PublishFloor()

    def _set_policy(self, policy: RetentionPolicy) -> None:
        self._set(_POLICY, policy.to_dict())

    def _set_floor(self, version: int, epoch: int) -> None:
        self._set(_FLOOR, [version, epoch])
