"""Attendee and speaker lists from CSV files.

UTF-8 with or without a byte-order mark; comma, semicolon, tab or pipe
separated (detected).  Columns are detected from their headers, including
the attendee exports of pretix, Eventbrite and Tito, and an explicit mapping
(``KIND=HEADER``) overrides detection for the kinds it names.  Files are read
as a stream, so a million-row export is never held in memory.

Errors name the line and never quote a cell, not even a header: cells are
attendee data, and in a file without a header line the first line is an
attendee too.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Final

from ..core import Closing
from ..errors import InputError
from ._headers import COLUMN_KINDS, kind_of, normalize_header
from ._records import ScreenRecord

__all__ = ["Column", "ColumnPlan", "CsvSource", "detect_columns", "read_csv"]

_SNIFF_BYTES: Final = 64 * 1024


@dataclass(frozen=True)
class Column:
    """A column used for screening: its position, header, and the kind it holds.

    ``fallback`` columns are order-level (the buyer's or invoice address's
    name and e-mail): screened for every row, and a hit through one is
    reported as the order's contact, never as the attendee.
    """

    index: int
    header: str
    kind: str
    fallback: bool = False


@dataclass(frozen=True)
class ColumnPlan:
    """Which columns hold which kind of identifier."""

    columns: tuple[Column, ...]
    ignored: tuple[str, ...]

    def describe(self) -> list[str]:
        """One line per used column, for people to check the detection."""
        lines = []
        for column in self.columns:
            note = " (order-level: the buyer, not the attendee)" if column.fallback else ""
            lines.append(f"{column.kind:<8} <- {column.header!r}{note}")
        return lines


def detect_columns(
    headers: Sequence[str], explicit: Mapping[str, Sequence[str]] | None = None
) -> ColumnPlan:
    """Map headers to kinds; *explicit* (kind -> headers) replaces detection per kind."""
    explicit = explicit or {}
    columns = _explicit_columns(headers, explicit)
    # Naming a person explicitly replaces every detected name column.
    overridden = set(explicit)
    if overridden & {"name", "given", "family"}:
        overridden |= {"name", "given", "family"}
    taken = {c.index for c in columns}
    for i, header in enumerate(headers):
        found = kind_of(header)
        if found is None or i in taken or found[0] in overridden:
            continue
        columns.append(Column(i, header.strip(), found[0], found[1]))
    _pretix_order_email(columns)
    if not columns:
        # The headers are not quoted: in a file without a header line, the
        # first line is an attendee.
        raise InputError(
            f"no column with names, e-mail addresses or handles was recognized among the "
            f"{len(headers)} column(s) of the first line; the first line must be a header "
            "line (add one if the file has none), or name the columns with --column "
            "KIND=HEADER"
        )
    used = {c.index for c in columns}
    ignored = tuple(h for i, h in enumerate(headers) if i not in used)
    return ColumnPlan(tuple(sorted(columns, key=lambda c: c.index)), ignored)


def _explicit_columns(
    headers: Sequence[str], explicit: Mapping[str, Sequence[str]]
) -> list[Column]:
    """The columns *explicit* names (kind -> headers), each of which must exist."""
    for kind in explicit:
        if kind not in COLUMN_KINDS:
            raise InputError(
                f"unknown column kind {kind[:20]!r}; use one of {', '.join(COLUMN_KINDS)}"
            )
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        positions.setdefault(header.strip(), i)
    columns: list[Column] = []
    for kind, wanted in explicit.items():
        for header in wanted:
            if header.strip() not in positions:
                # The header asked for is the caller's; the file's are not quoted.
                raise InputError(
                    f"no column headed {header[:60]!r} for {kind} among the "
                    f"{len(headers)} column(s) of the first line; check its spelling "
                    "against the file's header line"
                )
            columns.append(Column(positions[header.strip()], header.strip(), kind))
    return columns


def _pretix_order_email(columns: list[Column]) -> None:
    """Beside an "Attendee email" column, a plain "Email" is the order's (pretix).

    In other exports (Eventbrite) a plain "Email" is the attendee's own.
    """
    if any(normalize_header(c.header) == "attendee email" for c in columns):
        for i, column in enumerate(columns):
            if column.kind == "email" and normalize_header(column.header) == "email":
                columns[i] = Column(column.index, column.header, "email", fallback=True)


def _split(kind: str, cell: str) -> list[str]:
    cell = cell.strip()
    if not cell:
        return []
    if kind == "name" or kind in ("given", "family"):
        return [cell]
    # Addresses and handles hold no spaces, commas or semicolons.
    return [part for part in re.split(r"[\s,;]+", cell) if part]


def _decoded_lines(handle: IO[bytes]) -> Iterator[str]:
    for number, raw in enumerate(handle, start=1):
        line = raw[3:] if number == 1 and raw.startswith(b"\xef\xbb\xbf") else raw
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"line {number} is not valid UTF-8 (byte {exc.start + 1}); save the file "
                "as CSV UTF-8"
            ) from None


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


class CsvSource(Closing):
    """An open CSV list: its column plan, and its records as a stream.

    A context manager; closing it closes the file it opened.
    """

    def __init__(
        self,
        handle: IO[bytes],
        *,
        owned: bool,
        columns: Mapping[str, Sequence[str]] | None,
        role: str | None,
    ) -> None:
        self._handle = handle
        self._owned = owned
        self.role = role
        try:
            self._open(columns)
        except BaseException:
            self.close()
            raise

    def _open(self, columns: Mapping[str, Sequence[str]] | None) -> None:
        try:
            sample = self._handle.read(_SNIFF_BYTES)
            self._handle.seek(0)
        except (io.UnsupportedOperation, OSError):
            raise InputError("the CSV input must be a regular, seekable file") from None
        text_sample = sample.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
        self._reader = csv.reader(_decoded_lines(self._handle), _dialect(text_sample))
        self._rows = _checked(self._reader)
        try:
            self.headers = tuple(next(self._rows))
        except StopIteration:
            raise InputError("the CSV file is empty; it needs a header line") from None
        self.plan = detect_columns(self.headers, columns)

    def close(self) -> None:
        if self._owned:
            self._handle.close()

    def count(self) -> int:
        """Data rows in the file, for progress; the stream is left where it was."""
        position = self._handle.tell()
        self._handle.seek(0)
        try:
            rows = _checked(csv.reader(_decoded_lines(self._handle), self._reader.dialect))
            next(rows, None)  # the header
            return sum(1 for row in rows if any(cell.strip() for cell in row))
        finally:
            self._handle.seek(position)

    def rows(self) -> Iterator[list[str]]:
        """The data rows as cells, blank ones included, read afresh from the start
        (for writing the input back with results, `annotate_csv`)."""
        self._handle.seek(0)
        rows = _checked(csv.reader(_decoded_lines(self._handle), self._reader.dialect))
        next(rows, None)  # the header
        yield from rows

    def records(self, *, keep: Sequence[str] = ()) -> Iterator[ScreenRecord]:
        """The rows as records; ``ref`` holds the data row number, line and role.

        ``line`` is the physical line the row starts on (a quoted cell can
        span lines).  *keep* names headers whose cells are passed through
        into ``ref`` under their header, e.g. an order code for the report.
        """
        width = len(self.headers)
        kept = _kept_columns(self.headers, keep)
        end = self._reader.line_num
        for row_number, cells in enumerate(self._rows, start=1):
            line, end = end + 1, self._reader.line_num
            if len(cells) > width:
                raise InputError(
                    f"line {end} has {len(cells)} fields but the header has {width}; check "
                    "for an unquoted separator in a cell"
                )
            if not any(cell.strip() for cell in cells):
                continue  # a blank line keeps its row number but is no record
            ref: dict[str, object] = {"row": row_number, "line": line}
            if self.role:
                ref["role"] = self.role
            ref.update((header, cells[i] if i < len(cells) else "") for header, i in kept)
            yield ScreenRecord.from_found(_values(cells, self.plan.columns), ref=ref)


def _kept_columns(headers: Sequence[str], keep: Sequence[str]) -> list[tuple[str, int]]:
    """(header, position) of each header in *keep*, which must exist."""
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        positions.setdefault(header.strip(), i)
    kept: list[tuple[str, int]] = []
    for header in keep:
        if header.strip() not in positions:
            # The header asked for is the caller's; the file's are not quoted.
            raise InputError(
                f"no column headed {header[:60]!r} to keep among the {len(headers)} "
                "column(s) of the first line; check its spelling against the file's header line"
            )
        kept.append((header.strip(), positions[header.strip()]))
    return kept


def _values(cells: list[str], columns: Sequence[Column]) -> list[tuple[str, bool, list[str]]]:
    """The identifier values of one row: (kind, is_order_level, values) per column."""
    return [
        (c.kind, c.fallback, _split(c.kind, cells[c.index] if c.index < len(cells) else ""))
        for c in columns
    ]


def read_csv(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    columns: Mapping[str, Sequence[str]] | None = None,
    role: str | None = None,
) -> CsvSource:
    """Open a CSV list for screening; pass its `records()` to `Screener.screen`.

    *columns* maps kinds (``name``, ``given``, ``family``, ``email``,
    ``github``, ``twitter``, ``mastodon``) to headers and overrides detection
    for those kinds.  *role* ("attendee", "speaker", ...) is passed through
    with every record.  Use the result as a context manager.
    """
    if isinstance(source, str | os.PathLike):
        return CsvSource(open(source, "rb"), owned=True, columns=columns, role=role)
    return CsvSource(source, owned=False, columns=columns, role=role)


def _checked(reader: Iterable[list[str]]) -> Iterator[list[str]]:
    iterator = iter(reader)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except csv.Error as exc:
            line = getattr(reader, "line_num", "?")
            raise InputError(f"line {line} is not valid CSV ({exc}); check its quotes") from None
        yield row
