"""``coc-hashscreen screen``: an attendee or speaker list against the committee's list."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from ..core import HashingOptions, HpkePrivateKey
from ..errors import EmptyInput, InputError
from ..formats import write_atomic
from ..organizer import (
    COLUMN_KINDS,
    CsvSource,
    FileState,
    HistoryFile,
    OrganizerHome,
    RowDigests,
    Screener,
    ScreenerOptions,
    ScreeningReport,
    ScreenSources,
    annotate_csv,
    annotate_xlsx,
    compare_runs,
    default_cache_dir,
    history_name,
    home_status,
    load_organizer_key,
    load_trust,
    merge_reports,
    read_input,
    report_to_csv,
    report_to_json,
    report_to_table,
    row_digest_key,
    screen_sources,
)
from ._common import (
    EXIT_MATCH,
    EXIT_OK,
    PROG,
    ScreenDisplay,
    Subparsers,
    UsageError,
    column,
    first_use,
    info,
    out,
    positive,
    safe,
    write_output,
)
from ._passphrase import add_passphrase_options, passphrase_source

__all__ = ["add_parser"]

_FORMATS = {"table": report_to_table, "json": report_to_json, "csv": report_to_csv}


def _screen(args: argparse.Namespace) -> int:
    if args.annotate is not None and _same_file(args.annotate, args.input):
        raise InputError("--annotate would overwrite INPUT; name a new file for the annotated copy")
    sources = _sources(args)
    key_path = sources[0].organizer_key
    organizer_key = load_organizer_key(
        key_path, passphrase=passphrase_source(args, f"the organizer key {key_path}")
    )
    screeners = [_load(args, source, organizer_key) for source in sources]
    # Annotating needs every row's result, the clear ones too.
    include_clear = args.include_clear or args.annotate is not None
    digests = None if args.no_history else RowDigests(row_digest_key(organizer_key))
    report, annotated = _screen_input(args, screeners, include_clear=include_clear, digests=digests)
    for screener in screeners:
        for warning in screener.file_cache.warnings if screener.file_cache else ():
            info(args, f"Warning: {warning}")
    remember = None
    if digests is not None:
        report, remember = _compare_with_last_run(args, sources[0], report, digests)
    if annotated is not None:
        write_atomic(args.annotate, annotated, private=True)
        info(args, f"input with results written to {args.annotate}")
    if include_clear and not args.include_clear:
        report = replace(report, clear=None)
    write_output(args.output, _FORMATS[args.format](report), private=True)
    if args.output and args.output != "-":
        info(args, f"{len(report.matches)} match(es); report written to {args.output}")
    if remember is not None:
        # Only once the report is out: a match nobody saw stays new.
        remember()
    if report.screened == 0:
        # The report is written (it lists the rows), but a run that screened
        # nobody is never a success.
        raise EmptyInput(_nobody_screened(report.records, json_input=annotated is None))
    return EXIT_MATCH if args.fail_on_match and report.matches else EXIT_OK


_PATH_OPTIONS = ("list", "grant", "trust")


def _sources(args: argparse.Namespace) -> tuple[ScreenSources, ...]:
    """The lists to screen against: the path options' (in the order given), else every
    committee ready in the organizer directory."""
    given = {name: getattr(args, name) or [] for name in _PATH_OPTIONS}
    if not any(given.values()) and args.key is None:
        if args.state is not None:
            raise UsageError(
                f"{PROG} screen: error: --state goes with --list, --grant, --key and --trust; "
                "an organizer directory keeps its own state"
            )
        return _ready_sources(args, OrganizerHome.at(args.home))
    counts = {len(paths) for paths in given.values()}
    if args.home is not None or args.key is None or len(counts) != 1 or 0 in counts:
        raise UsageError(
            f"{PROG} screen: error: give either the organizer directory (--home, or none for "
            "the default) or --key with one --list, --grant and --trust per committee"
        )
    state_path = FileState(args.state).path if args.state else FileState().path
    return tuple(
        ScreenSources(committee="", series=b"", trust=Path(trust), hashed_list=Path(listed),
                      grant=Path(grant), organizer_key=Path(args.key), state=state_path)
        for listed, grant, trust in zip(given["list"], given["grant"], given["trust"], strict=True)
    )  # fmt: skip


def _load(
    args: argparse.Namespace, source: ScreenSources, organizer_key: HpkePrivateKey
) -> Screener:
    """A screener for one committee's list, verified against its own trust and state."""
    store = FileState(source.state)
    trust = load_trust(source.trust)
    new = store.get(trust.series) is None
    hashing = HashingOptions(workers=args.workers, memory_budget=args.memory_budget * 2**20)
    screener = Screener.load(
        hashed_list=source.hashed_list,
        grant=source.grant,
        organizer_key=organizer_key,
        trust=trust,
        options=ScreenerOptions(
            state=store,
            hashing=hashing,
            cache_dir=None if args.no_cache else default_cache_dir(store.path),
        ),
    )
    if new:
        first_use(args, trust)
    return screener


def _ready_sources(args: argparse.Namespace, home: OrganizerHome) -> tuple[ScreenSources, ...]:
    """Every committee of the directory, refusing (without --only-ready) when one is not
    ready: screening without it would miss the people on its list, in silence."""
    status = home_status(home)
    unready = [c for c in status.committees if not c.ready] if status.key is not None else []
    if unready:
        what = "; ".join(f"{c.committee!r}: {'; '.join(c.problems)}" for c in unready)
        if not args.only_ready:
            raise InputError(
                f"not every committee in the organizer directory is ready to screen ({what}); "
                "a run without it would miss the people on its list: add what is missing, or "
                "pass --only-ready to screen against the others"
            )
        # Even with --quiet: a committee left out is people not screened.
        out(f"Warning: not screened against {safe(what)}", stream=sys.stderr)
    return screen_sources(home)


def _compare_with_last_run(
    args: argparse.Namespace, source: ScreenSources, report: ScreeningReport, digests: RowDigests
) -> tuple[ScreeningReport, Callable[[], None]]:
    """The report with what changed since the last run on this input, and what remembers
    this run for the next (called once the report is written)."""
    history = HistoryFile(
        Path(source.state).parent / "history", args.history or history_name(args.input)
    )
    previous, warning = history.load()
    if warning is not None:
        info(args, f"Warning: {warning}")
    report, memory = compare_runs(report, digests, previous, now=datetime.now(UTC))
    return report, lambda: history.save(memory)


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
    args: argparse.Namespace,
    screeners: Sequence[Screener],
    *,
    include_clear: bool,
    digests: RowDigests | None,
) -> tuple[ScreeningReport, bytes | None]:
    """The report on INPUT against every list, and the annotated copy when --annotate
    asks for one."""
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
        reports = []
        for number, screener in enumerate(screeners):
            label = f"{screener.info.committee}: " if len(screeners) > 1 else ""
            display = ScreenDisplay.for_args(args, label=label)
            total = source.count() if display.enabled else None
            try:
                reports.append(
                    screener.screen(
                        source.records(keep=args.keep_column or ()),
                        progress=display,
                        total=total,
                        include_clear=include_clear,
                        # The rows are the input's: digested once.
                        digests=digests if number == 0 else None,
                    )
                )
            finally:
                display.close()
        report = merge_reports(reports)
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
            "Nothing leaves this machine, but for an online list: its identifiers go "
            "blinded to the committee's service, which cannot read them."
        ),
    )
    p.add_argument(
        "input",
        metavar="INPUT",
        help="attendee or speaker list: CSV, XLSX, XLS or ODS, or a platform's JSON export",
    )
    p.add_argument(
        "--home",
        metavar="DIR",
        help="organizer directory holding the key, trust files, grants and lists "
        "('organizer init', 'organizer add'); the default when no --list is given",
    )
    p.add_argument(
        "--list",
        action="append",
        metavar="LIST",
        help="a committee's hashed list, instead of the organizer directory (repeatable: one "
        "per committee, each with its --grant and --trust in the same order)",
    )
    p.add_argument(
        "--grant", action="append", metavar="GRANT", help="your grant for the list's epoch"
    )
    p.add_argument(
        "--key", metavar="ORGANIZER_PRIVATE_KEY", help="your organizer.key (or its directory)"
    )
    add_passphrase_options(p)
    p.add_argument("--trust", action="append", metavar="TRUST", help="the committee's trust file")
    p.add_argument(
        "--state",
        metavar="STATE",
        help="with --list: state file for rollback protection (default: per-user state dir); "
        "the Argon2 cache and run history live beside it",
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
        "--only-ready",
        action="store_true",
        help="with the organizer directory: screen against the committees ready to, with a "
        "warning naming the others (default: refuse while one is not ready)",
    )
    p.add_argument(
        "--history",
        metavar="NAME",
        help="compare with the last run of this name and mark what is new (default: the "
        "input's file name without dates or numbers)",
    )
    p.add_argument(
        "--no-history", action="store_true", help="neither compare with nor record this run"
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
