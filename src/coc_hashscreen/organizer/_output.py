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
from typing import Final

from ..core import FORMULA_START, Strength
from ._results import MAX_DETAILS, Match, RecordRef, ScreeningReport

__all__ = ["report_to_csv", "report_to_json", "report_to_table", "safe_cell"]


def safe_cell(value: object) -> str:
    """A CSV cell that no spreadsheet will evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def report_to_json(report: ScreeningReport) -> str:
    # ASCII-escaped: a bidi override or an escape sequence in passed-through
    # fields reaches a terminal only as "\u202e".
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=True, default=str) + "\n"


def _notes(report: ScreeningReport) -> dict[int, list[str]]:
    """The rules broken by each row's unreadable identifiers, by row."""
    notes: dict[int, list[str]] = {}
    for invalid in report.invalid:
        notes.setdefault(invalid.row, []).append(f"{invalid.kind}: {invalid.rule}")
    return notes


def report_to_csv(report: ScreeningReport) -> str:
    """One line per match, per row that could not be screened, and (when asked
    for) per clear row; spreadsheet-safe."""
    rows: list[tuple[RecordRef, list[object]]] = []
    for match in report.matches:
        others = sorted({h.case_ref for h in match.hits} - {match.case_ref})
        rows.append(
            (
                match,
                [
                    "match", match.status.value, match.strength.value,
                    "yes" if match.needs_confirmation else "no",
                    " ".join(match.matched), match.case_ref, " ".join(others),
                ],
            )
        )  # fmt: skip
    rows += [(r, ["not screened", "", "", "", "", "", ""]) for r in report.unusable]
    rows += [(r, ["clear", "", "", "", "", "", ""]) for r in report.clear or ()]
    rows.sort(key=lambda item: item[0].index)
    extra_keys = sorted({k for ref, _ in rows for k in ref.passthrough})
    notes = _notes(report)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # "line" after the columns earlier releases wrote, so their positions hold.
    header = ["row", "result", "status", "strength", "needs_confirmation", "matched",
              "case_ref", "other_case_refs", "note", "line", "change", "committees",
              *extra_keys]  # fmt: skip
    # Header cells too: passed-through keys come from the input.
    writer.writerow([safe_cell(cell) for cell in header])
    for ref, cells in rows:
        note = "; ".join(notes.get(ref.row, []))
        if cells[0] == "not screened":
            note = "no usable identifier" + (f" ({note})" if note else "")
        change, committees = "", ""
        if isinstance(ref, Match):
            change = ref.change or ""
            committees = "; ".join(dict.fromkeys(hit.committee for hit in ref.hits))
        line = [ref.row, *cells, note, ref.line or "", change, committees,
                *(ref.ref.get(k, "") for k in extra_keys)]  # fmt: skip
        writer.writerow([safe_cell(cell) for cell in line])
    if report.unusable_omitted:
        # Never dropped silently: a last line says how many are not listed.
        more = f"{report.unusable_omitted:,} more row(s) with no usable identifier, not listed"
        writer.writerow(["", "not screened", "", "", "", "", "", "", more])
    return out.getvalue()


# The footnote each class of uncertain match brings, shown only when one does.
_FOOTNOTES: Final = {
    Strength.NAME_ONLY: (
        "* name-only: only a name matched, and different people share names.",
        "  Confirm with the committee, quoting the case ref, before acting.",
    ),
    Strength.ORDER_CONTACT: (
        "* order-contact: the buyer of this ticket (the order's name or e-mail) is",
        "  listed, not necessarily the attendee. Confirm with the committee first.",
    ),
}


def _row_heading(report: ScreeningReport) -> str:
    """ "line" when the source gave every match's own line number, else "row"."""
    return "line" if all(m.line is not None for m in report.matches) else "row"


_CHANGE_ORDER: Final = {"new": 0, "changed": 1, "unchanged": 2, None: 3}


def _service_lines(report: ScreeningReport) -> list[str]:
    """What a run sent to committees' services: one line, if any list was online."""
    online = [info for info in report.lists if info.endpoint is not None]
    if not online:
        return []
    left = report.service_remaining
    where = (
        f"the committee's service at {online[0].endpoint}"
        if len(online) == 1
        else f"{len(online)} committees' services"
    )
    return [
        f"Through {where}: {report.service_evaluations:,} evaluations, padding included"
        + (f"; {left:,} left." if left is not None else ".")
    ]


def _since_lines(report: ScreeningReport) -> list[str]:
    """What changed since the last run on this input, when there was one."""
    since = report.since
    if since is None:
        return []
    changes = [m.change for m in report.matches]
    lines = [
        f"Since the last run ({since.previous_at:%Y-%m-%d %H:%M} UTC, "
        f"{since.previous_records:,} rows): {since.new_rows:,} new row(s), "
        f"{since.changed_rows:,} changed, {since.gone_rows:,} gone; "
        f"{changes.count('new'):,} new match(es), {changes.count('changed'):,} changed, "
        f"{len(since.gone_matches):,} gone."
    ]
    for gone in since.gone_matches[:10]:
        lines.append(
            f"  gone: row {gone.row} of the last run ({', '.join(gone.case_refs)}) no longer "
            "matches or is no longer in the input"
        )
    if len(since.gone_matches) > 10:
        lines.append(f"  and {len(since.gone_matches) - 10:,} more gone (--format json lists them)")
    return lines


def _match_lines(report: ScreeningReport) -> list[str]:
    """The table's matches: one line each, then its other hits, then the footnotes due.

    After an earlier run on the same input, new matches come first, then
    changed ones, each marked."""
    heading = _row_heading(report)
    lines = [f"{heading:>7}  {'status':<8} {'strength':<14} {'matched':<19} case ref"]
    shown: set[Strength] = set()  # the classes the table shows, for their footnotes
    several = len(report.lists) > 1
    ordered = sorted(report.matches, key=lambda m: (_CHANGE_ORDER[m.change], m.index))
    for match in ordered:
        shown.add(match.strength)
        strength = match.strength.value + ("*" if match.needs_confirmation else "")
        matched = ", ".join(match.matched)
        matched = matched if len(matched) <= 19 else matched[:18] + "…"
        lines.append(
            f"{match.label if heading == 'line' else match.row:>7}  "
            f"{match.status.value.upper():<8} {strength:<14} "
            f"{matched:<19} {match.case_ref}"
            + (f"  {match.change.upper()}" if match.change in ("new", "changed") else "")
        )
        if several:
            named = {hit.committee for hit in match.hits}
            committees = ", ".join(i.committee for i in report.lists if i.committee in named)
            lines.append(f"{'':>7}  on the list of {committees}")
        if any(hit.common_name for hit in match.hits):
            lines.append(f"{'':>7}  the committee marks this name as common: likely not them")
        if any(hit.shared for hit in match.hits):
            lines.append(f"{'':>7}  more than one record has this name; ask about it as such")
        # Other hits: the same row may be two different people, or the
        # person and their order's buyer.
        for hit in match.hits:
            if hit.case_ref != match.case_ref:
                shown.add(hit.strength)
                lines.append(
                    f"{'':>7}  also {hit.status.value} ({hit.strength.value}, "
                    f"{hit.kind}): {hit.case_ref}"
                )
    for strength, note in _FOOTNOTES.items():
        if strength in shown:
            lines += ["", *note]
    lines.append("")
    return lines


def report_to_table(report: ScreeningReport) -> str:
    """A summary for people, at most 80 columns wide."""
    lines: list[str] = []
    for info in report.lists:
        lines += [
            f"List: {info.committee[:40]}, epoch {info.epoch}, version {info.version}, "
            f"valid until {info.expires_at:%Y-%m-%d %H:%M} UTC",
            f"      {info.kdf.describe()}, profile {info.profile}",
        ]
    lines.append("")
    if report.matches:
        lines += _match_lines(report)
    count = len(report.matches) - report.unscreened_matches
    lines.append(
        f"{count:,} of {report.screened:,} screened record"
        f"{'s' if report.screened != 1 else ''} matched."
    )
    if report.unscreened_matches:
        lines.append(
            f"{report.unscreened_matches:,} more row(s) matched only through the order's "
            "contact (the buyer); the attendee in them was NOT screened."
        )
    cached = report.identifiers_from_cache
    from_cache = f" ({cached:,} from the Argon2 cache of earlier runs)" if cached else ""
    lines.append(f"{report.identifiers_hashed:,} distinct identifiers checked{from_cache}.")
    lines += _service_lines(report)
    lines += _since_lines(report)
    if report.dismissed:
        rows = ", ".join(str(d.label) for d in report.dismissed[:10])
        more = f" and {len(report.dismissed) - 10:,} more" if len(report.dismissed) > 10 else ""
        lines.append(
            f"{len(report.dismissed):,} name-only match(es) the committee cleared before are "
            f"not shown again: {rows}{more} ('organizer cleared' lists them)."
        )
    if report.mixed_scripts:
        at = ", ".join(str(r.label) for r in report.mixed_scripts[:10])
        lines.append(
            f"{len(report.mixed_scripts):,} row(s) have a name mixing Latin with another "
            f"script in one word, which may be a disguise; check them by eye: {at}."
        )
    if report.unusable:
        count = report.unusable_count
        by_line = all(r.line is not None for r in report.unusable)
        rows = ", ".join(str(r.label if by_line else r.row) for r in report.unusable[:10])
        more = f" and {count - 10:,} more" if count > 10 else ""
        at = "at line(s) " if by_line else ""
        lines.append(
            f"{count:,} row(s) had no usable identifier and were NOT screened: {at}{rows}{more}."
        )
    if report.invalid:
        first = f" of the first {MAX_DETAILS:,}" if report.invalid_omitted else ""
        lines.append(
            f"{report.invalid_count:,} identifier(s) could not be read; --format json or "
            f"csv names the rule{first}."
        )
    return "\n".join(lines) + "\n"
