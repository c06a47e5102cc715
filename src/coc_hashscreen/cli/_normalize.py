"""``coc-hashscreen normalize``: the canonical form of one identifier, and its variants."""

from __future__ import annotations

import argparse
import json

from ..core import KINDS, canonical, variants
from ._common import EXIT_OK, Subparsers, out

__all__ = ["add_parser"]


def _normalize(args: argparse.Namespace) -> int:
    form = canonical(args.kind, args.value)
    if args.variants:
        keys = sorted(variants(args.kind, args.value))
        if args.json:
            out(json.dumps({"kind": args.kind, "canonical": form, "variants": keys}))
        else:
            out(form)
            for key in keys:
                if key != form:
                    out(f"  variant: {key}")
    elif args.json:
        out(json.dumps({"kind": args.kind, "canonical": form}))
    else:
        out(form)
    return EXIT_OK


def add_parser(sub: Subparsers) -> None:
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
    p.set_defaults(func=_normalize)
