"""Bringing a committee's existing cases into the register, and taking them out again.

`plan_import` is a pure function from a table (a header and rows of text,
read by the caller from CSV or a workbook) and the register's current
records to a plan: for each source row, the record it would add or why it
is refused.  `RecordStore.import_plan` then adds every accepted row in one
transaction.  A refusal names the row and the column, never the value: the
rows hold the people the committee decided about.

`export_rows` is the inverse: the register as rows `plan_import` reads back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Final

from ..core import (
    FORMULA_START,
    KINDS,
    STRONG_KINDS,
    Identifier,
    Status,
    check_case_ref,
    split_values,
)
from ..errors import CocHashscreenError, InputError
from ._audit import kind_counts
from ._records import IdentifierIndex, NewRecord, Record
from ._retention import DEFAULT_POLICY, RetentionPolicy, check_decided, record_expiry

__all__ = [
    "IMPORT_FIELDS",
    "ImportPlan",
    "ImportRow",
    "export_rows",
    "import_columns",
    "plan_import",
]

# The fields a row may carry, in the order `export_rows` writes them.
IMPORT_FIELDS: Final = (
    "case_ref",
    "status",
    "decided",
    "expires",
    *KINDS,
    "alias",
    "note",
    "common_name",
)

_HEADERS: Final[Mapping[str, frozenset[str]]] = {
    "case_ref": frozenset(
        {"case", "case ref", "case reference", "case id", "case number", "reference", "ref"}
    ),
    "status": frozenset({"status", "decision", "outcome", "sanction", "measure"}),
    "decided": frozenset(
        {"decided", "decided on", "decision date", "date of decision", "date decided"}
    ),
    "expires": frozenset(
        {
            "expires",
            "expires on",
            "expiry",
            "expiry date",
            "retention until",
            "retain until",
            "keep until",
            "delete after",
            "delete on",
            "delete by",
        }
    ),
    "name": frozenset({"name", "full name", "person", "display name"}),
    "email": frozenset(
        {"email", "e mail", "email address", "e mail address", "emails", "e mails", "mail"}
    ),
    "github": frozenset({"github", "github handle", "github user", "github username"}),
    "twitter": frozenset({"twitter", "x", "twitter handle", "x handle", "twitter x"}),
    "mastodon": frozenset({"mastodon", "fediverse", "mastodon handle", "mastodon address"}),
    "alias": frozenset({"alias", "aliases", "aka", "also known as", "names", "other names"}),
    "note": frozenset({"note", "notes", "comment", "comments", "remarks"}),
    "common_name": frozenset({"common name", "name is common"}),
}

_STATUS_WORDS: Final[Mapping[str, Status]] = {
    "banned": Status.BANNED,
    "ban": Status.BANNED,
    "flagged": Status.FLAGGED,
    "flag": Status.FLAGGED,
    "minor": Status.MINOR,
}

# Names never hold a semicolon or a line break; commas they do ("Doe, Jane").
_NAME_SEPARATORS: Final = re.compile(r"[;\n\r]+")


def _normalized(header: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.casefold()).split())


# Words before or after a field's header that leave it the same field:
# "Secondary e-mail", "Email 2", "Former names".
_QUALIFIERS: Final = frozenset(
    {"secondary", "other", "alternative", "alternate", "additional", "second", "third",
     "previous", "old", "former", "work", "personal", "private", "new", "primary", "main"}
)  # fmt: skip
_SEVERAL: Final = (*KINDS, "alias")


def _refuse_data_header(header: Sequence[str]) -> None:
    """Refuse a first line that holds an address or a link: data, not headers (never quoted)."""
    if any("@" in cell or "://" in cell for cell in header):
        raise InputError(
            "the first line holds an e-mail address or a link, so it is not a header line; "
            "add a line of column headers (Name, E-mail, Status, ...) at the top"
        )


def _field_of(header: str) -> str | None:
    words = _normalized(header).split()
    while words and words[0] in _QUALIFIERS:
        words = words[1:]
    while words and (words[-1].isdigit() or words[-1] in _QUALIFIERS):
        words = words[:-1]
    text = " ".join(words)
    return next((f for f, synonyms in _HEADERS.items() if text in synonyms), None)


def import_columns(
    header: Sequence[str], overrides: Mapping[str, str | Sequence[str]] | None = None
) -> tuple[dict[str, tuple[int, ...]], list[str]]:
    """Which columns hold each field, and the headers left unread.

    *overrides* maps a field (`IMPORT_FIELDS`) to the header that holds it
    (identifiers and aliases: one or more headers);
    the rest are found by their header, in any case and spacing ("E-Mail",
    "Case reference", "Secondary e-mail", "Email 2").  Identifiers and
    aliases may come from several columns, all read; any other field from
    one: two columns that could hold it are refused (name one with an
    override), as is an override naming no column or several.
    """
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(IMPORT_FIELDS))
    if unknown:
        raise InputError(
            f"unknown field {unknown[0][:20]!r}; the fields are {', '.join(IMPORT_FIELDS)}"
        )
    _refuse_data_header(header)
    found: dict[str, list[int]] = {}
    for fieldname, named in overrides.items():
        wanted = (named,) if isinstance(named, str) else tuple(named)
        if len(wanted) > 1 and fieldname not in _SEVERAL:
            raise InputError(f"{fieldname} is read from one column; name one header for it")
        for one in wanted:
            matches = [n for n, h in enumerate(header) if h.strip() == one.strip()]
            if len(matches) != 1:
                raise InputError(
                    f"{len(matches)} columns are headed {one[:40]!r}; name one column for "
                    f"{fieldname}"
                )
            found.setdefault(fieldname, []).extend(matches)
    taken = {n for ns in found.values() for n in ns}
    for n, text in enumerate(header):
        guessed = None if n in taken else _field_of(text)
        if guessed is None or guessed in overrides:
            continue
        fieldname = guessed
        if fieldname in found and fieldname not in _SEVERAL:
            first = header[found[fieldname][0]]
            raise InputError(
                f"both {first[:40]!r} and {text[:40]!r} could hold {fieldname}; name the "
                f"one to read with --column {fieldname}=HEADER"
            )
        found.setdefault(fieldname, []).append(n)
        taken.add(n)
    if not any(kind in found for kind in _SEVERAL):
        raise InputError(
            "no column holds a name, an e-mail address or a handle; name them with "
            "--column name=HEADER (or email=, github=, twitter=, mastodon=)"
        )
    ignored = [h for n, h in enumerate(header) if n not in taken and h.strip()]
    return {f: tuple(ns) for f, ns in found.items()}, ignored


@dataclass(frozen=True)
class ImportRow:
    """One source row: the record it adds, or why it is refused (``reason``)."""

    position: int
    record: NewRecord | None = None
    reason: str | None = None
    # A record already in the register, or an earlier row, with the same name
    # (names collide, so this is a note for the committee, not a refusal).
    shares_name_with: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.record is not None

    def to_dict(self) -> dict[str, Any]:
        record = self.record
        return {
            "row": self.position,
            "accepted": self.accepted,
            "reason": self.reason,
            "status": record.status.value if record else None,
            "case_ref": record.case_ref if record else None,
            "identifiers": kind_counts(record.identifiers) if record else {},
            "shares_name_with": list(self.shares_name_with),
        }


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do, row by row (see `plan_import`)."""

    rows: tuple[ImportRow, ...]
    ignored_headers: tuple[str, ...] = ()
    columns: Mapping[str, str] = field(default_factory=dict)

    @property
    def undated(self) -> tuple[int, ...]:
        """The accepted rows without a decision date: their retention counts from today."""
        return tuple(
            r.position for r in self.rows if r.record is not None and r.record.decided_at is None
        )

    @property
    def accepted(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if r.accepted)

    @property
    def refused(self) -> tuple[ImportRow, ...]:
        return tuple(r for r in self.rows if not r.accepted)

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": dict(self.columns),
            "ignored_headers": list(self.ignored_headers),
            "undated_rows": list(self.undated),
            "rows": [r.to_dict() for r in self.rows],
        }


@dataclass
class _Seen:
    """What earlier rows and the register hold, to find duplicates."""

    index: IdentifierIndex
    case_refs: dict[str, int] = field(default_factory=dict)
    record_refs: Mapping[int, str] = field(default_factory=dict)
    strong: dict[tuple[str, str], int] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)


def plan_import(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    *,
    existing: Sequence[Record],
    now: datetime,
    options: ImportOptions | None = None,
) -> ImportPlan:
    """Read each row into a `NewRecord`, or a refusal naming the row and the column.

    A row is refused when it has no identifier, an identifier or date that
    does not read, no status (and no default), a case reference already used
    (in the register or an earlier row), an e-mail address or handle already
    on a record or an earlier row (a duplicate: update that record instead),
    or a retention that has already ended (delete it from the source).
    """
    options = options or ImportOptions()
    columns, ignored = import_columns(header, options.columns)
    seen = _Seen(
        IdentifierIndex.of(existing),
        case_refs={**dict.fromkeys(options.retired_refs, -1), **{r.case_ref: 0 for r in existing}},
        record_refs={r.id: r.case_ref for r in existing},
    )
    for record in existing:
        for i in record.identifiers:
            if i.kind == "name":
                seen.names.setdefault(i.canonical, []).append(record.case_ref)
    reader = _Reader(header, columns, seen, now, options)
    planned = [
        reader.row(position, cells) for position, cells in rows if any(map(str.strip, cells))
    ]
    if not planned:
        raise InputError("the file has a header line but no rows; nothing would be imported")
    return ImportPlan(
        tuple(planned),
        tuple(ignored),
        {f: " + ".join(header[n] for n in ns) for f, ns in sorted(columns.items())},
    )


@dataclass(frozen=True)
class ImportOptions:
    """How to read an import: column overrides, a status for rows without one, the policy."""

    columns: Mapping[str, str | Sequence[str]] = field(default_factory=dict)
    status: Status | None = None
    policy: RetentionPolicy = DEFAULT_POLICY
    # Case references the audit trail keeps for records now gone or renamed.
    retired_refs: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Reader:
    """Reads the rows of one table against what the register and earlier rows hold."""

    header: Sequence[str]
    columns: Mapping[str, tuple[int, ...]]
    seen: _Seen
    now: datetime
    options: ImportOptions

    def texts(self, cells: Sequence[str], fieldname: str) -> list[tuple[str, str]]:
        """Each non-empty cell of *fieldname*'s columns, with where it is ("column 'Email'")."""
        found = []
        for n in self.columns.get(fieldname, ()):
            text = import_cell(cells[n]) if n < len(cells) else ""
            if text:
                found.append((f"column {self.header[n][:40]!r}", text))
        return found

    def row(self, position: int, cells: Sequence[str]) -> ImportRow:
        try:
            new = self.record(cells)
            duplicate = _duplicate(new.identifiers, new.case_ref, self.seen)
        except CocHashscreenError as exc:
            return ImportRow(position, reason=str(exc))
        if duplicate:
            return ImportRow(position, reason=duplicate)
        names = self.seen.names
        shared = sorted(
            {ref for i in new.identifiers if i.kind == "name" for ref in names.get(i.canonical, [])}
        )
        _remember(new, position, self.seen)
        return ImportRow(position, record=new, shares_name_with=tuple(shared))

    def record(self, cells: Sequence[str]) -> NewRecord:
        """The row as a `NewRecord`; raises an error naming the column, never the value."""

        def one(fieldname: str) -> tuple[str, str]:
            texts = self.texts(cells, fieldname)
            return texts[0] if texts else ("", "")

        identifiers = [
            i for kind in _SEVERAL for i in _identifiers_in(kind, self.texts(cells, kind))
        ]
        if not identifiers:
            raise InputError("the row has no name, e-mail address or handle")
        status = _status(one("status"), self.options.status)
        decided_where, decided_text = one("decided")
        decided = _date(decided_where, decided_text)
        expires = _date(*one("expires"))
        where, case_ref = one("case_ref")
        if case_ref:
            try:
                check_case_ref(case_ref)
            except InputError as exc:
                raise InputError(f"{where}: {exc}") from None
        check_decided(decided, self.now, where=decided_where)
        # Checked here, not only when added, so that a dry run names the rows
        # that must be deleted from the source.
        record_expiry(
            status,
            decided_at=decided or self.now,
            expires_at=expires,
            now=self.now,
            policy=self.options.policy,
        )
        return NewRecord(
            status=status,
            identifiers=identifiers,
            case_ref=case_ref or None,
            expires_at=expires,
            note=one("note")[1],
            decided_at=decided,
            common_name=_yes(*one("common_name")),
        )


def import_cell(text: str) -> str:
    """A cell as imported: stripped, and without the mark `export_cell` puts before a formula."""
    text = text.strip()
    if text.startswith("'") and text[1:2] in _MARKED:
        return text[1:]
    return text


def export_cell(text: str) -> str:
    """A cell as exported: one a spreadsheet would evaluate (or one starting with the mark
    itself) gets an apostrophe before it, which `import_cell` takes off again."""
    return "'" + text if text[:1] in _MARKED else text


# What starts a formula in spreadsheet software, and the mark itself.
_MARKED: Final = frozenset({*FORMULA_START, "'"})


def _yes(where: str, text: str) -> bool:
    answer = text.casefold()
    if answer in ("", "no", "false", "0"):
        return False
    if answer in ("yes", "true", "1", "x"):
        return True
    raise InputError(f"the value in {where} is not yes or no")


def _status(cell: tuple[str, str], default: Status | None) -> Status:
    where, text = cell
    if text:
        status = _STATUS_WORDS.get(text.casefold())
        if status is None:
            raise InputError(f"the status in {where} is not flagged, banned or minor")
        return status
    if default is None:
        raise InputError("the row has no status; give one in a status column or with --status")
    return default


def _identifiers_in(kind: str, texts: Iterable[tuple[str, str]]) -> list[Identifier]:
    found = []
    for where, text in texts:
        try:
            found.extend(_identifiers(kind, text))
        except CocHashscreenError as exc:
            # The rule broken, never the value: "email: quoted local parts ...".
            rule = str(exc).partition(": ")[2] or "it does not read"
            raise InputError(
                f"the value in {where} is not a valid {_WHAT[kind]} ({rule})"
            ) from None
    return found


_WHAT: Final = {
    "name": "name",
    "email": "e-mail address",
    "github": "GitHub user name",
    "twitter": "Twitter/X handle",
    "mastodon": "Mastodon address",
    "alias": "name",
}


def _identifiers(kind: str, text: str) -> list[Identifier]:
    if kind in ("name", "alias"):
        parts = [p.strip() for p in _NAME_SEPARATORS.split(text) if p.strip()]
        return [Identifier("name", p, alias=kind == "alias") for p in parts]
    return [Identifier(kind, part) for part in split_values(kind, text)]


_DATE_FORMATS: Final = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y")


def _date(where: str, text: str) -> datetime | None:
    """A day as midnight UTC (None for an empty cell): ISO, as spreadsheets give a date
    cell, YYYY/MM/DD or DD.MM.YYYY.

    Slashed day-month orders (01/02/2024) are refused: which is the month
    cannot be told, and a wrong guess moves a retention by months.
    """
    if not text:
        return None
    candidate = text.split("T")[0].split(" ")[0]
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    if candidate.isdigit() and 10_000 <= int(candidate) <= 100_000:
        why = "a spreadsheet's day number: format the column as dates, or write YYYY-MM-DD"
    elif candidate.casefold() in _NO_DATE:
        why = (
            "leave the cell empty: the retention policy then decides (keep a record until "
            "removed with 'committee update --no-expiry' after the import)"
        )
    else:
        why = "write it as YYYY-MM-DD (DD/MM and MM/DD cannot be told apart)"
    raise InputError(f"the date in {where} does not read; {why}")


_NO_DATE: Final = frozenset({"never", "none", "-", "--", "n/a", "na", "no", "indefinite"})


def _duplicate(identifiers: Sequence[Identifier], case_ref: str | None, seen: _Seen) -> str | None:
    if case_ref is not None and case_ref in seen.case_refs:
        first = seen.case_refs[case_ref]
        if first < 0:
            return (
                "the case reference belonged to a record that was removed or renamed (the "
                "audit trail keeps it); give this case another"
            )
        where = f"row {first}" if first else "a record in the register"
        return f"the case reference is already used by {where}"
    for i in identifiers:
        if i.kind not in STRONG_KINDS:
            continue
        key = (i.kind, i.canonical)
        if key in seen.strong:
            return f"duplicate of row {seen.strong[key]} (the same {_WHAT[i.kind]})"
        record_id = seen.index.strong.get(key)
        if record_id is not None:
            return (
                f"duplicate of case {seen.record_refs[record_id]} (the same {_WHAT[i.kind]}); "
                "update that record instead"
            )
    return None


def _remember(new: NewRecord, position: int, seen: _Seen) -> None:
    if new.case_ref is not None:
        seen.case_refs[new.case_ref] = position
    for i in new.identifiers:
        if i.kind in STRONG_KINDS:
            seen.strong[(i.kind, i.canonical)] = position
        elif i.kind == "name":
            seen.names.setdefault(i.canonical, []).append(f"row {position}")


def export_rows(records: Iterable[Record]) -> tuple[tuple[str, ...], list[list[str]]]:
    """The register as a header and rows that `plan_import` reads back exactly.

    Every cell has passed `export_cell`: none is a formula in a spreadsheet.
    """
    rows = []
    for record in records:
        values: dict[str, list[str]] = {}
        for i in record.identifiers:
            values.setdefault("alias" if i.alias else i.kind, []).append(i.value)
        cells = [
            record.case_ref,
            record.status.value,
            _day(record.decided_at),
            _day(record.expires_at),
            *("; ".join(values.get(kind, [])) for kind in _SEVERAL),
            record.note,
            "yes" if record.common_name else "no",
        ]
        rows.append([export_cell(cell) for cell in cells])
    return IMPORT_FIELDS, rows


def _day(when: datetime | None) -> str:
    return "" if when is None else date.isoformat(when.date())
