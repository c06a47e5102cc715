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
import contextlib
import csv
import datetime
import io
import os
import re
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Final

import python_calamine

from ..errors import EmptyInput, InputError
from ..formats import FILE_TYPE_NAMES, claimed_type
from . import _pretix_headers as pretix
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

_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIMETYPE: Final = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
# A line end; a CR at the end of a chunk waits for the next (it may be CRLF).
_LINE_END: Final = re.compile(r"\r\n|\r(?!\Z)|\n")
_MAX_LINE: Final = 16 * 2**20
_JSON_START: Final = re.compile(r'\s*(?:\{\s*["}]|\[\s*(?:[\[{"\]]|-?\d|true|false|null))')
_SAVE_AS: Final = "save it as 'CSV UTF-8' or XLSX"


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
    try:
        sample = handle.read(_SNIFF_BYTES)
        handle.seek(0)
    except (io.UnsupportedOperation, OSError):
        raise InputError("the input must be a regular, seekable file") from None
    workbook = _workbook_format(sample, handle)
    if workbook is not None:
        return _sheet_table(handle, workbook, options.sheet)
    _refuse_containers(sample)
    text_encoding = _text_encoding(sample, options.encoding)
    text_sample = _sample_text(sample, text_encoding)
    if _looks_like_json(text_sample):
        raise _json_in_table()
    dialect = _dialect(text_sample)
    origin = TableOrigin("csv", encoding=codecs.lookup(text_encoding).name)
    return Table(origin, lambda: _csv_rows(handle, text_encoding, dialect))


def _json_in_table() -> InputError:
    return InputError(
        "this is a JSON document, not a table; read it with read_input (as screen does) or "
        "read_json"
    )


def json_text(handle: IO[bytes], encoding: str | None = None) -> str | None:
    """The text of *handle* if it holds a JSON document (not a table), else None.

    The one place that tells a JSON document from a table (`open_table`
    refuses what this accepts): a workbook or container is no JSON, and the
    text encoding is found as for a CSV file.  The handle is left at 0.
    """
    try:
        sample = handle.read(_SNIFF_BYTES)
        handle.seek(0)
    except (io.UnsupportedOperation, OSError):
        raise InputError("the input must be a regular, seekable file") from None
    if _workbook_format(sample, handle) is not None:
        return None
    _refuse_containers(sample)
    text_encoding = _text_encoding(sample, encoding)
    if not _looks_like_json(_sample_text(sample, text_encoding)):
        return None
    try:
        return codecs.decode(handle.read(), text_encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"the JSON document is not valid {codecs.lookup(text_encoding).name} "
            f"(byte {exc.start + 1}); export it again"
        ) from None
    finally:
        handle.seek(0)


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
            f"it in a spreadsheet program and {_SAVE_AS}"
        )
    if head.startswith(b"<?xml"):
        raise InputError(f"this is an XML file, not a CSV file or spreadsheet; {_SAVE_AS}")
    if b'"coc-hashscreen ' in sample[:4096] and sample.lstrip().startswith(b"{"):
        raise InputError("this is a coc-hashscreen key file, not an attendee list")


def _looks_like_json(text: str) -> bool:
    """A JSON document or JSON Lines: an object or array of values, not a header line."""
    return _JSON_START.match(text) is not None


# ---------------------------------------------------------------------------
# encodings


def _text_encoding(sample: bytes, named: str | None) -> str:
    """The codec to read *sample*'s file with, or an error saying what it looks like."""
    bom = next((codec for mark, codec in _BOMS if sample.startswith(mark)), None)
    if named is not None:
        return _named_encoding(sample, named, bom)
    if bom is not None:
        return bom
    if b"\x00" in sample:
        raise InputError(_binary_advice(sample))
    if not sample.isascii():
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        except UnicodeDecodeError as exc:
            raise _undecodable(sample, exc.start, "utf-8") from None
    return "utf-8"


_NAMES: Final = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
    "mac-roman": "MacRoman",
    "iso8859-1": "Latin-1",
}


def _undecodable(
    data: bytes, bad: int, encoding: str, first_line: int = 1, before: str = ""
) -> InputError:
    """The error for bytes *encoding* cannot decode at *bad*: the line, and what to do."""
    text = before + data[: max(bad, 0)].decode(encoding, errors="replace")
    line = first_line + len(_LINE_END.findall(text))
    name = _NAMES.get(codecs.lookup(encoding).name, encoding)
    if name.startswith("UTF"):
        return InputError(f"line {line} is not valid {name}: {legacy_advice(data)}")
    return InputError(
        f"line {line} is not valid {name}; check --encoding (Excel's 'CSV' is cp1252 on "
        "Windows, mac_roman on a Mac), or save the file as 'CSV UTF-8'"
    )


def _named_encoding(sample: bytes, named: str, bom: str | None) -> str:
    try:
        info = codecs.lookup(named)
    except LookupError:
        raise InputError(
            f"unknown encoding {named[:30]!r}; use e.g. cp1252, mac_roman, latin-1 or utf-8"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(f"{named[:30]!r} is not a text encoding; use e.g. cp1252 or mac_roman")
    if bom is not None:
        if _family(info.name) != _family(bom):
            raise InputError(
                f"the file starts with a {codecs.lookup(bom).name} byte-order mark, so it is not "
                f"{info.name}; leave out --encoding"
            )
        return bom
    if not sample.isascii() and _is_single_byte(info.name):
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        except UnicodeDecodeError:
            return info.name
        # Valid UTF-8 with non-ASCII read as a legacy encoding would turn
        # every accented letter into two wrong ones.
        raise InputError(f"the file is UTF-8, not {info.name}; leave out --encoding")
    return info.name


def _family(codec: str) -> tuple[str, ...]:
    """ "utf-16-le", "utf-16" and "UTF16" are one family; so are "utf-8" and "utf-8-sig"."""
    return tuple(codecs.lookup(codec).name.split("-")[:2])


def _is_single_byte(codec: str) -> bool:
    return len("é".encode(codec, errors="replace")) == 1


def _binary_advice(sample: bytes) -> str:
    even, odd = sample[0::2], sample[1::2]
    if even and odd and (odd.count(0) > len(odd) // 2 or even.count(0) > len(even) // 2):
        return (
            "this looks like UTF-16 text without a byte-order mark; save it as 'CSV UTF-8' "
            "or as Unicode Text"
        )
    return f"this is a binary file, not a CSV file or spreadsheet; {_SAVE_AS}"


# Punctuation that Windows-1252 puts in 0x80-0x9F and text often has.
_PUNCTUATION: Final = frozenset("‘’‚“”„–—…€•·«»°´¨ˆ˜™")


def legacy_advice(data: bytes) -> str:
    """What non-UTF-8 text looks like, and what to do: one clause, quoting nothing."""
    if _plausibility(data, "mac_roman") > _plausibility(data, "cp1252"):
        return (
            "this looks like MacRoman text, Excel's 'CSV' on a Mac; save it as 'CSV UTF-8' or "
            "pass --encoding mac_roman"
        )
    has_c1 = any(0x80 <= b <= 0x9F for b in data)
    name = "Windows-1252" if has_c1 else "Windows-1252 or Latin-1"
    return (
        f"this looks like {name} text, Excel's 'CSV' on Windows; save it as 'CSV UTF-8' or "
        "pass --encoding cp1252"
    )


def _plausibility(data: bytes, codec: str) -> int:
    """How many non-ASCII characters read as *codec* fit where they stand.

    A lower-case letter or common punctuation fits; an upper-case letter fits
    at the start of a word or in an all-capitals word ("JosŽ" and "MŸller"
    are MacRoman read as Windows-1252).  Undecodable bytes count against.
    """
    text = f" {data.decode(codec, errors='replace')} "
    return sum(
        1 if _fits(text[i - 1], char, text[i + 1]) else -1
        for i, char in enumerate(text)
        if not char.isascii()
    )


def _fits(before: str, char: str, after: str) -> bool:
    if char == "\ufffd" or not (char.isalpha() or char in _PUNCTUATION):
        return False
    # An upper-case letter after a lower-case one, or inside a lower-case word.
    return not (char.isupper() and (before.islower() or (before.isalpha() and after.islower())))


def _sample_text(sample: bytes, encoding: str) -> str:
    return codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)


# ---------------------------------------------------------------------------
# CSV


def _dialect(sample: str) -> type[csv.Dialect]:
    """RFC 4180 quoting, with the separator detected from the sample.

    Only the separator is sniffed: the sniffer can take an apostrophe in a
    name ("Robert 'Bob' Smith") for the quote character, which would split
    quoted cells and move e-mail addresses out of their column.  Spaces
    after a separator are skipped, so ``a, "b, c"`` is two cells (cells are
    stripped anyway).
    """
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    Dialect.skipinitialspace = True
    return Dialect


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
            raise _undecodable(chunk, exc.start, encoding, number, "".join(parts)) from None
        if chunk and not _ends_a_line(parts, new):
            parts.append(new)
        else:
            text = "".join(parts) + new
            start = 0
            for match in _LINE_END.finditer(text):
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
        _LINE_END.search(new) is not None
        or new.startswith("\n")
        or bool(parts and parts[-1].endswith("\r"))
    )


def _csv_rows(
    handle: IO[bytes], encoding: str, dialect: type[csv.Dialect]
) -> Iterator[tuple[int, list[str]]]:
    """Every row (the header too) with the line it starts on."""
    reader = csv.reader(_text_lines(handle, encoding), dialect)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(
                f"line {reader.line_num} is not valid CSV ({exc}); check its quotes"
            ) from None
        yield start, row


# ---------------------------------------------------------------------------
# workbooks


def _sheet_table(handle: IO[bytes], fmt: str, wanted: str | None) -> Table:
    try:
        with _native_stderr_silenced():
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
            f"program and {_SAVE_AS}"
        ) from None
    rows = [(first_row + i + 1, [cell_text(value) for value in row]) for i, row in enumerate(cells)]
    return Table(TableOrigin(fmt, sheet=name), lambda: iter(rows))


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Standard error closed to native code while calamine reads.

    A panic in calamine's Rust code (a truncated XLS) prints its message,
    and with RUST_BACKTRACE a backtrace, straight to file descriptor 2
    before Python sees the exception; the exception becomes our one line,
    and the panic's text must not come before it.
    """
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 to protect
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


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
    # With nothing recognized, the first sheet, where the column detection
    # says what to do (--column, or --sheet).
    best, most = (names[0] if names else ""), (0, 0)
    for name in names:
        if name in _ORDERS_SHEETS:
            continue
        header = next(iter(book.get_sheet_by_name(name).to_python(nrows=1)), [])
        score = _sheet_score([cell_text(value) for value in header])
        if score > most:
            best, most = name, score
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
