"""Intake links a report's people through one index (issue 11, finding 8: intake cost).

Counted, not timed: the number of canonicalizations an intake makes grows
with people + records, where a scan per person made people x records.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.committee import IdentifierIndex, NewRecord, Record, Register
from coc_hashscreen.core import Identifier, Status, _model, canonical
from coc_hashscreen.formats import Person

from ..helpers import NOW, sample_report

RECORDS = 120
PEOPLE = 40


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real: Callable[..., str] = canonical  # what core._model calls

    def counted(*args: object, **kwargs: object) -> str:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(_model, "canonical", counted)
    return calls


def _register(tmp_path: Path) -> Register:
    register = Register.create(tmp_path / "register.sqlite3")
    for n in range(RECORDS):
        register.records.add(
            NewRecord(
                status=Status.BANNED,
                identifiers=[
                    Identifier("name", f"Person Number{n}"),
                    Identifier("email", f"person{n}@example.org"),
                    Identifier("github", f"person-{n}"),
                ],
            ),
            now=NOW,
        )
    return register


def test_intake_canonicalizes_each_identifier_a_bounded_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [
        Person("witness", f"Someone {n}", (Identifier("email", f"someone{n}@example.net"),))
        for n in range(PEOPLE - 1)
    ]
    people.append(Person("reported", "", (Identifier("email", "Person7@Example.org"),)))
    report = sample_report(people=tuple(people))
    with _register(tmp_path) as register:
        calls = _counting(monkeypatch)
        stored, _ = register.reports.store(report, sealed=b"sealed", received_at=NOW, actor="t")
        # Loading a record validates each identifier, and the index reads its
        # canonical form once more; each person's identifiers are looked up once.
        budget = 3 * (3 * RECORDS) + 3 * (2 * PEOPLE)
        assert calls[0] <= budget
        # A scan per person would be at least people x records x identifiers.
        assert budget < PEOPLE * RECORDS * 3
    assert [r for _, r in stored.people] == [None] * (PEOPLE - 1) + [8]


def test_the_index_links_as_a_scan_would() -> None:
    def record(record_id: int, *identifiers: Identifier) -> Record:
        return Record(record_id, Status.BANNED, f"C-{record_id}", NOW, NOW, None, identifiers)

    records = [
        record(3, Identifier("email", "shared@example.org"), Identifier("name", "Jo Doe")),
        record(1, Identifier("github", "someone"), Identifier("name", "Doe, Jo")),
        record(2, Identifier("email", "Shared@Example.org")),
    ]
    index = IdentifierIndex.of(records)
    # The first record by id sharing a strong identifier; a name never links.
    assert index.link([Identifier("email", "shared@example.org")]) == 2
    assert (
        index.link([Identifier("github", "SOMEONE"), Identifier("email", "shared@example.org")])
        == 1
    )
    assert index.link([Identifier("name", "Jo Doe")]) is None
    assert index.name_matches([Identifier("name", "jo doe")]) == [1, 3]
    assert index.name_matches([Identifier("email", "shared@example.org")]) == []


_handles = st.sampled_from(["ann", "bo", "cy", "Ann", "BO"])
_names = st.sampled_from(["Jo Doe", "Doe, Jo", "Al Roe", "jo doe"])


@given(
    st.lists(st.tuples(_handles, _names), min_size=1, max_size=6),
    st.lists(_handles, max_size=3),
    _names,
)
def test_the_index_answers_as_a_scan_of_every_record(
    stored: list[tuple[str, str]], handles: list[str], name: str
) -> None:
    records = [
        Record(n + 1, Status.FLAGGED, f"C-{n}", NOW, NOW, None,
               (Identifier("github", handle), Identifier("name", person)))
        for n, (handle, person) in enumerate(stored)
    ]  # fmt: skip
    wanted = [Identifier("github", h) for h in handles] + [Identifier("name", name)]
    index = IdentifierIndex.of(reversed(records))
    strong = {(i.kind, i.canonical) for i in wanted if i.kind == "github"}
    scan = next(
        (r.id for r in records if {(i.kind, i.canonical) for i in r.identifiers} & strong), None
    )
    assert index.link(wanted) == scan
    names = {i.canonical for i in wanted if i.kind == "name"}
    assert index.name_matches(wanted) == [
        r.id
        for r in records
        if any(i.kind == "name" and i.canonical in names for i in r.identifiers)
    ]
