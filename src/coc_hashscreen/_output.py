"""Screening reports as JSON, CSV or a table for an 80-column terminal.

Reports hold nothing about people who did not match beyond counts (and row
numbers of rows that could not be screened), unless the caller asked for the
clear rows.  CSV output is safe to open in a spreadsheet: a cell that a
spreadsheet would read as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from ._screen import ListInfo, Match, ScreeningReport

__all__ = ["report_to_csv", "report_to_dict", "report_to_json", "report_to_table", "safe_cell"]

# OWASP's list of characters that start a formula in spreadsheet software.
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell that no spreadsheet will evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _list_dict(info: ListInfo) -> dict[str, Any]:
    return {
        "committee": info.committee,
        "series": info.series.hex(),
        "epoch": info.epoch,
        "version": info.version,
        "issued_at": _iso(info.issued_at),
        "expires_at": _iso(info.expires_at),
        "profile": info.profile,
        "kdf": info.kdf.to_dict(),
    }


def _passthrough(ref: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in ref.items() if k != "row"}


def _match_dict(match: Match) -> dict[str, Any]:
    result: dict[str, Any] = {
        "row": match.row,
        "status": match.status.value,
        "strength": match.strength.value,
        "matched": list(match.matched),
        "case_ref": match.case_ref,
        "needs_confirmation": match.strength.value == "name-only",
        "hits": [
            {
                "kind": hit.kind,
                "status": hit.status.value,
                "strength": hit.strength.value,
                "case_ref": hit.case_ref,
            }
            for hit in match.hits
        ],
    }
    extra = _passthrough(match.ref)
    if extra:
        result["ref"] = extra
    return result


def report_to_dict(report: ScreeningReport) -> dict[str, Any]:
    """The report as plain data (the JSON schema of docs/organizer-guide.md)."""
    result: dict[str, Any] = {
        "list": _list_dict(report.list),
        "screened": report.screened,
        "identifiers_hashed": report.identifiers_hashed,
        "matches": [_match_dict(m) for m in report.matches],
        "unusable_rows": [r.row for r in report.unusable],
        "invalid_identifiers": [
            {"row": i.row, "kind": i.kind, "rule": i.rule} for i in report.invalid
        ],
    }
    if report.clear is not None:
        result["clear_rows"] = [r.row for r in report.clear]
    return result


def report_to_json(report: ScreeningReport) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False, default=str) + "\n"


def report_to_csv(report: ScreeningReport) -> str:
    """One line per match (and per clear row when asked for), spreadsheet-safe."""
    extra_keys = sorted(
        {str(k) for m in report.matches for k in _passthrough(m.ref)}
        | {str(k) for r in report.clear or () for k in _passthrough(r.ref)}
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["row", "result", "status", "strength", "needs_confirmation", "matched", "case_ref",
         "other_case_refs", *extra_keys]
    )  # fmt: skip
    for match in report.matches:
        others = sorted({h.case_ref for h in match.hits} - {match.case_ref})
        row = [
            match.row, "match", match.status.value, match.strength.value,
            "yes" if match.strength.value == "name-only" else "no",
            " ".join(match.matched), match.case_ref, " ".join(others),
            *(match.ref.get(k, "") for k in extra_keys),
        ]  # fmt: skip
        writer.writerow([safe_cell(cell) for cell in row])
    for clear in report.clear or ():
        row = [
            clear.row,
            "clear",
            "",
            "",
            "",
            "",
            "",
            "",
            *(clear.ref.get(k, "") for k in extra_keys),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def report_to_table(report: ScreeningReport) -> str:
    """A summary for people, at most 80 columns wide."""
    info = report.list
    lines = [
        f"List: {info.committee[:40]}, epoch {info.epoch}, version {info.version}, "
        f"valid until {info.expires_at:%Y-%m-%d %H:%M} UTC",
        f"      {info.kdf.describe()}, profile {info.profile}",
        "",
    ]
    if report.matches:
        lines.append(f"{'row':>7}  {'status':<8} {'strength':<11} {'matched':<22} case ref")
        for match in report.matches:
            strength = match.strength.value + ("*" if match.strength.value == "name-only" else "")
            matched = ", ".join(match.matched)
            lines.append(
                f"{match.row:>7}  {match.status.value.upper():<8} {strength:<11} "
                f"{matched[:22]:<22} {match.case_ref}"
            )
        if any(m.strength.value == "name-only" for m in report.matches):
            lines += [
                "",
                "* name-only: only a name matched, and different people share names.",
                "  Confirm with the committee, quoting the case ref, before acting.",
            ]
        lines.append("")
    count = len(report.matches)
    lines.append(
        f"{count:,} of {report.screened:,} record{'s' if report.screened != 1 else ''} "
        f"matched ({report.identifiers_hashed:,} distinct identifiers checked)."
    )
    if report.unusable:
        rows = ", ".join(str(r.row) for r in report.unusable[:10])
        more = f" and {len(report.unusable) - 10:,} more" if len(report.unusable) > 10 else ""
        lines.append(
            f"{len(report.unusable):,} row(s) had no usable identifier and were NOT "
            f"screened: {rows}{more}."
        )
    if report.invalid:
        lines.append(
            f"{len(report.invalid):,} identifier(s) could not be read; see --format json "
            "for which rule each broke."
        )
    return "\n".join(lines) + "\n"
