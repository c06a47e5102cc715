"""Attendee and speaker lists from CSV files and workbooks.

The file is read as a table by `_tables` (CSV in UTF-8 or UTF-16, comma,
semicolon, tab or pipe separated; XLSX, XLS, ODS).  Columns are detected
from their headers, including the attendee exports of pretix, Eventbrite
and Tito, and an explicit mapping (``KIND=HEADER``) overrides detection for
the kinds it names.  CSV files are read as a stream, so a million-row
export is never held in memory.

Errors name the line and never quote a cell, not even a header: cells are
attendee data, and in a file without a header line the first line is an
attendee too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO

from ..core import Closing
from ..errors import InputError
from ._headers import COLUMN_KINDS, combine, kind_of, normalize_header
from ._records import ScreenRecord
from ._tables import TableOptions, TableOrigin, open_table

__all__ = ["Column", "ColumnPlan", "CsvSource", "detect_columns", "read_csv", "read_table"]


@dataclass(frozen=True)
class Column:
    """A column used for screening: its position, header, and the kind it holds.

    ``fallback`` columns (order-level names and e-mails) are used for a row
    only when its attendee-level cells of that kind are empty.
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
            note = " (when the attendee's own is empty)" if column.fallback else ""
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


class CsvSource(Closing):
    """An open attendee list: its column plan, and its records as a stream.

    Reads CSV files and XLSX, XLS and ODS workbooks (`open_table`).  A
    context manager; closing it closes the file it opened.
    """

    def __init__(
        self,
        handle: IO[bytes],
        *,
        owned: bool,
        columns: Mapping[str, Sequence[str]] | None,
        role: str | None,
        options: TableOptions = TableOptions(),
    ) -> None:
        self._handle = handle
        self._owned = owned
        self.role = role
        try:
            self._open(columns, options)
        except BaseException:
            self.close()
            raise

    def _open(self, columns: Mapping[str, Sequence[str]] | None, options: TableOptions) -> None:
        self._table = open_table(self._handle, options)
        self.headers = self._table.header
        self.plan = detect_columns(self.headers, columns)
        # After the columns: a header line that is really an attendee is
        # reported as such, not as an empty list.
        self._table.require_rows()

    @property
    def origin(self) -> TableOrigin:
        """What was read: CSV (and its encoding) or a workbook (and its sheet)."""
        return self._table.origin

    def close(self) -> None:
        if self._owned:
            self._handle.close()

    def count(self) -> int:
        """Data rows in the file, for progress; a stream under way is not disturbed."""
        return sum(1 for _, cells in self._table.rows() if any(cell.strip() for cell in cells))

    def records(self) -> Iterator[ScreenRecord]:
        """The rows as records; ``ref`` holds the data row number, line and role."""
        width = len(self.headers)
        for row_number, (line, cells) in enumerate(self._table.rows(), start=1):
            if len(cells) > width:
                raise InputError(
                    f"{self.origin.where(line)} has {len(cells)} fields but the header has "
                    f"{width}; check for an unquoted separator in a cell"
                )
            if not any(cell.strip() for cell in cells):
                continue  # a blank line keeps its row number but is no record
            ref: dict[str, object] = {"row": row_number, "line": line}
            if self.role:
                ref["role"] = self.role
            yield ScreenRecord.from_kinds(_values(cells, self.plan.columns), ref=ref)


def _values(cells: list[str], columns: Sequence[Column]) -> dict[str, list[str]]:
    """The identifier values of one row, per kind."""
    return combine(
        (c.kind, c.fallback, _split(c.kind, cells[c.index] if c.index < len(cells) else ""))
        for c in columns
    )


def read_table(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    columns: Mapping[str, Sequence[str]] | None = None,
    role: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
) -> CsvSource:
    """Open an attendee list (CSV, XLSX, XLS or ODS); pass its `records()` to `Screener.screen`.

    *columns* maps kinds (``name``, ``given``, ``family``, ``email``,
    ``github``, ``twitter``, ``mastodon``) to headers and overrides detection
    for those kinds.  *role* ("attendee", "speaker", ...) is passed through
    with every record.  *sheet* names a workbook's sheet (default: pretix's
    "Order positions", else the first with a recognized column); *encoding*
    names a CSV file's legacy encoding (``cp1252``, ``mac_roman``), which is
    never guessed.  Use the result as a context manager.
    """
    options = TableOptions(sheet=sheet, encoding=encoding)
    if isinstance(source, str | os.PathLike):
        handle = open(source, "rb")  # noqa: SIM115 - closed by the CsvSource
        return CsvSource(handle, owned=True, columns=columns, role=role, options=options)
    return CsvSource(source, owned=False, columns=columns, role=role, options=options)


def read_csv(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    columns: Mapping[str, Sequence[str]] | None = None,
    role: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
) -> CsvSource:
    """`read_table` under its first name: it reads workbooks too."""
    return read_table(source, columns=columns, role=role, sheet=sheet, encoding=encoding)
