"""Intake benchmark: linking a report's people to the register, as a ratio.

    python benchmarks/bench_intake.py [--records 1000] [--people 100]

Stores one report of P people in a register of R records (each with a
name, an e-mail and a handle), linking every person through one index of
the register built for the intake, and compares it with a look-up per
person (`RecordStore.find`, which scans the register each time, as intake
did before).  Prints both times and their ratio (target: the indexed
intake at least P/4 times faster).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from coc_hashscreen.committee import NewRecord, Register
from coc_hashscreen.core import Identifier, Status
from coc_hashscreen.formats import IncidentReport, Person

NOW = datetime.now(UTC)


def _report(people: int) -> IncidentReport:
    return IncidentReport(
        event_name="Bench Conf",
        event_start=date(2026, 5, 1),
        event_end=date(2026, 5, 2),
        reporter_name="Bench Organizer",
        reporter_email="coc@bench.example",
        people=tuple(
            Person("witness", f"Someone Number{n}", (Identifier("email", f"s{n}@bench.example"),))
            for n in range(people)
        ),
        facts="A benchmark.",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--people", type=int, default=100)
    args = parser.parse_args()
    report = _report(args.people)
    with (
        tempfile.TemporaryDirectory() as tmp,
        Register.create(Path(tmp) / "register.sqlite3") as register,
    ):
        for n in range(args.records):
            register.records.add(
                NewRecord(
                    status=Status.BANNED,
                    identifiers=[
                        Identifier("name", f"Listed Person{n}"),
                        Identifier("email", f"p{n}@example.org"),
                        Identifier("github", f"listed-{n}"),
                    ],
                ),
                now=NOW,
            )
        start = time.perf_counter()
        register.reports.store(report, sealed=b"bench", received_at=NOW, actor="bench")
        indexed = time.perf_counter() - start
        start = time.perf_counter()
        for person in report.people:
            register.records.find(person.all_identifiers)
        scanned = time.perf_counter() - start
    print(f"records: {args.records:,}, people: {args.people}")
    print(f"intake, one index:        {indexed:8.3f} s")
    print(f"a scan per person (old):  {scanned:8.3f} s")
    print(f"ratio old / indexed:      {scanned / indexed:8.1f} (target >= {args.people / 4:.0f})")


if __name__ == "__main__":
    main()
