"""The column plan of a header line, for tests of detection by header."""

from __future__ import annotations

import csv
import io

from coc_hashscreen.organizer import read_csv


def plan_of(header: str, **kwargs: object) -> list[tuple[str, str, bool]]:
    """(kind, header, fallback) per detected column of a file headed *header*.

    A header line alone is refused (no data rows), so one row follows whose
    cells fit no content rule (the header again might: "X" is a tick mark,
    and a yes/no column is never screened).
    """
    separator = next((s for s in ",;\t|" if s in header), ",")
    width = len(next(csv.reader([header], delimiter=separator)))
    data = f"{header}\n{separator.join('?' * width)}\n".encode()
    with read_csv(io.BytesIO(data), **kwargs) as source:  # type: ignore[arg-type]
        return [(c.kind, c.header, c.fallback) for c in source.plan.columns]
