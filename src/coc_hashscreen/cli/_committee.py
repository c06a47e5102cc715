"""``coc-hashscreen committee …``: every committee subcommand is registered here.

The directory and the register are handled here; lists, grants and keys in
`_lists`; incident reports (intake, review) in `_review`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime

from ..committee import (
    KEEP,
    REPORT_STEPS,
    Committee,
    ExpungeResult,
    Keep,
    NewRecord,
    Record,
    RecordChange,
    UpdateResult,
    listed_records,
)
from ..core import Status, Suite, fingerprint, resolve_now
from ..formats import KeyFileInfo
from . import _backup, _lists, _lookup, _register, _review, _service
from ._common import (
    EXIT_OK,
    PROG,
    Parser,
    Subparsers,
    UsageError,
    actor,
    add_actor_option,
    add_identifier_options,
    day,
    identifiers,
    out,
    positive,
    safe,
)
from ._lists import open_committee, print_head, print_published
from ._passphrase import (
    add_new_passphrase_options,
    add_passphrase_options,
    committee_keys,
    new_protection,
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
    if record.common_name:
        lines.append(" " * len(head) + "(name marked common: name-only hits say so)")
    return lines


# ---------------------------------------------------------------------------
# the directory and the register


def _unencrypted_warning(command: str) -> None:
    out(
        f"{PROG} {command}: warning: the private keys are stored unencrypted: anyone who "
        "copies signing.key can sign lists every organizer accepts, and anyone who copies "
        "report.key can open reports sealed to you. Add a passphrase with "
        f"'{PROG} committee passphrase DIR'.",
        stream=sys.stderr,
    )


def _init(args: argparse.Namespace) -> int:
    name = args.name or "Code of Conduct Committee"
    protection = new_protection(args, committee_keys(args))
    with Committee.init(
        args.dir, name=name, report_suite=Suite(args.report_suite), protection=protection
    ) as committee:
        paths = committee.paths
        out(f"Created committee {name!r} in {os.fspath(paths.directory)}")
        out(f"  register:     {os.fspath(paths.register)} (private)")
        out(f"  signing key:  {os.fspath(paths.signing_key)} (private)")
        out(f"  report key:   {os.fspath(paths.report_key)} (private)")
        out(f"  trust file:   {os.fspath(paths.trust)} (give this to organizers)")
        out(f"Series fingerprint: {fingerprint(committee.series)}")
        print_head(committee.trust)
    if protection is None:
        _unencrypted_warning("committee init")
    return EXIT_OK


def _protection_text(keys: tuple[KeyFileInfo, KeyFileInfo]) -> str:
    kdfs = {info.kdf for info in keys}
    if kdfs == {None}:
        return "NOT encrypted (add a passphrase: 'committee passphrase')"
    if None in kdfs or len(kdfs) > 1:
        return "only partly changed: run 'committee passphrase' again"
    return f"encrypted under a passphrase ({keys[0].kdf.describe()})"  # type: ignore[union-attr]


def _passphrase(args: argparse.Namespace) -> int:
    with open_committee(args) as committee:
        # The current passphrase is asked for, and checked, before the new one.
        committee.unlock()
        new = new_protection(args, committee_keys(args), prefix="new_")
        committee.change_passphrase(new)
    if new is None:
        out(f"Wrote {os.fspath(committee.paths.signing_key)} and report.key unencrypted.")
        _unencrypted_warning("committee passphrase")
    else:
        out("Changed the passphrase of signing.key and report.key.")
        out("Backups made before this still open with the old passphrase.")
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    with Committee.open(args.dir, actor=actor(args)) as committee:
        register = committee.register
        epoch = register.epochs.current()
        publications = register.epochs.publications()
        records = register.records.all()
        now = resolve_now(None)
        details = {
            "committee": committee.name,
            "series": committee.series.hex(),
            "trust_generation": committee.trust.generation,
            "trust_fingerprint": committee.trust.fingerprint.hex(),
            "trust_expires_at": committee.trust.expires_at.isoformat(),
            "report_key_suite": committee.trust.report_key.suite.value,
            "epoch": epoch.number if epoch else None,
            "kdf": epoch.kdf.to_dict() if epoch else None,
            # The service's address in an online epoch; None offline.
            "online": epoch.endpoint if epoch else None,
            "latest_version": publications[-1].version if publications else None,
            "records": len(records),
            # What the next list would hold: flagged or banned, not expired.
            "publishable_records": len(
                listed_records([r for r in records if r.is_published(now)], now)
            ),
            "organizers": len(register.organizers.all(active_only=True)),
            "retention_policy": register.settings.policy().to_dict(),
            "keys_encrypted": all(info.encrypted for info in committee.key_files()),
        }
        keys = _protection_text(committee.key_files())
        kept = register.settings.policy().to_dict()
    if args.format == "json":
        out(json.dumps(details, indent=2))
        return EXIT_OK
    out(f"Committee:          {details['committee']}")
    out(f"Series fingerprint: {fingerprint(committee.series)}")
    out(f"Trust generation:   {details['trust_generation']}")
    out(f"Trust fingerprint:  {fingerprint(committee.trust.fingerprint)}")
    out(f"Trust expires:      {committee.trust.expires_at:%Y-%m-%d %H:%M} UTC")
    if epoch is not None:
        out(f"Epoch:              {epoch.number} ({epoch.kdf.describe()})")
        mode = f"online, through the service at {epoch.endpoint}" if epoch.online else "offline"
        out(f"Lists:              {mode}")
    out(f"Latest version:     {details['latest_version'] or 'none published yet'}")
    out(f"Records:            {details['records']} ({details['publishable_records']} publishable)")
    out(f"Active organizers:  {details['organizers']}")
    policy = ", ".join(f"{status} {period or 'until removed'}" for status, period in kept.items())
    out(f"Retention:          {policy} (from the decision)")
    out(f"Private keys:       {keys}")
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
    with Committee.open(args.dir, actor=actor(args)) as committee:
        new = NewRecord(
            status=args.status,
            identifiers=given,
            case_ref=args.case_ref,
            expires_at=args.expires,
            note=args.note or "",
            decided_at=args.decided,
        )
        # The same e-mail address or handle on another record is most often
        # the same person: said, never refused (a shared address may be
        # real), and without quoting it.
        shared = committee.register.records.find(new.identifiers)
        record = committee.register.records.add(new)
        if shared is not None:
            other = committee.register.records.get(shared).case_ref
            out(
                f"{PROG} committee add: warning: record {shared} (case {safe(other)}) has an "
                "e-mail address or handle of this one; if it is the same person, merge them "
                "('committee update', then 'committee remove')",
                stream=sys.stderr,
            )
    expiry = f", expires {record.expires_at:%Y-%m-%d}" if record.expires_at else ", no expiry"
    out(
        f"Added record {record.id}: {record.status.value}, case {record.case_ref}, "
        f"{len(record.identifiers)} identifier(s), decided {record.decided_at:%Y-%m-%d}{expiry}"
    )
    if record.status is Status.MINOR:
        out("Minor incidents are never published and are expunged after their retention.")
    return EXIT_OK


def _update(args: argparse.Namespace) -> int:
    if args.expires is not None and args.no_expiry:
        raise UsageError(f"{PROG} committee update: error: --expires and --no-expiry conflict")
    given = [args.status, args.decided, args.expires, args.case_ref, args.note, args.common_name]
    if (
        all(v is None for v in given)
        and not args.no_expiry
        and not (identifiers(args, "add_") or identifiers(args, "remove_"))
    ):
        raise UsageError(
            f"{PROG} committee update: error: nothing to change; give --status, --decided, "
            "--expires, --no-expiry, --case-ref, --note, --common-name or an identifier to "
            "add or remove"
        )
    expires: datetime | Keep | None = KEEP
    if args.expires is not None:
        expires = args.expires
    elif args.no_expiry:
        expires = None
    with open_committee(args) as committee:
        change = RecordChange(
            status=args.status,
            case_ref=args.case_ref,
            expires_at=expires,
            note=args.note,
            add=identifiers(args, "add_"),
            remove=identifiers(args, "remove_"),
            common_name=args.common_name,
            decided_at=args.decided,
        )
        result = committee.update_record(args.record_id, change)
        out(f"Updated record {result.record.id}:")
        for line in _record_lines(result.record):
            out(safe(line))
        _after_deletion(committee, result, args.output, cause="What the change took off the record")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with Committee.open(args.dir, actor=actor(args)) as committee:
        every = committee.register.records.all()
    now = resolve_now(None)
    records = _lookup.select_records(every, args, now)
    if args.format == "json":
        listed = [{**r.to_dict(), "expired": r.is_expired(now)} for r in records]
        out(json.dumps(listed, indent=2, ensure_ascii=True))
        return EXIT_OK
    if not records:
        out(
            "No record matches the filters."
            if every
            else "The register is empty; add records with 'committee add'."
        )
        return EXIT_OK
    out(f"{'id':>5}  {'status':<8} {'case ref':<14} {'expires':<10}  identifiers")
    for record in records:
        for line in _record_lines(record):
            out(safe(line))
        if record.is_expired(now):
            out(" " * 43 + "(EXPIRED: expunge deletes it)")
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    with open_committee(args) as committee:
        result = committee.remove_record(args.record_id)
        out(
            f"Removed record {args.record_id} (case {safe(result.case_refs[0])}) and "
            f"{result.reports} report(s) naming the person; no byte of them is left in the "
            "register."
        )
        _after_deletion(committee, result, args.output)
    return EXIT_OK


def _expunge(args: argparse.Namespace) -> int:
    if args.dry_run:
        with Committee.open(args.dir) as committee:
            plan = committee.register.expunge_plan()
        out(
            f"Would expunge {len(plan.case_refs)} record(s) and {len(plan.reports)} report(s) "
            "past their retention (and any report naming one of these people); nothing was "
            "deleted."
        )
        _print_cases(plan.case_refs)
        return EXIT_OK
    with open_committee(args) as committee:
        result = committee.expunge()
        out(
            f"Expunged {result.records} record(s) and {result.reports} report(s) past "
            f"their retention, and wiped {result.epoch_keys} epoch key(s); no byte of "
            "them is left in the register."
        )
        _print_cases(result.case_refs)
        if result.case_refs:
            out("Delete these cases from every other place the committee keeps them, too.")
        _after_deletion(committee, result, args.output)
    return EXIT_OK


def _print_cases(case_refs: tuple[str, ...]) -> None:
    for ref in case_refs:
        out(f"  case {safe(ref)}")


def _after_deletion(
    committee: Committee,
    result: ExpungeResult | UpdateResult,
    output: str | None,
    *,
    cause: str = "A deleted record",
) -> None:
    """Say what a deletion (or an un-listing update) that rotated the epoch needs next.

    Or publish it to *output*.  *cause* names what was in a list of the epoch.
    """
    if result.rotated_to is None:
        return
    out(
        f"{cause} was in a list of the last epoch: started epoch {result.rotated_to} "
        "and wiped the old key."
    )
    if output is None:
        out(
            "Publish now ('committee publish DIR -o LIST'): organizers get the new list and "
            "grants for the new epoch with it. Lists they already hold still name the person "
            "until they expire."
        )
        return
    print_published(committee.publish(output), output, committee.trust)


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
    _register.add_register_commands(csub)
    _lookup.add_lookup_commands(csub)
    _lists.add_list_commands(csub)
    _add_report_commands(csub)
    _backup.add_backup_commands(csub)
    _service.add_service_commands(csub)


def _add_common_name_options(p: argparse.ArgumentParser) -> None:
    common = p.add_mutually_exclusive_group()
    common.add_argument(
        "--common-name",
        action="store_const",
        const=True,
        dest="common_name",
        help="mark the record's name common: organizers' name-only hits on it say so",
    )
    common.add_argument(
        "--not-common-name",
        action="store_const",
        const=False,
        dest="common_name",
        help="take the mark off",
    )


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
    add_passphrase_options(
        p, opt_out="store the private keys unencrypted (not recommended; prints a warning)"
    )
    p.set_defaults(func=_init)

    p = csub.add_parser(
        "passphrase", help="add, change or remove the passphrase of the private keys"
    )
    p.add_argument("dir")
    add_passphrase_options(p)
    add_new_passphrase_options(p)
    p.set_defaults(func=_passphrase)

    p = csub.add_parser("info", help="show the committee's fingerprint, epoch and counts")
    p.add_argument("dir")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_info)

    _add_record_commands(csub)

    p = csub.add_parser("list", help="list the records in the register")
    p.add_argument("dir")
    p.add_argument("--format", choices=["table", "json"], default="table")
    _lookup.add_list_filters(p)
    p.set_defaults(func=_list)

    p = csub.add_parser("remove", help="remove a record and its reports for good")
    p.add_argument("dir")
    p.add_argument("record_id", type=positive, metavar="RECORD_ID")
    _add_rotation_output(p)
    p.set_defaults(func=_remove)

    p = csub.add_parser("expunge", help="delete expired records and reports for good")
    p.add_argument("dir")
    p.add_argument(
        "--dry-run", action="store_true", help="say which cases would go, and delete nothing"
    )
    _add_rotation_output(p)
    p.set_defaults(func=_expunge)


def _add_record_commands(csub: Subparsers) -> None:
    p = csub.add_parser("add", help="add a person to the register")
    p.add_argument("dir")
    p.add_argument("--status", required=True, choices=[s.value for s in Status])
    add_identifier_options(p)
    p.add_argument(
        "--decided",
        type=day,
        metavar="YYYY-MM-DD",
        help="the day of the committee's decision (default: today); the retention policy "
        "counts from it",
    )
    p.add_argument(
        "--expires",
        type=day,
        metavar="YYYY-MM-DD",
        help="end of retention (default: from the decision, by the retention policy)",
    )
    p.add_argument("--case-ref", metavar="REF", help="case reference (default: generated)")
    p.add_argument("--note", help="a note for the committee only; never published")
    add_actor_option(p)
    p.set_defaults(func=_add)

    p = csub.add_parser("update", help="change a record")
    p.add_argument("dir")
    p.add_argument("record_id", type=positive, metavar="RECORD_ID")
    p.add_argument("--status", choices=[s.value for s in Status])
    p.add_argument(
        "--decided",
        type=day,
        metavar="YYYY-MM-DD",
        help="a new decision's day (default with --status: today); the retention is "
        "computed again from it unless --expires is given",
    )
    p.add_argument("--expires", type=day, metavar="YYYY-MM-DD")
    p.add_argument("--no-expiry", action="store_true", help="remove the expiry date")
    p.add_argument("--case-ref", metavar="REF")
    p.add_argument("--note")
    _add_common_name_options(p)
    add_identifier_options(p, "add_", "add ")
    add_identifier_options(p, "remove_", "remove ")
    _add_rotation_output(p, "an identifier removed or the record lowered to minor was listed in it")
    p.set_defaults(func=_update)


def _add_rotation_output(
    p: argparse.ArgumentParser, why: str = "a deleted record was listed in it"
) -> None:
    p.add_argument(
        "-o",
        "--output",
        metavar="LIST",
        help=f"if the epoch rotates ({why}), publish the new list here and the grants in "
        "DIR/grants",
    )
    add_passphrase_options(p)
    add_actor_option(p)


def _add_report_commands(csub: Subparsers) -> None:
    p = csub.add_parser("intake", help="receive a sealed report; write a receipt")
    p.add_argument("dir")
    p.add_argument("sealed", metavar="SEALED")
    p.add_argument("-o", "--output", required=True, metavar="RECEIPT")
    p.add_argument("--by", metavar="NAME", help="who received it (default: your user name)")
    add_passphrase_options(p)
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
    add_actor_option(p)
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
    p.add_argument(
        "--add-identifier",
        action="append",
        default=[],
        type=_review.identifier_position,
        metavar="P.I",
        help="with --status flagged or banned: add identifier I of person P, as "
        "'show-report' numbers it, to the person's linked record (repeatable); no other "
        "identifier from the report is added to a linked record",
    )
    p.add_argument("--by", metavar="NAME", help="who takes this step (default: your user name)")
    p.set_defaults(func=_review.review)
