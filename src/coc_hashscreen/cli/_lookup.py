"""``coc-hashscreen committee search|subject-export``, and the filters of ``committee list``.

`search` reads a spelling as screening would and finds every record it
would hit (`SearchIndex`); `subject-export` gathers what the register holds
about one person for an access request (`subject_export`).  Neither prints
an identifier that was typed: a query that finds nothing is not echoed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from typing import Any

from ..committee import Committee, Match, Record, SearchIndex, current_profile, subject_export
from ..core import KINDS, Status, resolve_now, split_values
from ..errors import InputError
from ..formats import write_atomic
from ._common import (
    EXIT_MATCH,
    EXIT_OK,
    PROG,
    Parser,
    Subparsers,
    UsageError,
    add_identifier_options,
    identifiers,
    out,
    positive,
    safe,
)

__all__ = ["add_list_filters", "add_lookup_commands", "select_records"]


# ---------------------------------------------------------------------------
# committee list: the filters


def add_list_filters(p: Parser) -> None:
    """``--status`` (repeatable), ``--expired`` or ``--current``, ``--case``."""
    p.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in Status],
        help="only records of this status (repeatable)",
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument("--expired", action="store_true", help="only records past their retention")
    when.add_argument(
        "--current", action="store_true", help="only records not past their retention"
    )
    p.add_argument("--case", metavar="REF", help="only the record with this case reference")


def select_records(records: list[Record], args: argparse.Namespace, now: datetime) -> list[Record]:
    """The *records* that `add_list_filters`'s options keep."""
    return [
        r
        for r in records
        if (not args.status or r.status.value in args.status)
        and (not args.expired or r.is_expired(now))
        and (not args.current or not r.is_expired(now))
        and (args.case is None or r.case_ref == args.case)
    ]


# ---------------------------------------------------------------------------
# committee search


def _listing(match: Match, now: datetime) -> str:
    """Whether screening reports the record today, and if not, why not."""
    record = match.record
    if record.status is Status.MINOR:
        return "minor: never listed"
    if record.is_expired(now):
        return "EXPIRED: no longer listed; 'committee expunge' deletes it"
    if not match.listed(now):
        return "no longer listed: its retention ends this week"
    return "published: screening reports it"


def _match_lines(match: Match, now: datetime) -> list[str]:
    record = match.record
    expires = f"expires {record.expires_at:%Y-%m-%d}" if record.expires_at else "no expiry"
    lines = [
        f"Record {record.id}: {record.status.value}, case {record.case_ref}, {expires}",
        f"  {_listing(match, now)}",
        f"  found through {match.how}",
    ]
    for identifier in record.identifiers:
        label = "alias" if identifier.alias else identifier.kind
        mark = "  <- matched" if identifier == match.identifier else ""
        lines.append(f"  {label}: {safe(identifier.value)}{mark}")
    if record.common_name:
        lines.append("  (name marked common: name-only hits say so)")
    return lines


def _search(args: argparse.Namespace) -> int:
    values = split_values(args.kind, args.value) or [args.value]
    with Committee.open(args.dir) as committee:
        register = committee.register
        profile = current_profile(register)
        index = SearchIndex.of(register.records.all(), profile=profile)
        found: dict[int, Match] = {}
        for value in values:
            for match in index.find(args.kind, value):
                found.setdefault(match.record.id, match)
    now = resolve_now(None)
    matches = [found[rid] for rid in sorted(found)]
    if args.format == "json":
        document = {"profile": profile, "records": [m.to_dict(now) for m in matches]}
        out(json.dumps(document, indent=2, ensure_ascii=True))
    elif not matches:
        # The value typed is an identifier: it is never echoed.
        out(f"No record matches (read as screening under profile {profile} reads it).")
    else:
        for n, match in enumerate(matches):
            out(("\n" if n else "") + "\n".join(_match_lines(match, now)))
    return EXIT_OK if matches else EXIT_MATCH


# ---------------------------------------------------------------------------
# committee subject-export


def _subject_export(args: argparse.Namespace) -> int:
    given = identifiers(args)
    if not given and not args.record:
        raise UsageError(
            f"{PROG} committee subject-export: error: give at least one --name, --email, "
            "--github, --twitter, --mastodon, --alias or --record"
        )
    if os.path.lexists(args.output):
        raise InputError(f"{args.output!r} exists; name a new file for the export")
    with Committee.open(args.dir) as committee:
        export = subject_export(
            committee.register, given, now=resolve_now(None), records=args.record or ()
        )
        data = export.to_json()
    write_atomic(args.output, data, private=True)
    document: dict[str, Any] = export.to_dict()
    attachments = sum(len(r["attachment_data"]) for r in document["reports"])
    refs = ", ".join(m.record.case_ref for m in export.records) or "none"
    out(
        f"Wrote {args.output}: {len(export.records)} record(s) ({refs}), "
        f"{len(export.reports)} report(s) with {attachments} attachment(s), "
        f"{len(export.same_name)} report(s) with the same name only, "
        f"{len(export.audit)} audit entries."
    )
    if export.same_name_records:
        others = ", ".join(f"{m.record.id} ({m.record.case_ref})" for m in export.same_name_records)
        out(
            f"Not exported: record(s) {others} share only a name with the person. If the "
            "committee judges one to be the same person, export again with --record ID."
        )
    if export.records:
        ids = " ".join(str(m.record.id) for m in export.records)
        out(
            f"To erase on request: 'committee remove DIR ID' for each of record(s) {ids}; it "
            "deletes the reports naming the person too."
        )
    out(
        f"{PROG} committee subject-export: warning: the file is as sensitive as the register "
        "(mode 0600). Review it before sending: reports name other people (reporters, "
        "witnesses, people affected), whose data must be redacted; reports with the same "
        "name only may be about someone else. Send it encrypted, then delete it.",
        stream=sys.stderr,
    )
    return EXIT_OK


# ---------------------------------------------------------------------------
# the parser


def add_lookup_commands(csub: Subparsers) -> None:
    p = csub.add_parser(
        "search",
        help="find the records a spelling would hit in screening",
        description=(
            "Find every record that screening this spelling would hit: the value is read as "
            "an organizer reads it, the records as the committee publishes them (variants "
            "included). Minor and expired records are shown too, marked. Exit status 1 when "
            "no record matches."
        ),
    )
    p.add_argument("dir")
    p.add_argument("kind", choices=KINDS, help="identifier kind")
    p.add_argument("value", help="the identifier as written")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_search)

    p = csub.add_parser(
        "subject-export",
        help="gather what the register holds about one person (an access request)",
        description=(
            "Write everything the register holds about one person, found as 'search' finds "
            "records, into a new JSON file (mode 0600) for the committee to review and send."
        ),
    )
    p.add_argument("dir")
    add_identifier_options(p)
    p.add_argument(
        "--record",
        action="append",
        type=positive,
        metavar="ID",
        help="a record sharing only a name that the committee judged to be the person (repeatable)",
    )
    p.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the export to write (a new file)"
    )
    p.set_defaults(func=_subject_export)
