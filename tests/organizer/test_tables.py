"""What the tool reads: workbooks, encodings, line ends, and every refusal by name."""

from __future__ import annotations

import codecs
import datetime
import gzip
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coc_hashscreen.core import Strength
from coc_hashscreen.errors import EmptyInput, InputError
from coc_hashscreen.formats import type_prefix
from coc_hashscreen.organizer import ScreenRecord, read_table
from coc_hashscreen.organizer._tables import cell_text, json_text

from ..conftest import World
from ._workbooks import (
    EVENTBRITE,
    INDICO,
    MICROSOFT_FORMS,
    PRETIX_FEES,
    PRETIX_ORDERS,
    PRETIX_POSITIONS,
    SESSIONIZE_SESSIONS,
    SESSIONIZE_SPEAKERS,
    write_ods,
    write_xls,
    write_xlsx,
)


def _records(data: bytes, **kwargs: str) -> list[ScreenRecord]:
    with read_table(io.BytesIO(data), **kwargs) as source:  # type: ignore[arg-type]
        return list(source.records())


def _refusal(data: bytes, **kwargs: str) -> str:
    with pytest.raises(InputError) as info:
        _records(data, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


# ---------------------------------------------------------------------------
# workbooks


def test_pretix_combined_excel_reads_the_order_positions(world: World) -> None:
    path = write_xlsx(
        world.tmp / "pretix.xlsx",
        {"Orders": PRETIX_ORDERS, "Order positions": PRETIX_POSITIONS, "Order fees": PRETIX_FEES},
    )
    with read_table(path, role="attendee") as source:
        assert (source.origin.format, source.origin.sheet) == ("xlsx", "Order positions")
        records = list(source.records())
        report = world.screener().screen(records, total=source.count())
    assert [r.names for r in records] == [
        ("José María García",),
        ("Alice Jones",),
        ("Carol White",),
    ]
    # The sheet's own row numbers: the header is row 1.
    assert [r.ref["line"] for r in records] == [2, 3, 4]
    assert {(m.row, m.matched) for m in report.matches} == {(1, ("name",)), (2, ("github",))}
    # The orders sheet is still there to choose.
    with read_table(path, sheet="Orders") as source:
        assert [r.names for r in source.records()] == [("Pat Buyer",)]


def test_eventbrite_xlsx_numbers_and_dates_read_as_shown() -> None:
    assert cell_text(4711.0) == "4711"
    assert cell_text(1234567890.0) == "1234567890"
    assert cell_text(0.5) == "0.5"
    assert cell_text(True) == "TRUE"
    assert cell_text(datetime.datetime(2024, 5, 1, 9, 30)) == "2024-05-01 09:30:00"
    assert cell_text(datetime.datetime(2024, 5, 1)) == "2024-05-01"
    assert cell_text(datetime.date(2024, 5, 1)) == "2024-05-01"
    assert cell_text(None) == ""


def test_eventbrite_xlsx(world: World) -> None:
    path = write_xlsx(world.tmp / "eventbrite.xlsx", {"Sheet1": EVENTBRITE})
    with read_table(path) as source:
        records = list(source.records())
        report = world.screener().screen(records)
    assert [r.emails for r in records] == [("petr@example.ru",), ("dana@example.org",)]
    # Profile v2 also finds the name: "Pyotr Ivanov" is "Пётр Иванов" in
    # BGN/PCGN romanization, one of the committee's keys.
    assert [(m.row, m.matched) for m in report.matches] == [(1, ("name", "email"))]


def test_sessionize_picks_the_first_sheet_with_people(world: World) -> None:
    path = write_xlsx(
        world.tmp / "sessionize.xlsx",
        {"Accepted sessions": SESSIONIZE_SESSIONS, "Accepted speakers": SESSIONIZE_SPEAKERS},
    )
    with read_table(path, role="speaker") as source:
        assert source.origin.sheet == "Accepted speakers"
        records = list(source.records())
        report = world.screener().screen(records)
    assert records[0].names == ("Mallory Smith",)
    assert records[1].twitter == ("@josegarcia",)
    matched = {(m.row, m.matched) for m in report.matches}
    assert (2, ("twitter",)) in matched
    assert any(row == 1 for row, _ in matched)


def test_microsoft_forms_xlsx(world: World) -> None:
    path = write_xlsx(world.tmp / "forms.xlsx", {"Sheet1": MICROSOFT_FORMS})
    with read_table(path) as source:
        records = list(source.records())
        report = world.screener().screen(records)
    assert records[1].emails == ("jose.garcia@gmail.com",)
    assert [m.row for m in report.matches] == [2]


@pytest.mark.parametrize("writer", [write_ods, write_xls], ids=["ods", "xls"])
def test_indico_ods_and_xls(world: World, writer: object) -> None:
    suffix = "ods" if writer is write_ods else "xls"
    path = writer(world.tmp / f"indico.{suffix}", {"Registrants": INDICO})  # type: ignore[operator]
    with read_table(path) as source:
        assert source.origin.format == suffix
        records = list(source.records())
        report = world.screener().screen(records)
    assert [r.names for r in records] == [("Mallory Smith",), ("Bob Stone",)]
    assert [r.ref["line"] for r in records] == [2, 3]
    assert [m.row for m in report.matches] == [1]


def test_sheet_option_and_its_errors(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"People": [["Name"], ["A"]], "Other": [["x"]]})
    with pytest.raises(InputError, match=r"no sheet named 'Nope'; its sheets: 'People', 'Other'"):
        read_table(path, sheet="Nope")
    with pytest.raises(EmptyInput, match="no data rows"):
        read_table(path, sheet="Other")


def test_a_sheet_starting_below_a1_keeps_its_row_numbers(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["B3"], sheet["C3"] = "Name", "Email"
    sheet["B5"], sheet["C5"] = "Jane", "jane@example.org"
    book.save(tmp_path / "b.xlsx")
    with read_table(tmp_path / "b.xlsx") as source:
        (record,) = source.records()
    assert record.ref == {"row": 2, "line": 5}


def test_a_damaged_or_foreign_zip_is_named(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "a.xlsx", {"S": [["Name"], ["A"]]}).read_bytes()
    assert "damaged or truncated zip" in _refusal(good[: len(good) // 2])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("attendees.csv", "Name\nA\n")
    assert _refusal(buffer.getvalue()).startswith("this is a zip archive, not a spreadsheet")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert _refusal(buffer.getvalue()).startswith("this is a Word document")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "XLS file could not be read (damaged, password-protected" in _refusal(ole)


# ---------------------------------------------------------------------------
# encodings and line ends

PEOPLE = "Name,Email\nJosé Müller,jose@example.org\nZoë Ørsted,zoe@example.org\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PEOPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + PEOPLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + PEOPLE.replace(",", "\t").encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + PEOPLE.replace(",", "\t").encode("utf-16-be"), "utf-16"),
        (PEOPLE.replace("\n", "\r").encode(), "utf-8"),
        (PEOPLE.replace("\n", "\r\n").encode(), "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-unicode-text", "utf16be", "cr", "crlf"],
)
def test_encodings_and_line_ends(data: bytes, encoding: str) -> None:
    with read_table(io.BytesIO(data)) as source:
        assert source.origin.encoding == encoding
        records = list(source.records())
    assert [r.names for r in records] == [("José Müller",), ("Zoë Ørsted",)]
    assert [r.ref["line"] for r in records] == [2, 3]


def test_legacy_encodings_are_named_and_read_only_when_named() -> None:
    windows = PEOPLE.replace("José", "“José”").encode("cp1252")
    message = _refusal(windows)
    assert message == (
        "line 2 is not valid UTF-8: this looks like Windows-1252 text, Excel's 'CSV' on "
        "Windows; save it as 'CSV UTF-8' or pass --encoding cp1252"
    )
    mac = PEOPLE.encode("mac_roman")
    assert "this looks like MacRoman text, Excel's 'CSV' on a Mac" in _refusal(mac)
    assert "pass --encoding mac_roman" in _refusal(mac)
    latin = PEOPLE.encode("latin-1")
    assert "Windows-1252 or Latin-1" in _refusal(latin)
    assert _records(windows, encoding="cp1252")[0].names == ("“José” Müller",)
    assert _records(mac, encoding="mac_roman")[1].names == ("Zoë Ørsted",)
    assert _records(latin, encoding="latin-1")[0].names == ("José Müller",)


def test_a_named_encoding_never_mis_decodes() -> None:
    utf8 = PEOPLE.encode("utf-8")
    assert "the file is UTF-8, not cp1252" in _refusal(utf8, encoding="cp1252")
    bom = codecs.BOM_UTF16_LE + PEOPLE.encode("utf-16-le")
    assert "UTF-16 byte-order mark" in _refusal(bom, encoding="cp1252").replace("utf-16", "UTF-16")
    assert "unknown encoding 'klingon'" in _refusal(utf8, encoding="klingon")
    assert "is not a text encoding" in _refusal(utf8, encoding="base64")
    # An ASCII file is ASCII in every legacy encoding.
    assert _records(b"Name\nJane\n", encoding="cp1252")[0].names == ("Jane",)


def test_a_late_bad_byte_names_its_line() -> None:
    rows = b"".join(b"Person %d,p%d@example.org\n" % (i, i) for i in range(5000))
    data = b"Name,Email\n" + rows + b"Jos\xe9,jose@example.org\n"
    assert len(data) > 64 * 1024
    message = _refusal(data)
    assert message.startswith("line 5002 is not valid UTF-8: this looks like Windows-1252")


def test_utf16_without_a_bom_and_binary_files() -> None:
    assert "UTF-16 text without a byte-order mark" in _refusal(PEOPLE.encode("utf-16-le"))
    assert "binary file" in _refusal(b"\x00\x01\x02\x03\xff" * 20)


# ---------------------------------------------------------------------------
# other containers


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"%PDF-1.7\n...", "this is a PDF document"),
        (gzip.compress(PEOPLE.encode()), "this is a gzip-compressed file; unpack it first"),
        (type_prefix("list") + b"\x00" * 80, "this is a coc-hashscreen hashed list"),
        (type_prefix("grant") + b"\x00" * 80, "this is a coc-hashscreen grant"),
        (type_prefix("trust") + b"\x00" * 80, "this is a coc-hashscreen trust file"),
        (type_prefix("sealed-report", 2) + b"\x00" * 80, "this is a coc-hashscreen sealed report"),
        (b'{"type": "coc-hashscreen private key", "key": "..."}', "coc-hashscreen key file"),
        (b"<!DOCTYPE html><html><table><tr><td>Name</td></tr></table>", "a web page (HTML)"),
        (b'<?xml version="1.0"?><Workbook/>', "this is an XML file"),
    ],
    ids=["pdf", "gzip", "list", "grant", "trust", "sealed", "key", "html", "xml"],
)
def test_containers_are_named(data: bytes, named: str) -> None:
    assert named in _refusal(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"event": "democon", "orders": [{"code": "A1B2C"}]}',
        b'[{"name": "Jane Doe", "email": "jane@example.org"}]',
        b'\xef\xbb\xbf  [\n  {"name": "x"}]',
        b'{"name": "Jane"}\n{"name": "Bob"}\n',
    ],
    ids=["pretix-json", "array", "bom-indented", "json-lines"],
)
def test_json_is_told_from_a_table_in_one_place(data: bytes) -> None:
    # pretix's one-line "Order data (JSON)" used to be read as a header:
    # read_input hands what json_text finds to the JSON reader, and the
    # table reader refuses it rather than reading it as a header line.
    assert json_text(io.BytesIO(data)) is not None
    assert _refusal(data).startswith("this is a JSON document, not a table")


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16"])
def test_json_text_decodes_as_a_table_would(codec: str) -> None:
    document = '[{"name": "José García", "email": "jose@example.org"}]'
    handle = io.BytesIO(document.encode(codec))
    assert json_text(handle) == document
    assert handle.tell() == 0


def test_a_header_mentioning_brackets_is_not_json() -> None:
    assert _records(b"[Name],Email\nJane,jane@example.org\n")[0].emails == ("jane@example.org",)


# ---------------------------------------------------------------------------
# never screen nothing in silence


@pytest.mark.parametrize(
    "data", [b"", b"\xef\xbb\xbf", b"\n\n", codecs.BOM_UTF16_LE], ids=["empty", "bom", "nl", "u16"]
)
def test_an_empty_file_is_an_error(data: bytes) -> None:
    with pytest.raises(EmptyInput):
        _records(data)


@pytest.mark.parametrize(
    "data",
    [b"Name,Email\n", b"Name,Email", b"Name,Email\r\n,\r\n\r\n", b"Name,Email\r"],
    ids=["header", "no-newline", "blank-rows", "cr"],
)
def test_a_header_only_file_is_an_error(data: bytes) -> None:
    with pytest.raises(EmptyInput, match="header line but no data rows"):
        _records(data)


def test_a_header_only_workbook_is_an_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "h.xlsx", {"Sheet1": [["Name", "Email"]]})
    with pytest.raises(EmptyInput, match="no data rows"):
        read_table(path)


def test_trailing_empty_cells_are_accepted() -> None:
    data = b"Name,Email\nJane,jane@example.org,,\nBob,bob@example.org,\n"
    assert [r.names for r in _records(data)] == [("Jane",), ("Bob",)]
    with pytest.raises(InputError, match="line 2 has 3 fields but the header has 2"):
        _records(b"Name,Email\nJane,jane@example.org,x\n")


@settings(max_examples=300, deadline=None)
@given(
    st.binary(max_size=600)
    | st.sampled_from(
        [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", codecs.BOM_UTF16_LE, b"%PDF", b"{"]
    ).flatmap(lambda prefix: st.binary(max_size=400).map(lambda tail: prefix + tail))
)
def test_any_bytes_give_a_table_or_our_error(data: bytes) -> None:
    try:
        records = _records(data)
    except InputError:
        return
    # Never a silent empty success.
    assert records


def test_a_line_without_end_is_not_held_without_bound() -> None:
    data = b"Name\nJane\n" + b"x" * (16 * 2**20 + 10)
    assert "line 3 is longer than 16,777,216 characters" in _refusal(data)


def test_localized_pretix_workbook_reads_the_positions_not_the_orders(world: World) -> None:
    # A German pretix back end names its sheets in German; its orders sheet
    # has a plain "Name" and "E-Mail" (the buyer's), as many columns as the
    # positions sheet has of its own.
    orders = [
        ["Bestellnummer", "E-Mail", "Firma", "Name"],
        ["ABC12", "jose.garcia+events@gmail.com", "", "José María García"],
    ]
    positions = [
        ["Bestellnummer", "E-Mail", "Name Teilnehmer*in", "E-Mail Teilnehmer*in"],
        ["ABC12", "jose.garcia+events@gmail.com", "Ada Lovelace", "ada@example.org"],
    ]
    fees = [["Bestellnummer", "E-Mail", "Gebührentyp"], ["ABC12", "x@example.org", "Zahlung"]]
    sheets = {"Bestellungen": orders, "Bestellzeilen": positions, "Gebühren": fees}
    path = write_xlsx(world.tmp / "pretix-de.xlsx", sheets)
    with read_table(path) as source:
        assert source.origin.sheet == "Bestellzeilen"
        assert source.origin.describe() == "sheet 'Bestellzeilen' of the XLSX workbook"
        records = list(source.records())
    assert [r.names for r in records] == [("Ada Lovelace",)]
    report = world.screener().screen(records)
    assert [m.strength for m in report.matches] == [Strength.ORDER_CONTACT]
    # In a language the table does not know, the orders sheet still loses:
    # its plain "E-Mail" counts as an attendee's, but pretix's positions
    # sheet names two kinds of attendee identifier with it.
    renamed = {"Sheet A": orders, "Sheet B": positions, "Sheet C": fees}
    with read_table(write_xlsx(world.tmp / "pretix-xx.xlsx", renamed)) as source:
        assert source.origin.sheet == "Sheet B"


@pytest.mark.parametrize(
    "sheets",
    [
        {"Orders": [["Order code", "Name", "Email"], ["A1", "Pat Buyer", "pat@example.org"]]},
        {
            "Bestellungen": [["Bestellnummer", "Name", "E-Mail"], ["A1", "Pat", "p@example.org"]],
            "Gebühren": [["Bestellnummer", "Gebührentyp"], ["A1", "Zahlung"]],
        },
    ],
)
def test_pretix_orders_sheet_is_never_read_as_the_attendees(
    tmp_path: Path, sheets: dict[str, list[list[str]]]
) -> None:
    path = write_xlsx(tmp_path / "orders.xlsx", sheets)
    with pytest.raises(InputError, match="only sheet with names is pretix's orders sheet"):
        read_table(path)
    # Named, it is read: the organizer chose to screen the buyers.
    with read_table(path, sheet=next(iter(sheets))) as source:
        assert len(list(source.records())) == 1


def test_a_zip_of_a_version_zipfile_does_not_know_is_one_line(tmp_path: Path) -> None:
    data = bytearray(
        write_xlsx(tmp_path / "book.xlsx", {"Sheet1": [["Name"], ["Ada"]]}).read_bytes()
    )
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 6 : at + 8] = b"\xff\x00"  # "version needed to extract": 25.5
        at = data.find(b"PK\x01\x02", at + 4)
    assert "damaged or truncated zip file" in _refusal(bytes(data))


def test_a_panic_in_the_native_reader_prints_nothing_of_its_own(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A truncated XLS makes calamine's Rust code panic; its message went to
    # standard error before our one line.
    monkeypatch.setenv("RUST_BACKTRACE", "1")
    sheets: dict[str, list[list[str]]] = {"Empty": [], "S": [["Name", "Email"], ["Ann", "a@x.org"]]}
    whole = write_xls(tmp_path / "book.xls", sheets).read_bytes()
    assert "XLS file could not be read" in _refusal(whole[:-18])
    captured = capfd.readouterr()
    assert "panicked" not in captured.err
    assert "RUST_BACKTRACE" not in captured.err


_CELLS = st.text(
    st.characters(codec="utf-8", exclude_characters='"', exclude_categories=("Cs", "Cc")),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(
    sep=st.sampled_from([",", ";", "\t", "|"]),
    rows=st.lists(st.tuples(_CELLS, _CELLS, st.sampled_from(["", "x"]), st.booleans()), min_size=1),
    encoding=st.sampled_from(["utf-8", "utf-16"]),
)
def test_ragged_files_keep_their_separator(
    sep: str, rows: list[tuple[str, str, str, bool]], encoding: str
) -> None:
    # Spreadsheets leave out trailing empty cells ("Unicode Text" is
    # UTF-16 with tabs): lines of different lengths still split on the
    # header's separator, and cells holding other separators stay whole.
    def quoted(cell: str) -> str:
        return f'"{cell}"' if any(c in cell for c in ",;\t|") or cell != cell.strip() else cell

    lines = [sep.join(["Name", "Email", "Notes", "Ticket"])]
    for i, (name, note, ticket, ragged) in enumerate(rows):
        cells = [quoted(f"P{i} {name}"), f"p{i}@example.org", quoted(note), ticket]
        while ragged and len(cells) > 2 and cells[-1] in ("", '""'):
            cells.pop()
        lines.append(sep.join(cells))
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    records = _records(data)
    assert [r.emails for r in records] == [(f"p{i}@example.org",) for i in range(len(rows))]
    assert [r.names for r in records] == [
        ((f"P{i} {name}".strip()),) for i, (name, *_) in enumerate(rows)
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize(
    "text",
    [
        "Name;Email;Note;Ticket\nAda;ada@example.org\nBob;bob@example.org;hi\n",
        "Name;Email;Note\nAda, Jr;ada@example.org\nBob;bob@example.org\n",
        "Name\tEmail\tNote\r\nAda\tada@example.org\r\n\t\r\nBob\tbob@example.org\r\n",
        "Name|Email\nAda|ada@example.org\nBob|bob@example.org|\n",
    ],
)
def test_ragged_lines_python_s_sniffer_gave_up_on(text: str, encoding: str) -> None:
    records = _records(text.encode(encoding))
    assert [r.emails for r in records] == [("ada@example.org",), ("bob@example.org",)]
