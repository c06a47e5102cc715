"""Reading benchmarks: each input format's read time as a ratio to UTF-8 CSV, same run.

    python benchmarks/bench_reading.py [--rows 20000]

Every format holds the same attendees (name, e-mail, GitHub handle and a
yes/no question) and is read to `ScreenRecord`s through `read_input`, as
`screen` reads it, without hashing.  Printed per format: seconds, the ratio
to UTF-8 CSV, and the read time as a fraction of the Argon2 time the same
rows cost to screen (two identifiers each, default profile, all cores),
which is what an organizer waits for anyway.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _common import raw_argon2_seconds
from coc_hashscreen.core import KDF_PROFILES
from coc_hashscreen.organizer import read_input

HEADER = ["Order code", "Attendee name", "Attendee email", "GitHub username", "Print on badge"]


def _rows(count: int) -> list[list[str]]:
    return [
        [f"A{i:05d}", f"Person Number{i}", f"p{i}@example.org", f"gh-{i}", "Yes" if i % 2 else "No"]
        for i in range(count)
    ]


def _csv(path: Path, rows: list[list[str]], codec: str) -> None:
    lines = [",".join(HEADER), *(",".join(row) for row in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(codec))


def _xlsx(path: Path, rows: list[list[str]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Order positions")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)


def _json(path: Path, rows: list[list[str]]) -> None:
    # pretix's "Order data (JSON)": one order per position, a question for GitHub.
    question = {"id": 1, "identifier": "GH", "question": "GitHub username", "type": "S"}
    orders = [
        {
            "code": code,
            "email": "buyer@example.org",
            "positions": [
                {
                    "positionid": 1,
                    "attendee_name": name,
                    "attendee_email": email,
                    "answers": [{"question": 1, "answer": github}],
                }
            ],
        }
        for code, name, email, github, _ in rows
    ]
    document = {"event": {"name": "Bench", "questions": [question], "orders": orders}}
    path.write_text(json.dumps(document), encoding="utf-8")


def _seconds(path: Path, expected: int) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        with read_input(path) as source:
            count = sum(1 for _ in source.records())
        best = min(best, time.perf_counter() - start)
        assert count == expected, (path.name, count)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    rows = _rows(args.rows)
    writers: dict[str, Callable[[Path], None]] = {
        "csv-utf8": lambda p: _csv(p, rows, "utf-8"),
        "csv-utf16": lambda p: _csv(p, rows, "utf-16"),
        "xlsx": lambda p: _xlsx(p, rows),
        "json-pretix": lambda p: _json(p, rows),
    }
    argon2 = raw_argon2_seconds(KDF_PROFILES["default"], calls=min(args.rows, 400) * 2)
    argon2 *= args.rows / min(args.rows, 400)
    print(f"{args.rows:,} rows; Argon2 for their 2 identifiers each: {argon2:.1f} s (all cores)")
    with tempfile.TemporaryDirectory() as tmp:
        baseline = 0.0
        for name, write in writers.items():
            path = Path(tmp) / name
            write(path)
            seconds = _seconds(path, args.rows)
            baseline = baseline or seconds
            print(
                f"  {name:<12} {seconds:7.3f} s   ratio to csv-utf8 {seconds / baseline:5.2f}"
                f"   of Argon2 time {seconds / argon2:7.2%}"
            )


if __name__ == "__main__":
    main()
