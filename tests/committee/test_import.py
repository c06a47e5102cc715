"""Bringing a committee's spreadsheet into the register: the plan, the transaction, the way back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coc_hashscreen.committee import (
    Committee,
    ImportOptions,
    NewRecord,
    Period,
    Record,
    RetentionPolicy,
    export_rows,
    plan_import,
)
from coc_hashscreen.core import Identifier, Status
from coc_hashscreen.errors import InputError

from ..helpers import NOW

HEADER = ["Case", "Status", "Decided", "Name", "E-Mail", "GitHub", "AKA", "Comments"]


def _day(offset_days: int) -> str:
    return (NOW - timedelta(days=offset_days)).date().isoformat()


# A committee's spreadsheet as it is: several identifiers in a cell, an old
# minor case whose retention has ended, a duplicate, a broken address, a row
# without a status, a date in an order that cannot be told.
MESSY = [
    ["A-1", "banned", _day(400), "Ada Quell", "ada@q.example; ada.q@work.example", "adaq",
     "A. Quell; The Quell", "repeated harassment"],
    ["A-2", "minor", _day(900), "Bo Rinn", "bo@r.example", "", "", ""],
    ["A-3", "flagged", _day(10), "Cy Sorrel", "not an address", "", "", ""],
    ["A-4", "", _day(10), "Di Tamm", "di@t.example", "", "", ""],
    ["A-5", "flagged", "03/04/2025", "Ed Umber", "ed@u.example", "", "", ""],
    ["A-6", "Flagged", _day(20), "Fay Vell", "ADA@Q.EXAMPLE", "", "", ""],
    ["A-1", "flagged", _day(20), "Gus Wren", "gus@w.example", "", "", ""],
    ["", "ban", _day(30), "Ada Quell", "", "", "", ""],
    ["", "", "", "", "", "", "", ""],
    ["A-9", "minor", _day(100), "Hal Xeno", "hal@x.example", "", "", ""],
]  # fmt: skip


def _rows(table: list[list[str]]) -> list[tuple[int, list[str]]]:
    return [(n + 2, cells) for n, cells in enumerate(table)]


@pytest.fixture
def committee(tmp_path: Path) -> Iterator[Committee]:
    with Committee.init(tmp_path / "committee", name="Import Committee", now=NOW) as c:
        yield c


def test_the_plan_says_row_by_row_what_is_added_and_why_the_rest_is_refused() -> None:
    plan = plan_import(HEADER, _rows(MESSY), existing=[], now=NOW)
    reasons = {row.position: row.reason for row in plan.rows}
    assert reasons == {
        2: None,
        3: f"its retention ended on {(NOW - timedelta(days=900) + timedelta(days=730)):%Y-%m-%d}"
        " (minor records are kept 730 days from the decision), so it must not be kept: delete "
        "it from the source instead of adding it here",
        4: "the value in column 'E-Mail' is not a valid e-mail address (no @ between the "
        "local part and the domain)",
        5: "the row has no status; give one in a status column or with --status",
        6: "the date in column 'Decided' does not read; write it as YYYY-MM-DD (DD/MM and "
        "MM/DD cannot be told apart)",
        7: "duplicate of row 2 (the same e-mail address)",
        8: "the case reference is already used by row 2",
        9: None,
        11: None,
    }
    first = plan.rows[0].record
    assert first is not None
    assert (first.status, first.case_ref) == (Status.BANNED, "A-1")
    assert sorted((i.kind, i.alias) for i in first.identifiers) == [
        ("email", False), ("email", False), ("github", False), ("name", False), ("name", True),
        ("name", True),
    ]  # fmt: skip
    assert first.note == "repeated harassment"
    assert first.decided_at == datetime.combine(
        (NOW - timedelta(days=400)).date(), datetime.min.time(), UTC
    )
    # A shared name is a note for the committee, never a refusal.
    assert plan.rows[7].shares_name_with == ("row 2",)
    assert plan.ignored_headers == ()
    assert set(plan.columns) == {
        "case_ref", "status", "decided", "name", "email", "github", "alias", "note"
    }  # fmt: skip


def test_no_refusal_quotes_a_value() -> None:
    plan = plan_import(HEADER, _rows(MESSY), existing=[], now=NOW)
    text = " ".join(str(row.reason) for row in plan.rows)
    for cells in MESSY:
        for value in cells[3:7]:
            for part in value.split(";"):
                if part.strip():
                    assert part.strip().lower() not in text.lower()


def test_a_duplicate_of_a_record_in_the_register_names_its_case(committee: Committee) -> None:
    committee.register.records.add(
        NewRecord(
            status=Status.FLAGGED,
            identifiers=[Identifier("github", "AdaQ")],
            case_ref="OLD-7",
        ),
        now=NOW,
    )
    plan = committee.register.plan_import(HEADER, _rows(MESSY[:1]), now=NOW)
    assert plan.rows[0].reason == (
        "duplicate of case OLD-7 (the same GitHub user name); update that record instead"
    )


def test_the_policy_and_a_default_status_come_from_the_committee(committee: Committee) -> None:
    committee.register.set_policy(RetentionPolicy(minor=Period(years=3)), now=NOW)
    plan = committee.register.plan_import(
        HEADER, _rows(MESSY), ImportOptions(status=Status.FLAGGED), now=NOW
    )
    by_row = {row.position: row for row in plan.rows}
    # 900 days ago is within three years; a row without a status is flagged.
    assert (by_row[3].accepted, by_row[5].accepted) == (True, True)
    record = committee.register.import_rows(HEADER, _rows(MESSY[1:2]), ImportOptions(), now=NOW)[1][
        0
    ]
    assert record.expires_at == Period(years=3).after(record.decided_at or NOW)


def test_all_or_nothing_and_skip_refused(committee: Committee) -> None:
    register = committee.register
    with pytest.raises(InputError, match=r"6 of 9 row\(s\) are refused, so nothing was imported"):
        register.import_rows(HEADER, _rows(MESSY), now=NOW)
    assert (register.records.all(), register.audit.entries()) == ([], [])
    plan, added = register.import_rows(HEADER, _rows(MESSY), now=NOW, skip_refused=True)
    assert [r.case_ref for r in added][::2] == ["A-1", "A-9"]
    assert len(added) == len(plan.accepted) == 3
    (entry,) = register.audit.entries(action="import")
    assert entry.details == {"records": 3, "refused_rows": 6}
    assert set(entry.case_refs) == {r.case_ref for r in added}


def test_a_failure_while_adding_leaves_nothing_behind(
    committee: Committee, monkeypatch: pytest.MonkeyPatch
) -> None:
    register = committee.register
    calls = 0
    insert = register.records._insert

    def failing(new: NewRecord, now: datetime) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk full")
        return insert(new, now)

    monkeypatch.setattr(register.records, "_insert", failing)
    with pytest.raises(OSError, match="disk full"):
        register.import_rows(HEADER, _rows(MESSY), now=NOW, skip_refused=True)
    assert calls == 2
    assert (register.records.all(), register.audit.entries()) == ([], [])


def test_columns_found_by_header_or_named() -> None:
    header = ["Full Name", "Email Address", "Sanction", "Case Number", "Favourite colour"]
    plan = plan_import(
        header, [(2, ["Ada Quell", "ada@q.example", "BANNED", "X-1", "green"])], existing=[],
        now=NOW,
    )  # fmt: skip
    assert plan.rows[0].accepted
    assert plan.ignored_headers == ("Favourite colour",)
    named = plan_import(
        ["Who", "Contact"],
        [(2, ["Ada Quell", "ada@q.example"])],
        existing=[],
        now=NOW,
        options=ImportOptions(columns={"name": "Who", "email": "Contact"}, status=Status.FLAGGED),
    )
    assert named.rows[0].accepted
    with pytest.raises(InputError, match="no column holds a name"):
        plan_import(["Who", "Contact"], [(2, ["a", "b"])], existing=[], now=NOW)
    with pytest.raises(InputError, match="0 columns are headed 'Nope'"):
        plan_import(
            ["Who"], [(2, ["a"])], existing=[], now=NOW,
            options=ImportOptions(columns={"name": "Nope"}),
        )  # fmt: skip
    with pytest.raises(InputError, match="unknown field 'shoe'"):
        plan_import(
            ["Who"], [(2, ["a"])], existing=[], now=NOW,
            options=ImportOptions(columns={"shoe": "Who"}),
        )  # fmt: skip


def test_a_decision_in_the_future_and_an_explicit_past_expiry_are_refused() -> None:
    header = ["Name", "Status", "Decided", "Expires"]
    tomorrow = (NOW + timedelta(days=1)).date().isoformat()
    plan = plan_import(
        header,
        [(2, ["A B", "flagged", tomorrow, ""]), (3, ["C D", "banned", "", _day(1)])],
        existing=[],
        now=NOW,
    )
    assert plan.rows[0].reason == (
        "the decision date in column 'Decided' is in the future; give the day it was decided"
    )
    assert str(plan.rows[1].reason).startswith("its retention ended on")
    assert "(the expiry given)" in str(plan.rows[1].reason)


_names = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll"), max_codepoint=0x24F),
    min_size=2,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(
        st.tuples(
            _names,
            _names,
            st.sampled_from(list(Status)),
            st.integers(0, 300),
            st.booleans(),
            st.sampled_from(
                [
                    "",
                    "=SUM(A1)",
                    "-1 note",
                    "plain note, with a comma",
                    "\tstarts with a tab",
                    "'-- quoted already",
                    "'tis",
                    "''",
                    "@mention",
                ]
            ),
            st.booleans(),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda p: (p[0].casefold(), p[1].casefold()),
    )
)
def test_export_then_import_gives_the_same_records(
    people: list[tuple[str, str, Status, int, bool, str, bool]],
) -> None:
    records = []
    for n, (given_name, family, status, age, alias, note, common) in enumerate(people):
        identifiers = [
            Identifier("name", f"{given_name} {family}"),
            Identifier("email", f"p{n}@example.org"),
        ]
        if alias:
            identifiers.append(Identifier("name", f"{family}, {given_name}", alias=True))
        records.append(
            NewRecord(
                status=status,
                identifiers=identifiers,
                case_ref=f"C-{n}",
                note=note,
                decided_at=NOW - timedelta(days=age),
                common_name=common,
            )
        )
    header, rows = export_rows(_stored(records))
    # No cell is a formula in a spreadsheet.
    assert not any(c and c[0] in "=+-@\t\r" for row in rows for c in row)
    cells = rows
    plan = plan_import(header, [(n + 2, r) for n, r in enumerate(cells)], existing=[], now=NOW)
    assert [row.reason for row in plan.rows] == [None] * len(records)
    for row, new in zip(plan.rows, records, strict=True):
        assert row.record is not None
        assert row.record.status is new.status
        assert row.record.case_ref == new.case_ref
        assert row.record.note == new.note
        assert row.record.common_name is new.common_name
        assert sorted(map(_form, row.record.identifiers)) == sorted(map(_form, new.identifiers))
        assert row.record.decided_at == new.decided_at.replace(hour=0, minute=0)  # type: ignore[union-attr]


def _form(identifier: Identifier) -> tuple[str, str, bool]:
    return identifier.kind, identifier.value, identifier.alias


def _stored(news: list[NewRecord]) -> list[Record]:
    return [
        Record(
            id=n + 1,
            status=new.status,
            case_ref=str(new.case_ref),
            created_at=NOW,
            updated_at=NOW,
            expires_at=None,
            identifiers=tuple(new.identifiers),
            note=new.note,
            decided_at=new.decided_at,
            common_name=new.common_name,
        )
        for n, new in enumerate(news)
    ]


def test_every_column_of_an_identifier_is_read_and_a_bare_date_is_never_guessed() -> None:
    header = ["Date", "Name", "Email", "Email", "Secondary e-mail", "E-mail 2", "Status"]
    row = ["2026-01-01", "Ann Example", "a1@example.org", "a2@example.org", "a3@example.org",
           "a4@example.org", "flagged"]  # fmt: skip
    plan = plan_import(header, [(2, row)], existing=[], now=NOW)
    record = plan.rows[0].record
    assert record is not None
    assert sorted(i.value for i in record.identifiers if i.kind == "email") == [
        f"a{n}@example.org" for n in range(1, 5)
    ]
    # "Date" might be the incident's day: it is listed as not read, never taken.
    assert plan.ignored_headers == ("Date",)
    assert record.decided_at is None
    assert plan.columns["email"] == "Email + Email + Secondary e-mail + E-mail 2"


def test_two_columns_for_one_field_are_refused_unless_one_is_named() -> None:
    header = ["Name", "Status", "Sanction", "Case", "Reference"]
    with pytest.raises(InputError, match="both 'Status' and 'Sanction' could hold status"):
        plan_import(header, [(2, ["A", "banned", "ban", "1", "2"])], existing=[], now=NOW)
    plan = plan_import(
        header,
        [(2, ["A", "banned", "flagged", "C-1", "R-1"])],
        existing=[],
        now=NOW,
        options=ImportOptions(columns={"status": "Sanction", "case_ref": "Reference"}),
    )
    record = plan.rows[0].record
    assert record is not None
    assert (record.status, record.case_ref) == (Status.FLAGGED, "R-1")


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ("45300", "a spreadsheet's day number: format the column as dates"),
        ("never", "leave the cell empty: the retention policy then decides"),
        ("-", "leave the cell empty: the retention policy then decides"),
        ("3/4/2025", "DD/MM and MM/DD cannot be told apart"),
    ],
)
def test_a_date_that_does_not_read_says_what_to_do(cell: str, why: str) -> None:
    plan = plan_import(
        ["Name", "Status", "Expires"], [(2, ["A B", "banned", cell])], existing=[], now=NOW
    )
    reason = str(plan.rows[0].reason)
    assert reason.startswith("the date in column 'Expires' does not read; ")
    assert why in reason


def test_several_headers_named_for_an_identifier_are_all_read() -> None:
    header = ["Name", "Work", "Home", "Status", "Sanction"]
    row = ["Zed Example", "zed@w.example", "zed@h.example", "banned", "ban"]
    plan = plan_import(
        header,
        [(2, row)],
        existing=[],
        now=NOW,
        options=ImportOptions(columns={"email": ("Work", "Home"), "status": "Status"}),
    )
    record = plan.rows[0].record
    assert record is not None
    assert sorted(i.value for i in record.identifiers if i.kind == "email") == [
        "zed@h.example",
        "zed@w.example",
    ]
    with pytest.raises(InputError, match="status is read from one column"):
        plan_import(
            header, [(2, row)], existing=[], now=NOW,
            options=ImportOptions(columns={"status": ("Status", "Sanction")}),
        )  # fmt: skip


def test_a_first_line_of_data_is_refused_without_quoting_it() -> None:
    with pytest.raises(InputError, match="not a header line") as caught:
        plan_import(
            ["Jane Doe", "jane@secret.example", "banned"],
            [(2, ["Bo Rinn", "bo@r.example", "minor"])],
            existing=[],
            now=NOW,
        )
    assert "jane" not in str(caught.value).lower()


def test_rows_without_a_decision_date_are_named() -> None:
    plan = plan_import(
        ["Name", "Status", "Decided"],
        [(2, ["A B", "banned", ""]), (3, ["C D", "banned", _day(3)])],
        existing=[],
        now=NOW,
    )
    assert plan.undated == (2,)
    assert plan.to_dict()["undated_rows"] == [2]
