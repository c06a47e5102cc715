"""``committee import``, ``export``, ``retention`` and ``log``: the register as a whole.

The table an import reads is opened by the organizer's reader (CSV in any
Unicode encoding, XLSX, XLS, ODS), so a committee's spreadsheet is read by
the same rules as an attendee list; what a row means is the committee
package's (`Register.plan_import`).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..committee import (
    AUDIT_ACTIONS,
    Committee,
    ImportOptions,
    ImportPlan,
    Period,
    RetentionPolicy,
    export_rows,
)
from ..core import Status
from ..errors import InputError
from ..organizer import TableOptions, open_table
from ._common import (
    EXIT_INPUT,
    EXIT_OK,
    PROG,
    Subparsers,
    UsageError,
    actor,
    add_actor_option,
    out,
    positive,
    safe,
    write_output,
)

__all__ = ["add_register_commands"]


def _column(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    if not sep or not field.strip() or not header.strip():
        raise argparse.ArgumentTypeError(f"not FIELD=HEADER: {text[:40]!r}")
    return field.strip().replace("-", "_"), header


def _columns(pairs: Sequence[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    """--column FIELD=HEADER, repeatable: several headers for identifiers and aliases."""
    found: dict[str, tuple[str, ...]] = {}
    for fieldname, header in pairs:
        found[fieldname] = (*found.get(fieldname, ()), header)
    return found


def _import(args: argparse.Namespace) -> int:
    options = ImportOptions(
        columns=_columns(args.column or ()),
        status=Status(args.status) if args.status else None,
    )
    source = Path(args.file)
    if not source.is_file():
        raise InputError(f"{os.fspath(source)!r} is not a file")
    with Committee.open(args.dir, actor=actor(args)) as committee, source.open("rb") as handle:
        table = open_table(handle, TableOptions(sheet=args.sheet, encoding=args.encoding))
        out(f"Reading {table.origin.describe()}.", stream=sys.stderr)
        rows = list(table.rows())
        register = committee.register
        if args.dry_run:
            plan = register.plan_import(table.header, rows, options)
            _print_plan(plan, args.format, dry_run=True)
            return EXIT_OK if not plan.refused else EXIT_INPUT
        plan, added = register.import_rows(
            table.header, rows, options, skip_refused=args.skip_refused
        )
    _print_plan(plan, args.format, dry_run=False)
    if args.format == "table":
        out(f"Imported {len(added)} record(s) in one transaction.")
        if added:
            out(safe("Their cases: " + ", ".join(r.case_ref for r in added)))
        if plan.refused:
            out(f"{len(plan.refused)} row(s) were not imported; fix them in the source.")
    return EXIT_OK


def _print_plan(plan: ImportPlan, fmt: str, *, dry_run: bool) -> None:
    if fmt == "json":
        out(json.dumps({"dry_run": dry_run, **plan.to_dict()}, indent=2, ensure_ascii=True))
        return
    columns = ", ".join(f"{field} <- {header[:30]!r}" for field, header in plan.columns.items())
    out(safe(f"Columns: {columns}"))
    if plan.ignored_headers:
        ignored = ", ".join(repr(h[:30]) for h in plan.ignored_headers[:10])
        out(safe(f"Not read: {ignored}"))
    verb = "would add" if dry_run else "adds"
    for row in plan.rows:
        record = row.record
        if record is None:
            out(safe(f"row {row.position}: refused: {row.reason}"))
            continue
        kinds = ", ".join(f"{n} {k}" for k, n in row.to_dict()["identifiers"].items())
        ref = f"case {record.case_ref}" if record.case_ref else "a new case reference"
        line = f"row {row.position}: {verb} {record.status.value}, {ref}, {kinds}"
        if row.shares_name_with:
            line += f" (same name as {', '.join(row.shares_name_with[:3])}: check it)"
        out(safe(line))
    if plan.undated:
        out(
            f"{PROG} committee import: warning: {len(plan.undated)} row(s) have no decision "
            "date, so their retention counts from today; add a 'Decision date' column to "
            "count it from the committee's decision",
            stream=sys.stderr,
        )
    summary = f"{len(plan.accepted)} row(s) to add, {len(plan.refused)} refused"
    out(summary + (" (dry run: nothing was changed)" if dry_run else ""))


def _export(args: argparse.Namespace) -> int:
    output = args.output
    if output != "-" and os.path.lexists(output) and not args.force:
        raise UsageError(
            f"{PROG} committee export: error: {output!r} exists; choose a new file (or --force)"
        )
    with Committee.open(args.dir) as committee:
        records = committee.register.records.all()
    fmt = args.format or ("json" if str(output).endswith(".json") else "csv")
    if fmt == "json":
        text = json.dumps([r.to_dict() for r in records], indent=2, ensure_ascii=True) + "\n"
    else:
        header, rows = export_rows(records)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        text = buffer.getvalue()
    write_output(output, text, private=True)
    out(
        f"{PROG} committee export: warning: the file holds every record in the register, as "
        "sensitive as the register itself: keep it encrypted, and delete it when done.",
        stream=sys.stderr,
    )
    if output != "-":
        out(f"Wrote {len(records)} record(s) to {output} (readable by you alone).")
    return EXIT_OK


def _period(text: str) -> Period | None:
    if text.strip().lower() in ("none", "never", "indefinite"):
        return None
    try:
        return Period.parse(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _retention(args: argparse.Namespace) -> int:
    with Committee.open(args.dir, actor=actor(args)) as committee:
        policy = committee.register.settings.policy()
        changes = {
            s.value: getattr(args, s.value) for s in Status if getattr(args, s.value) is not _UNSET
        }
        if changes:
            if "minor" in changes and changes["minor"] is None:
                raise UsageError(
                    f"{PROG} committee retention: error: minor records always end; give "
                    "--minor a period such as 2y"
                )
            merged = {**_fields(policy), **changes}
            policy = RetentionPolicy(**merged)
            committee.register.set_policy(policy)
            out("Set the retention policy; records already in the register keep their expiry.")
    if args.format == "json":
        out(json.dumps(policy.to_dict(), indent=2))
        return EXIT_OK
    for status in Status:
        period = policy.period(status)
        kept = f"{period.describe()} from the decision" if period else "until removed"
        out(f"{status.value:<8} {kept}")
    return EXIT_OK


def _fields(policy: RetentionPolicy) -> dict[str, Period | None]:
    return {s.value: policy.period(s) for s in Status}


_UNSET = object()


def _log(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        entries = committee.register.audit.entries(case_ref=args.case, action=args.action)
    if args.limit:
        entries = entries[-args.limit :]
    if args.format == "json":
        out(json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=True))
        return EXIT_OK
    if not entries:
        out("No entry in the audit trail matches.")
        return EXIT_OK
    for entry in entries:
        cases = f" [{', '.join(entry.case_refs)}]" if entry.case_refs else ""
        details = ", ".join(f"{k}={_short(v)}" for k, v in sorted(entry.details.items()))
        out(safe(f"{entry.at:%Y-%m-%d %H:%M} {entry.actor}: {entry.action}{cases} {details}"))
    return EXIT_OK


def _short(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def add_register_commands(csub: Subparsers) -> None:
    p = csub.add_parser("import", help="add records from a spreadsheet (CSV, XLSX, XLS, ODS)")
    p.add_argument("dir")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--column",
        action="append",
        type=_column,
        metavar="FIELD=HEADER",
        help="read FIELD (name, email, github, twitter, mastodon, alias, status, case_ref, "
        "decided, expires, note) from the column headed HEADER (repeatable)",
    )
    p.add_argument(
        "--status",
        choices=[s.value for s in Status],
        help="the status of rows that have none (default: such rows are refused)",
    )
    p.add_argument("--sheet", metavar="NAME", help="the workbook sheet to read")
    p.add_argument("--encoding", metavar="CODEC", help="a CSV file's legacy encoding")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="say what each row would add or why it is refused; change nothing",
    )
    p.add_argument(
        "--skip-refused",
        action="store_true",
        help="import the rows that can be, leaving out the refused (default: all or nothing)",
    )
    p.add_argument("--format", choices=["table", "json"], default="table")
    add_actor_option(p)
    p.set_defaults(func=_import)

    p = csub.add_parser("export", help="write the register as CSV or JSON, for the committee")
    p.add_argument("dir")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="a new file, or -")
    p.add_argument("--format", choices=["csv", "json"], help="default: from OUT's suffix")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(func=_export)

    p = csub.add_parser("retention", help="show or set how long records are kept")
    p.add_argument("dir")
    for status in Status:
        p.add_argument(
            f"--{status.value}",
            type=_period,
            default=_UNSET,
            metavar="PERIOD",
            help=f"keep {status.value} records this long from the decision (2y, 18m, 90d"
            + (")" if status is Status.MINOR else ", or none)"),
        )
    p.add_argument("--format", choices=["table", "json"], default="table")
    add_actor_option(p)
    p.set_defaults(func=_retention)

    p = csub.add_parser("log", help="show the audit trail: who changed what, and when")
    p.add_argument("dir")
    p.add_argument("--case", metavar="REF", help="only entries about this case")
    p.add_argument("--action", choices=AUDIT_ACTIONS, help="only entries of this action")
    p.add_argument("--limit", type=positive, metavar="N", help="only the last N entries")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_log)
