"""Attendee and speaker lists from CSV files and workbooks.

The file is read as a table by `_tables` (CSV in UTF-8 or UTF-16, comma,
semicolon, tab or pipe separated; XLSX, XLS, ODS).  Columns are detected
from their headers and the first `SAMPLE_ROWS` rows (`detect_columns`),
including the exports of pretix in every language it ships, Eventbrite
and Tito, and an explicit mapping (``KIND=HEADER``) overrides detection
for the kinds it names.  CSV files are read as a stream, so a million-row
export is never held in memory.

Errors name the line and never quote a cell, not even a header: cells are
attendee data, and in a file without a header line the first line is an
attendee too.  A first line holding an address or handle is refused as no
header line; only then do the plan's warnings name headers.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Final

from ..core import Closing, canonical, split_values
from ..errors import InputError, InvalidIdentifier
from ._headers import (
    COLUMN_KINDS,
    HANDLE_KINDS,
    holds_several_names,
    is_placeholder,
    is_yes_no,
    kind_of,
    pretix_order_emails,
    refuse_secret_field,
    services_named,
)
from ._records import ScreenRecord
from ._tables import TableOptions, TableOrigin, open_table

__all__ = [
    "SAMPLE_ROWS",
    "Column",
    "ColumnPlan",
    "CsvSource",
    "detect_columns",
    "read_csv",
    "read_table",
]


@dataclass(frozen=True)
class Column:
    """A column used for screening: its position, header, and the kind it holds.

    ``fallback`` columns are order-level (the buyer's or invoice address's
    name and e-mail): screened for every row, and a hit through one is
    reported as the order's contact, never as the attendee.  A column with
    ``among`` (a "GitHub or Mastodon" question) appears once per kind in it,
    and each value is read as the kinds it fits (`_fitting`).  ``several``
    name columns list several people in a cell, one a line or separated by
    commas (pretalx's "Speaker names").
    """

    index: int
    header: str
    kind: str
    fallback: bool = False
    among: tuple[str, ...] = ()
    several: bool = False


@dataclass(frozen=True)
class ColumnPlan:
    """Which columns hold which kind of identifier, and what a person should check.

    ``warnings`` are one line each, naming headers but never a cell.
    """

    columns: tuple[Column, ...]
    ignored: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def describe(self) -> list[str]:
        """One line per used column, for people to check the detection."""
        lines = []
        for column in self.columns:
            note = " (order-level: the buyer, not the attendee)" if column.fallback else ""
            if column.among:
                note += f" (each value as whichever of {'/'.join(column.among)} it fits)"
            lines.append(f"{column.kind:<8} <- {column.header!r}{note}")
        return lines


# Detection reads the header line and this many data rows after it.
SAMPLE_ROWS: Final = 200


# A first line that holds an e-mail address, a handle or a web address is
# an attendee, not a header line.
_DATA_CELL: Final = re.compile(
    r"[^\s@]+@[^\s@]+\.[^\s@]+|@[\w.-]+(?:@[\w.-]+)?|(?:https?://|www\.)\S+", re.IGNORECASE
)
_LINE_BREAK: Final = re.compile(r"[\r\n]")
_SEPARATOR: Final = re.compile(r"[,;\t|]")
_NTH: Final = re.compile(r"(?P<header>.*\S)\s*#(?P<n>[1-9][0-9]*)")
_NAME_KINDS: Final = frozenset({"name", "given", "family"})


def detect_columns(
    headers: Sequence[str],
    sample_rows: Iterable[Sequence[str]] = (),
    *,
    explicit: Mapping[str, Sequence[str]] | None = None,
    all_rows: Callable[[], Iterable[Sequence[str]]] | None = None,
) -> ColumnPlan:
    """Map headers to kinds, from the header line and a sample of data rows.

    *sample_rows* are the first rows after the header (`SAMPLE_ROWS` of them
    are read by `read_csv`; where they come from does not matter).
    *all_rows*, if given, reads every data row again: a column the sample
    shows to hold only yes/no answers is then judged whole, so answers
    further down that are handles keep it.  *explicit* maps ``KIND``, ``order-KIND``
    or ``ignore`` to headers; a header ``"E-mail#2"`` is the second column
    headed "E-mail".  An explicit kind replaces detection of that kind at
    its level, and a named column is screened whatever its cells hold.
    """
    samples = [list(row) for row in sample_rows]
    _refuse_data_header(headers)
    explicit = explicit or {}
    columns, ignore = _explicit_columns(headers, explicit)
    overridden = _overridden(explicit)
    taken = {c.index for c in columns} | ignore
    order_emails = pretix_order_emails(headers)
    data = [row for row in samples if not repeats_header(headers, row)]
    warnings: list[str] = []
    for i, header in enumerate(headers):
        found = kind_of(header)
        if found is None or i in taken:
            continue
        kind, fallback = found[0], found[1] or i in order_emails
        if (kind, fallback) in overridden:
            continue
        values = _column(data, i)
        why = _not_identifiers(kind, header, values)
        if why == _YES_NO and all_rows is not None:
            rows = (row for row in all_rows() if not repeats_header(headers, row))
            if not all(is_yes_no(value) for value in _column(rows, i)):
                why = None
        if why is not None:
            warnings.append(f"column {_quoted(header)} {why}; it is not screened")
            continue
        columns.extend(_detected(i, header.strip(), kind, fallback))
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
    warnings += _coverage_warnings(columns, ignored)
    return ColumnPlan(tuple(sorted(columns, key=lambda c: c.index)), ignored, tuple(warnings))


def repeats_header(headers: Sequence[str], cells: Sequence[str]) -> bool:
    """Whether a row repeats the header line (two exports pasted together).

    Every non-blank cell equals the header above it; such a row is no person.
    """
    filled = [(i, cell.strip().casefold()) for i, cell in enumerate(cells) if cell.strip()]
    return bool(filled) and all(
        i < len(headers) and headers[i].strip().casefold() == cell for i, cell in filled
    )


def _column(rows: Iterable[Sequence[str]], index: int) -> list[str]:
    """The filled cells of one column, placeholders ("-", "n/a") left out."""
    return [
        cell
        for row in rows
        if index < len(row) and (cell := row[index].strip()) and not is_placeholder(cell)
    ]


_YES_NO: Final = "holds only yes/no answers"


def _not_identifiers(kind: str, header: str, values: Sequence[str]) -> str | None:
    """Why a column whose header names an identifier holds none, or None.

    A column whose every cell repeats its header ("Speaker" ticked
    "Speaker") marks rows.  A column of full names with at most two
    different cells, five or more of them or its header among them, holds
    a category ("Speaker", "Attendee": a header-less file's first line
    read as headers), not people.  A
    handle question answered only yes or no ("Print my Twitter handle on
    my badge") holds choices: judged by the whole column, never a cell at
    a time ("jo" and "x" are handles too), and never for names ("Jo").
    """
    folded = {v.casefold() for v in values}
    if folded == {header.strip().casefold()}:
        return "holds its own header as a value (it marks rows)"
    header_among = header.strip().casefold() in folded
    if kind == "name" and len(folded) <= 2 and (len(values) >= 5 or header_among):
        return f"holds only {len(folded)} different value(s) (a category, not names)"
    if kind in HANDLE_KINDS and values and all(is_yes_no(v) for v in values):
        return _YES_NO
    return None


def _refuse_data_header(headers: Sequence[str]) -> None:
    """A first line that holds an address or handle is an attendee: refused, never quoted."""
    if any(_DATA_CELL.fullmatch(h.strip()) for h in headers):
        raise InputError(
            "the first line holds an e-mail address, a handle or a web address: it is an "
            "attendee, and the first line must be a header line; add one naming the columns "
            "(for example name,email) above it"
        )


def _detected(index: int, header: str, kind: str, fallback: bool) -> list[Column]:
    """One detected column, or one per kind for a "GitHub or Mastodon" question."""
    among = services_named(header)
    if kind in among and len(among) > 1:
        return [Column(index, header, k, fallback, among) for k in among]
    several = kind == "name" and holds_several_names(header)
    return [Column(index, header, kind, fallback, several=several)]


def _overridden(explicit: Mapping[str, Sequence[str]]) -> set[tuple[str, bool]]:
    """(kind, order-level) pairs whose detection *explicit* replaces.

    Naming a person's name (or a part of it) replaces every detected name
    column of that level.
    """
    overridden: set[tuple[str, bool]] = set()
    for key in explicit:
        if key == "ignore":
            continue
        kind = key.removeprefix("order-")
        level = key != kind
        overridden |= {(k, level) for k in (_NAME_KINDS if kind in _NAME_KINDS else {kind})}
    return overridden


def _explicit_columns(
    headers: Sequence[str], explicit: Mapping[str, Sequence[str]]
) -> tuple[list[Column], set[int]]:
    """The columns *explicit* names, and the positions it excludes (``ignore``)."""
    for key in explicit:
        if key != "ignore" and key.removeprefix("order-") not in COLUMN_KINDS:
            raise InputError(
                f"unknown column kind {key[:20]!r}; use one of {', '.join(COLUMN_KINDS)}, "
                "order-KIND for an order-level column, or ignore"
            )
    columns: list[Column] = []
    ignore: set[int] = set()
    for key, wanted in explicit.items():
        for header in wanted:
            index = _position(headers, header, key)
            if key == "ignore":
                ignore.add(index)
            else:
                kind = key.removeprefix("order-")
                columns.append(Column(index, headers[index].strip(), kind, kind != key))
    return columns, ignore


def _position(headers: Sequence[str], wanted: str, key: str) -> int:
    """Where the column *wanted* is: a header, or ``HEADER#N`` for its Nth column."""
    stripped = [h.strip() for h in headers]
    if wanted.strip() in stripped:
        return stripped.index(wanted.strip())
    nth = _NTH.fullmatch(wanted.strip())
    if nth is not None:
        positions = [i for i, h in enumerate(stripped) if h == nth["header"]]
        if len(positions) >= int(nth["n"]):
            return positions[int(nth["n"]) - 1]
        if positions:
            raise InputError(
                f"there are {len(positions)} column(s) headed {nth['header'][:60]!r}, "
                f"not {nth['n']}; count the columns of that name in the header line"
            )
    # The header asked for is the caller's; the file's are not quoted.
    raise InputError(
        f"no column headed {wanted[:60]!r} for {key} among the {len(headers)} column(s) "
        "of the first line; check its spelling against the file's header line"
    )


def _coverage_warnings(columns: Sequence[Column], ignored: Sequence[str]) -> list[str]:
    """Warnings for a plan without attendee names or without attendee e-mails.

    The ignored headers are listed only when a name or e-mail column shows
    the first line is a header line: with handle columns alone ("X") it may
    be an attendee, whose cells are not quoted.
    """
    own = {c.kind for c in columns if not c.fallback}
    if not {c.kind for c in columns} & (_NAME_KINDS | {"email"}):
        return [
            "no column of names or e-mail addresses was recognized, only handles; if the "
            "first line is not a header line, add one, and name columns with --column "
            "KIND=HEADER"
        ]
    listed = _listing(ignored)
    warnings = []
    if not own & _NAME_KINDS:
        warnings.append(
            f"no column of attendee names was recognized; ignored columns: {listed}; "
            "name one with --column name=HEADER if it holds names"
        )
    if "email" not in own:
        has_order = any(c.kind == "email" for c in columns)
        order = " (only the order's, the buyer's)" if has_order else ""
        warnings.append(
            f"no column of attendee e-mail addresses was recognized{order}; ignored columns: "
            f"{listed}; name one with --column email=HEADER if it holds them"
        )
    return warnings


def _quoted(header: str) -> str:
    header = header.strip()
    return repr(header if len(header) <= 60 else header[:59] + "…")


def _listing(headers: Sequence[str], most: int = 20) -> str:
    if not headers:
        return "none"
    shown = ", ".join(_quoted(h) for h in headers[:most])
    return shown + (f" and {len(headers) - most} more" if len(headers) > most else "")


def _fitting(value: str, among: Sequence[str]) -> tuple[str, ...]:
    """The kinds of *among* that *value* is a valid identifier of (all, if none).

    "@user@host" or a Mastodon URL fits only Mastodon, "github.com/user" only
    GitHub, a bare "user" GitHub and Twitter alike: screened as each.
    """
    fits = []
    for kind in among:
        try:
            canonical(kind, value)
        except InvalidIdentifier:
            continue
        fits.append(kind)
    return tuple(fits) or tuple(among)


def _split(kind: str, cell: str, among: Sequence[str] = (), several: bool = False) -> list[str]:
    cell = cell.strip()
    if not cell or is_placeholder(cell):
        return []
    if several:
        # pretalx joins co-speakers with a line break or ", " (its two choices).
        return [part.strip() for part in re.split(r"\n|,\s|;", cell) if part.strip()]
    parts = split_values(kind, cell)
    return [part for part in parts if kind in _fitting(part, among)] if among else parts


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
        # Detection reads the first rows; records() reads them again (a
        # table can be read more than once).
        sample = itertools.islice(self._table.rows(), SAMPLE_ROWS)
        self.plan = detect_columns(
            self.headers,
            (row for _, row in sample),
            explicit=columns,
            all_rows=lambda: (row for _, row in self._table.rows()),
        )
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
        return sum(
            1
            for _, cells in self._table.rows()
            if any(cell.strip() for cell in cells) and not repeats_header(self.headers, cells)
        )

    def rows(self) -> Iterator[list[str]]:
        """The data rows as cells, blank ones included, read afresh from the start
        (for writing the input back with results, `annotate_csv`)."""
        return (cells for _, cells in self._table.rows())

    def records(self, *, keep: Sequence[str] = ()) -> Iterator[ScreenRecord]:
        """The rows as records; ``ref`` holds the data row number, line and role.

        ``line`` is the physical line the row starts on (a quoted cell can
        span lines).  *keep* names headers whose cells are passed through
        into ``ref`` under their header, e.g. an order code for the report.
        """
        width = len(self.headers)
        kept = _kept_columns(self.headers, keep)
        for row_number, (line, cells) in enumerate(self._table.rows(), start=1):
            if len(cells) > width:
                raise InputError(
                    f"{self.origin.where(line)} has {len(cells)} fields but the header has "
                    f"{width}; check for an unquoted separator in a cell"
                )
            if not any(cell.strip() for cell in cells) or repeats_header(self.headers, cells):
                continue  # a blank line keeps its row number but is no record
            if self.origin.sheet is None:
                _refuse_a_swallowing_quote(cells, width, self.plan.columns, line)
            ref: dict[str, object] = {"row": row_number, "line": line}
            if self.role:
                ref["role"] = self.role
            ref.update((header, _cell(cells, i)) for header, i in kept)
            yield ScreenRecord.from_found(_values(cells, self.plan.columns), ref=ref)


def _refuse_a_swallowing_quote(
    cells: Sequence[str], width: int, columns: Sequence[Column], line: int
) -> None:
    """Refuse a CSV row that a stray quote ran over several lines.

    A stray opening quote that a later quote closes (an inch mark in
    ``5'11"``) reads cleanly, as one cell holding the rows between: the
    row then has fewer fields than the header, or a name, address or
    handle cell holds a line break and a separator, the rows it swallowed
    (pretalx's list of speaker names, one a line, excepted).
    """
    if not any(_LINE_BREAK.search(cell) for cell in cells):
        return
    broken = any(
        not column.several and _swallowed(_cell(cells, column.index)) for column in columns
    )
    if broken or len(cells) < width:
        raise InputError(
            f"the row starting on line {line} runs over several lines"
            + (" with fewer fields than the header" if len(cells) < width else "")
            + " (a stray quote?); check the quotes from that line on"
        )


def _swallowed(cell: str) -> bool:
    """Whether an identifier cell holds a line break and a separator: rows, not a value."""
    return bool(_LINE_BREAK.search(cell) and _SEPARATOR.search(cell))


def _kept_columns(headers: Sequence[str], keep: Sequence[str]) -> list[tuple[str, int]]:
    """(header, position) of each header in *keep*, which must exist."""
    positions: dict[str, int] = {}
    for i, header in enumerate(headers):
        positions.setdefault(header.strip(), i)
    kept: list[tuple[str, int]] = []
    for header in keep:
        refuse_secret_field(header)
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
        (c.kind, c.fallback, _split(c.kind, _cell(cells, c.index), c.among, c.several))
        for c in columns
    ]


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
    for those kinds; ``order-KIND`` names order-level columns, ``ignore``
    columns not to screen, and ``"HEADER#N"`` the Nth column headed HEADER.
    *role* ("attendee", "speaker", ...) is passed through with every record.
    *sheet* names a workbook's sheet (default: pretix's "Order positions",
    else the one naming the most kinds of identifier); *encoding* names a CSV file's
    legacy encoding (``cp1252``, ``mac_roman``), which is never guessed.  Use
    the result as a context manager; ``source.plan.warnings`` says what to
    check.
    """
    options = TableOptions(sheet=sheet, encoding=encoding)
    if isinstance(source, str | os.PathLike):
        handle = open(source, "rb")  # noqa: SIM115 - closed by the CsvSource
        return CsvSource(handle, owned=True, columns=columns, role=role, options=options)
    return CsvSource(source, owned=False, columns=columns, role=role, options=options)


def _cell(cells: Sequence[str], index: int) -> str:
    """A row's cell, empty where the row ends early (trailing empty cells left out)."""
    return cells[index] if index < len(cells) else ""


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
