"""``coc-hashscreen organizer …``, ``trust show`` and ``inspect``: keys and files organizers get."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .. import errors
from ..core import Suite, fingerprint
from ..formats import (
    FILE_TYPE_NAMES,
    MAX_SIZES,
    load_public_key,
    parse_grant,
    parse_list,
    parse_receipt,
    parse_trust,
    peek_type,
    read_limited,
)
from ..organizer import (
    OrganizerPaths,
    change_organizer_passphrase,
    init_organizer,
    load_organizer_key,
    load_trust,
)
from ._common import EXIT_OK, PROG, Parser, Subparsers, UsageError, out
from ._passphrase import (
    add_new_passphrase_options,
    add_passphrase_options,
    new_protection,
    passphrase_source,
)

__all__ = ["add_parsers"]


def _init(args: argparse.Namespace) -> int:
    name = args.name or Path(args.dir).resolve().name
    if not args.encrypt and (args.passphrase_fd is not None or args.passphrase_file):
        raise UsageError(
            f"{PROG} organizer init: error: --passphrase-fd and --passphrase-file need --encrypt"
        )
    key_path = OrganizerPaths(Path(args.dir)).private_key
    protection = new_protection(args, os.fspath(key_path)) if args.encrypt else None
    keys = init_organizer(args.dir, name=name, suite=Suite(args.suite), protection=protection)
    if keys.restored:
        out("An earlier init was interrupted; restored the public key from the private key.")
    out(f"Organizer key pair for {name!r}:")
    out(f"  private key: {os.fspath(keys.private_path)} (never share it)")
    out(f"  public key:  {os.fspath(keys.public_path)} (send it to the committee)")
    out(f"Key fingerprint: {fingerprint(keys.key_id)}")
    if protection is not None:
        out("The private key is encrypted: screening asks for its passphrase.")
    return EXIT_OK


def _passphrase(args: argparse.Namespace) -> int:
    path = OrganizerPaths(Path(args.dir)).private_key if Path(args.dir).is_dir() else args.dir
    current = passphrase_source(args, os.fspath(path))
    # The current passphrase is asked for, and checked, before the new one.
    load_organizer_key(path, passphrase=current)
    new = new_protection(args, os.fspath(path), prefix="new_")
    written = change_organizer_passphrase(path, passphrase=current, new=new)
    if new is None:
        out(f"Wrote {os.fspath(written)} unencrypted.")
        out(
            f"{PROG} organizer passphrase: warning: anyone who copies it can open your grants.",
            stream=sys.stderr,
        )
    else:
        out(f"Changed the passphrase of {os.fspath(written)}.")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    public = load_public_key(args.public_key)
    out(f"Name:        {public.name}")
    out(f"Purpose:     {public.purpose.value}")
    out(f"Key type:    {public.key.suite.value}")
    out(f"Fingerprint: {fingerprint(public.key.key_id)}")
    return EXIT_OK


def _inspect(args: argparse.Namespace) -> int:
    """Verify a file and show what it says, without screening or opening anything."""
    data = read_limited(args.file, max(MAX_SIZES.values()), "file")
    kind = peek_type(data)
    if kind is None or kind == "key-rotation":
        raise errors.FormatError(
            "this is not a signed coc-hashscreen file (a list, grant, receipt or trust file)"
        )
    details = {"type": FILE_TYPE_NAMES[kind], **_verified_fields(args, kind, data)}
    if args.format == "json":
        out(json.dumps(details, indent=2))
    else:
        out("Verified: the signature is good and the fields are well formed.")
        for key, value in details.items():
            out(f"  {key}: {json.dumps(value) if isinstance(value, dict) else value}")
    return EXIT_OK


def _verified_fields(args: argparse.Namespace, kind: str, data: bytes) -> dict[str, object]:
    if kind == "trust":
        return parse_trust(data).to_dict()
    if not args.trust:
        raise UsageError(f"{PROG} inspect: error: checking a {kind} needs --trust TRUST")
    keys = load_trust(args.trust).trusted_keys()
    if kind == "grant":
        return parse_grant(data, keys).to_dict()
    if kind == "receipt":
        return parse_receipt(data, keys).to_dict()
    header = parse_list(data, keys).header
    # The header's own form gives times as Unix seconds; people read dates.
    return {
        **header.to_dict(),
        "issued_at": header.issued_at.isoformat(),
        "expires_at": header.expires_at.isoformat(),
    }


def _trust_show(args: argparse.Namespace) -> int:
    trust = load_trust(args.trust)
    out(f"Committee:          {trust.committee}")
    out(f"Series fingerprint: {fingerprint(trust.series)}")
    out(f"Generation:         {trust.generation}")
    out(f"Report key:         {trust.report_key.suite.value}")
    out("Compare the fingerprint with the one the committee published.")
    return EXIT_OK


def add_parsers(sub: Subparsers) -> None:
    organizer = sub.add_parser(
        "organizer",
        help="an organizer's key pair",
        description="Commands for event organizers.",
    )
    osub = organizer.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
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
    p.add_argument(
        "--encrypt",
        action="store_true",
        help="encrypt organizer.key under a passphrase (asked twice, or from the options below)",
    )
    add_passphrase_options(p)
    p.set_defaults(func=_init)

    p = osub.add_parser("passphrase", help="add, change or remove the passphrase of organizer.key")
    p.add_argument("dir", help="the organizer directory, or its organizer.key")
    add_passphrase_options(p)
    add_new_passphrase_options(p)
    p.set_defaults(func=_passphrase)

    p = osub.add_parser("show", help="show a public key file's name and fingerprint")
    p.add_argument("public_key", metavar="KEY.pub")
    p.set_defaults(func=_show)

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
    p.set_defaults(func=_inspect)

    trust = sub.add_parser("trust", help="inspect a committee trust file")
    tsub = trust.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    p = tsub.add_parser("show", help="show a trust file's committee and fingerprint")
    p.add_argument("trust", metavar="TRUST")
    p.set_defaults(func=_trust_show)
