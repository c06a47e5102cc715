"""``coc-hashscreen committee …``: lists, grants and keys (publish, grant, organizers,
revoke, rotate-key, renew-trust).  Registered by `_committee`, which also
prints a publish after a deletion that rotated the epoch.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

from ..committee import (
    DEFAULT_GRANT_VALIDITY,
    DEFAULT_QUOTA,
    Committee,
    GrantFailure,
    GrantRequest,
    PublishOptions,
    PublishResult,
    quota_for,
)
from ..core import KDF_PROFILES, KeyPurpose, fingerprint
from ..errors import RegisterError
from ..formats import TrustFile, load_public_key
from ._common import (
    EXIT_OK,
    PROG,
    ProgressBar,
    Subparsers,
    UsageError,
    actor,
    add_actor_option,
    out,
    positive,
    safe,
)
from ._passphrase import add_passphrase_options, committee_keys, passphrase_source

__all__ = ["add_list_commands", "open_committee", "print_head", "print_published"]

# Warn when the trust file would expire within this margin after the list does.
TRUST_RENEW_MARGIN = timedelta(days=30)


def open_committee(args: argparse.Namespace) -> Committee:
    """The committee directory, for a command that signs or opens reports."""
    return Committee.open(
        args.dir, passphrase=passphrase_source(args, committee_keys(args)), actor=actor(args)
    )


def print_head(trust: TrustFile) -> None:
    out(f"Trust fingerprint:  {fingerprint(trust.fingerprint)} (generation {trust.generation})")
    out("Publish the trust fingerprint where organizers can check it, e.g. on your website;")
    out("it changes when you rotate keys.")
    out(f"The trust file expires on {trust.expires_at:%Y-%m-%d}; renew it before then")
    out("with 'committee renew-trust' and give organizers the renewed file.")


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
        endpoint=args.online,
        offline=args.offline,
        progress=bar,
    )
    with open_committee(args) as committee:
        try:
            result = committee.publish(args.output, options)
        finally:
            bar.close()
        trust = committee.trust
    print_published(result, args.output, trust)
    return EXIT_OK


def print_published(result: PublishResult, output: str, trust: TrustFile) -> None:
    header = result.header
    if result.rotated:
        out(f"Started epoch {header.epoch} with a new key and salt ({header.kdf.describe()}).")
    out(
        f"Published version {header.version} of epoch {header.epoch}: {result.records} "
        f"record(s), {result.real_entries} key(s), padded to {header.entry_count} entries."
    )
    out(f"Valid until {header.expires_at:%Y-%m-%d %H:%M} UTC; written to {output}")
    if header.online is not None:
        out(
            f"Online list: organizers screen through the service at {header.online.endpoint}; "
            "'committee serve' runs it."
        )
    if result.capped_by_record_expiry:
        out("The list expires early because a listed record's expiry comes first.")
    if result.grants:
        out(f"Issued {len(result.grants)} new grant(s) for epoch {header.epoch}:")
        for path in result.grants:
            out(f"  {os.fspath(path)}")
    elif result.rotated and header.epoch > 1:
        out("No active organizers: no grants were issued.")
    for note in result.name_notes:
        out(f"Note: {safe(note)}", stream=sys.stderr)
    _publish_warnings(result, trust)


def _publish_warnings(result: PublishResult, trust: TrustFile) -> None:
    header = result.header
    if result.scrub_pending:
        out(
            "Warning: another program has the register open, so the old epoch key is not "
            "yet scrubbed from the register's files; close it, then run 'committee expunge'.",
            stream=sys.stderr,
        )
    if trust.expires_at < header.expires_at + TRUST_RENEW_MARGIN:
        out(
            f"Warning: the trust file expires on {trust.expires_at:%Y-%m-%d}; organizers "
            "then refuse every list: run 'committee renew-trust' and send them the file.",
            stream=sys.stderr,
        )
    if result.grant_failures:
        _grant_failures(result.grant_failures, header.epoch)


def _grant_failures(failures: tuple[GrantFailure, ...], epoch: int) -> None:
    """Name each organizer left without a grant, then fail with what to do."""
    for failure in failures:
        out(
            f"Not granted: {safe(failure.name)!r} (key {failure.key_id.hex()[:16]}): "
            f"{failure.reason}",
            stream=sys.stderr,
        )
    raise RegisterError(
        f"{len(failures)} active organizer(s) got no grant for epoch {epoch}; the list and "
        "the other grants were written. Revoke an organizer whose key is not valid "
        "('committee revoke') and grant its holder's new key; otherwise fix the cause and "
        "publish again, which grants the ones missing"
    )


def _grant(args: argparse.Namespace) -> int:
    public = load_public_key(args.organizer_public_key, purpose=KeyPurpose.ORGANIZER)
    request = GrantRequest(
        public.key,
        args.name or public.name,
        valid_for=timedelta(days=args.valid_days),
        reinstate=args.reinstate,
        quota=quota_for(args.attendees) if args.attendees else args.quota,
    )
    with open_committee(args) as committee:
        grant = committee.grant(request, args.output)
        tokens = [t for t in committee.service.tokens() if t.organizer == grant.organizer]
    out(
        f"Granted epoch {grant.epoch} to {request.name!r}, valid until {grant.expires_at:%Y-%m-%d}:"
    )
    out(f"  key fingerprint {fingerprint(grant.organizer)}")
    if grant.online and tokens:
        out(f"  online: {tokens[0].quota:,} evaluations at {grant.endpoint}")
    out(f"  written to {args.output}")
    return EXIT_OK


def _organizers(args: argparse.Namespace) -> int:
    with Committee.open(args.dir, actor=actor(args)) as committee:
        organizers = committee.register.organizers.all()
        # The newest grant of each: grants are listed in the order issued.
        latest = {g.organizer_key_id: g for g in committee.register.organizers.grants()}
    if not organizers:
        out("No organizers yet; 'committee grant' registers one.")
    for organizer in organizers:
        state = f"revoked {organizer.revoked_at:%Y-%m-%d}" if organizer.revoked_at else "active"
        if organizer.public_key is None and not organizer.revoked_at:
            state = "invalid key"
        grant = latest.get(organizer.key_id)
        held = f"epoch {grant.epoch} to {grant.expires_at:%Y-%m-%d}" if grant else "no grant"
        out(f"{organizer.key_id.hex()[:16]}  {state:<18} {held:<24} {safe(organizer.name)}")
    return EXIT_OK


def _revoke(args: argparse.Namespace) -> int:
    if len(args.key_id.replace(" ", "")) < 8:
        raise UsageError(
            f"{PROG} committee revoke: error: give at least 8 hex digits of the key id "
            "(see 'committee organizers')"
        )
    with Committee.open(args.dir, actor=actor(args)) as committee:
        organizer = committee.register.organizers.find(args.key_id, active_only=False)
        if organizer.revoked_at is not None:
            # A token database restored from before the revocation has it
            # active again: refusing its tokens once more costs nothing.
            again = committee.service.refuse_tokens(organizer.key_id)
            out(f"{organizer.name!r} was already revoked on {organizer.revoked_at:%Y-%m-%d}"
                + (f"; its {again} token(s) at the service are refused again." if again
                   else "; nothing changed."))  # fmt: skip
            return EXIT_OK
        online = committee.service.revoke(organizer.key_id)
    if online:
        out(f"Revoked {organizer.name!r}: the service refuses its grant from now on, and it "
            "gets no grant at the next rotation.")  # fmt: skip
    else:
        out(f"Revoked {organizer.name!r}; it gets no grant at the next rotation "
            "('publish --rotate').")  # fmt: skip
    return EXIT_OK


def _rotate_key(args: argparse.Namespace) -> int:
    with open_committee(args) as committee:
        trust = committee.rotate_signing_key(
            report_key=args.report_key, compromised=args.compromised
        )
        path = committee.paths.trust
    out(f"Replaced the signing key: trust file generation {trust.generation}, {os.fspath(path)}")
    if args.report_key:
        out("Replaced the report key; the old one is kept in retired-report-keys/ to open")
        out("reports sealed to it before organizers have the new trust file.")
    if args.compromised:
        out("The new trust file declares the old signing key compromised: organizers that")
        out("load it forget list versions that key signed, so your next list is accepted.")
    print_head(trust)
    out("Give the new trust file and fingerprint to every organizer. Lists and grants signed")
    out("by the old key are refused once they have it: run 'committee publish --rotate' to")
    out("publish a list and issue every active organizer a new grant, both signed by the new key.")
    return EXIT_OK


def _renew_trust(args: argparse.Namespace) -> int:
    with open_committee(args) as committee:
        trust = committee.renew_trust(validity=timedelta(days=args.valid_days))
        path = committee.paths.trust
    out(
        f"Renewed {os.fspath(path)}: generation {trust.generation}, valid until "
        f"{trust.expires_at:%Y-%m-%d %H:%M} UTC."
    )
    out(f"Its fingerprint is unchanged: {fingerprint(trust.fingerprint)}")
    out("Give the renewed file to every organizer before the old one expires.")
    return EXIT_OK


def add_list_commands(csub: Subparsers) -> None:
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
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--online",
        metavar="URL",
        help="with --rotate: an online list, screened through the service at URL "
        "(https://…; see 'committee serve')",
    )
    mode.add_argument("--offline", action="store_true", help="with --rotate: back to offline lists")
    add_passphrase_options(p)
    add_actor_option(p)
    p.set_defaults(func=_publish)

    p = csub.add_parser(
        "grant", help="grant an organizer the current epoch (its key, or online its access)"
    )
    p.add_argument("dir")
    p.add_argument(
        "organizer_public_key", metavar="ORGANIZER_PUBLIC_KEY", help="the organizer's .pub file"
    )
    p.add_argument("-o", "--output", required=True, metavar="GRANT")
    p.add_argument("--valid-days", type=positive, default=90, metavar="N")
    p.add_argument("--name", help="the organizer's name (default: from its .pub file)")
    p.add_argument("--reinstate", action="store_true", help="grant an organizer that was revoked")
    quota = p.add_mutually_exclusive_group()
    quota.add_argument(
        "--quota",
        type=positive,
        metavar="N",
        help=f"online: evaluations the grant allows (default: as before, else {DEFAULT_QUOTA:,})",
    )
    quota.add_argument(
        "--attendees",
        type=positive,
        metavar="N",
        help="online: the quota for an event of N people (N x 2 identifiers x 1.25, doubled "
        "for padding)",
    )
    add_passphrase_options(p)
    add_actor_option(p)
    p.set_defaults(func=_grant)

    p = csub.add_parser("organizers", help="list the organizers granted access")
    p.add_argument("dir")
    p.set_defaults(func=_organizers)

    p = csub.add_parser("revoke", help="stop granting an organizer access")
    p.add_argument("dir")
    p.add_argument("key_id", metavar="KEY_ID", help="key id prefix, from 'committee organizers'")
    add_actor_option(p)
    p.set_defaults(func=_revoke)

    p = csub.add_parser("rotate-key", help="replace the committee's signing key")
    p.add_argument("dir")
    p.add_argument(
        "--report-key", action="store_true", help="replace the report key too (a new generation)"
    )
    p.add_argument(
        "--compromised",
        action="store_true",
        help="declare the old signing key stolen: organizers forget the lists it signed",
    )
    add_passphrase_options(p)
    p.set_defaults(func=_rotate_key)

    p = csub.add_parser("renew-trust", help="re-issue the trust file before it expires")
    p.add_argument("dir")
    p.add_argument(
        "--valid-days",
        type=positive,
        default=365,
        metavar="DAYS",
        help="validity in days (default: 365; at most 400)",
    )
    add_passphrase_options(p)
    p.set_defaults(func=_renew_trust)
