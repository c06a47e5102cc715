"""Tables from the files organizers have: CSV text and XLSX, XLS or ODS workbooks.

A `Table` is a header row and data rows of strings, each row with its
position in the source (the CSV line it starts on, or the sheet's row
number), and the `TableOrigin` saying what was read.  CSV is read as a
stream; a workbook's sheet is read whole (python-calamine, ADR 0016).

What the input is comes from its bytes, never its name: a spreadsheet,
UTF-8 (with or without a byte-order mark) or UTF-16/32 with one; any other
container (a zip, a PDF, gzip, one of our own files, JSON) is refused with a
line naming it.  A legacy single-byte file (Windows-1252, MacRoman, Latin-1)
is read only when the caller names its encoding: guessing would mis-decode
names silently.  Errors never quote a cell.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Final

import python_calamine

from ..core import native_stderr_silenced
from ..errors import EmptyInput, InputError
from ..formats import FILE_TYPE_NAMES, claimed_type
from . import _pretix_headers as pretix
from ._encodings import LINE_END, SAVE_AS, sample_text, text_encoding, undecodable
from ._headers import kind_of, pretix_order_emails

__all__ = ["Table", "TableOptions", "TableOrigin", "json_text", "open_table"]

_SNIFF_BYTES: Final = 64 * 1024
_CHUNK: Final = 64 * 1024

# pretix's "Order data" workbook has the sheets "Orders", "Order positions"
# and "Order fees" (pretix/base/exporters/orderlist.py), named in the back
# end's language; the people are in the positions, and the orders sheet's
# plain "Name" and "Email" are the buyer's.  Excel cuts a title at 31
# characters.
_POSITIONS_SHEETS: Final = frozenset(t[:31] for t in pretix.POSITIONS_SHEET)
_ORDERS_SHEETS: Final = frozenset(t[:31] for t in pretix.ORDERS_SHEET)

_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE: Final = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
_MAX_LINE: Final = 16 * 2**20
_JSON_START: Final = re.compile(r'\s*(?:\{\s*["}]|\[\s*(?:[\[{"\]]|-?\d|true|false|null))')


@dataclass(frozen=True, kw_only=True)
class TableOptions:
    """How to read an input: which workbook sheet, and a CSV file's legacy encoding.

    *sheet* defaults to pretix's "Order positions" (in any language pretix
    ships), else the sheet naming the most kinds of attendee identifier.
    *encoding* (``cp1252``, ``mac_roman``, ...) is needed for a CSV file
    that is not UTF-8, or UTF-16/32 with a byte-order mark: it is never
    guessed.
    """

    sheet: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class TableOrigin:
    """What a table was read from: ``csv``, ``xlsx``, ``xls`` or ``ods``.

    ``encoding`` is the text encoding of a CSV file (None for a workbook);
    ``sheet`` the workbook sheet read (None for CSV).
    """

    format: str
    encoding: str | None = None
    sheet: str | None = None

    def describe(self) -> str:
        """What was read, for people to check: "sheet 'Bestellzeilen' of the XLSX workbook"."""
        if self.sheet is None:
            return f"a CSV file in {self.encoding}"
        return f"sheet {self.sheet[:40]!r} of the {self.format.upper()} workbook"

    def where(self, position: int) -> str:
        """A row's position in words: "line 4" or "row 4 of sheet 'Orders'"."""
        if self.sheet is None:
            return f"line {position}"
        # A sheet's name is the organizer's, not an attendee's.
        return f"row {position} of sheet {self.sheet[:40]!r}"


class Table:
    """A header and data rows of strings; `rows()` starts a new pass each call.

    An empty input is refused on construction, and one without a data row by
    `require_rows`: screening it would print "0 of 0 screened", which reads
    like a clean result.
    """

    def __init__(
        self, origin: TableOrigin, passes: Callable[[], Iterator[tuple[int, list[str]]]]
    ) -> None:
        self.origin = origin
        self._passes = passes
        first = next(passes(), None)
        if first is None or not any(any(c.strip() for c in cells) for _, cells in passes()):
            raise EmptyInput("the file is empty; it needs a header line and one row per person")
        self.header_position, header = first
        self.header = tuple(header)

    def require_rows(self) -> None:
        """Refuse a table without a data row (a header alone)."""
        if not any(any(cell.strip() for cell in cells) for _, cells in self.rows()):
            raise EmptyInput(
                "the file has a header line but no data rows; nothing would be screened, so "
                "export the list again with its people in it"
            )

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The data rows as (position, cells); empty cells past the header's width are dropped."""
        width = len(self.header)
        rows = self._passes()
        next(rows, None)  # the header
        for position, cells in rows:
            if len(cells) > width and not any(cell.strip() for cell in cells[width:]):
                cells = cells[:width]
            yield position, cells


def open_table(handle: IO[bytes], options: TableOptions = TableOptions()) -> Table:
    """The table in *handle* (a seekable binary file), whatever it holds."""
    sniffed = _sniff(handle, options.encoding)
    if isinstance(sniffed, str):
        return _sheet_table(handle, sniffed, options.sheet)
    codec, text_sample = sniffed
    if _looks_like_json(text_sample):
        raise InputError(
            "this is a JSON document, not a table; read it with read_input (as screen does) "
            "or read_json"
        )
    dialect = _dialect(text_sample)
    origin = TableOrigin("csv", encoding=codecs.lookup(codec).name)
    return Table(origin, lambda: _csv_rows(handle, codec, dialect))


def json_text(handle: IO[bytes], encoding: str | None = None) -> str | None:
    """The text of *handle* if it holds a JSON document (not a table), else None.

    The one place that tells a JSON document from a table (`open_table`
    refuses what this accepts): a workbook or container is no JSON, and the
    text encoding is found as for a CSV file.  The handle is left at 0.
    """
    sniffed = _sniff(handle, encoding)
    if isinstance(sniffed, str) or not _looks_like_json(sniffed[1]):
        return None
    codec = sniffed[0]
    try:
        return codecs.decode(handle.read(), codec)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the JSON document is not valid {codecs.lookup(codec).name} "
            f"(byte {exc.start + 1}); export it again"
        ) from None
    finally:
        handle.seek(0)


def _sniff(handle: IO[bytes], encoding: str | None) -> str | tuple[str, str]:
    """A workbook's format, or a text file's codec and decoded sample; else refused.

    What `open_table` and `json_text` both need to know first: other
    containers and undecodable text are refused here.  The handle is left at 0.
    """
    try:
        sample = handle.read(_SNIFF_BYTES)
        handle.seek(0)
    except (io.UnsupportedOperation, OSError):
        raise InputError("the input must be a regular, seekable file") from None
    workbook = _workbook_format(sample, handle)
    if workbook is not None:
        return workbook
    _refuse_containers(sample)
    codec = text_encoding(sample, encoding)
    return codec, sample_text(sample, codec)


# ---------------------------------------------------------------------------
# what the bytes are


def _workbook_format(sample: bytes, handle: IO[bytes]) -> str | None:
    """``xlsx``, ``xls`` or ``ods`` for a workbook; None for anything else."""
    if sample.startswith(_OLE2):
        return "xls"
    if not sample.startswith(b"PK\x03\x04"):
        return None
    if sample[30:].startswith(_ODS_MIMETYPE):
        return "ods"
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        # NotImplementedError: a "version needed" or compression zipfile
        # does not know; RuntimeError: an encrypted member.
        raise InputError(
            "this is a damaged or truncated zip file (as XLSX and ODS files are); export it again"
        ) from None
    finally:
        handle.seek(0)
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        return "ods"
    what = "a Word document" if "word/document.xml" in names else "a zip archive"
    raise InputError(
        f"this is {what}, not a spreadsheet or CSV file; give the CSV, XLSX or ODS file itself"
    )


_CONTAINERS: Final = (
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file; unpack it first"),
    (b"BZh", "a bzip2-compressed file; unpack it first"),
    (b"\xfd7zXZ\x00", "an xz-compressed file; unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


def _refuse_containers(sample: bytes) -> None:
    """Refuse, naming it, any input that is not a table of text."""
    claimed = claimed_type(sample)
    if claimed is not None:
        name = FILE_TYPE_NAMES.get(claimed[1], claimed[1].replace("-", " "))[:40]
        raise InputError(
            f"this is a coc-hashscreen {name}, not an attendee list; give the CSV or "
            "spreadsheet exported from your registration system"
        )
    for magic, what in _CONTAINERS:
        if sample.startswith(magic):
            raise InputError(f"this is {what}, not a CSV file or spreadsheet")
    head = sample.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:512].lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<table" in head:
        raise InputError(
            "this is a web page (HTML), not a spreadsheet, as some 'Excel' exports are; open "
            f"it in a spreadsheet program and {SAVE_AS}"
        )
    if head.startswith(b"<?xml"):
        raise InputError(f"this is an XML file, not a CSV file or spreadsheet; {SAVE_AS}")
    if b'"coc-hashscreen ' in sample[:4096] and sample.lstrip().startswith(b"{"):
        raise InputError("this is a coc-hashscreen key file, not an attendee list")


def _looks_like_json(text: str) -> bool:
    """A JSON document or JSON Lines: an object or array of values, not a header line."""
    return _JSON_START.match(text) is not None


# ---------------------------------------------------------------------------
# CSV


def _dialect(sample: str) -> type[csv.Dialect]:
    """RFC 4180 quoting, strict, with the separator found by `_separator`.

    Spaces after a separator are skipped, so ``a, "b, c"`` is two cells
    (cells are stripped anyway).
    """

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = _separator(sample)
    Dialect.skipinitialspace = True
    # Strict: a stray opening quote would otherwise make one cell of every
    # line up to the next quote, or to the end, and screen none of them.
    Dialect.strict = True
    return Dialect


_SEPARATORS: Final = ",;\t|"
_QUOTED: Final = re.compile(r'"[^"]*"')


def _separator(sample: str) -> str:
    """The separator of a CSV sample, from its header line and the lines below it.

    Candidates are the separators the header line uses (quoted text left
    out, even across lines), not counting a comma or semicolon followed by a
    space, which is punctuation in a question ("Dietary needs (vegan,
    vegetarian)") unless nothing else separates the headers.  Among them,
    the one most data lines use exactly as often as the header wins, then
    the one the header uses most.  Python's sniffer wanted the same count
    on every line, so it gave up on files whose rows leave out their
    trailing empty cells (Excel's semicolon CSV, UTF-16 "Unicode Text").
    Never the quote character: an apostrophe in "Robert 'Bob' Smith" stays
    in the name.
    """
    unquoted = _QUOTED.sub("", sample)
    lines = [line for line in LINE_END.split(unquoted)[:50] if line.strip()]
    if not lines:
        return ","
    header, data = lines[0], lines[1:]
    counts = {sep: _bare_count(header, sep) for sep in _SEPARATORS}
    if not any(counts.values()):
        counts = {sep: header.count(sep) for sep in _SEPARATORS}
    candidates = [sep for sep in _SEPARATORS if counts[sep]]
    if not candidates:
        return ","
    return max(
        candidates,
        key=lambda sep: (sum(_bare_count(line, sep) == counts[sep] for line in data), counts[sep]),
    )


def _bare_count(line: str, sep: str) -> int:
    """How often *sep* occurs in *line*, not counting ", " and "; " (punctuation)."""
    if sep in ",;":
        return line.count(sep) - line.count(sep + " ")
    return line.count(sep)


def _text_lines(handle: IO[bytes], encoding: str) -> Iterator[str]:
    """Lines with their ends (CR, LF or CRLF), decoded strictly.

    Each read seeks to where this pass left off, so passes may interleave
    (a count in the middle of screening).
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    offset, number = 0, 1
    parts: list[str] = []  # an unfinished line, joined only once it ends
    while True:
        handle.seek(offset)
        chunk = handle.read(_CHUNK)
        offset += len(chunk)
        try:
            new = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise undecodable(chunk, exc.start, encoding, number, "".join(parts)) from None
        if chunk and not _ends_a_line(parts, new):
            parts.append(new)
        else:
            text = "".join(parts) + new
            start = 0
            for match in LINE_END.finditer(text):
                number += 1
                yield text[start : match.end()]
                start = match.end()
            parts = [text[start:]]
        if sum(len(part) for part in parts) > _MAX_LINE:
            raise InputError(f"line {number} is longer than {_MAX_LINE:,} characters; is it CSV?")
        if not chunk:
            if parts[0]:
                yield parts[0]
            return


def _ends_a_line(parts: list[str], new: str) -> bool:
    """Whether *new* ends a line (or may: a held-back CR before an LF)."""
    return (
        LINE_END.search(new) is not None
        or new.startswith("\n")
        or bool(parts and parts[-1].endswith("\r"))
    )


def _csv_rows(
    handle: IO[bytes], encoding: str, dialect: type[csv.Dialect]
) -> Iterator[tuple[int, list[str]]]:
    """Every row (the header too) with the line it starts on.

    Read strictly, so a stray quote is an error rather than a cell running
    on to the next quote; but a one-line row whose only fault is a space
    after a closing quote (``"Ann Other" ,ann@example.org``, from a hand-
    edited file) is read as a lenient reader reads it.
    """
    recent: list[str] = []  # the lines of the row being read

    def lines() -> Iterator[str]:
        for line in _text_lines(handle, encoding):
            recent.append(line)
            yield line

    reader = csv.reader(lines(), dialect)
    while True:
        start = reader.line_num + 1
        recent.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if reader.line_num != start or "end of data" in str(exc):
                raise _quote_error(exc, start, reader.line_num) from None
            row = _lenient_row(recent, dialect, exc, start)
        yield start, row


def _lenient_row(
    lines: list[str], dialect: type[csv.Dialect], exc: csv.Error, start: int
) -> list[str]:
    """A one-line row read leniently, if its only fault is text after a closing quote.

    Only spaces may follow a closing quote: ``"Ann" Smith`` stays an error.
    """
    line = "".join(lines)
    if re.search(r'"[ \t]+[^ \t\r\n' + re.escape(dialect.delimiter) + r"]", line):
        raise _quote_error(exc, start, start)

    class Lenient(dialect):  # type: ignore[valid-type,misc]
        strict = False

    return next(csv.reader([line], Lenient), [])


def _quote_error(exc: csv.Error, start: int, end: int) -> InputError:
    """A CSV error in words: where a quoted cell starts and where reading gave up."""
    if "end of data" in str(exc):
        return InputError(
            f"a quoted cell starting on line {start} is never closed (a stray quote?); the "
            "rest of the file would be one cell, so check the quotes on that line"
        )
    if "field larger" in str(exc):
        return InputError(
            f"a cell starting on line {start} is longer than {csv.field_size_limit():,} "
            "characters (a stray quote?); check the quotes on that line"
        )
    if end > start:
        return InputError(
            f"a quoted cell starting on line {start} runs to line {end} and is followed by "
            "more text there (a stray quote?); check the quotes on those lines"
        )
    return InputError(f"line {start} is not valid CSV ({exc}); check its quotes")


# ---------------------------------------------------------------------------
# workbooks


def _sheet_table(handle: IO[bytes], fmt: str, wanted: str | None) -> Table:
    try:
        with native_stderr_silenced():
            book = python_calamine.CalamineWorkbook.from_filelike(handle)
            name = _choose_sheet(book, wanted)
            sheet = book.get_sheet_by_name(name)
            first_row = sheet.start[0] if sheet.start else 0
            cells = sheet.to_python(skip_empty_area=True)
    except InputError:
        raise
    except python_calamine.PasswordError:
        raise InputError(
            f"the {fmt.upper()} workbook is password-protected; save a copy without a password"
        ) from None
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException:
        # calamine's own errors, and a panic in its Rust code (a
        # BaseException): a damaged or hostile file is one line, not a crash.
        # An encrypted XLSX is an OLE2 file too, so it lands here as "XLS".
        why = (
            "damaged, password-protected, or another Office document"
            if fmt == "xls"
            else ("damaged, or not a workbook")
        )
        raise InputError(
            f"this {fmt.upper()} file could not be read ({why}); open it in a spreadsheet "
            f"program and {SAVE_AS}"
        ) from None
    rows = [(first_row + i + 1, [cell_text(value) for value in row]) for i, row in enumerate(cells)]
    return Table(TableOrigin(fmt, sheet=name), lambda: iter(rows))


def _choose_sheet(book: python_calamine.CalamineWorkbook, wanted: str | None) -> str:
    names = list(book.sheet_names)
    if wanted is not None:
        if wanted in names:
            return wanted
        listed = ", ".join(repr(n[:40]) for n in names)
        raise InputError(f"the workbook has no sheet named {wanted[:40]!r}; its sheets: {listed}")
    for name in names:
        if name in _POSITIONS_SHEETS:
            return name
    # The sheet whose header names the most kinds of attendee identifier
    # (then of any identifier), the first of equals: Sessionize's sessions
    # sheet names its speakers, but its speakers sheet has their e-mails and
    # handles too.  pretix's orders sheet is never chosen by its columns.
    # With nothing recognized, the first such sheet, where the column
    # detection says what to do (--column, or --sheet); but never pretix's
    # orders sheet in place of its positions.
    candidates = [name for name in names if name not in _ORDERS_SHEETS]
    best, most = (candidates[0] if candidates else ""), (0, 0)
    for name in candidates:
        header = next(iter(book.get_sheet_by_name(name).to_python(nrows=1)), [])
        score = _sheet_score([cell_text(value) for value in header])
        if score > most:
            best, most = name, score
    if most == (0, 0) and len(candidates) < len(names):
        raise InputError(
            "the only sheet with names is pretix's orders sheet, whose names and e-mails are "
            "the buyers', not the attendees'; export the order data with its order positions "
            "sheet, or pass --sheet to screen the buyers"
        )
    return best


def _sheet_score(header: list[str]) -> tuple[int, int]:
    """(kinds of attendee identifier, kinds of any) a header line names."""
    order_emails = pretix_order_emails(header)
    found = set()
    for i, text in enumerate(header):
        kind = kind_of(text)
        if kind is not None:
            found.add((kind[0], kind[1] or i in order_emails))
    return len({kind for kind, order in found if not order}), len(found)


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees: 1.0 as "1", a date as 2024-05-01."""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float):
        # An id or phone number typed as a number comes back as a float.
        text = str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    elif isinstance(value, datetime.datetime) and value.time() == datetime.time():
        text = value.date().isoformat()
    elif isinstance(value, datetime.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, datetime.date | datetime.time):
        text = value.isoformat()
    else:
        text = "" if value is None else str(value)
    return text
