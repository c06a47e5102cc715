"""``coc-hashscreen report …``: an organizer's incident reports, written, sealed and confirmed."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from .. import errors
from ..formats import (
    MAX_REPORT_JSON,
    Attachment,
    IncidentReport,
    read_limited,
    read_receipt,
    read_sealed,
    report_template,
    seal_report,
    verify_receipt,
    write_atomic,
)
from ._common import EXIT_OK, Parser, Subparsers, out, pinned_trust

__all__ = ["add_parser"]


def _new(args: argparse.Namespace) -> int:
    path = Path(args.output)
    if path.exists() and not args.force:
        raise errors.InputError(f"{args.output!r} exists; pass --force to overwrite it")
    document = json.dumps(report_template(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, document.encode("utf-8"), private=True)
    out(f"Wrote a report template to {args.output} (readable only by you).")
    out("Fill it in, then: coc-hashscreen report seal REPORT.json --trust TRUST -o SEALED")
    return EXIT_OK


def _seal(args: argparse.Namespace) -> int:
    trust = pinned_trust(args)
    attachments = [Attachment.from_file(path) for path in args.attach or ()]
    report = IncidentReport.from_json(
        read_limited(args.report, MAX_REPORT_JSON, "report"), attachments
    )
    sealed = seal_report(report, trust=trust)
    write_atomic(args.output, sealed)
    out(
        f"Sealed the report ({len(report.people)} people, {len(report.attachments)} "
        f"attachment(s)) to {trust.committee!r}: {args.output}, {len(sealed):,} bytes"
    )
    out(f"SHA-256 {hashlib.sha256(sealed).hexdigest()}; the committee's receipt names it.")
    out("Send the sealed file to the committee, then delete the unsealed report.")
    return EXIT_OK


def _check_receipt(args: argparse.Namespace) -> int:
    trust = pinned_trust(args)
    receipt = verify_receipt(
        read_receipt(args.receipt), trust=trust, sealed=read_sealed(args.sealed)
    )
    out(
        f"{receipt.committee!r} received this report as {receipt.report_id} on "
        f"{receipt.received_at:%Y-%m-%d %H:%M} UTC. The receipt is genuine and names this file."
    )
    return EXIT_OK


def add_parser(sub: Subparsers) -> None:
    report = sub.add_parser(
        "report",
        help="incident reports after an event (organizer side)",
        description="Write, seal and confirm incident reports for the committee.",
    )
    rsub = report.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=Parser
    )
    p = rsub.add_parser("new", help="write a report template to fill in")
    p.add_argument("-o", "--output", required=True, metavar="REPORT.json")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=_new)

    p = rsub.add_parser("seal", help="seal a report (and attachments) to the committee")
    p.add_argument("report", metavar="REPORT.json")
    p.add_argument("--trust", required=True, metavar="TRUST")
    p.add_argument("--attach", action="append", metavar="FILE", help="attach a file (repeatable)")
    p.add_argument("-o", "--output", required=True, metavar="SEALED")
    p.add_argument("--state", metavar="STATE", help="state file pinning the committee")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=_seal)

    p = rsub.add_parser("check-receipt", help="check the committee's receipt for a report")
    p.add_argument("receipt", metavar="RECEIPT")
    p.add_argument("--trust", required=True, metavar="TRUST")
    p.add_argument("--sealed", required=True, metavar="SEALED", help="the sealed file you sent")
    p.add_argument("--state", metavar="STATE", help="state file pinning the committee")
    p.add_argument("-q", "--quiet", action="store_true")
    p.set_defaults(func=_check_receipt)
