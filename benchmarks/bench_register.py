"""Register benchmarks: bringing in a committee's cases, and finding one, as ratios in one run.

    python benchmarks/bench_register.py [--cases 500]

(a) `Register.import_rows` of N cases in one transaction, as a ratio to N
    `records.add` calls (one transaction each, as N typed commands would
    be, without the process start-up each command also costs).
(b) `committee search` against a register of N records: one look-up's time
    as a ratio to building the search index once (what every search pays,
    as the CLI opens the register for each).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from coc_hashscreen.committee import Committee, NewRecord, SearchIndex
from coc_hashscreen.core import Identifier, Status

HEADER = ["Case", "Status", "Decided", "Name", "E-mail", "GitHub"]
NOW = datetime.now(UTC)


def _rows(count: int) -> list[tuple[int, list[str]]]:
    decided = (NOW - timedelta(days=30)).date().isoformat()
    return [
        (n + 2, [f"C-{n}", "banned" if n % 3 else "flagged", decided, f"Person Number{n}",
                 f"p{n}@example.org; p{n}@work.example", f"gh-{n}"])
        for n in range(count)
    ]  # fmt: skip


def _new(cells: list[str]) -> NewRecord:
    ref, status, _, name, emails, github = cells
    return NewRecord(
        status=Status(status),
        identifiers=[
            Identifier("name", name),
            *(Identifier("email", e.strip()) for e in emails.split(";")),
            Identifier("github", github),
        ],
        case_ref=ref,
    )


def _committee(tmp: Path, label: str) -> Committee:
    return Committee.init(tmp / label, name="Bench Committee")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=500)
    args = parser.parse_args()
    rows = _rows(args.cases)
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        with _committee(tmp, "one-by-one") as committee:
            start = time.perf_counter()
            for _, cells in rows:
                committee.register.records.add(_new(cells))
            one_by_one = time.perf_counter() - start
        with _committee(tmp, "import") as committee:
            start = time.perf_counter()
            _, added = committee.register.import_rows(HEADER, rows)
            imported = time.perf_counter() - start
            assert len(added) == args.cases
            records = committee.register.records.all()
            start = time.perf_counter()
            index = SearchIndex.of(records, profile="v2")
            build = time.perf_counter() - start
            queries = [("email", f"P{n}@Example.org") for n in range(0, args.cases, 7)]
            start = time.perf_counter()
            for kind, value in queries:
                assert index.find(kind, value)
            lookup = (time.perf_counter() - start) / len(queries)
    print(f"{args.cases:,} cases (a name, two e-mail addresses and a GitHub handle each)")
    print(
        f"  (a) import in one transaction {imported:6.2f} s; one add per case "
        f"{one_by_one:6.2f} s; ratio import/adds {imported / one_by_one:5.3f}"
    )
    print(
        f"  (b) search index built in {build * 1000:7.1f} ms; one look-up "
        f"{lookup * 1e6:7.1f} us; ratio look-up/index {lookup / build:8.5f}"
    )


if __name__ == "__main__":
    main()
