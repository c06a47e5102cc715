"""``coc-hashscreen committee …``: the online mode's service (serve) and quotas (quota).

Registered by `_committee`.  The service itself is `coc_hashscreen.service`,
which needs the ``service`` extra (Starlette and uvicorn); it is imported
only when `serve` runs, so the rest of the command line works without it.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from ..committee import Committee, CommitteePaths, QuotaOrder
from ..core import available_cpus
from ..errors import InputError
from ._common import (
    EXIT_OK,
    PROG,
    Subparsers,
    UsageError,
    actor,
    add_actor_option,
    out,
    positive,
    safe,
)

__all__ = ["add_service_commands"]


def _quota(args: argparse.Namespace) -> int:
    if (args.add or args.set) and not args.key_id:
        raise UsageError(f"{PROG} committee quota: error: --add and --set need a KEY_ID")
    if args.key_id and not (args.add or args.set):
        raise UsageError(f"{PROG} committee quota: error: say --add N or --set N for KEY_ID")
    with Committee.open(args.dir, actor=actor(args)) as committee:
        names = {o.key_id: o.name for o in committee.register.organizers.all()}
        if args.key_id:
            organizer = committee.register.organizers.find(args.key_id)
            change = committee.service.change_quota(
                organizer.key_id, QuotaOrder(add=args.add or 0, set_to=args.set)
            )
            token = change.token
            out(
                f"{safe(change.name)!r}: {token.quota:,} evaluations in epoch {token.epoch}, "
                f"{token.used:,} used, {token.remaining:,} left."
            )
            return EXIT_OK
        tokens = committee.service.tokens()
    if args.format == "json":
        rows = [{**t.to_dict(), "name": names.get(t.organizer, "")} for t in tokens]
        out(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not tokens:
        out("No online grants in the current epoch ('publish --rotate --online URL' starts one).")
    for token in tokens:
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
        out(
            f"{token.organizer.hex()[:16]}  {state:<18} {token.used:>9,} of {token.quota:>9,} "
            f"used, to {token.expires_at:%Y-%m-%d}  {safe(names.get(token.organizer, '?'))}"
        )
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    try:
        from ..service import serve
    except ImportError:
        raise InputError(
            "the service needs the service extra: pip install 'coc-hashscreen[service]'"
        ) from None
    directory = CommitteePaths(Path(args.dir)).service
    out(f"Serving the online evaluation from {os.fspath(directory)} on {args.host}:{args.port}")
    serve(directory, host=args.host, port=args.port, workers=args.workers)
    return EXIT_OK


def add_service_commands(csub: Subparsers) -> None:
    p = csub.add_parser("quota", help="show or top up the organizers' online quotas")
    p.add_argument("dir")
    p.add_argument("key_id", nargs="?", metavar="KEY_ID", help="key id prefix of one organizer")
    change = p.add_mutually_exclusive_group()
    change.add_argument("--add", type=positive, metavar="N", help="add N evaluations")
    change.add_argument("--set", type=positive, metavar="N", help="set the quota to N")
    p.add_argument("--format", choices=("text", "json"), default="text")
    add_actor_option(p)
    p.set_defaults(func=_quota)

    p = csub.add_parser("serve", help="run the online mode's evaluation service")
    p.add_argument("dir", help="the committee directory, or one holding its service/ directory")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=positive, default=8080, help="port (default: 8080)")
    p.add_argument(
        "--workers",
        type=positive,
        default=available_cpus(),
        metavar="N",
        help="processes, one per core (default: this machine's cores)",
    )
    p.set_defaults(func=_serve)
