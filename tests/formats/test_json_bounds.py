"""The parsers' memory bound (issue 11, finding 8), measured with tracemalloc.

Before the fix a 4 MiB report JSON of small containers peaked at 100 to
210 MiB: Python builds an object per JSON value.  `load_json` now counts
the values before building anything; what is left is the text itself.
docs/formats.md states the bound these tests check.
"""

from __future__ import annotations

import contextlib
import tracemalloc
from collections.abc import Callable

import pytest

from coc_hashscreen.core import Identifier
from coc_hashscreen.errors import CocHashscreenError
from coc_hashscreen.formats import MAX_REPORT_JSON, Attachment, IncidentReport, Person, load_json
from coc_hashscreen.formats._wire import MAX_JSON_VALUES

from ..helpers import PNG, sample_report

# The bound docs/formats.md states for a 4 MiB JSON document (a report
# template or an organizer's state file), and for a 1 MiB one (a trust file).
BOUND_4_MIB = 40 * 2**20
BOUND_1_MIB = 12 * 2**20


def _peak(parse: Callable[[bytes], object], data: bytes) -> int:
    tracemalloc.start()
    try:
        with contextlib.suppress(CocHashscreenError):
            parse(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def _filled(unit: bytes, limit: int, *, values: int) -> bytes:
    """As many *unit*s as the value limit lets through, then one long string
    holding a character outside the BMP (4 bytes per character in memory)."""
    head = b'{"format":1,"x":[' + unit * values + b'0],"y":"\xf0\x9f\x98\x80'
    return head + b"a" * (limit - len(head) - 2) + b'"}'


def _worst_cases(limit: int) -> list[bytes]:
    budget = MAX_JSON_VALUES - 10
    return [
        _filled(b'{"":0},', limit, values=budget // 3),
        _filled(b"[[]],", limit, values=budget // 3),
        _filled(b"{},", limit, values=budget // 2),
    ]


@pytest.mark.parametrize("unit", [b"[[]],", b"{},", b'{"":0},', b"[],"])
def test_a_document_of_small_containers_is_refused_before_it_is_built(unit: bytes) -> None:
    # The reviewer's case: 4 MiB of tiny containers (100 to 210 MiB before).
    data = b'{"x":[' + unit * ((MAX_REPORT_JSON - 20) // len(unit)) + b"0]}"
    assert len(data) <= MAX_REPORT_JSON
    with pytest.raises(CocHashscreenError, match="more than 50,000 JSON values"):
        IncidentReport.from_json(data)
    assert _peak(IncidentReport.from_json, data) < 2**20


def test_the_worst_4_mib_document_stays_within_the_stated_bound() -> None:
    for data in _worst_cases(MAX_REPORT_JSON):
        assert len(data) <= MAX_REPORT_JSON
        assert _peak(IncidentReport.from_json, data) < BOUND_4_MIB
        assert _peak(lambda d: load_json(d, "state file"), data) < BOUND_4_MIB


def test_the_worst_1_mib_document_stays_within_the_stated_bound() -> None:
    for data in _worst_cases(2**20):
        assert _peak(lambda d: load_json(d, "trust file"), data) < BOUND_1_MIB


def test_the_largest_real_report_is_far_below_the_value_limit() -> None:
    people = tuple(
        Person(
            "witness",
            f"Person {n}",
            tuple(Identifier("email", f"p{n}.{i}@example.org") for i in range(20)),
            notes="n" * 100,
        )
        for n in range(100)
    )
    attachments = tuple(Attachment(f"{i}.png", PNG) for i in range(50))
    report = sample_report(people=people, attachments=attachments)
    data = report.to_json()
    load_json(data, "report", max_values=MAX_JSON_VALUES // 2)  # room to spare
    assert IncidentReport.from_json(data, report.attachments).to_dict() == report.to_dict()


def test_a_string_holding_brackets_and_commas_counts_once() -> None:
    # Counting is of values, not of characters: text full of commas is fine.
    facts = "a, b, [c], {d}, " * 60_000
    data = sample_report(facts=facts[:200_000], attachments=()).to_json()
    assert IncidentReport.from_json(data).facts == facts[:200_000]
