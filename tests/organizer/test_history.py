"""New since last time: row digests, never rows, and what they tell the next run."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coc_hashscreen.core import HpkePrivateKey
from coc_hashscreen.errors import FormatError
from coc_hashscreen.organizer import (
    HistoryFile,
    RowDigests,
    RunMemory,
    ScreeningReport,
    compare_runs,
    history_name,
    row_digest_key,
)

from ..conftest import World
from ..helpers import NOW

PEOPLE = [
    {"name": "José García", "email": "jose.garcia+events@gmail.com"},  # listed
    {"name": "Ada Lovelace", "email": "ada@example.org"},
    {"name": "Grace Hopper", "github": "ghopper"},
    {"name": "Alice", "github": "mallory"},  # listed
    {"name": "Pётр Иванов"},
]


def _run(
    world: World, records: list[dict[str, str]], previous: RunMemory | None
) -> tuple[ScreeningReport, RunMemory]:
    digests = RowDigests(row_digest_key(world.organizer))
    report = world.screener().screen(records, digests=digests)
    assert len(digests) == len(records)
    return compare_runs(report, digests, previous, now=NOW)


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=8, unique_by=str))
def test_the_same_input_again_changes_nothing(world: World, records: list[dict[str, str]]) -> None:
    first, memory = _run(world, records, None)
    assert first.since is None
    assert all(m.change is None for m in first.matches)
    again, _ = _run(world, list(reversed(records)), memory)
    assert again.since is not None
    assert (again.since.new_rows, again.since.changed_rows, again.since.gone_rows) == (0, 0, 0)
    assert again.since.gone_matches == ()
    assert {m.change for m in again.matches} <= {"unchanged"}


def test_new_changed_and_gone(world: World) -> None:
    _, memory = _run(world, PEOPLE[:4], None)
    later = [
        {"name": "Ada Lovelace", "email": "ada.lovelace@example.org"},  # e-mail changed
        {"name": "Alice", "github": "mallory", "email": "petr@example.ru"},  # matches more
        {"name": "Grace Hopper", "github": "ghopper"},
        {"name": "Mallory Smith"},  # new, matches by name
    ]
    report, _ = _run(world, later, memory)
    assert report.since is not None
    assert (report.since.new_rows, report.since.changed_rows, report.since.gone_rows) == (1, 2, 1)
    assert {m.index: m.change for m in report.matches} == {2: "changed", 4: "new"}
    (gone,) = report.since.gone_matches
    assert (gone.row, gone.statuses) == (1, ("banned",))


def test_the_memory_round_trips_and_names_nobody(world: World) -> None:
    _, memory = _run(world, PEOPLE, None)
    data = memory.to_bytes()
    assert RunMemory.from_bytes(data) == memory
    # Case references are the committee's, shown in every report; the rest
    # is digests and row numbers.
    for case_ref in world.case_refs.values():
        data = data.replace(case_ref.encode(), b"")
    lowered = data.lower()
    for person in PEOPLE:
        for value in person.values():
            for word in value.lower().replace("@", " ").split():
                if len(word) > 3:
                    assert word.encode() not in lowered


def test_another_organizer_key_digests_differently(world: World) -> None:
    ours, theirs = (
        RowDigests(row_digest_key(world.organizer)),
        RowDigests(row_digest_key(HpkePrivateKey.generate())),
    )
    for digests in (ours, theirs):
        digests.add([("email", "ada@example.org")], [])
    assert ours.at(1) != theirs.at(1)
    assert len(row_digest_key(world.organizer)) == 32


def test_history_file(tmp_path: Path, world: World) -> None:
    folder = tmp_path / "history"
    history = HistoryFile(folder, "attendees")
    assert history.load() == (None, None)
    _, memory = _run(world, PEOPLE, None)
    history.save(memory)
    assert history.path.stat().st_mode & 0o777 == 0o600
    assert history.load() == (memory, None)
    history.path.write_bytes(b'{"format": 1}')
    loaded, warning = history.load()
    assert loaded is None
    assert warning is not None
    assert "damaged" in warning
    assert HistoryFile(folder, "../../etc/passwd").path.parent == folder
    with pytest.raises(FormatError):
        RunMemory.from_bytes(b'{"format": 2, "at": "x", "records": 0, "rows": "", "matches": []}')


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("attendees-2026-11-03.csv", "attendees"),
        ("/x/Attendees 2026-11-10 (2).xlsx", "attendees"),
        ("pretix_export_orders_20261101.json", "pretix-export-orders"),
        ("2026.csv", "input"),
    ],
)
def test_history_name(path: str, name: str) -> None:
    assert history_name(path) == name


def test_a_row_one_list_could_not_screen_is_not_screened_in_the_merged_report(
    world: World,
) -> None:
    # Profiles differ in what they read: a v1 list may not screen a row a v2
    # list did. Whichever comes first, the row is reported as not screened.
    from dataclasses import replace

    from coc_hashscreen.organizer import RecordRef, merge_reports

    records = [{"name": "Ada Lovelace"}, {"name": "Grace Hopper"}, {"name": "Alan Turing"}]
    v2 = world.screener().screen(records, include_clear=True)
    assert (v2.screened, len(v2.clear or ())) == (3, 3)
    other = replace(v2.list, committee="Older Committee")
    v1 = replace(v2, list=other, unusable=(RecordRef(2, {"row": 2}),), screened=2,
                 clear=tuple(r for r in v2.clear or () if r.index != 2))  # fmt: skip
    for merged in (merge_reports([v2, v1]), merge_reports([v1, v2])):
        assert merged.screened == 2
        assert [r.index for r in merged.unusable] == [2]
        assert [r.index for r in merged.clear or ()] == [1, 3]
        assert {info.committee for info in merged.lists} == {"Test Committee", "Older Committee"}
