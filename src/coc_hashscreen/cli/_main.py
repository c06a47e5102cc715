"""The ``coc-hashscreen`` command: a thin layer over the public Python API.

No logic lives only here.  Each subcommand parses its arguments, calls the
library, and prints.  Errors the library raises on purpose become a one-line
message on stderr and a documented exit code (see `EXIT_CODES`); a traceback
is shown only with ``--debug`` or for a genuine bug.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import json
import os
import sys
import time
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final, NoReturn, TextIO, TypeAlias

from .. import errors
from .._version import __version__
from ..committee import KEEP, REPORT_STEPS, Committee, Keep, Record, StoredReport
from ..core import (
    KDF_PROFILES,
    KINDS,
    HashingOptions,
    Identifier,
    KeyPurpose,
    Status,
    Suite,
    canonical,
    resolve_now,
    variants,
)
from ..formats import (
    MAX_REPORT_JSON,
    MAX_SIZES,
    Attachment,
    IncidentReport,
    TrustFile,
    load_public_key,
    parse_grant,
    parse_list,
    parse_receipt,
    parse_trust,
    peek_type,
    read_envelope,
    read_limited,
    read_sealed,
    report_template,
    seal_report,
    verify_receipt,
    write_atomic,
)
from ..organizer import (
    COLUMN_KINDS,
    FileState,
    Screener,
    ScreenerOptions,
    init_organizer,
    load_organizer_key,
    load_trust,
    pin_trust,
    read_csv,
    report_to_csv,
    report_to_json,
    report_to_table,
)

__all__ = ["EXIT_CODES", "main"]

PROG: Final = "coc-hashscreen"

EXIT_OK: Final = 0
EXIT_MATCH: Final = 1
EXIT_USAGE: Final = 2
EXIT_INPUT: Final = 3
EXIT_VERIFY: Final = 4
EXIT_POLICY: Final = 5
EXIT_FORMAT: Final = 6
EXIT_SETUP: Final = 7
EXIT_INTERNAL: Final = 70
EXIT_INTERRUPTED: Final = 130

# Documented in docs/cli.md; the first matching class wins.
EXIT_CODES: Final[tuple[tuple[type[BaseException], int], ...]] = (
    (errors.VerificationError, EXIT_VERIFY),
    (errors.PolicyError, EXIT_POLICY),
    (errors.FormatError, EXIT_FORMAT),
    (errors.KeyFileError, EXIT_SETUP),
    (errors.RegisterError, EXIT_SETUP),
    (errors.InvalidParameters, EXIT_SETUP),
    (errors.InputError, EXIT_INPUT),
    (errors.InvalidIdentifier, EXIT_INPUT),
    (errors.UnknownKind, EXIT_INPUT),
    (errors.CocHashscreenError, EXIT_INPUT),
)


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises instead of exiting, so `main` returns."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message}")


Handler = Callable[[argparse.Namespace], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[_Parser]"


def _out(text: str = "", *, stream: TextIO | None = None) -> None:
    print(text, file=stream or sys.stdout)


def _info(args: argparse.Namespace, text: str) -> None:
    """Information for people, on stderr so that stdout stays machine-readable."""
    if not getattr(args, "quiet", False):
        _out(text, stream=sys.stderr)


def _safe(text: str) -> str:
    """Text from reports and the register, with control characters made visible.

    A report comes from outside; an escape sequence in it must not rewrite
    what the committee sees on its terminal.
    """
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf") else f"\\u{ord(ch):04x}"
        for ch in text
    )


def _fingerprint(key_id: bytes) -> str:
    """A key id as people compare it: 16 groups of 4 hex digits."""
    text = key_id.hex()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _date(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in YYYY-MM-DD form: {value!r}") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return number


def _column(value: str) -> tuple[str, str]:
    kind, sep, header = value.partition("=")
    if not sep or not header:
        raise argparse.ArgumentTypeError(f"expected KIND=HEADER, got {value!r}")
    if kind not in COLUMN_KINDS:
        raise argparse.ArgumentTypeError(
            f"unknown kind {kind!r}; use one of {', '.join(COLUMN_KINDS)}"
        )
    return kind, header


def _write_output(path: str | None, text: str, *, private: bool) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
    else:
        write_atomic(path, text.encode("utf-8"), private=private)


class _ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, unit: str, *, enabled: bool | None = None) -> None:
        self.label = label
        self.unit = unit
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = done / elapsed
        text = f"{self.label}: {done:,}"
        if total:
            left = (total - done) / rate if rate > 0 else 0.0
            text += f"/{total:,} ({100 * done / total:3.0f}%), {rate:,.0f} {self.unit}/s"
            text += f", {_duration(left)} left"
        else:
            text += f", {rate:,.0f} {self.unit}/s"
        sys.stderr.write("\r" + text[:79].ljust(79))
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


# ---------------------------------------------------------------------------
# normalize


def _cmd_normalize(args: argparse.Namespace) -> int:
    form = canonical(args.kind, args.value)
    if args.variants:
        keys = sorted(variants(args.kind, args.value))
        if args.json:
            _out(json.dumps({"kind": args.kind, "canonical": form, "variants": keys}))
        else:
            _out(form)
            for key in keys:
                if key != form:
                    _out(f"  variant: {key}")
    elif args.json:
        _out(json.dumps({"kind": args.kind, "canonical": form}))
    else:
        _out(form)
    return EXIT_OK


def _add_normalize(sub: Subparsers) -> None:
    p = sub.add_parser(
        "normalize",
        help="print the canonical form of an identifier",
        description=(
            "Print the canonical form of an identifier under profile v1, so you can "
            "see why two spellings do or do not match."
        ),
    )
    p.add_argument("kind", choices=KINDS, help="identifier kind")
    p.add_argument("value", help="the identifier as written")
    p.add_argument(
        "--variants", action="store_true", help="also print the keys the committee publishes"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_cmd_normalize)


# ---------------------------------------------------------------------------
# committee


def _identifiers(args: argparse.Namespace, prefix: str = "") -> list[Identifier]:
    found: list[Identifier] = []
    for kind in KINDS:
        for value in getattr(args, prefix + kind, None) or ():
            found.append(Identifier(kind, value))
    for value in getattr(args, prefix + "alias", None) or ():
        found.append(Identifier("name", value, alias=True))
    return found


def _add_identifier_options(p: _Parser, prefix: str = "", verb: str = "") -> None:
    flag = f"--{prefix.replace('_', '-')}"
    for kind, meta in (
        ("name", "NAME"),
        ("email", "EMAIL"),
        ("github", "HANDLE"),
        ("twitter", "HANDLE"),
        ("mastodon", "USER@HOST"),
    ):
        p.add_argument(
            f"{flag}{kind}",
            dest=prefix + kind,
            action="append",
            metavar=meta,
            help=f"{verb}{'an' if kind[0] in 'aeiou' else 'a'} {kind} (repeatable)",
        )
    p.add_argument(
        f"{flag}alias",
        dest=prefix + "alias",
        action="append",
        metavar="NAME",
        help=f"{verb}another name the person is known by (repeatable)",
    )


def _record_dict(record: Record) -> dict[str, object]:
    return {
        "id": record.id,
        "status": record.status.value,
        "case_ref": record.case_ref,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "expires_at": record.expires_at.isoformat() if record.expires_at else None,
        "identifiers": [
            {"kind": i.kind, "value": i.value, "alias": i.alias} for i in record.identifiers
        ],
        "note": record.note,
    }


def _record_line(record: Record) -> list[str]:
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


def _cmd_committee_init(args: argparse.Namespace) -> int:
    name = args.name or "Code of Conduct Committee"
    with Committee.init(args.dir, name=name, report_suite=Suite(args.report_suite)) as committee:
        _out(f"Created committee {name!r} in {os.fspath(committee.directory)}")
        _out(f"  register:     {os.fspath(committee.directory / 'register.sqlite3')} (private)")
        _out(f"  signing key:  {os.fspath(committee.directory / 'signing.key')} (private)")
        _out(f"  report key:   {os.fspath(committee.directory / 'report.key')} (private)")
        _out(f"  trust file:   {os.fspath(committee.trust_path)} (give this to organizers)")
        _out(f"Series fingerprint: {_fingerprint(committee.series)}")
        _out("Publish this fingerprint where organizers can check it, e.g. on your website.")
    return EXIT_OK


def _cmd_committee_info(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        epoch = committee.register.current_epoch()
        publications = committee.register.publications()
        records = committee.register.records()
        now = resolve_now(None)
        info = {
            "committee": committee.name,
            "series": committee.series.hex(),
            "trust_generation": committee.trust.generation,
            "report_key_suite": committee.trust.report_key.suite.value,
            "epoch": epoch.number if epoch else None,
            "kdf": epoch.kdf.to_dict() if epoch else None,
            "latest_version": publications[-1].version if publications else None,
            "records": len(records),
            "published_records": sum(r.is_published(now) for r in records),
            "organizers": len(committee.register.organizers(active_only=True)),
        }
    if args.format == "json":
        _out(json.dumps(info, indent=2))
        return EXIT_OK
    _out(f"Committee:          {info['committee']}")
    _out(f"Series fingerprint: {_fingerprint(committee.series)}")
    _out(f"Trust generation:   {info['trust_generation']}")
    if epoch is not None:
        _out(f"Epoch:              {epoch.number} ({epoch.kdf.describe()})")
    _out(f"Latest version:     {info['latest_version'] or 'none published yet'}")
    _out(f"Records:            {info['records']} ({info['published_records']} published)")
    _out(f"Active organizers:  {info['organizers']}")
    return EXIT_OK


def _cmd_committee_add(args: argparse.Namespace) -> int:
    identifiers = _identifiers(args)
    if not identifiers:
        raise _UsageError(
            f"{PROG} committee add: error: give at least one --name, --email, --github, "
            "--twitter, --mastodon or --alias"
        )
    with Committee.open(args.dir) as committee:
        record = committee.register.add_record(
            status=args.status,
            identifiers=identifiers,
            case_ref=args.case_ref,
            expires_at=args.expires,
            note=args.note or "",
        )
    expiry = f", expires {record.expires_at:%Y-%m-%d}" if record.expires_at else ""
    _out(
        f"Added record {record.id}: {record.status.value}, case {record.case_ref}, "
        f"{len(record.identifiers)} identifier(s){expiry}"
    )
    if record.status is Status.MINOR:
        _out("Minor incidents are never published and are expunged after their retention.")
    return EXIT_OK


def _cmd_committee_update(args: argparse.Namespace) -> int:
    if args.expires is not None and args.no_expiry:
        raise _UsageError(f"{PROG} committee update: error: --expires and --no-expiry conflict")
    expires: datetime | Keep | None = KEEP
    if args.expires is not None:
        expires = args.expires
    elif args.no_expiry:
        expires = None
    with Committee.open(args.dir) as committee:
        record = committee.register.update_record(
            args.record_id,
            status=args.status,
            case_ref=args.case_ref,
            expires_at=expires,
            note=args.note,
            add=_identifiers(args, "add_"),
            remove=_identifiers(args, "remove_"),
        )
    _out(f"Updated record {record.id}:")
    for line in _record_line(record):
        _out(line)
    return EXIT_OK


def _cmd_committee_list(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        records = committee.register.records()
    if args.format == "json":
        _out(json.dumps([_record_dict(r) for r in records], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not records:
        _out("The register is empty; add records with 'committee add'.")
        return EXIT_OK
    _out(f"{'id':>5}  {'status':<8} {'case ref':<14} {'expires':<10}  identifiers")
    for record in records:
        for line in _record_line(record):
            _out(_safe(line))
    return EXIT_OK


def _cmd_committee_remove(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        committee.register.remove_record(args.record_id)
    _out(f"Removed record {args.record_id}; no byte of it is left in the register.")
    return EXIT_OK


def _cmd_committee_publish(args: argparse.Namespace) -> int:
    bar = _ProgressBar("hashing", "keys")
    with Committee.open(args.dir) as committee:
        try:
            result = committee.publish(
                args.output,
                valid_for=timedelta(days=args.valid_days),
                rotate=args.rotate,
                kdf=KDF_PROFILES[args.kdf] if args.kdf else None,
                grants_dir=args.grants_dir,
                grant_validity=timedelta(days=args.grant_valid_days or 90),
                min_version=args.min_version,
                min_epoch=args.min_epoch,
                progress=bar,
            )
        finally:
            bar.close()
    header = result.header
    if result.rotated:
        _out(f"Started epoch {header.epoch} with a new key and salt ({header.kdf.describe()}).")
    _out(
        f"Published version {header.version} of epoch {header.epoch}: {result.records} "
        f"record(s), {result.real_entries} key(s), padded to {header.entry_count} entries."
    )
    _out(f"Valid until {header.expires_at:%Y-%m-%d %H:%M} UTC; written to {args.output}")
    if result.capped_by_record_expiry:
        _out("The list expires early because a listed record's expiry comes first.")
    if result.grants:
        _out(f"Issued {len(result.grants)} new grant(s) for epoch {header.epoch}:")
        for path in result.grants:
            _out(f"  {os.fspath(path)}")
    elif result.rotated and header.epoch > 1:
        _out("No active organizers: no grants were issued.")
    if result.scrub_pending:
        _out(
            "Warning: another program has the register open, so the old epoch key is not "
            "yet scrubbed from the register's files; close it, then run 'committee expunge'.",
            stream=sys.stderr,
        )
    return EXIT_OK


def _cmd_committee_grant(args: argparse.Namespace) -> int:
    public = load_public_key(args.organizer_public_key, purpose=KeyPurpose.ORGANIZER)
    name = args.name or public.name
    with Committee.open(args.dir) as committee:
        grant = committee.grant(
            public.key,
            args.output,
            name=name,
            valid_for=timedelta(days=args.valid_days),
            reinstate=args.reinstate,
        )
    _out(f"Granted epoch {grant.epoch} to {name!r}, valid until {grant.expires_at:%Y-%m-%d}:")
    _out(f"  key fingerprint {_fingerprint(grant.organizer)}")
    _out(f"  written to {args.output}")
    return EXIT_OK


def _cmd_committee_organizers(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        organizers = committee.register.organizers()
    if not organizers:
        _out("No organizers yet; 'committee grant' registers one.")
    for organizer in organizers:
        state = f"revoked {organizer.revoked_at:%Y-%m-%d}" if organizer.revoked_at else "active"
        _out(f"{organizer.key_id.hex()[:16]}  {state:<18} {organizer.name}")
    return EXIT_OK


def _cmd_committee_revoke(args: argparse.Namespace) -> int:
    prefix = args.key_id.lower().replace(" ", "")
    if len(prefix) < 8:
        raise _UsageError(
            f"{PROG} committee revoke: error: give at least 8 hex digits of the key id "
            "(see 'committee organizers')"
        )
    with Committee.open(args.dir) as committee:
        found = [
            o
            for o in committee.register.organizers(active_only=True)
            if o.key_id.hex().startswith(prefix)
        ]
        if len(found) != 1:
            raise errors.RegisterError(
                f"{len(found)} active organizers have a key id starting {prefix[:16]!r}; "
                "give enough digits to match exactly one (see 'committee organizers')"
            )
        committee.register.revoke_organizer(found[0].key_id)
    _out(f"Revoked {found[0].name!r}; it gets no grant at the next rotation ('publish --rotate').")
    return EXIT_OK


def _cmd_committee_expunge(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        result = committee.expunge()
    _out(
        f"Expunged {result.records} record(s) and {result.reports} minor report(s) past "
        f"their retention, and wiped {result.epoch_keys} retired epoch key(s); no byte of "
        "them is left in the register."
    )
    return EXIT_OK


def _cmd_committee_rotate_key(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        trust = committee.rotate_signing_key()
        path = committee.trust_path
    _out(f"Replaced the signing key: trust file generation {trust.generation}, {os.fspath(path)}")
    _out("Give the new trust file to every organizer. Lists and grants signed by the old key")
    _out("are refused once they have it: run 'committee publish --rotate' to publish a list")
    _out("and issue every active organizer a new grant, both signed by the new key.")
    return EXIT_OK


def _add_committee(sub: Subparsers) -> Subparsers:
    committee = sub.add_parser(
        "committee",
        help="the committee's register, lists, grants and keys",
        description="Commands for the Code of Conduct committee.",
    )
    csub = committee.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )

    p = csub.add_parser("init", help="create a committee directory")
    p.add_argument("dir", help="directory to create (register, keys, trust file)")
    p.add_argument("--name", help="the committee's name, shown to organizers")
    p.add_argument(
        "--report-suite",
        choices=[s.value for s in Suite],
        default=Suite.X25519.value,
        help="HPKE key type for incident reports (default: x25519)",
    )
    p.set_defaults(func=_cmd_committee_init)

    p = csub.add_parser("info", help="show the committee's fingerprint, epoch and counts")
    p.add_argument("dir")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_cmd_committee_info)

    p = csub.add_parser("add", help="add a person to the register")
    p.add_argument("dir")
    p.add_argument("--status", required=True, choices=[s.value for s in Status])
    _add_identifier_options(p)
    p.add_argument("--expires", type=_date, metavar="YYYY-MM-DD", help="end of retention")
    p.add_argument("--case-ref", metavar="REF", help="case reference (default: generated)")
    p.add_argument("--note", help="a note for the committee only; never published")
    p.set_defaults(func=_cmd_committee_add)

    p = csub.add_parser("update", help="change a record")
    p.add_argument("dir")
    p.add_argument("record_id", type=_positive, metavar="RECORD_ID")
    p.add_argument("--status", choices=[s.value for s in Status])
    p.add_argument("--expires", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--no-expiry", action="store_true", help="remove the expiry date")
    p.add_argument("--case-ref", metavar="REF")
    p.add_argument("--note")
    _add_identifier_options(p, "add_", "add ")
    _add_identifier_options(p, "remove_", "remove ")
    p.set_defaults(func=_cmd_committee_update)

    p = csub.add_parser("list", help="list the records in the register")
    p.add_argument("dir")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_cmd_committee_list)

    p = csub.add_parser("remove", help="remove a record for good")
    p.add_argument("dir")
    p.add_argument("record_id", type=_positive, metavar="RECORD_ID")
    p.set_defaults(func=_cmd_committee_remove)

    p = csub.add_parser("publish", help="build, sign and write the hashed list")
    p.add_argument("dir")
    p.add_argument("-o", "--output", required=True, metavar="LIST")
    p.add_argument(
        "--valid-days",
        type=_positive,
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
        type=_positive,
        metavar="N",
        help="validity of the grants a publish issues (default: 90)",
    )
    p.add_argument(
        "--min-version",
        type=_positive,
        default=1,
        metavar="N",
        help="after restoring a backup: publish at least this version",
    )
    p.add_argument(
        "--min-epoch",
        type=_positive,
        default=1,
        metavar="N",
        help="after restoring a backup, with --rotate: start at least this epoch",
    )
    p.set_defaults(func=_cmd_committee_publish)

    p = csub.add_parser("grant", help="grant an organizer the current epoch's key")
    p.add_argument("dir")
    p.add_argument(
        "organizer_public_key", metavar="ORGANIZER_PUBLIC_KEY", help="the organizer's .pub file"
    )
    p.add_argument("-o", "--output", required=True, metavar="GRANT")
    p.add_argument("--valid-days", type=_positive, default=90, metavar="N")
    p.add_argument("--name", help="the organizer's name (default: from its .pub file)")
    p.add_argument("--reinstate", action="store_true", help="grant an organizer that was revoked")
    p.set_defaults(func=_cmd_committee_grant)

    p = csub.add_parser("organizers", help="list the organizers granted access")
    p.add_argument("dir")
    p.set_defaults(func=_cmd_committee_organizers)

    p = csub.add_parser("revoke", help="stop granting an organizer access")
    p.add_argument("dir")
    p.add_argument("key_id", metavar="KEY_ID", help="key id prefix, from 'committee organizers'")
    p.set_defaults(func=_cmd_committee_revoke)

    p = csub.add_parser("expunge", help="delete expired records for good")
    p.add_argument("dir")
    p.set_defaults(func=_cmd_committee_expunge)

    p = csub.add_parser("rotate-key", help="replace the committee's signing key")
    p.add_argument("dir")
    p.set_defaults(func=_cmd_committee_rotate_key)
    return csub


# ---------------------------------------------------------------------------
# organizer


def _cmd_organizer_init(args: argparse.Namespace) -> int:
    name = args.name or Path(args.dir).resolve().name
    keys = init_organizer(args.dir, name=name, suite=Suite(args.suite))
    if keys.restored:
        _out("An earlier init was interrupted; restored the public key from the private key.")
    _out(f"Organizer key pair for {name!r}:")
    _out(f"  private key: {os.fspath(keys.private_path)} (never share it)")
    _out(f"  public key:  {os.fspath(keys.public_path)} (send it to the committee)")
    _out(f"Key fingerprint: {_fingerprint(keys.key_id)}")
    return EXIT_OK


def _cmd_organizer_show(args: argparse.Namespace) -> int:
    public = load_public_key(args.public_key)
    _out(f"Name:        {public.name}")
    _out(f"Purpose:     {public.purpose.value}")
    _out(f"Key type:    {public.key.suite.value}")
    _out(f"Fingerprint: {_fingerprint(public.key.key_id)}")
    return EXIT_OK


def _cmd_inspect(args: argparse.Namespace) -> int:
    """Verify a file and show what it says, without screening or opening anything."""
    data = read_limited(args.file, max(MAX_SIZES.values()), "file")
    kind = peek_type(data)
    if kind == "trust":
        trust = parse_trust(data)
        details: dict[str, object] = {
            "type": "trust file",
            "committee": trust.committee,
            "series": trust.series.hex(),
            "generation": trust.generation,
            "report_key": trust.report_key.suite.value,
            "issued_at": trust.issued_at.isoformat(),
        }
    elif kind in ("list", "grant", "receipt"):
        if not args.trust:
            raise _UsageError(f"{PROG} inspect: error: checking a {kind} needs --trust TRUST")
        keys = load_trust(args.trust).trusted_keys()
        if kind == "list":
            header = parse_list(data, keys).header
            details = {"type": "hashed list", **header.to_dict()}
            details["issued_at"] = header.issued_at.isoformat()
            details["expires_at"] = header.expires_at.isoformat()
        elif kind == "grant":
            grant = parse_grant(data, keys)
            details = {
                "type": "grant", "series": grant.series.hex(), "epoch": grant.epoch,
                "organizer": grant.organizer.hex(), "organizer_name": grant.organizer_name,
                "suite": grant.suite.value, "issued_at": grant.issued_at.isoformat(),
                "expires_at": grant.expires_at.isoformat(),
            }  # fmt: skip
        else:
            receipt = parse_receipt(data, keys)
            details = {
                "type": "receipt", "committee": receipt.committee,
                "report_id": receipt.report_id, "sealed_sha256": receipt.sealed_sha256.hex(),
                "received_at": receipt.received_at.isoformat(),
            }  # fmt: skip
    else:
        raise errors.FormatError(
            "this is not a signed coc-hashscreen file (a list, grant, receipt or trust file)"
        )
    if args.format == "json":
        _out(json.dumps(details, indent=2))
    else:
        _out("Verified: the signature is good and the fields are well formed.")
        for key, value in details.items():
            _out(f"  {key}: {json.dumps(value) if isinstance(value, dict) else value}")
    return EXIT_OK


def _cmd_trust_show(args: argparse.Namespace) -> int:
    trust = load_trust(args.trust)
    _out(f"Committee:          {trust.committee}")
    _out(f"Series fingerprint: {_fingerprint(trust.series)}")
    _out(f"Generation:         {trust.generation}")
    _out(f"Report key:         {trust.report_key.suite.value}")
    _out("Compare the fingerprint with the one the committee published.")
    return EXIT_OK


def _add_organizer(sub: Subparsers) -> None:
    organizer = sub.add_parser(
        "organizer",
        help="an organizer's key pair",
        description="Commands for event organizers.",
    )
    osub = organizer.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    p = osub.add_parser("init", help="create an organizer key pair")
    p.add_argument("dir", help="directory for organizer.key and organizer.pub")
    p.add_argument("--name", help="your event or team (default: the directory's name)")
    p.add_argument(
        "--suite",
        choices=[s.value for s in Suite],
        default=Suite.X25519.value,
        help="key type (default: x25519; mlkem768-x25519 is post-quantum hybrid)",
    )
    p.set_defaults(func=_cmd_organizer_init)

    p = osub.add_parser("show", help="show a public key file's name and fingerprint")
    p.add_argument("public_key", metavar="KEY.pub")
    p.set_defaults(func=_cmd_organizer_show)

    p = sub.add_parser(
        "inspect",
        help="verify a list, grant, receipt or trust file and show its fields",
        description=(
            "Verify a signed file against the committee's trust file and print what it "
            "says (a list's version and expiry, a grant's epoch and organizer, ...)."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--trust", metavar="TRUST", help="the committee's trust file")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cmd_inspect)

    trust = sub.add_parser("trust", help="inspect a committee trust file")
    tsub = trust.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    p = tsub.add_parser("show", help="show a trust file's committee and fingerprint")
    p.add_argument("trust", metavar="TRUST")
    p.set_defaults(func=_cmd_trust_show)


# ---------------------------------------------------------------------------
# screen


def _cmd_screen(args: argparse.Namespace) -> int:
    columns: dict[str, list[str]] = {}
    for kind, header in args.column or ():
        columns.setdefault(kind, []).append(header)
    state = _state(args)
    trust = load_trust(args.trust)
    first_use = state.get(trust.series) is None
    screener = Screener.load(
        hashed_list=args.list,
        grant=args.grant,
        organizer_key=load_organizer_key(args.key),
        trust=trust,
        options=ScreenerOptions(
            state=state,
            hashing=HashingOptions(workers=args.workers, memory_budget=args.memory_budget * 2**20),
        ),
    )
    if first_use:
        _first_use(args, trust)
    with read_csv(args.input, columns=columns or None, role=args.role) as source:
        _info(args, "Columns used:\n  " + "\n  ".join(source.plan.describe()))
        bar = _ProgressBar("screening", "rows")
        total = source.count() if bar.enabled else None
        try:
            report = screener.screen(
                source.records(), progress=bar, total=total, include_clear=args.include_clear
            )
        finally:
            bar.close()
    if args.format == "json":
        text = report_to_json(report)
    elif args.format == "csv":
        text = report_to_csv(report)
    else:
        text = report_to_table(report)
    _write_output(args.output, text, private=True)
    if args.output and args.output != "-":
        _info(args, f"{len(report.matches)} match(es); report written to {args.output}")
    return EXIT_MATCH if args.fail_on_match and report.matches else EXIT_OK


def _add_screen(sub: Subparsers) -> None:
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
        type=_column,
        action="append",
        metavar="KIND=HEADER",
        help="use column HEADER for KIND, overriding detection (repeatable); "
        f"kinds: {', '.join(COLUMN_KINDS)}",
    )
    p.add_argument("--role", help="passed through to the report, e.g. attendee or speaker")
    p.add_argument("--include-clear", action="store_true", help="also list rows that did not match")
    p.add_argument("--fail-on-match", action="store_true", help="exit with 1 if anyone matched")
    p.add_argument("--workers", type=_positive, metavar="N", help="Argon2 threads (default: CPUs)")
    p.add_argument(
        "--memory-budget",
        type=_positive,
        default=1024,
        metavar="MiB",
        help="memory for Argon2 across threads (default: 1024)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no information on stderr")
    p.set_defaults(func=_cmd_screen)


# ---------------------------------------------------------------------------
# incident reports


def _cmd_report_new(args: argparse.Namespace) -> int:
    path = Path(args.output)
    if path.exists() and not args.force:
        raise errors.InputError(f"{args.output!r} exists; pass --force to overwrite it")
    document = json.dumps(report_template(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, document.encode("utf-8"), private=True)
    _out(f"Wrote a report template to {args.output} (readable only by you).")
    _out("Fill it in, then: coc-hashscreen report seal REPORT.json --trust TRUST -o SEALED")
    return EXIT_OK


def _state(args: argparse.Namespace) -> FileState:
    return FileState(args.state) if args.state else FileState()


def _first_use(args: argparse.Namespace, trust: TrustFile) -> None:
    _info(
        args,
        f"First use of committee {trust.committee!r}: pinned series "
        f"{_fingerprint(trust.series)}. Compare it with the fingerprint the committee "
        "published.",
    )


def _pinned_trust(args: argparse.Namespace) -> TrustFile:
    """The trust file, once it is the pinned one or its successor (pinning it on first use)."""
    trust = load_trust(args.trust)
    state = _state(args)
    first_use = state.get(trust.series) is None
    pin_trust(state, trust)
    if first_use:
        _first_use(args, trust)
    return trust


def _cmd_report_seal(args: argparse.Namespace) -> int:
    trust = _pinned_trust(args)
    attachments = [Attachment.from_file(path) for path in args.attach or ()]
    report = IncidentReport.from_json(
        read_limited(args.report, MAX_REPORT_JSON, "report"), attachments
    )
    sealed = seal_report(report, trust=trust)
    write_atomic(args.output, sealed)
    _out(
        f"Sealed the report ({len(report.people)} people, {len(report.attachments)} "
        f"attachment(s)) to {trust.committee!r}: {args.output}, {len(sealed):,} bytes"
    )
    _out(f"SHA-256 {hashlib.sha256(sealed).hexdigest()}; the committee's receipt names it.")
    _out("Send the sealed file to the committee, then delete the unsealed report.")
    return EXIT_OK


def _cmd_report_check_receipt(args: argparse.Namespace) -> int:
    trust = _pinned_trust(args)
    receipt = verify_receipt(
        read_envelope(args.receipt, "receipt"), trust=trust, sealed=read_sealed(args.sealed)
    )
    _out(
        f"{receipt.committee!r} received this report as {receipt.report_id} on "
        f"{receipt.received_at:%Y-%m-%d %H:%M} UTC. The receipt is genuine and names this file."
    )
    return EXIT_OK


def _cmd_committee_intake(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        result = committee.intake(read_sealed(args.sealed), actor=args.by or _user())
    write_atomic(args.output, result.receipt)
    report = result.report
    if result.duplicate:
        _out(f"Already received as {report.id} on {report.received_at:%Y-%m-%d}; not stored again.")
    else:
        linked = sorted({r for _, r in report.people if r is not None})
        _out(
            f"Received report {report.id} from {report.event_name!r}: {len(report.people)} "
            f"people, {report.attachments} attachment(s)."
        )
        if linked:
            _out(f"People in it match existing record(s): {', '.join(map(str, linked))}.")
    _out(f"Receipt written to {args.output}; send it back to the organizer.")
    return EXIT_OK


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name in this environment
        return "committee"


def _cmd_committee_reports(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        reports = committee.register.reports()
    if args.format == "json":
        _out(json.dumps([_stored_report_dict(r) for r in reports], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not reports:
        _out("No reports received yet.")
        return EXIT_OK
    _out(f"{'report':<18}  {'received':<10}  {'step':<9} {'outcome':<8} event")
    for r in reports:
        outcome = r.outcome.value if r.outcome else "-"
        _out(
            _safe(
                f"{r.id:<18}  {r.received_at:%Y-%m-%d}  {r.step:<9} {outcome:<8} "
                f"{r.event_name[:28]}"
            )
        )
    return EXIT_OK


def _stored_report_dict(report: StoredReport) -> dict[str, object]:
    return {
        "id": report.id,
        "event": report.event_name,
        "received_at": report.received_at.isoformat(),
        "step": report.step,
        "outcome": report.outcome.value if report.outcome else None,
        "expires_at": report.expires_at.isoformat() if report.expires_at else None,
        "people": [{"role": role, "record": record} for role, record in report.people],
        "attachments": report.attachments,
        "steps": [
            {"step": s.step, "at": s.at.isoformat(), "by": s.actor, "note": s.note}
            for s in report.steps
        ],
    }


def _cmd_committee_show_report(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        register = committee.register
        stored = register.get_report(args.report_id)
        content = register.report_content(args.report_id)
        suggestions = [register.name_matches(p.all_identifiers) for p in content.people]
    if args.attachments:
        target = Path(args.attachments)
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        for attachment in content.attachments:
            write_atomic(target / attachment.name, attachment.data, private=True)
    if args.format == "json":
        document = {**_stored_report_dict(stored), "content": content.to_dict()}
        _out(json.dumps(document, indent=2, ensure_ascii=True))
        return EXIT_OK
    lines = [f"Report {stored.id}: {stored.step}" + (
        f", {stored.outcome.value}" if stored.outcome else ""
    )]  # fmt: skip
    where = f" in {content.event_location}" if content.event_location else ""
    lines.append(
        f"Event: {content.event_name}, {content.event_start} to {content.event_end}{where}"
    )
    organization = f", {content.reporter_organization}" if content.reporter_organization else ""
    lines.append(f"From: {content.reporter_name} <{content.reporter_email}>{organization}")
    if content.reference:
        lines.append(f"Their reference: {content.reference}")
    for n, (person, (_, record)) in enumerate(zip(content.people, stored.people, strict=True)):
        linked = f" (record {record})" if record else ""
        ids = ", ".join(f"{i.kind}: {i.value}" for i in person.all_identifiers)
        lines.append(f"  {n + 1}. {person.role}: {ids}{linked}")
        if record is None and suggestions[n]:
            found = ", ".join(map(str, suggestions[n]))
            lines.append(f"     same name as record(s) {found}, not linked: if it is the same")
            lines.append(f"     person, run 'committee link DIR {stored.id} {n + 1} --record ID'")
        if person.notes:
            lines.append(f"     notes: {person.notes}")
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
    _out(_safe("\n".join(lines)))
    return EXIT_OK


def _cmd_committee_link(args: argparse.Namespace) -> int:
    if (args.record is None) == (not args.none):
        raise _UsageError(f"{PROG} committee link: error: give --record ID or --none")
    with Committee.open(args.dir) as committee:
        committee.register.link_report_person(args.report_id, args.person - 1, args.record)
    target = f"record {args.record}" if args.record else "no record"
    _out(f"Person {args.person} of report {args.report_id} is now linked to {target}.")
    return EXIT_OK


def _cmd_committee_review(args: argparse.Namespace) -> int:
    with Committee.open(args.dir) as committee:
        report = committee.register.advance_report(
            args.report_id,
            args.to,
            actor=args.by or _user(),
            note=args.note or "",
            outcome=args.status,
            expires_at=args.expires,
        )
    _out(f"Report {report.id} is now {report.step}.")
    if args.status is None:
        return EXIT_OK
    if report.outcome in (Status.FLAGGED, Status.BANNED):
        records = sorted({r for role, r in report.people if role == "reported" and r})
        _out(
            f"Recorded as {report.outcome.value} in record(s) {', '.join(map(str, records))}; "
            "the next published list includes them."
        )
    elif report.outcome is Status.MINOR and report.expires_at:
        _out(f"A minor incident: kept until {report.expires_at:%Y-%m-%d}, then expunged.")
    return EXIT_OK


def _add_reports(sub: Subparsers, committee_sub: Subparsers) -> None:
    report = sub.add_parser(
        "report",
        help="incident reports after an event (organizer side)",
        description="Write, seal and confirm incident reports for the committee.",
    )
    rsub = report.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    p = rsub.add_parser("new", help="write a report template to fill in")
    p.add_argument("-o", "--output", required=True, metavar="REPORT.json")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=_cmd_report_new)

    p = rsub.add_parser("seal", help="seal a report (and attachments) to the committee")
    p.add_argument("report", metavar="REPORT.json")
    p.add_argument("--trust", required=True, metavar="TRUST")
    p.add_argument("--attach", action="append", metavar="FILE", help="attach a file (repeatable)")
    p.add_argument("-o", "--output", required=True, metavar="SEALED")
    p.add_argument("--state", metavar="STATE", help="state file pinning the committee")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=_cmd_report_seal)

    p = rsub.add_parser("check-receipt", help="check the committee's receipt for a report")
    p.add_argument("receipt", metavar="RECEIPT")
    p.add_argument("--trust", required=True, metavar="TRUST")
    p.add_argument("--sealed", required=True, metavar="SEALED", help="the sealed file you sent")
    p.add_argument("--state", metavar="STATE", help="state file pinning the committee")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=_cmd_report_check_receipt)

    p = committee_sub.add_parser("intake", help="receive a sealed report; write a receipt")
    p.add_argument("dir")
    p.add_argument("sealed", metavar="SEALED")
    p.add_argument("-o", "--output", required=True, metavar="RECEIPT")
    p.add_argument("--by", metavar="NAME", help="who received it (default: your user name)")
    p.set_defaults(func=_cmd_committee_intake)

    p = committee_sub.add_parser("reports", help="list received reports and their review step")
    p.add_argument("dir")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_cmd_committee_reports)

    p = committee_sub.add_parser("show-report", help="read a received report")
    p.add_argument("dir")
    p.add_argument("report_id", metavar="REPORT_ID")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--attachments", metavar="DIR", help="save the attachments in DIR (0600)")
    p.set_defaults(func=_cmd_committee_show_report)

    p = committee_sub.add_parser(
        "link", help="link a person in a report to a record, or unlink them"
    )
    p.add_argument("dir")
    p.add_argument("report_id", metavar="REPORT_ID")
    p.add_argument(
        "person",
        type=_positive,
        metavar="PERSON",
        help="the person's number, as 'show-report' prints it",
    )
    p.add_argument("--record", type=_positive, metavar="ID", help="the record to link to")
    p.add_argument("--none", action="store_true", help="remove the link")
    p.set_defaults(func=_cmd_committee_link)

    p = committee_sub.add_parser("review", help="move a report to its next review step")
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
        type=_date,
        metavar="YYYY-MM-DD",
        help="with --status: the record's or (minor) the report's expiry",
    )
    p.add_argument("--by", metavar="NAME", help="who takes this step (default: your user name)")
    p.set_defaults(func=_cmd_committee_review)


# ---------------------------------------------------------------------------
# demo


def _cmd_demo(args: argparse.Namespace) -> int:
    from ._demo import run_demo

    return run_demo(keep=args.keep)


def _add_demo(sub: Subparsers) -> None:
    p = sub.add_parser(
        "demo",
        help="run the whole story on built-in sample data",
        description=(
            "Set up a committee, publish a list, grant an organizer, screen a sample "
            "attendee list, refuse a tampered list and expunge, in a temporary directory."
        ),
    )
    p.add_argument("--keep", metavar="DIR", help="keep the files in DIR (new or empty)")
    p.set_defaults(func=_cmd_demo)


# ---------------------------------------------------------------------------
# parser and entry point


def build_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description=(
            "Privacy-preserving screening of attendee and speaker lists against a "
            "Code of Conduct committee's records."
        ),
        epilog="Run 'coc-hashscreen COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback when a command fails"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    committee = _add_committee(sub)
    _add_organizer(sub)
    _add_reports(sub, committee)
    _add_screen(sub)
    _add_normalize(sub)
    _add_demo(sub)
    return parser


def _exit_code(exc: BaseException) -> int:
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return EXIT_INTERNAL  # pragma: no cover - EXIT_CODES ends with the base class


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status instead of exiting."""
    parser = build_parser()
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        handler: Handler = args.func
        return handler(args)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except _UsageError as exc:
        _out(str(exc), stream=sys.stderr)
        return EXIT_USAGE
    except errors.CocHashscreenError as exc:
        _show_traceback(debug)
        _out(f"{PROG}: error: {exc}", stream=sys.stderr)
        return _exit_code(exc)
    except OSError as exc:
        _show_traceback(debug)
        where = f": {exc.filename}" if exc.filename else ""
        _out(f"{PROG}: error: {exc.strerror or exc}{where}", stream=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        _out(f"{PROG}: interrupted", stream=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        _show_traceback(debug)
        _out(
            f"{PROG}: internal error (a bug in coc-hashscreen); run again with --debug "
            "and report the traceback",
            stream=sys.stderr,
        )
        return EXIT_INTERNAL


def _show_traceback(debug: bool) -> None:
    """With --debug, the traceback goes to stderr; the exit status stays the documented one."""
    if debug:
        traceback.print_exc(file=sys.stderr)
