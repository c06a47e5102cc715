"""``coc-hashscreen committee intake|reports|show-report|link|review``: incident reports."""

from __future__ import annotations

import argparse
import json
import os
import sys

from ..committee import Committee, ReviewAction, StoredReport, new_identifiers
from ..core import Status
from ..formats import IncidentReport, read_sealed, save_attachments, write_atomic
from ._common import EXIT_OK, PROG, UsageError, actor, member, out, safe
from ._passphrase import committee_keys, passphrase_source

__all__ = ["identifier_position", "intake", "link", "reports", "review", "show_report"]


def identifier_position(value: str) -> tuple[int, int]:
    """A ``P.I`` argument (person P, identifier I, from 1) as positions from 0.

    The identifier itself is never asked for: it would stay in the shell's
    history.  The message does not quote the value, which may be one.
    """
    person, dot, identifier = value.partition(".")
    if not (dot and person.isdigit() and identifier.isdigit()):
        raise argparse.ArgumentTypeError(
            "not a position like 1.2 (person 1, identifier 2, as 'show-report' numbers them)"
        )
    if int(person) < 1 or int(identifier) < 1:
        raise argparse.ArgumentTypeError("positions are counted from 1.1")
    return int(person) - 1, int(identifier) - 1


def intake(args: argparse.Namespace) -> int:
    source = passphrase_source(args, committee_keys(args))
    with Committee.open(args.dir, passphrase=source, actor=actor(args)) as committee:
        result = committee.intake(read_sealed(args.sealed), actor=member(args))
    write_atomic(args.output, result.receipt)
    report = result.report
    if result.duplicate:
        out(f"Already received as {report.id} on {report.received_at:%Y-%m-%d}; not stored again.")
    else:
        linked = sorted({r for _, r in report.people if r is not None})
        out(
            f"Received report {report.id} from {report.event_name!r}: {len(report.people)} "
            f"people, {report.attachments} attachment(s)."
        )
        if linked:
            out(f"People in it match existing record(s): {', '.join(map(str, linked))}.")
    out(f"Receipt written to {args.output}; send it back to the organizer.")
    return EXIT_OK


def reports(args: argparse.Namespace) -> int:
    with Committee.open(args.dir, actor=actor(args)) as committee:
        stored = committee.register.reports.all()
    if args.format == "json":
        out(json.dumps([r.to_dict() for r in stored], indent=2, ensure_ascii=True))
        return EXIT_OK
    if not stored:
        out("No reports received yet.")
        return EXIT_OK
    out(f"{'report':<18}  {'received':<10}  {'step':<9} {'outcome':<8} event")
    for r in stored:
        outcome = r.outcome.value if r.outcome else "-"
        out(
            safe(
                f"{r.id:<18}  {r.received_at:%Y-%m-%d}  {r.step:<9} {outcome:<8} "
                f"{r.event_name[:28]}"
            )
        )
    return EXIT_OK


def show_report(args: argparse.Namespace) -> int:
    with Committee.open(args.dir, actor=actor(args)) as committee:
        register = committee.register
        stored = register.reports.get(args.report_id)
        content = register.reports.content(args.report_id)
        index = register.records.index()
        suggestions = [index.name_matches(p.all_identifiers) for p in content.people]
        linked = {r: register.records.get(r) for _, r in stored.people if r is not None}
        new = new_identifiers(content, stored.people, linked)
    if args.attachments:
        _save_attachments(content, args.attachments)
    if args.format == "json":
        document = {
            **stored.to_dict(),
            "content": content.to_dict(),
            "new_identifiers": [f"{p + 1}.{i + 1}" for p, i in new],
        }
        out(json.dumps(document, indent=2, ensure_ascii=True))
        return EXIT_OK
    lines = [
        *_header_lines(stored, content),
        *_people_lines(stored, content, suggestions, set(new)),
        *_body_lines(stored, content),
    ]
    # `out` escapes every control but the line feeds of our layout and of
    # the report's multi-line texts; one-line fields were cleaned when read.
    out("\n".join(lines))
    return EXIT_OK


def _save_attachments(content: IncidentReport, directory: str) -> None:
    """Extract a report's attachments into a new directory, under names of our own.

    The sender's file names are only printed (escaped), never used: each
    file is named by its position and the type its content was found to be.
    """
    saved = save_attachments(content.attachments, directory)
    for item in saved:
        out(
            f"Saved {item.attachment.name!r} ({item.attachment.media_type}) as "
            f"{os.fspath(item.path)}",
            stream=sys.stderr,
        )


def _header_lines(stored: StoredReport, content: IncidentReport) -> list[str]:
    # One-line fields are escaped line feeds included: they must not start
    # a line that looks like one of ours.
    outcome = f", {stored.outcome.value}" if stored.outcome else ""
    where = f" in {safe(content.event_location)}" if content.event_location else ""
    organization = (
        f", {safe(content.reporter_organization)}" if content.reporter_organization else ""
    )
    lines = [
        f"Report {stored.id}: {stored.step}{outcome}",
        f"Event: {safe(content.event_name)}, {content.event_start} to {content.event_end}{where}",
        f"From: {safe(content.reporter_name)} <{safe(content.reporter_email)}>{organization}",
    ]
    if content.reference:
        lines.append(f"Their reference: {safe(content.reference)}")
    return lines


def _people_lines(
    stored: StoredReport,
    content: IncidentReport,
    suggestions: list[list[int]],
    new: set[tuple[int, int]],
) -> list[str]:
    """Each person, and each identifier numbered P.I for 'review --add-identifier'.

    An identifier of a linked person that the record does not hold is marked
    new: the report may name someone else beside the person it links to.
    """
    lines = []
    for n, (person, (_, record)) in enumerate(zip(content.people, stored.people, strict=True)):
        linked = f" (record {record})" if record else ""
        lines.append(f"  {n + 1}. {person.role}{linked}")
        for i, identifier in enumerate(person.all_identifiers):
            mark = f"  [new: not on record {record}]" if (n, i) in new else ""
            lines.append(f"     {n + 1}.{i + 1} {identifier.kind}: {identifier.value}{mark}")
        if record is None and suggestions[n]:
            found = ", ".join(map(str, suggestions[n]))
            lines.append(f"     same name as record(s) {found}, not linked: if it is the same")
            lines.append(f"     person, run 'committee link DIR {stored.id} {n + 1} --record ID'")
        if person.notes:
            lines.append(f"     notes: {person.notes}")
    return lines


def _body_lines(stored: StoredReport, content: IncidentReport) -> list[str]:
    lines = []
    for title, text in (
        ("Facts", content.facts),
        ("Review", content.review),
        ("Actions", content.actions),
        ("Responses", content.responses),
    ):
        if text:
            lines.append(f"\n{title}:\n{text}")
    for attachment in content.attachments:
        size = len(attachment.data)
        lines.append(f"Attachment: {attachment.name} ({attachment.media_type}, {size:,} bytes)")
    for step in stored.steps:
        note = f": {step.note}" if step.note else ""
        lines.append(f"{step.at:%Y-%m-%d %H:%M} {step.step} by {step.actor}{note}")
    return lines


def link(args: argparse.Namespace) -> int:
    if (args.record is None) == (not args.none):
        raise UsageError(f"{PROG} committee link: error: give --record ID or --none")
    with Committee.open(args.dir, actor=actor(args)) as committee:
        committee.register.reports.link(args.report_id, args.person - 1, args.record)
    target = f"record {args.record}" if args.record else "no record"
    out(f"Person {args.person} of report {args.report_id} is now linked to {target}.")
    return EXIT_OK


def review(args: argparse.Namespace) -> int:
    with Committee.open(args.dir, actor=actor(args)) as committee:
        action = ReviewAction(
            args.to,
            actor=member(args),
            note=args.note or "",
            outcome=args.status,
            expires_at=args.expires,
            add_identifiers=args.add_identifier,
        )
        report = committee.register.reports.advance(args.report_id, action)
        content = committee.register.reports.content(report.id)
        store = committee.register.records
        linked = {r: store.get(r) for _, r in report.people if r is not None}
        new = new_identifiers(content, report.people, linked)
        left_out = sum(report.people[p][0] == "reported" for p, _ in new)
    out(f"Report {report.id} is now {report.step}.")
    if args.status is None:
        return EXIT_OK
    if report.outcome in (Status.FLAGGED, Status.BANNED):
        records = sorted({r for role, r in report.people if role == "reported" and r})
        out(
            f"Recorded as {report.outcome.value} in record(s) {', '.join(map(str, records))}; "
            "the next published list includes them."
        )
        if left_out:
            out(
                f"{left_out} identifier(s) of reported people were not added to their records "
                "(no --add-identifier); add one with 'committee update' if the committee has "
                "confirmed it is the same person."
            )
    elif report.outcome is Status.MINOR and report.expires_at:
        out(f"A minor incident: kept until {report.expires_at:%Y-%m-%d}, then expunged.")
    return EXIT_OK
