"""``coc-hashscreen organizer …``, ``trust …`` and ``inspect``: keys and files organizers get."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .. import errors
from ..core import Status, Suite, fingerprint, resolve_now
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
    EXPIRY_WARNING,
    Filed,
    FileState,
    HomeStatus,
    OrganizerHome,
    OrganizerPaths,
    SeriesState,
    add_files,
    change_organizer_passphrase,
    clear_match,
    default_cache_dir,
    forget_caches,
    home_status,
    init_home,
    load_organizer_key,
    load_trust,
    pin_trust,
    unclear_match,
)
from ._common import (
    EXIT_OK,
    PROG,
    Parser,
    Subparsers,
    UsageError,
    fingerprint_argument,
    out,
    safe,
    state,
)
from ._passphrase import (
    add_new_passphrase_options,
    add_passphrase_options,
    new_protection,
    passphrase_source,
)

__all__ = ["add_parsers"]


def _init(args: argparse.Namespace) -> int:
    home = OrganizerHome.at(args.dir)
    if args.dir is None and not args.name:
        raise UsageError(
            f"{PROG} organizer init: error: give --name (your event or team) when no DIR is "
            "given; the committee sees it in your public key"
        )
    name = args.name or home.directory.resolve().name
    if not args.encrypt and (args.passphrase_fd is not None or args.passphrase_file):
        raise UsageError(
            f"{PROG} organizer init: error: --passphrase-fd and --passphrase-file need --encrypt"
        )
    protection = new_protection(args, os.fspath(home.private_key)) if args.encrypt else None
    keys = init_home(home.directory, name=name, suite=Suite(args.suite), protection=protection)
    if keys.restored:
        out("An earlier init was interrupted; restored the public key from the private key.")
    out(f"Organizer directory: {os.fspath(home.directory)}")
    out(f"Organizer key pair for {name!r}:")
    out(f"  private key: {os.fspath(keys.private_path)} (never share it)")
    out(f"  public key:  {os.fspath(keys.public_path)} (send it to the committee)")
    out(f"Key fingerprint: {fingerprint(keys.key_id)}")
    if protection is not None:
        out("The private key is encrypted: screening asks for its passphrase.")
    return EXIT_OK


def _add(args: argparse.Namespace) -> int:
    """File each trust file, list and grant in the organizer directory, verified."""
    home = OrganizerHome.at(args.home)
    passphrase = passphrase_source(args, os.fspath(home.private_key))
    filed = add_files(home, args.files, fingerprint=args.fingerprint, passphrase=passphrase)
    for item in filed:
        out(_filed_line(item))
        if item.first_pin:
            out(
                f"  First use of this committee: pinned generation {item.generation}, "
                f"fingerprint {fingerprint(item.fingerprint)}. Compare it with the "
                "fingerprint the committee published."
            )
    return EXIT_OK


def _filed_line(item: Filed) -> str:
    committee = safe(item.committee)
    if item.kind == "trust":
        what = f"trust file of {committee!r}, generation {item.generation}"
    elif item.kind == "list":
        what = f"list of {committee!r}, epoch {item.epoch} version {item.version}"
    else:
        what = f"grant of {committee!r} for epoch {item.epoch}"
    until = f"valid until {item.expires_at:%Y-%m-%d}"
    if not item.changed:
        return f"Already here: the {what} ({until}); nothing changed."
    return f"Added the {what} ({until}) as {os.fspath(item.path)}."


def _status(args: argparse.Namespace) -> int:
    status = home_status(OrganizerHome.at(args.home))
    if args.format == "json":
        out(json.dumps(status.to_dict(), indent=2, ensure_ascii=True))
    else:
        _status_table(status)
    return EXIT_OK


def _status_table(status: HomeStatus) -> None:
    out(f"Organizer directory: {os.fspath(status.directory)}")
    if status.key is not None:
        locked = "encrypted" if status.key.encrypted else "not encrypted"
        out(f"Key: {safe(status.key.name)!r}, {locked}")
        out(f"  fingerprint: {fingerprint(status.key.key_id)}")
    for c in status.committees:
        out(f"Committee {safe(c.committee)!r} (series {c.series.hex()[:16]})")
        out(f"  trust file: generation {c.trust_generation}, expires {c.trust_expires_at:%Y-%m-%d}")
        if c.list_expires_at is not None:
            out(
                f"  list:       epoch {c.list_epoch}, version {c.list_version}, profile "
                f"{c.list_profile}, valid until {c.list_expires_at:%Y-%m-%d}"
            )
        if c.grant_expires_at is not None:
            out(f"  grant:      epoch {c.grant_epoch}, expires {c.grant_expires_at:%Y-%m-%d}")
        out(f"  ready to screen: {'yes' if c.ready and status.key else 'no'}")
        for problem in c.problems:
            out(f"  - {safe(problem)}")
    for problem in status.problems:
        out(f"Problem: {safe(problem)}")
    for warning in status.warnings:
        out(f"Warning: {safe(warning)}", stream=sys.stderr)
    if status.warnings:
        days = EXPIRY_WARNING.days
        out(f"(Warnings name what expires within {days} days.)", stream=sys.stderr)


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
    out(f"Generation:         {trust.generation}")
    out(f"Fingerprint:        {fingerprint(trust.fingerprint)}")
    out(f"Series:             {fingerprint(trust.series)}")
    out(f"Expires:            {trust.expires_at:%Y-%m-%d %H:%M} UTC")
    out(f"Report key:         {trust.report_key.suite.value}")
    compromised = trust.to_dict()["compromised_generations"]
    if compromised:
        out(f"Compromised keys:   generation(s) {compromised} (rotated away from)")
    out("Compare the fingerprint with the one the committee published.")
    return EXIT_OK


def _trust_pin(args: argparse.Namespace) -> int:
    trust = load_trust(args.trust)
    trust.check_validity(resolve_now(None))
    pinned = pin_trust(state(args), trust, fingerprint=args.fingerprint)
    out(
        f"Pinned {trust.committee!r}: generation {pinned.trust_generation}, fingerprint "
        f"{fingerprint(trust.fingerprint)}"
    )
    return EXIT_OK


def _state_line(series: bytes, entry: SeriesState) -> dict[str, object]:
    return {
        "committee": entry.committee,
        "series": series.hex(),
        "generation": entry.trust_generation,
        "fingerprint": entry.trust_fingerprint.hex() or None,
        "list_version": entry.list_version or None,
        "list_epoch": entry.list_epoch or None,
    }


def _trust_list(args: argparse.Namespace) -> int:
    entries = [_state_line(series, e) for series, e in sorted(state(args).items().items())]
    if args.format == "json":
        out(json.dumps(entries, indent=2, ensure_ascii=True))
        return EXIT_OK
    if not entries:
        out("No committee is pinned yet.")
    for entry in entries:
        found = entry["fingerprint"]
        out(f"{safe(str(entry['committee']))}")
        out(f"  series:       {fingerprint(bytes.fromhex(str(entry['series'])))}")
        out(f"  generation:   {entry['generation']}")
        shown = fingerprint(bytes.fromhex(str(found))) if found else "not yet known"
        out(f"  fingerprint:  {shown}")
        version = entry["list_version"]
        out(f"  last list:    {f'version {version}' if version else 'none yet'}")
    return EXIT_OK


def _trust_forget(args: argparse.Namespace) -> int:
    prefix = "".join(args.prefix.split()).lower()
    if len(prefix) < 8 or any(c not in "0123456789abcdef" for c in prefix):
        raise UsageError(
            f"{PROG} trust forget: error: give at least 8 hex digits of the fingerprint or "
            "series (see 'trust list')"
        )
    store = state(args)
    series, entry = _pinned_committee(store, prefix)
    what = f"{safe(entry.committee)!r} (generation {entry.trust_generation})"
    if not args.yes:
        raise UsageError(
            f"{PROG} trust forget: this would forget {what}, its pin and every list version "
            "it remembers; run it again with --yes to do so"
        )
    store.forget(series)
    out(f"Forgot {what}.")
    out("Check the fingerprint of its current trust file with the committee, then pin it:")
    out("'trust pin TRUST --fingerprint FINGERPRINT'.")
    return EXIT_OK


def _pinned_committee(store: FileState, prefix: str | None) -> tuple[bytes, SeriesState]:
    """The pinned committee *prefix* names (hex digits of its fingerprint or series);
    with no prefix, the only one pinned."""
    found = [
        (series, entry)
        for series, entry in store.items().items()
        if prefix is None
        or series.hex().startswith(prefix)
        or entry.trust_fingerprint.hex().startswith(prefix)
    ]
    shown = "" if prefix is None else f" {prefix!r}"
    if not found:
        raise errors.InputError(f"no pinned committee matches{shown}; see 'trust list'")
    if len(found) > 1:
        advice = "give more digits" if prefix else "name one with --committee PREFIX"
        raise errors.InputError(
            f"{len(found)} pinned committees match{shown}; {advice} (see 'trust list')"
        )
    return found[0]


def _committee_prefix(text: str) -> str:
    prefix = text.replace(" ", "").lower()
    if len(prefix) < 8 or any(c not in "0123456789abcdef" for c in prefix):
        raise argparse.ArgumentTypeError(
            "give at least 8 hex digits of the committee's fingerprint or series (see 'trust list')"
        )
    return prefix


def _clear_match(args: argparse.Namespace) -> int:
    store = state(args)
    series, entry = _pinned_committee(store, args.committee)
    # The name is read from standard input unless given, so that an
    # attendee's name stays out of the shell's history.
    name = args.name if args.name is not None else sys.stdin.readline().rstrip("\r\n")
    if not name.strip():
        raise errors.InputError("no name given; type the attendee's name as the list has it")
    clear_match(store, series, name, case_ref=args.case, status=Status.parse(args.status))
    out(
        f"Cleared: a name-only {args.status} match on {args.case} of "
        f"{safe(entry.committee)!r} for this name is not alerted again while the record "
        "keeps that case and status."
    )
    return EXIT_OK


def _unclear_match(args: argparse.Namespace) -> int:
    store = state(args)
    series, _ = _pinned_committee(store, args.committee)
    removed = unclear_match(store, series, args.case)
    if not removed:
        raise errors.InputError(f"no cleared names for {args.case}; see 'organizer cleared'")
    out(f"{removed} cleared name(s) of {args.case} are alerted again.")
    return EXIT_OK


def _cleared(args: argparse.Namespace) -> int:
    store = state(args)
    _, entry = _pinned_committee(store, args.committee)
    counts = entry.cleared.by_case()
    if args.format == "json":
        out(json.dumps({"committee": entry.committee, "cleared": counts}, ensure_ascii=False))
        return EXIT_OK
    if not counts:
        out(f"No cleared name-only matches for {safe(entry.committee)!r}.")
    for case_ref, per_status in sorted(counts.items()):
        shown = ", ".join(f"{n} {status}" for status, n in sorted(per_status.items()))
        out(f"{case_ref}: {shown} name(s)")
    return EXIT_OK


def _add_clear_parsers(osub: Subparsers) -> None:
    p = osub.add_parser(
        "clear-match",
        help="record that the committee cleared a name-only match",
        description=(
            "Record that the committee said an attendee who matched a record by name alone "
            "is not that person. Later screenings do not alert on that name and record "
            "again while the record keeps its case reference and status. The name is read "
            "from standard input (or --name); only a keyed fingerprint of it is kept."
        ),
    )
    _add_committee_options(p)
    p.add_argument("--case", required=True, metavar="CASE_REF", help="the record's case reference")
    p.add_argument(
        "--status", required=True, choices=["flagged", "banned"], help="the status it matched"
    )
    p.add_argument("--name", help="the attendee's name (default: read from standard input)")
    p.set_defaults(func=_clear_match)

    p = osub.add_parser("unclear-match", help="alert again on a record's cleared names")
    _add_committee_options(p)
    p.add_argument("--case", required=True, metavar="CASE_REF", help="the record's case reference")
    p.set_defaults(func=_unclear_match)

    p = osub.add_parser("cleared", help="list the cleared name-only matches, by case")
    _add_committee_options(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_cleared)


def _forget_cache(args: argparse.Namespace) -> int:
    if args.state or args.home:
        directories = [
            default_cache_dir(args.state) if args.state else OrganizerHome.at(args.home).cache_dir
        ]
    else:  # both places a screening may have kept one
        directories = [default_cache_dir(state(args).path), OrganizerHome.at().cache_dir]
    for directory in directories:
        removed = forget_caches(directory)
        out(f"Removed {removed} Argon2 cache file(s) from {os.fspath(directory)}.")
    return EXIT_OK


def _add_cache_parser(osub: Subparsers) -> None:
    p = osub.add_parser(
        "forget-cache",
        help="wipe the Argon2 cache of earlier screenings",
        description=(
            "Delete every Argon2 cache file kept beside the state: the next screening of "
            "each epoch hashes every identifier again. A cache goes by itself when its "
            "epoch ends or its grant expires."
        ),
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--home", metavar="DIR", help="only the organizer directory DIR's cache")
    where.add_argument("--state", metavar="STATE", help="only the cache beside this state file")
    p.set_defaults(func=_forget_cache)


def _add_committee_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--committee",
        type=_committee_prefix,
        metavar="PREFIX",
        help="8+ hex digits of its fingerprint or series (default: the only one pinned)",
    )
    p.add_argument("--state", metavar="STATE", help="state file (default: per user)")


def _add_trust_parsers(sub: Subparsers) -> None:
    trust = sub.add_parser("trust", help="inspect, pin and forget committee trust files")
    tsub = trust.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=Parser)
    p = tsub.add_parser("show", help="show a trust file's committee and fingerprint")
    p.add_argument("trust", metavar="TRUST")
    p.set_defaults(func=_trust_show)

    p = tsub.add_parser(
        "pin",
        help="pin a committee's trust file after checking its fingerprint",
        description=(
            "Pin a trust file, or move the pin to its successor. The fingerprint must "
            "match; it is required for a first pin beyond generation 5."
        ),
    )
    p.add_argument("trust", metavar="TRUST")
    p.add_argument(
        "--fingerprint",
        required=True,
        type=fingerprint_argument,
        metavar="FINGERPRINT",
        help="the fingerprint the committee published (quote it if it has spaces)",
    )
    p.add_argument("--state", metavar="STATE", help="state file (default: per user)")
    p.set_defaults(func=_trust_pin)

    p = tsub.add_parser("list", help="list the committees you have pinned")
    p.add_argument("--state", metavar="STATE", help="state file (default: per user)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=_trust_list)

    p = tsub.add_parser(
        "forget",
        help="forget a pinned committee (after a fork)",
        description=(
            "Forget a pinned committee: its pin and the list versions remembered for it. "
            "Without --yes it only says what it would forget."
        ),
    )
    p.add_argument("prefix", metavar="PREFIX", help="8+ hex digits of its fingerprint or series")
    p.add_argument("--yes", action="store_true", help="really forget it")
    p.add_argument("--state", metavar="STATE", help="state file (default: per user)")
    p.set_defaults(func=_trust_forget)


def _add_home_parsers(osub: Subparsers) -> None:
    home_help = "the organizer directory (default: $COC_HASHSCREEN_HOME, else per user)"
    p = osub.add_parser(
        "add",
        help="verify a trust file, list or grant and file it in the organizer directory",
        description=(
            "Verify each file, then file it where it belongs in the organizer directory: "
            "trust files first (pinned on first use), then lists, then grants (which must "
            "open with your key). A file already there is left as it is."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="a trust file, list or grant")
    p.add_argument("--home", metavar="DIR", help=home_help)
    p.add_argument(
        "--fingerprint",
        type=fingerprint_argument,
        metavar="FINGERPRINT",
        help="the fingerprint the committee published, checked against each trust file",
    )
    add_passphrase_options(p)
    p.set_defaults(func=_add)

    p = osub.add_parser(
        "status",
        help="show what the organizer directory holds and what is missing",
        description=(
            "Show the organizer key and, per committee, its trust file, list and grant, "
            "whether it is ready to screen, and what expires within 14 days."
        ),
    )
    p.add_argument("--home", metavar="DIR", help=home_help)
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=_status)


def add_parsers(sub: Subparsers) -> None:
    organizer = sub.add_parser(
        "organizer",
        help="an organizer's key pair and directory",
        description="Commands for event organizers.",
    )
    osub = organizer.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )
    p = osub.add_parser(
        "init",
        help="create an organizer directory and its key pair",
        description=(
            "Create an organizer directory (default: $COC_HASHSCREEN_HOME, else your "
            "per-user data directory) holding a new key pair; add the committee's files "
            "to it with 'organizer add'."
        ),
    )
    p.add_argument(
        "dir",
        nargs="?",
        help="the organizer directory (default: $COC_HASHSCREEN_HOME, else per user)",
    )
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
    _add_home_parsers(osub)

    p = osub.add_parser("passphrase", help="add, change or remove the passphrase of organizer.key")
    p.add_argument("dir", help="the organizer directory, or its organizer.key")
    add_passphrase_options(p)
    add_new_passphrase_options(p)
    p.set_defaults(func=_passphrase)

    p = osub.add_parser("show", help="show a public key file's name and fingerprint")
    p.add_argument("public_key", metavar="KEY.pub")
    p.set_defaults(func=_show)
    _add_clear_parsers(osub)
    _add_cache_parser(osub)

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

    _add_trust_parsers(sub)
