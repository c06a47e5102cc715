"""The organizer's local state file."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from coc_hashscreen.errors import FormatError, RollbackError
from coc_hashscreen.organizer import FileState, MemoryState, SeriesState, default_state_path

SERIES = b"\x01" * 32


def _bump(version: int, epoch: int = 1):  # type: ignore[no-untyped-def]
    def change(current: SeriesState | None) -> SeriesState:
        base = current or SeriesState("C", 1, b"\x02" * 32)
        return SeriesState(
            base.committee, base.trust_generation, base.signing_key_id, version, epoch
        )

    return change


def test_file_state_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "state.json"
    store = FileState(path)
    assert store.get(SERIES) is None
    store.update(SERIES, _bump(3))
    assert FileState(path).get(SERIES) == SeriesState("C", 1, b"\x02" * 32, 3, 1)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    document = json.loads(path.read_text())
    assert document["format"] == 3
    assert document["series"][SERIES.hex()]["list_version"] == 3


def test_memory_state() -> None:
    store = MemoryState()
    store.update(SERIES, _bump(2))
    assert store.get(SERIES) == SeriesState("C", 1, b"\x02" * 32, 2, 1)


def test_after_list_refuses_rollback() -> None:
    from dataclasses import replace

    from ..formats.test_listfile import _header

    state = SeriesState("C", 1, b"\x02" * 32, list_version=7, list_epoch=3)
    assert state.after_list(_header()).list_version == 7  # same version: fine
    with pytest.raises(RollbackError, match="version 6"):
        state.after_list(replace(_header(), version=6))
    with pytest.raises(RollbackError, match="epoch 2"):
        state.after_list(replace(_header(), version=8, epoch=2))
    assert state.after_list(replace(_header(), version=9, epoch=4)).list_epoch == 4


@pytest.mark.parametrize(
    "content",
    [b"not json", b"[]", b'{"format": 4, "series": {}}', b'{"format": 1, "series": {"zz": 1}}'],
)
def test_damaged_state_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "state.json"
    path.write_bytes(content)
    with pytest.raises(FormatError, match="move it aside"):
        FileState(path).get(SERIES)


def test_default_state_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("COC_HASHSCREEN_STATE", str(tmp_path / "explicit.json"))
    assert default_state_path() == tmp_path / "explicit.json"
    monkeypatch.delenv("COC_HASHSCREEN_STATE")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert default_state_path() == tmp_path / "xdg" / "coc-hashscreen" / "state.json"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert (
        default_state_path()
        == tmp_path / "home" / ".local" / "state" / "coc-hashscreen" / "state.json"
    )
