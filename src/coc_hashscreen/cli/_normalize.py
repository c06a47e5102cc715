"""``coc-hashscreen normalize``: the canonical form of one identifier, and its variants."""

from __future__ import annotations

import argparse
import json

from ..core import KINDS, PROFILE, PROFILES, canonical, explain_variants, has_mixed_scripts
from ._common import EXIT_OK, Subparsers, out, safe

__all__ = ["add_parser"]


def _normalize(args: argparse.Namespace) -> int:
    form = canonical(args.kind, args.value, profile=args.profile)
    keys = explain_variants(args.kind, args.value, profile=args.profile) if args.variants else {}
    mixed = args.kind == "name" and args.profile != "v1" and has_mixed_scripts(args.value)
    if args.json:
        data: dict[str, object] = {"kind": args.kind, "profile": args.profile, "canonical": form}
        if args.variants:
            data["variants"] = [{"key": key, "rule": rule} for key, rule in sorted(keys.items())]
        if mixed:
            data["mixed_scripts"] = True
        out(json.dumps(data, ensure_ascii=False))
        return EXIT_OK
    out(safe(form))
    # The committee's keys, each with the rule that made it, in the order
    # they are published (the cap keeps the first ones).
    for key, rule in keys.items():
        if key != form:
            out(f"  variant: {safe(key)}  ({rule})")
    if mixed:
        out("  note: a word mixes Latin with another script; check the name by eye")
    return EXIT_OK


def add_parser(sub: Subparsers) -> None:
    p = sub.add_parser(
        "normalize",
        help="print the canonical form of an identifier",
        description=(
            "Print the canonical form of an identifier under a normalization profile "
            f"(default {PROFILE}), so you can see why two spellings do or do not match."
        ),
    )
    p.add_argument("kind", choices=KINDS, help="identifier kind")
    p.add_argument("value", help="the identifier as written")
    p.add_argument(
        "--variants",
        action="store_true",
        help="also print the keys the committee publishes, each with the rule that made it",
    )
    p.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        default=PROFILE,
        help=f"normalization profile (default {PROFILE}; a list names its own)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_normalize)
