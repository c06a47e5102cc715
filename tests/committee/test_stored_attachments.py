"""Reports an earlier release took in stay readable after the attachment rules tightened.

An attachment is checked when it is sealed, at intake and before it is
saved to disk (ADR 0013).  One already in the register, accepted by an
earlier release's rules (a PDF with bytes after ``%%EOF``), must not lock
the committee out of the report: it is shown and assessed as stored, and
only writing it to disk refuses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coc_hashscreen.committee import Committee, ReviewAction
from coc_hashscreen.core import Status
from coc_hashscreen.errors import ReportError
from coc_hashscreen.formats import save_attachments, seal_report

from ..helpers import NOW, PDF, raw_database, sample_report

# What a release before ADR 0013 accepted: a PDF with something after its end.
LEGACY_PDF = PDF + b"appended after the end"


def test_a_report_an_earlier_release_took_in_is_shown_assessed_but_not_saved(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "committee"
    with Committee.init(directory, name="C", now=NOW) as committee:
        sealed = seal_report(sample_report(), trust=committee.trust)
        report_id = committee.intake(sealed, now=NOW).report.id
    # The register as an earlier release would have left it.
    with raw_database(directory / "register.sqlite3") as db:
        db.execute(
            "UPDATE report_attachments SET data = ? WHERE media_type = 'application/pdf'",
            (LEGACY_PDF,),
        )
    with Committee.open(directory) as committee:
        reports = committee.register.reports
        content = reports.content(report_id)
        assert [a.data for a in content.attachments][-1] == LEGACY_PDF
        reports.advance(report_id, ReviewAction("reviewed", actor="Ann"), now=NOW)
        assessed = reports.advance(
            report_id,
            ReviewAction("assessed", actor="Bo", outcome=Status.FLAGGED),
            now=NOW,
        )
        assert assessed.step == "assessed"
        with pytest.raises(ReportError, match="does not end in %%EOF"):
            save_attachments(content.attachments, tmp_path / "evidence")
    assert not (tmp_path / "evidence").exists()
