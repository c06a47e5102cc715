"""Any attendee list the tool reads: a platform's JSON document or a table.

What a file is comes from its bytes, never its name: pretix's "Order data
(JSON)" saved as ``.csv`` is still JSON, and a workbook saved as ``.csv``
still a workbook (`_tables.json_text` decides).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from ..errors import InputError
from ._csvinput import CsvSource
from ._jsoninput import JsonRecords, read_json
from ._tables import TableOptions, json_text

__all__ = ["read_input"]


def read_input(
    source: str | os.PathLike[str],
    *,
    columns: Mapping[str, Sequence[str]] | None = None,
    role: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
) -> CsvSource | JsonRecords:
    """Open the file at *source*, whatever it holds, for `Screener.screen`.

    A JSON document goes to `read_json` (its platform's adapter finds the
    fields); anything else to `read_table` (CSV, XLSX, XLS, ODS).  The
    table-only options (*columns*, *sheet*) are refused with a JSON input
    rather than ignored; *encoding* names a legacy encoding for either.
    Either result has ``plan.describe()``, ``plan.warnings``, ``count()``
    and ``records(keep=...)``; use it as a context manager.
    """
    handle = open(source, "rb")  # noqa: SIM115 - closed here or by the CsvSource
    try:
        text = json_text(handle, encoding)
    except BaseException:
        handle.close()
        raise
    if text is None:
        options = TableOptions(sheet=sheet, encoding=encoding)
        return CsvSource(handle, owned=True, columns=columns, role=role, options=options)
    handle.close()
    for given, option in (
        (columns, "naming columns (--column, --no-column)"),
        (sheet, "a sheet (--sheet)"),
    ):
        if given:
            raise InputError(
                f"{option} is for tables; a JSON document is read by its platform's field "
                "names (see the organizer guide)"
            )
    return read_json(text, role=role)
