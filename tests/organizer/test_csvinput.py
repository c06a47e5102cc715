"""CSV input: encodings, dialects, column detection per export, broken files."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.errors import CocHashscreenError, InputError
from coc_hashscreen.organizer import CsvSource, ScreenRecord, read_csv

from ..conftest import World
from ._plans import plan_of as _plan


def _records(data: bytes, **kwargs: object) -> list[ScreenRecord]:
    with read_csv(io.BytesIO(data), **kwargs) as source:  # type: ignore[arg-type]
        return list(source.records())


# ---------------------------------------------------------------------------
# column detection for common exports


def test_generic_headers() -> None:
    assert _plan("Name,E-mail,GitHub,Twitter/X,Mastodon,T-shirt size") == [
        ("name", "Name", False),
        ("email", "E-mail", False),
        ("github", "GitHub", False),
        ("twitter", "Twitter/X", False),
        ("mastodon", "Mastodon", False),
    ]
    assert _plan("full_name;email_address;X") == [
        ("name", "full_name", False),
        ("email", "email_address", False),
        ("twitter", "X", False),
    ]


def test_pretix_order_positions() -> None:
    header = (
        "Event slug,Event name,Order code,Position ID,Status,Email,Phone number,Order date,"
        "Order time,Product,Product ID,Variation,Variation ID,Price,Tax rate,Tax rule,Tax value,"
        "Attendee name,Attendee name: Given name,Attendee name: Family name,Attendee email,"
        "Attendee company,Invoice address company,Invoice address name,"
        "Invoice address name: Given name,Invoice address name: Family name"
    )
    assert _plan(header) == [
        ("email", "Email", True),  # the order's e-mail: a fallback only
        ("name", "Attendee name", False),
        ("given", "Attendee name: Given name", False),
        ("family", "Attendee name: Family name", False),
        ("email", "Attendee email", False),
        ("name", "Invoice address name", True),
        ("given", "Invoice address name: Given name", True),
        ("family", "Invoice address name: Family name", True),
    ]


def test_pretix_order_email_is_the_orders_never_the_attendees() -> None:
    data = (
        b"Order code,Email,Attendee name,Attendee email\n"
        b"A1,buyer@example.org,Jane Doe,jane@example.org\n"
        b"A2,buyer@example.org,John Roe,\n"
    )
    first, second = _records(data)
    assert first.emails == ("jane@example.org",)
    assert second.emails == ()
    for record in (first, second):
        assert record.order_identifiers == (("email", "buyer@example.org"),)


def test_eventbrite() -> None:
    header = (
        "Order #,Order Date,First Name,Last Name,Email,Quantity,Price Tier,Ticket Type,"
        "Attendee #,Group,Order Type,Currency,Total Paid,Attendee Status,Home City"
    )
    assert _plan(header) == [
        ("given", "First Name", False),
        ("family", "Last Name", False),
        ("email", "Email", False),
    ]
    # The UK locale says "Surname".
    assert ("family", "Surname", False) in _plan("Order no.,First Name,Surname,Email")
    (record,) = _records(b"First Name,Last Name,Email\nJane,Doe,jane@example.org\n")
    assert record.names == ("Jane Doe",)


def test_tito() -> None:
    header = (
        "Number,Ticket Created Date,Ticket,Ticket Full Name,Ticket First Name,Ticket Last Name,"
        "Ticket Email,Ticket Company Name,Event,Void Status,Price,Ticket Reference,Order Reference,"
        "Order Name,Order Email,Twitter handle to print on your badge"
    )
    assert _plan(header) == [
        ("name", "Ticket Full Name", False),
        ("given", "Ticket First Name", False),
        ("family", "Ticket Last Name", False),
        ("email", "Ticket Email", False),
        ("name", "Order Name", True),
        ("email", "Order Email", True),
        ("twitter", "Twitter handle to print on your badge", False),
    ]


def test_custom_questions_and_extra_columns() -> None:
    assert _plan(
        "Name,What's your GitHub username?,Do you use GitHub?,Email 2,Secondary email"
    ) == [
        ("name", "Name", False),
        ("github", "What's your GitHub username?", False),
        ("email", "Email 2", False),
        ("email", "Secondary email", False),
    ]


def test_explicit_mapping_overrides_detection() -> None:
    plan = _plan(
        "Vorname,Nachname,Name,Mail,Email",
        columns={"given": ["Vorname"], "family": ["Nachname"], "email": ["Mail"]},
    )
    assert plan == [
        ("given", "Vorname", False),
        ("family", "Nachname", False),
        ("email", "Mail", False),
    ]
    with pytest.raises(InputError, match="no column headed 'Nope'"):
        _plan("Name,Email", columns={"email": ["Nope"]})
    with pytest.raises(InputError, match="unknown column kind"):
        _plan("Name,Email", columns={"phone": ["Name"]})


def test_nothing_recognized() -> None:
    with pytest.raises(InputError, match="--column KIND=HEADER"):
        _plan("Ticket,Price,T-shirt")


# ---------------------------------------------------------------------------
# values


def test_rows_and_values() -> None:
    data = (
        b"Name,Email,GitHub,Role\n"
        b"Jane Doe,jane@example.org; jane.doe@work.example,@jane,speaker\n"
        b",,,\n"
        b"Bob,,,attendee\n"
    )
    records = _records(data, role="speaker")
    assert [r.ref for r in records] == [
        {"row": 1, "line": 2, "role": "speaker"},
        {"row": 3, "line": 4, "role": "speaker"},
    ]
    assert records[0].emails == ("jane@example.org", "jane.doe@work.example")
    assert records[0].github == ("@jane",)
    assert records[1].names == ("Bob",)


def test_bom_and_dialects() -> None:
    for data in (
        b"\xef\xbb\xbfName;Email\nJane Doe;jane@example.org\n",
        b"Name\tEmail\r\nJane Doe\tjane@example.org\r\n",
        b"Name|Email\nJane Doe|jane@example.org\n",
        b'"Name","Email"\n"Doe, Jane","jane@example.org"\n',
    ):
        (record,) = _records(data)
        assert record.emails == ("jane@example.org",)
        assert record.names[0] in ("Jane Doe", "Doe, Jane")


def test_quoted_newlines_keep_line_numbers() -> None:
    data = b'Name,Email\n"Jane\nDoe",jane@example.org\nBob,bob@example.org\n'
    first, second = _records(data)
    assert (first.ref["row"], second.ref["row"]) == (1, 2)
    assert second.ref["line"] == 4


# ---------------------------------------------------------------------------
# broken files: a clear error naming the line, never a cell


def test_undecodable_bytes_name_the_line() -> None:
    data = b"Name,Email\nJane,jane@example.org\nJos\xe9,jose@example.org\n"
    with pytest.raises(InputError, match=r"line 3 is not valid UTF-8: this looks like Windows"):
        _records(data)


def test_too_many_fields_names_the_line() -> None:
    data = b"Name,Email\nJane,jane@example.org\nJohn,Smith,john@example.org\n"
    with pytest.raises(InputError, match="line 3 has 3 fields but the header has 2"):
        _records(data)


def test_overlong_quoted_cell_names_the_line() -> None:
    data = b'Name,Email\nJane,jane@example.org\n"Broken,john@example.org\n' + b"x" * 200_000
    with pytest.raises(InputError, match=r"cell starting on line 3 is longer than"):
        _records(data)


@pytest.mark.parametrize("rows_after", [0, 1, 5])
def test_a_stray_opening_quote_is_refused_not_swallowed(rows_after: int) -> None:
    # Read leniently, everything after the stray quote is one name cell and
    # none of those people is screened.
    after = b"".join(b"Person %d,p%d@example.org\n" % (i, i) for i in range(rows_after))
    data = b'Name,Email\nJane,jane@example.org\n"Alice,alice@example.org\n' + after
    with pytest.raises(InputError, match="quoted cell starting on line 3 is never closed") as info:
        _records(data)
    assert "alice" not in str(info.value).casefold()


def test_a_stray_quote_closed_later_names_both_lines() -> None:
    data = b'Name,Email\n"Alice,alice@example.org\nCarol,c@example.org\n"Bob",b@example.org\n'
    with pytest.raises(InputError, match="starting on line 2 runs to line 4"):
        _records(data)


def test_quoted_cells_with_line_breaks_and_quotes_still_read() -> None:
    data = b'Name,Email,Note\n"Smith, Jane",jane@example.org,"two\nlines ""quoted"""\n'
    (record,) = _records(data)
    assert record.names == ("Smith, Jane",)


def test_empty_file() -> None:
    with pytest.raises(InputError, match="empty"):
        _records(b"")


def test_errors_never_quote_cells() -> None:
    data = b"Name,Email\nSecret Person,secret@example.org,extra\n"
    with pytest.raises(InputError) as info:
        _records(data)
    assert "Secret" not in str(info.value)
    assert "secret@" not in str(info.value)


def test_count(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"Name\nA\n\nB\nC\n")
    with read_csv(path) as source:
        assert source.count() == 3
        assert [r.names for r in source.records()] == [("A",), ("B",), ("C",)]


def test_screening_a_csv_end_to_end(world: World) -> None:
    path = world.tmp / "attendees.csv"
    path.write_text(
        "Attendee name,Attendee email,GitHub\n"
        "Jane Doe,jane@example.org,\n"
        '"GARCÍA, José",,\n'
        "Alice,alice@example.org,https://github.com/mallory\n",
        encoding="utf-8",
    )
    with read_csv(path, role="attendee") as source:
        report = world.screener().screen(source.records(), total=source.count())
    assert [(m.row, m.strength.value, m.matched) for m in report.matches] == [
        (2, "name-only", ("name",)),
        (3, "strong", ("github",)),
    ]


@given(
    st.binary(max_size=400)
    | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_any_bytes_give_records_or_our_error(data: bytes) -> None:
    try:
        records = _records(b"Name,Email,GitHub\n" + data)
        _records(data)
    except CocHashscreenError:
        return
    assert all(isinstance(r, ScreenRecord) for r in records)


def test_order_names_are_kept_apart_whole() -> None:
    # Eventbrite-style: the attendee's own first name with an empty last
    # name must not borrow the buyer's last name.
    data = (
        b"First Name,Last Name,Buyer First Name,Buyer Last Name\nMallory,,Bob,Smith\n,,Bob,Smith\n"
    )
    first, second = _records(data)
    assert first.names == ("Mallory",)
    assert second.names == ()
    # The buyer's first and last name make one order-level name, on both rows.
    assert first.order_identifiers == second.order_identifiers == (("name", "Bob Smith"),)
    # Tito-style: an empty full name beside filled first and last names is
    # still the attendee's name, not the order's.
    data = (
        b"Ticket Full Name,Ticket First Name,Ticket Last Name,Order Name\n,Jane,Doe,Buyer Person\n"
    )
    (record,) = _records(data)
    assert record.names == ("Jane Doe",)


def test_apostrophes_are_never_taken_for_quotes() -> None:
    plain = b"".join(b"Person %d,p%d@example.org,Acme\n" % (i, i) for i in range(10))
    data = (
        b"name,email,company\n"
        b"Robert 'Bob' Smith,bob@example.org,Acme\n" + plain + b'"Smith, Jane",jane@example.com,x\n'
    )
    # The standard sniffer reads this sample as quoted with apostrophes.
    assert csv.Sniffer().sniff(data.decode(), delimiters=",;\t|").quotechar == "'"
    records = _records(data)
    assert records[0].emails == ("bob@example.org",)
    assert records[-1].emails == ("jane@example.com",)
    assert records[-1].names == ("Smith, Jane",)


def test_spaces_after_separators_and_quoted_cells() -> None:
    data = (
        b"name, email, company\n"
        b'"Smith, Jane", jane@example.com, "Acme, Inc"\n'
        b"Bob Jones, bob@example.org, Acme\n"
    )
    records = _records(data)
    assert [(r.names, r.emails) for r in records] == [
        (("Smith, Jane",), ("jane@example.com",)),
        (("Bob Jones",), ("bob@example.org",)),
    ]


@pytest.mark.parametrize("owned", [True, False])
def test_a_refused_input_closes_only_the_file_it_opened(owned: bool) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"name,email\nA,a@example.org\n")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as handle:
        with pytest.raises(InputError, match="seekable"):
            CsvSource(handle, owned=owned, columns=None, role=None)
        assert handle.closed is owned


def test_a_refused_header_closes_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"ticket,company\nT-1,Acme\n")
    opened: list[io.BufferedReader] = []
    real_open = open

    def tracking_open(*args: object, **kwargs: object) -> io.BufferedReader:
        handle: io.BufferedReader = real_open(*args, **kwargs)  # type: ignore[call-overload]
        opened.append(handle)
        return handle

    monkeypatch.setattr("builtins.open", tracking_open)
    with pytest.raises(InputError):
        read_csv(path)
    assert [h.closed for h in opened] == [True]


def test_a_stray_quote_closed_by_an_inch_mark_is_refused() -> None:
    # The quote on line 2 closes cleanly at 5'11" on line 4: strict reading
    # alone lets the rows between become one name cell.
    data = (
        b'Name,Email,Height\n"Ann Other,ann@example.org,170cm\nBo Stone,bo@example.org,6ft\n'
        b"Cy Zed,cy@example.org,5'11\"\nDee Q,dee@example.org,160cm\n"
    )
    with pytest.raises(InputError, match="row starting on line 2 runs over several lines") as e:
        _records(data)
    assert "ann" not in str(e.value).casefold()


def test_a_swallowed_row_in_a_name_cell_is_refused_even_with_every_field() -> None:
    data = b'Name,Email\n"Ann Other,ann@example.org\nBo Stone",bo@example.org\n'
    with pytest.raises(InputError, match="runs over several lines"):
        _records(data)


def test_multi_line_cells_that_swallowed_nothing_are_read() -> None:
    data = (
        b'Name,Email,Address\nAnn,ann@example.org,"1 Main St\nSpringfield, IL"\n'
        b'"Bo\nStone",bo@example.org,\n'
    )
    assert [r.emails for r in _records(data)] == [("ann@example.org",), ("bo@example.org",)]


@pytest.mark.parametrize(
    "row",
    [
        '"Ann Other" ,ann@example.org',
        'Ann Other,"ann@example.org" ',
        '"Ann Other"  ,  "ann@example.org"',
    ],
)
def test_a_space_after_a_closing_quote_is_read(row: str) -> None:
    (record,) = _records(f"Name,Email\n{row}\n".encode())
    assert (record.names, record.emails) == (("Ann Other",), ("ann@example.org",))


def test_text_after_a_closing_quote_is_still_an_error() -> None:
    with pytest.raises(InputError, match=r"line 2 is not valid CSV"):
        _records(b'Name,Email\n"Ann" Other,ann@example.org\n')


@pytest.mark.parametrize(
    ("text", "headers"),
    [
        (
            "Name;E-Mail;Dietary needs (vegan, vegetarian, other)\nAnn;ann@example.org;vegan\n",
            ("Name", "E-Mail", "Dietary needs (vegan, vegetarian, other)"),
        ),
        (
            "E-mail (work, private);Name\r\nann@example.org;Ann\r\n",
            ("E-mail (work, private)", "Name"),
        ),
        (
            "Timestamp\tEmail Address\tName\tWhich days (Mon, Tue, Wed)?\r\n"
            "2026-01-01\tann@example.org\tAnn\tMon, Tue\r\n",
            ("Timestamp", "Email Address", "Name", "Which days (Mon, Tue, Wed)?"),
        ),
        ('"Please confirm\nthat you agree";Name;Email\nyes;Ann;ann@example.org\n', None),
        ("Name, Email\nAnn, ann@example.org\n", ("Name", "Email")),
        ("Name;Email\nSmith, Ann;ann@example.org\n", ("Name", "Email")),
    ],
)
def test_the_separator_is_not_fooled_by_punctuation_in_headers(
    text: str, headers: tuple[str, ...] | None
) -> None:
    with read_csv(io.BytesIO(text.encode("utf-16" if "\t" in text else "utf-8"))) as source:
        if headers is not None:
            assert source.headers == headers
        (record,) = source.records()
    assert record.emails == ("ann@example.org",)


@pytest.mark.parametrize("placeholder", ["-", "n/a", "None", "—", "?"])
def test_placeholders_are_blank_not_unreadable_identifiers(placeholder: str) -> None:
    data = f"Name,Email,GitHub\nAnn,ann@example.org,{placeholder}\nBo,{placeholder},bo\n"
    first, second = _records(data.encode())
    assert (first.github, second.emails) == ((), ())
