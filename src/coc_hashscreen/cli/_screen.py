"""``coc-hashscreen screen``: an attendee or speaker CSV against the committee's list."""

from __future__ import annotations

import argparse

from ..core import HashingOptions
from ..errors import InputError
from ..organizer import (
    COLUMN_KINDS,
    CsvSource,
    JsonRecords,
    Screener,
    ScreenerOptions,
    load_organizer_key,
    load_trust,
    read_csv,
    read_json,
    report_to_csv,
    report_to_json,
    report_to_table,
)
from ._common import (
    EXIT_MATCH,
    EXIT_OK,
    ProgressBar,
    Subparsers,
    column,
    first_use,
    info,
    positive,
    state,
    write_output,
)
from ._passphrase import add_passphrase_options, passphrase_source

__all__ = ["add_parser"]

_FORMATS = {"table": report_to_table, "json": report_to_json, "csv": report_to_csv}


def _open_input(args: argparse.Namespace, columns: dict[str, list[str]]) -> CsvSource | JsonRecords:
    """A JSON document (first non-blank byte ``{`` or ``[``) or a table, by content."""
    with open(args.input, "rb") as handle:
        data = handle.read(4096)
    if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] not in (b"{", b"["):
        return read_csv(args.input, columns=columns or None, role=args.role)
    if columns:
        raise InputError(
            "--column names columns of a table; a JSON document is read by its platform's "
            "field names (see the organizer guide)"
        )
    with open(args.input, "rb") as handle:
        return read_json(handle.read(), role=args.role)


def _screen(args: argparse.Namespace) -> int:
    columns: dict[str, list[str]] = {}
    for kind, header in args.column or ():
        columns.setdefault(kind, []).append(header)
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
        options=ScreenerOptions(state=store, hashing=hashing),
    )
    if new:
        first_use(args, trust)
    with _open_input(args, columns) as source:
        info(args, "Columns used:\n  " + "\n  ".join(source.plan.describe()))
        bar = ProgressBar("screening", "rows")
        total = source.count() if bar.enabled else None
        try:
            report = screener.screen(
                source.records(), progress=bar, total=total, include_clear=args.include_clear
            )
        finally:
            bar.close()
    write_output(args.output, _FORMATS[args.format](report), private=True)
    if args.output and args.output != "-":
        info(args, f"{len(report.matches)} match(es); report written to {args.output}")
    return EXIT_MATCH if args.fail_on_match and report.matches else EXIT_OK


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "screen",
        help="screen an attendee or speaker CSV against the committee's list",
        description=(
            "Verify the list and the grant, then screen every row of INPUT.csv locally. "
            "Nothing leaves this machine."
        ),
    )
    p.add_argument("input", metavar="INPUT.csv", help="attendee or speaker list (UTF-8 CSV)")
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
        help="use column HEADER for KIND, overriding detection (repeatable); "
        f"kinds: {', '.join(COLUMN_KINDS)}",
    )
    p.add_argument("--role", help="passed through to the report, e.g. attendee or speaker")
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
    p.add_argument("-q", "--quiet", action="store_true", help="no information on stderr")
    p.set_defaults(func=_screen)
