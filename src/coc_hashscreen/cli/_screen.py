"""``coc-hashscreen screen``: an attendee or speaker list against the committee's list."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..core import HashingOptions
from ..errors import EmptyInput, InputError
from ..formats import write_atomic
from ..organizer import (
    COLUMN_KINDS,
    CsvSource,
    Screener,
    ScreenerOptions,
    ScreeningReport,
    ScreenStatus,
    annotate_csv,
    annotate_xlsx,
    default_cache_dir,
    load_organizer_key,
    load_trust,
    read_input,
    report_to_csv,
    report_to_json,
    report_to_table,
)
from ._common import (
    EXIT_MATCH,
    EXIT_OK,
    Subparsers,
    column,
    duration,
    first_use,
    info,
    out,
    positive,
    safe,
    state,
    write_output,
)
from ._passphrase import add_passphrase_options, passphrase_source

__all__ = ["add_parser"]

_FORMATS = {"table": report_to_table, "json": report_to_json, "csv": report_to_csv}


def _screen(args: argparse.Namespace) -> int:
    if args.annotate is not None and _same_file(args.annotate, args.input):
        raise InputError("--annotate would overwrite INPUT; name a new file for the annotated copy")
    store = state(args)
    trust = load_trust(args.trust)
    new = store.get(trust.series) is None
    hashing = HashingOptions(workers=args.workers, memory_budget=args.memory_budget * 2**20)
    screener = Screener.load(
        hashed_list=args.list,
        grant=args.grant,
        organizer_key=load_organizer_key(
            args.key, passphrase=passphrase_source(args, f"the organizer key {args.key}")
        ),
        trust=trust,
        options=ScreenerOptions(
            state=store,
            hashing=hashing,
            cache_dir=None if args.no_cache else default_cache_dir(store.path),
        ),
    )
    if new:
        first_use(args, trust)
    if screener.file_cache is not None:
        for warning in screener.file_cache.warnings:
            info(args, f"Warning: {warning}")
    # Annotating needs every row's result, the clear ones too.
    include_clear = args.include_clear or args.annotate is not None
    report, annotated = _screen_input(args, screener, include_clear=include_clear)
    if annotated is not None:
        write_atomic(args.annotate, annotated, private=True)
        info(args, f"input with results written to {args.annotate}")
    if include_clear and not args.include_clear:
        report = replace(report, clear=None)
    write_output(args.output, _FORMATS[args.format](report), private=True)
    if args.output and args.output != "-":
        info(args, f"{len(report.matches)} match(es); report written to {args.output}")
    if report.screened == 0:
        # The report is written (it lists the rows), but a run that screened
        # nobody is never a success.
        raise EmptyInput(_nobody_screened(report.records, json_input=annotated is None))
    return EXIT_MATCH if args.fail_on_match and report.matches else EXIT_OK


class ScreenDisplay:
    """Live progress on stderr: a line redrawn on a terminal, or JSON lines.

    ``--progress auto`` draws only on a terminal (nothing on a pipe);
    ``json`` writes one `ScreenStatus` object per line for tools that drive
    the command line; ``off`` writes nothing.
    """

    def __init__(self, mode: str, *, terminal: bool) -> None:
        self.mode = mode if mode != "auto" else ("bar" if terminal else "off")
        self.drawn = False

    @classmethod
    def for_args(cls, args: argparse.Namespace) -> ScreenDisplay:
        mode = "off" if args.quiet and args.progress == "auto" else args.progress
        return cls(mode, terminal=sys.stderr.isatty())

    @property
    def enabled(self) -> bool:
        return self.mode != "off"

    def __call__(self, status: ScreenStatus) -> None:
        if self.mode == "json":
            sys.stderr.write(json.dumps(status.to_dict(), sort_keys=True) + "\n")
        elif self.mode == "bar":
            line = describe_status(status, first=not self.drawn)
            sys.stderr.write("\r" + line[:79].ljust(79))
            self.drawn = True
        sys.stderr.flush()

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def describe_status(status: ScreenStatus, *, first: bool = False) -> str:
    """One line for people: rows, identifiers, the cache's share and time left.

    The *first* line announces the work: about how many identifiers, and
    how long they will take.
    """
    rows = f"{status.rows:,}" + (f"/{status.rows_total:,}" if status.rows_total else "")
    if status.done:
        head = f"screened {rows} rows: {status.hashed:,} identifiers"
    elif first and status.expected is not None:
        head = f"hashing ~{status.expected:,} identifiers of {rows} rows"
    else:
        expected = f"/~{status.expected:,}" if status.expected else ""
        head = f"{rows} rows, {status.hashed:,}{expected} identifiers"
    cached = f", {status.from_cache:,} from cache" if status.from_cache else ""
    left = status.seconds_left
    eta = f", about {duration(left)} left" if left is not None and not status.done else ""
    return head + cached + eta


def _nobody_screened(records: int, *, json_input: bool) -> str:
    if records == 0:
        return "the input has no data rows, so nobody was screened; export the list again"
    advice = (
        "check the platform's export has the people's names or e-mail addresses"
        if json_input
        else "check the columns used (above) and name the right ones with --column KIND=HEADER"
    )
    return (
        f"none of the {records:,} row(s) had a usable name, e-mail address or handle, so "
        f"nobody was screened; {advice}"
    )


def _column_mapping(args: argparse.Namespace) -> dict[str, list[str]]:
    """--column KIND=HEADER and --no-column HEADER as read_input's *columns*."""
    columns: dict[str, list[str]] = {}
    for kind, header in args.column or ():
        columns.setdefault(kind, []).append(header)
    for header in args.no_column or ():
        columns.setdefault("ignore", []).append(header)
    return columns


def _screen_input(
    args: argparse.Namespace, screener: Screener, *, include_clear: bool
) -> tuple[ScreeningReport, bytes | None]:
    """The report on INPUT, and the annotated copy when --annotate asks for one."""
    with read_input(
        args.input,
        columns=_column_mapping(args) or None,
        role=args.role,
        sheet=args.sheet,
        encoding=args.encoding,
    ) as source:
        if args.annotate is not None and not isinstance(source, CsvSource):
            raise InputError(
                "--annotate writes a table back with results; this input is a JSON document, "
                "so use --format csv or json for the report"
            )
        if isinstance(source, CsvSource):
            info(args, f"Reading {source.origin.describe()}")
        info(args, "Columns used:\n  " + "\n  ".join(source.plan.describe()))
        for warning in source.plan.warnings:
            # Even with --quiet: a column the screening misses is a person missed.
            out(f"Warning: {safe(warning)}", stream=sys.stderr)
        display = ScreenDisplay.for_args(args)
        total = source.count() if display.enabled else None
        try:
            report = screener.screen(
                source.records(keep=args.keep_column or ()),
                progress=display,
                total=total,
                include_clear=include_clear,
            )
        finally:
            display.close()
        if args.annotate is None or not isinstance(source, CsvSource):
            return report, None
        write = annotate_xlsx if _is_xlsx(args.annotate) else _annotate_csv_bytes
        return report, write(source.headers, source.rows(), report)


def _same_file(path: str, other: str) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:  # either does not exist (yet)
        return False


def _is_xlsx(path: str) -> bool:
    return path.lower().endswith(".xlsx")


def _annotate_csv_bytes(
    headers: Sequence[str], rows: Iterable[Sequence[str]], report: ScreeningReport
) -> bytes:
    return annotate_csv(headers, rows, report).encode("utf-8")


def _annotate_path(value: str) -> str:
    if not value.lower().endswith((".csv", ".xlsx")):
        raise argparse.ArgumentTypeError("--annotate needs a file name ending in .csv or .xlsx")
    return value


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "screen",
        help="screen an attendee or speaker list against the committee's list",
        description=(
            "Verify the list and the grant, then screen every row of INPUT locally. "
            "Nothing leaves this machine."
        ),
    )
    p.add_argument(
        "input",
        metavar="INPUT",
        help="attendee or speaker list: CSV, XLSX, XLS or ODS, or a platform's JSON export",
    )
    p.add_argument("--list", required=True, metavar="LIST", help="the committee's hashed list")
    p.add_argument("--grant", required=True, metavar="GRANT", help="your grant for its epoch")
    p.add_argument(
        "--key",
        required=True,
        metavar="ORGANIZER_PRIVATE_KEY",
        help="your organizer.key (or the directory holding it)",
    )
    add_passphrase_options(p)
    p.add_argument("--trust", required=True, metavar="TRUST", help="the committee's trust file")
    p.add_argument(
        "--state",
        metavar="STATE",
        help="state file for rollback protection (default: per-user state dir)",
    )
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("-o", "--output", metavar="OUT", help="write the report here (mode 0600)")
    p.add_argument(
        "--column",
        type=column,
        action="append",
        metavar="KIND=HEADER",
        help="tables: use column HEADER for KIND, overriding detection (repeatable); "
        f"kinds: {', '.join(COLUMN_KINDS)}; order-KIND marks the column as "
        "order-level (the buyer's); HEADER#N is the Nth column headed HEADER",
    )
    p.add_argument(
        "--no-column",
        action="append",
        metavar="HEADER",
        help="tables: do not screen column HEADER (or HEADER#N) even if detected (repeatable)",
    )
    p.add_argument(
        "--sheet",
        metavar="NAME",
        help="workbooks: the sheet to read (default: pretix's 'Order positions', else the "
        "sheet naming the most kinds of identifier)",
    )
    p.add_argument(
        "--encoding",
        metavar="NAME",
        help="a CSV or JSON file's legacy encoding, e.g. cp1252 or mac_roman (never guessed)",
    )
    p.add_argument("--role", help="passed through to the report, e.g. attendee or speaker")
    p.add_argument(
        "--keep-column",
        action="append",
        metavar="HEADER",
        help="carry column HEADER (e.g. an order code), or a JSON record's field, into "
        "the report (repeatable)",
    )
    p.add_argument(
        "--annotate",
        metavar="OUT",
        type=_annotate_path,
        help="tables: also write INPUT back to OUT (.csv, or .xlsx with the xlsx extra) with "
        "result columns appended (mode 0600)",
    )
    p.add_argument("--include-clear", action="store_true", help="also list rows that did not match")
    p.add_argument("--fail-on-match", action="store_true", help="exit with 1 if anyone matched")
    p.add_argument("--workers", type=positive, metavar="N", help="Argon2 threads (default: CPUs)")
    p.add_argument(
        "--memory-budget",
        type=positive,
        default=1024,
        metavar="MiB",
        help="memory for Argon2 across threads (default: 1024)",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="neither use nor keep the Argon2 cache of this epoch (kept encrypted beside "
        "the state; 'organizer forget-cache' wipes it)",
    )
    p.add_argument(
        "--progress",
        choices=["auto", "json", "off"],
        default="auto",
        help="auto: a progress line on a terminal, nothing on a pipe; json: one JSON "
        "object per line on stderr",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no information on stderr")
    p.set_defaults(func=_screen)
