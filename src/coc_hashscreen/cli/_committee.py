"""``coc-hashscreen committee …``: every committee subcommand is registered here.

The register, publishing and grants are handled here; incident reports
(intake, review) in `_review`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

from ..committee import (
    DEFAULT_GRANT_VALIDITY,
    KEEP,
    REPORT_STEPS,
    Committee,
    GrantRequest,
    Keep,
    NewRecord,
    PublishOptions,
    Record,
    RecordChange,
)
from ..core import KDF_PROFILES, KeyPurpose, Status, Suite, fingerprint, resolve_now
from ..formats import load_public_key
from . import _review
from ._common import (
    EXIT_OK,
    PROG,
    Parser,
    ProgressBar,
    Subparsers,
    UsageError,
    add_identifier_options,
    day,
    identifiers,
    out,
    positive,
    safe,
)

__all__ = ["add_parser"]


def _record_lines(record: Record) -> list[str]:
    expires = f"{record.expires_at:%Y-%m-%d}" if record.expires_at else "-"
    head = f"{record.id:>5}  {record.status.value:<8} {record.case_ref:<14} {expires:<10}  "
    lines = []
    for n, identifier in enumerate(record.identifiers):
        label = "alias" if identifier.alias else identifier.kind
        text = f"{label}: {identifier.value}"
        if len(text) > 80 - len(head):
            text = text[: 80 - len(head) - 1] + "…"
        lines.append((head if n == 0 else " " * len(head)) + text)
    return lines


# ---------------------------------------------------------------------------
# the directory and the register


def _init(args: argparse.Namespace) -> int:
    name = args.name or "Code of Conduct Committee"
    with Committee.init(args.dir, name=name, report_suite=Suite(args.report_suite)) as committee:
        paths = committee.paths
        out(f"Created committee {name!r} in {os.fspath(paths.directory)}")
        out(f"  register:     {os.fspath(paths.register)} (private)")
        out(f"  signing key:  {os.fspath(paths.signing_key)} (private)")
        out(f"  report key:   {os.fspath(paths.report_key)} (private)")
        out(f"  trust file:   {os.fspath(paths.trust)} (give this to organizers)")
        out(f"Series fingerprint: {fingerprint(committee.series)}")
        out("Publish this fingerprint where organizers can check it, e.g. on your website.")
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        register = committee.register
        epoch = register.epochs.current()
        publications = register.epochs.publications()
        records = register.records.all()
        now = resolve_now(None)
        details = {
            "committee": committee.name,
            "series": committee.series.hex(),
            "trust_generation": committee.trust.generation,
            "report_key_suite": committee.trust.report_key.suite.value,
            "epoch": epoch.number if epoch else None,
            "kdf": epoch.kdf.to_dict() if epoch else None,
            "latest_version": publications[-1].version if publications else None,
            "records": len(records),
            "published_records": sum(r.is_published(now) for r in records),
            "organizers": len(register.organizers.all(active_only=True)),
        }
    if args.format == "json":
        out(json.dumps(details, indent=2))
        return EXIT_OK
    out(f"Committee:          {details['committee']}")
    out(f"Series fingerprint: {fingerprint(committee.series)}")
    out(f"Trust generation:   {details['trust_generation']}")
    if epoch is not None:
        out(f"Epoch:              {epoch.number} ({epoch.kdf.describe()})")
    out(f"Latest version:     {details['latest_version'] or 'none published yet'}")
    out(f"Records:            {details['records']} ({details['published_records']} published)")
    out(f"Active organizers:  {details['organizers']}")
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    given = identifiers(args)
    if not given:
        raise UsageError(
            f"{PROG} committee add: error: give at least one --name, --email, --github, "
            "--twitter, --mastodon or --alias"
        )
    # The directory is checked before the record, so the first error named
    # is the one to fix first.
    with Committee.open(args.dir) as committee:
        new = NewRecord(
            status=args.status,
            identifiers=given,
            case_ref=args.case_ref,
            expires_at=args.expires,
            note=args.note or "",
        )
        record = committee.register.records.add(new)
    expiry = f", expires {record.expires_at:%Y-%m-%d}" if record.expires_at else ""
    out(
        f"Added record {record.id}: {record.status.value}, case {record.case_ref}, "
        f"{len(record.identifiers)} identifier(s){expiry}"
    )
    if record.status is Status.MINOR:
        out("Minor incidents are never published and are expunged after their retention.")
    return EXIT_OK


def _update(args: argparse.Namespace) -> int:
    if args.expires is not None and args.no_expiry:
        raise UsageError(f"{PROG} committee update: error: --expires and --no-expiry conflict")
    expires: datetime | Keep | None = KEEP
    if args.expires is not None:
        expires = args.expires
    elif args.no_expiry:
        expires = None
    with Committee.open(args.dir) as committee:
        change = RecordChange(
            status=args.status,
            case_ref=args.case_ref,
            expires_at=expires,
            note=args.note,
            add=identifiers(args, "add_"),
            remove=identifiers(args, "remove_"),
        )
        record = committee.register.records.update(args.record_id, change)
    out(f"Updated record {record.id}:")
    for line in _record_lines(record):
        out(line)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        records = committee.register.records.all()
    if args.format == "json":
        out(json.dumps([r.to_dict() for r in records], indent=2, ensure_ascii=True))
        return EXIT_OK
    if not records:
        out("The register is empty; add records with 'committee add'.")
        return EXIT_OK
    out(f"{'id':>5}  {'status':<8} {'case ref':<14} {'expires':<10}  identifiers")
    for record in records:
        for line in _record_lines(record):
            out(safe(line))
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        committee.register.records.remove(args.record_id)
    out(f"Removed record {args.record_id}; no byte of it is left in the register.")
    return EXIT_OK


def _expunge(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        result = committee.expunge()
    out(
        f"Expunged {result.records} record(s) and {result.reports} minor report(s) past "
        f"their retention, and wiped {result.epoch_keys} retired epoch key(s); no byte of "
        "them is left in the register."
    )
    return EXIT_OK


# ---------------------------------------------------------------------------
# lists, grants and keys


def _publish(args: argparse.Namespace) -> int:
    bar = ProgressBar("hashing", "keys")
    options = PublishOptions(
        valid_for=timedelta(days=args.valid_days),
        rotate=args.rotate,
        kdf=KDF_PROFILES[args.kdf] if args.kdf else None,
        grants_dir=Path(args.grants_dir) if args.grants_dir else None,
        grant_validity=(
            timedelta(days=args.grant_valid_days)
            if args.grant_valid_days
            else DEFAULT_GRANT_VALIDITY
        ),
        min_version=args.min_version,
        min_epoch=args.min_epoch,
        progress=bar,
    )
    with Committee.open(args.dir) as committee:
        try:
            result = committee.publish(args.output, options)
        finally:
            bar.close()
    header = result.header
    if result.rotated:
        out(f"Started epoch {header.epoch} with a new key and salt ({header.kdf.describe()}).")
    out(
        f"Published version {header.version} of epoch {header.epoch}: {result.records} "
        f"record(s), {result.real_entries} key(s), padded to {header.entry_count} entries."
    )
    out(f"Valid until {header.expires_at:%Y-%m-%d %H:%M} UTC; written to {args.output}")
    if result.capped_by_record_expiry:
        out("The list expires early because a listed record's expiry comes first.")
    if result.grants:
        out(f"Issued {len(result.grants)} new grant(s) for epoch {header.epoch}:")
        for path in result.grants:
            out(f"  {os.fspath(path)}")
    elif result.rotated and header.epoch > 1:
        out("No active organizers: no grants were issued.")
    if result.scrub_pending:
        out(
            "Warning: another program has the register open, so the old epoch key is not "
            "yet scrubbed from the register's files; close it, then run 'committee expunge'.",
            stream=sys.stderr,
        )
    return EXIT_OK


def _grant(args: argparse.Namespace) -> int:
    public = load_public_key(args.organizer_public_key, purpose=KeyPurpose.ORGANIZER)
    request = GrantRequest(
        public.key,
        args.name or public.name,
        valid_for=timedelta(days=args.valid_days),
        reinstate=args.reinstate,
    )
    with Committee.open(args.dir) as committee:
        grant = committee.grant(request, args.output)
    out(
        f"Granted epoch {grant.epoch} to {request.name!r}, valid until {grant.expires_at:%Y-%m-%d}:"
    )
    out(f"  key fingerprint {fingerprint(grant.organizer)}")
    out(f"  written to {args.output}")
    return EXIT_OK


def _organizers(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        organizers = committee.register.organizers.all()
    if not organizers:
        out("No organizers yet; 'committee grant' registers one.")
    for organizer in organizers:
        state = f"revoked {organizer.revoked_at:%Y-%m-%d}" if organizer.revoked_at else "active"
        out(f"{organizer.key_id.hex()[:16]}  {state:<18} {organizer.name}")
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    if len(args.key_id.replace(" ", "")) < 8:
        raise UsageError(
            f"{PROG} committee revoke: error: give at least 8 hex digits of the key id "
            "(see 'committee organizers')"
        )
    with Committee.open(args.dir) as committee:
        organizer = committee.register.organizers.find(args.key_id)
        committee.register.organizers.revoke(organizer.key_id)
    out(f"Revoked {organizer.name!r}; it gets no grant at the next rotation ('publish --rotate').")
    return EXIT_OK


def _rotate_key(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        trust = committee.rotate_signing_key()
        path = committee.paths.trust
    out(f"Replaced the signing key: trust file generation {trust.generation}, {os.fspath(path)}")
    out("Give the new trust file to every organizer. Lists and grants signed by the old key")
    out("are refused once they have it: run 'committee publish --rotate' to publish a list")
    out("and issue every active organizer a new grant, both signed by the new key.")
    return EXIT_OK


# ---------------------------------------------------------------------------
# the parser


def add_parser(sub: Subparsers) -> None:
    committee = sub.add_parser(
        "committee",
        help="the committee's register, lists, grants and keys",
        description="Commands for the Code of Conduct committee.",
    )
    csub = committee.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )
    _add_register_commands(csub)
    _add_list_commands(csub)
    _add_report_commands(csub)


def _add_register_commands(csub: Subparsers) -> None:
    p = csub.add_parser("init", help="create a committee directory")
    p.add_argument("dir", help="directory to create (register, keys, trust file)")
    p.add_argument("--name", help="the committee's name, shown to organizers")
    p.add_argument(
        "--report-suite",
        choices=[s.value for s in Suite],
        default=Suite.X25519.value,
        help="HPKE key type for incident reports (default: x25519)",
    )
    p.set_defaults(func=_init)

    p = csub.add_parser("info", help="show the committee's fingerprint, epoch and counts")
    p.add_argument("dir")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_info)

    p = csub.add_parser("add", help="add a person to the register")
    p.add_argument("dir")
    p.add_argument("--status", required=True, choices=[s.value for s in Status])
    add_identifier_options(p)
    p.add_argument("--expires", type=day, metavar="YYYY-MM-DD", help="end of retention")
    p.add_argument("--case-ref", metavar="REF", help="case reference (default: generated)")
    p.add_argument("--note", help="a note for the committee only; never published")
    p.set_defaults(func=_add)

    p = csub.add_parser("update", help="change a record")
    p.add_argument("dir")
    p.add_argument("record_id", type=positive, metavar="RECORD_ID")
    p.add_argument("--status", choices=[s.value for s in Status])
    p.add_argument("--expires", type=day, metavar="YYYY-MM-DD")
    p.add_argument("--no-expiry", action="store_true", help="remove the expiry date")
    p.add_argument("--case-ref", metavar="REF")
    p.add_argument("--note")
    add_identifier_options(p, "add_", "add ")
    add_identifier_options(p, "remove_", "remove ")
    p.set_defaults(func=_update)

    p = csub.add_parser("list", help="list the records in the register")
    p.add_argument("dir")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_list)

    p = csub.add_parser("remove", help="remove a record for good")
    p.add_argument("dir")
    p.add_argument("record_id", type=positive, metavar="RECORD_ID")
    p.set_defaults(func=_remove)


def _add_list_commands(csub: Subparsers) -> None:
    p = csub.add_parser("publish", help="build, sign and write the hashed list")
    p.add_argument("dir")
    p.add_argument("-o", "--output", required=True, metavar="LIST")
    p.add_argument(
        "--valid-days",
        type=positive,
        default=30,
        metavar="N",
        help="days until the list expires (default: 30)",
    )
    p.add_argument(
        "--rotate", action="store_true", help="start a new epoch: new key and salt, new grants"
    )
    p.add_argument(
        "--kdf",
        choices=sorted(KDF_PROFILES),
        help="Argon2 profile for a new epoch (default: keep; 'test-only' is for tests)",
    )
    p.add_argument(
        "--grants-dir", metavar="DIR", help="where new grants are written (default: DIR/grants)"
    )
    p.add_argument(
        "--grant-valid-days",
        type=positive,
        metavar="N",
        help="validity of the grants a publish issues (default: 90)",
    )
    p.add_argument(
        "--min-version",
        type=positive,
        default=1,
        metavar="N",
        help="after restoring a backup: publish at least this version",
    )
    p.add_argument(
        "--min-epoch",
        type=positive,
        default=1,
        metavar="N",
        help="after restoring a backup, with --rotate: start at least this epoch",
    )
    p.set_defaults(func=_publish)

    p = csub.add_parser("grant", help="grant an organizer the current epoch's key")
    p.add_argument("dir")
    p.add_argument(
        "organizer_public_key", metavar="ORGANIZER_PUBLIC_KEY", help="the organizer's .pub file"
    )
    p.add_argument("-o", "--output", required=True, metavar="GRANT")
    p.add_argument("--valid-days", type=positive, default=90, metavar="N")
    p.add_argument("--name", help="the organizer's name (default: from its .pub file)")
    p.add_argument("--reinstate", action="store_true", help="grant an organizer that was revoked")
    p.set_defaults(func=_grant)

    p = csub.add_parser("organizers", help="list the organizers granted access")
    p.add_argument("dir")
    p.set_defaults(func=_organizers)

    p = csub.add_parser("revoke", help="stop granting an organizer access")
    p.add_argument("dir")
    p.add_argument("key_id", metavar="KEY_ID", help="key id prefix, from 'committee organizers'")
    p.set_defaults(func=_revoke)

    p = csub.add_parser("expunge", help="delete expired records for good")
    p.add_argument("dir")
    p.set_defaults(func=_expunge)

    p = csub.add_parser("rotate-key", help="replace the committee's signing key")
    p.add_argument("dir")
    p.set_defaults(func=_rotate_key)


def _add_report_commands(csub: Subparsers) -> None:
    p = csub.add_parser("intake", help="receive a sealed report; write a receipt")
    p.add_argument("dir")
    p.add_argument("sealed", metavar="SEALED")
    p.add_argument("-o", "--output", required=True, metavar="RECEIPT")
    p.add_argument("--by", metavar="NAME", help="who received it (default: your user name)")
    p.set_defaults(func=_review.intake)

    p = csub.add_parser("reports", help="list received reports and their review step")
    p.add_argument("dir")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_review.reports)

    p = csub.add_parser("show-report", help="read a received report")
    p.add_argument("dir")
    p.add_argument("report_id", metavar="REPORT_ID")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument(
        "--attachments", metavar="DIR", help="save the attachments into DIR, a new directory"
    )
    p.set_defaults(func=_review.show_report)

    p = csub.add_parser("link", help="link a person in a report to a record, or unlink them")
    p.add_argument("dir")
    p.add_argument("report_id", metavar="REPORT_ID")
    p.add_argument(
        "person",
        type=positive,
        metavar="PERSON",
        help="the person's number, as 'show-report' prints it",
    )
    p.add_argument("--record", type=positive, metavar="ID", help="the record to link to")
    p.add_argument("--none", action="store_true", help="remove the link")
    p.set_defaults(func=_review.link)

    p = csub.add_parser("review", help="move a report to its next review step")
    p.add_argument("dir")
    p.add_argument("report_id", metavar="REPORT_ID")
    p.add_argument(
        "--to",
        required=True,
        choices=REPORT_STEPS[1:],
        metavar="STEP",
        help="reviewed, assessed or recorded",
    )
    p.add_argument("--note", help="what was decided and why")
    p.add_argument(
        "--status", choices=[s.value for s in Status], help="with --to assessed: the outcome"
    )
    p.add_argument(
        "--expires",
        type=day,
        metavar="YYYY-MM-DD",
        help="with --status: the record's or (minor) the report's expiry",
    )
    p.add_argument("--by", metavar="NAME", help="who takes this step (default: your user name)")
    p.set_defaults(func=_review.review)
