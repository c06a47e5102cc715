"""``coc-hashscreen committee backup`` and ``… restore``: age-encrypted backups of the directory.

Registered by `_committee`.  A backup is encrypted to age or SSH public
keys (``-r``, ``-R`` as age reads them), or to a passphrase alone; a
restore opens it with an identity file (``-i``) or that passphrase.  The
committee's own key passphrase is needed by neither: the keys travel as
they are stored.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

from ..committee import (
    BackupResult,
    Committee,
    RestoreOptions,
    RestoreResult,
    backup_committee,
    restore_committee,
)
from ..core import fingerprint, resolve_now
from ..errors import InputError, KeyFileError
from ..formats import BackupIdentity, BackupRecipients, Passphrase, read_limited
from ._common import (
    EXIT_OK,
    PROG,
    Subparsers,
    UsageError,
    fingerprint_argument,
    out,
    positive,
    safe,
)
from ._passphrase import add_passphrase_options, given_passphrase, passphrase_source

__all__ = ["add_backup_commands"]

_IDENTITY_LIMIT = 64 * 1024


def _backup_passphrase(args: argparse.Namespace, *, new: bool) -> Passphrase | None:
    """The backup's passphrase from ``--backup-passphrase-fd/-file``, else asked on a terminal."""
    text = given_passphrase(args, "backup_")
    if text is None and args.backup_passphrase_ask:
        if not sys.stdin.isatty():
            raise KeyFileError(
                "no terminal to ask for the backup's passphrase on: give "
                "--backup-passphrase-fd N or --backup-passphrase-file FILE"
            )
        text = getpass.getpass("Passphrase for the backup: ")
        if new and getpass.getpass("Repeat it: ") != text:
            raise InputError("the two passphrases differ; nothing was written")
    return None if text is None else Passphrase.from_text(text, new=new)


def _recipients(args: argparse.Namespace) -> BackupRecipients:
    keys = list(args.recipient or ())
    for path in args.recipients_file or ():
        text = read_limited(path, _IDENTITY_LIMIT, "recipients file").decode("utf-8", "replace")
        keys.extend(BackupRecipients.from_lines(text))
    passphrase = _backup_passphrase(args, new=True)
    if bool(keys) == (passphrase is not None):
        raise UsageError(
            f"{PROG} committee backup: error: give the members' public keys (-r KEY or "
            "-R FILE), or a passphrase alone (--backup-passphrase-file FILE)"
        )
    return BackupRecipients(tuple(keys), passphrase)


def _backup(args: argparse.Namespace) -> int:
    if os.path.lexists(args.output) and not args.force:
        raise UsageError(
            f"{PROG} committee backup: error: {args.output!r} exists; name a new file "
            "(or --force to replace it)"
        )
    to = _recipients(args)
    with Committee.open(args.dir) as committee:
        result = backup_committee(
            committee, args.output, to, valid_for=timedelta(days=args.valid_days)
        )
        encrypted = all(info.encrypted for info in committee.key_files())
    if args.format == "json":
        out(json.dumps({**_backup_dict(result, to), "keys_encrypted": encrypted}, indent=2))
        return EXIT_OK
    manifest = result.manifest
    whom = f"{len(to.keys)} recipient(s)" if to.keys else "a passphrase"
    out(f"Wrote a backup of {safe(manifest.committee)!r} to {args.output}, encrypted to {whom}.")
    out(
        f"It knows list version {manifest.latest_version} and epoch {manifest.latest_epoch}; "
        + (
            "the private keys in it are still under their passphrase."
            if encrypted
            else "the private keys in it are NOT encrypted, as they are in the directory: "
            "keep the backup's age key safe."
        )
    )
    out(
        f"Delete this backup by {manifest.expires_at:%Y-%m-%d}: it holds records and reports "
        "that must be gone by then."
    )
    return EXIT_OK


def _backup_dict(result: BackupResult, to: BackupRecipients) -> dict[str, object]:
    manifest = result.manifest.to_dict()
    return {
        "path": os.fspath(result.path),
        "bytes": result.size,
        "recipients": len(to.keys),
        "passphrase": to.passphrase is not None,
        "created_at": result.manifest.created_at.isoformat(),
        "expires_at": result.manifest.expires_at.isoformat(),
        "latest_version": manifest["latest_version"],
        "latest_epoch": manifest["latest_epoch"],
    }


def _identity(args: argparse.Namespace) -> BackupIdentity:
    passphrase = _backup_passphrase(args, new=False)
    if (args.identity is None) == (passphrase is None):
        raise UsageError(
            f"{PROG} committee restore: error: give the identity file that opens the backup "
            "(-i FILE), or its passphrase (--backup-passphrase-file FILE)"
        )
    if passphrase is not None:
        return BackupIdentity(passphrase=passphrase)
    return BackupIdentity(file=read_limited(args.identity, _IDENTITY_LIMIT, "identity file"))


def _restore(args: argparse.Namespace) -> int:
    options = RestoreOptions(
        latest_lists=tuple(Path(p) for p in args.latest_list or ()),
        accept_expired=args.expired,
        fingerprint=args.fingerprint,
        passphrase=passphrase_source(args, f"the committee keys in the backup {args.backup}"),
    )
    result = restore_committee(args.backup, args.dir, _identity(args), options)
    if args.format == "json":
        out(json.dumps(result.to_dict(), indent=2))
    else:
        _print_restored(result)
    out(
        "Warning: records, reports, organizers and grants added after the backup was taken "
        "are not in it. If the committee published after it and no --latest-list was "
        "given, the next publish must go above the newest list an organizer holds: "
        "'committee publish --rotate --min-version N --min-epoch E'.",
        stream=sys.stderr,
    )
    return EXIT_OK


def _print_restored(result: RestoreResult) -> None:
    manifest = result.manifest
    out(
        f"Restored {safe(manifest.committee)!r} into {os.fspath(result.directory)} from the "
        f"backup of {manifest.created_at:%Y-%m-%d %H:%M} UTC."
    )
    if result.epoch is not None:
        out(f"Started epoch {result.epoch}: the restored epoch key is wiped.")
    out(
        f"The next publish is version {result.floor_version} or later, in epoch "
        f"{result.floor_epoch} or later; it grants the new epoch to every active organizer."
    )
    if result.expunged.records or result.expunged.reports:
        out(
            f"Deleted at once, past their retention: {result.expunged.records} record(s), "
            f"{result.expunged.reports} report(s)."
        )
    out(
        f"Trust fingerprint: {fingerprint(result.trust.fingerprint)}: check it against the one "
        "the committee publishes (or give --fingerprint), as anyone who knows a member's "
        "public key can make a backup."
    )
    if result.manifest.expires_at <= resolve_now(None):
        out(f"The backup expired on {manifest.expires_at:%Y-%m-%d}: delete it now.")
    else:
        out(f"Delete the backup by {manifest.expires_at:%Y-%m-%d}, as before.")


def _fd(value: str) -> int:
    # Not repeated in the message: it may be the passphrase itself, typed here.
    if not value.isdigit() or not value.isascii():
        raise argparse.ArgumentTypeError("give the number of an open file descriptor")
    return int(value)


def _add_backup_passphrase_options(p: argparse.ArgumentParser, what: str) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--backup-passphrase-fd",
        type=_fd,
        metavar="N",
        help=f"read the passphrase {what} from file descriptor N",
    )
    group.add_argument(
        "--backup-passphrase-file",
        metavar="FILE",
        help=f"read the passphrase {what} from FILE's first line (mode 0600)",
    )
    group.add_argument(
        "--backup-passphrase",
        dest="backup_passphrase_ask",
        action="store_true",
        help=f"ask on the terminal for the passphrase {what}",
    )


def add_backup_commands(csub: Subparsers) -> None:
    p = csub.add_parser("backup", help="write an encrypted backup of the committee directory")
    p.add_argument("dir")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="a new file")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.add_argument(
        "-r",
        "--recipient",
        action="append",
        metavar="KEY",
        help="a member's age (age1…) or SSH public key (repeatable)",
    )
    p.add_argument(
        "-R",
        "--recipients-file",
        action="append",
        metavar="FILE",
        help="a file of public keys, one a line (repeatable)",
    )
    p.add_argument(
        "--valid-days",
        type=positive,
        default=90,
        metavar="N",
        help="delete the backup within N days, or sooner when a record's retention "
        "ends (default: 90)",
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    _add_backup_passphrase_options(p, "to encrypt to instead of keys")
    p.set_defaults(func=_backup)

    p = csub.add_parser("restore", help="restore a backup into a new committee directory")
    p.add_argument("backup", metavar="BACKUP")
    p.add_argument("dir", metavar="DIR", help="the new committee directory")
    p.add_argument(
        "-i", "--identity", metavar="FILE", help="an age identity file or SSH private key"
    )
    p.add_argument(
        "--latest-list",
        action="append",
        metavar="LIST",
        help="a list published after the backup: publish above it (repeatable)",
    )
    p.add_argument(
        "--expired",
        action="store_true",
        help="restore a backup past its expiry (what is past retention is deleted)",
    )
    p.add_argument(
        "--fingerprint",
        type=fingerprint_argument,
        metavar="FINGERPRINT",
        help="the trust or series fingerprint the committee published: a backup of another "
        "committee directory is refused",
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    _add_backup_passphrase_options(p, "of the backup")
    add_passphrase_options(p)
    p.set_defaults(func=_restore)
