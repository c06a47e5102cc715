"""Screening benchmarks, each figure a ratio to a baseline measured in the same run.

    python benchmarks/bench_screening.py [--parts abcd] [--records 10000] [--profile default]

(a) throughput screening N records of a name and an e-mail each, over raw
    argon2-cffi with the same parameters on all cores, same number of calls
    (target >= 0.95);
(b) CPU time per identifier spent outside Argon2 (normalization, HMAC, HKDF,
    lookup, bookkeeping), as a fraction of one Argon2 call (target < 1%);
(c) load + verify time and memory for a 100,000-entry list (targets < 0.5 s,
    < 100 MiB);
(d) peak memory screening a 1,000,000-row CSV with the test-only profile, over
    workers x memory cost + 100 MiB (target <= 1).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import raw_argon2_seconds
from coc_hashscreen.committee import Committee, GrantRequest, NewRecord, PublishOptions
from coc_hashscreen.core import (
    KDF_PROFILES,
    Argon2Params,
    EpochKey,
    HashingOptions,
    HpkePrivateKey,
    Identifier,
    KeyedHash,
    Status,
    Strength,
    argon2id,
    available_cpus,
    key_check,
)
from coc_hashscreen.formats import EntryPayload, GrantTerms, ListHeader, bucket_size, build_list
from coc_hashscreen.organizer import MemoryState, Screener, ScreenerOptions

NOW = datetime.now(UTC)


def _world(
    directory: Path, params: Argon2Params, hashing: HashingOptions = HashingOptions()
) -> Screener:
    with Committee.init(directory / "committee", name="Bench", now=NOW) as committee:
        committee.register.records.add(
            NewRecord(
                status=Status.BANNED,
                identifiers=[Identifier("name", "Listed Person"), Identifier("email", "l@x.org")],
            ),
            now=NOW,
        )
        committee.publish(directory / "l", PublishOptions(kdf=params), now=NOW)
        key = HpkePrivateKey.generate()
        committee.grant(GrantRequest(key.public_key, "Bench"), directory / "g", now=NOW)
        return Screener.load(
            hashed_list=directory / "l",
            grant=directory / "g",
            organizer_key=key,
            trust=committee.paths.trust,
            options=ScreenerOptions(state=MemoryState(), now=NOW, hashing=hashing),
        )


def _records(n: int, offset: int = 0) -> list[dict[str, str]]:
    return [
        {"name": f"Attendee Number{i}", "email": f"attendee{i}@example.org"}
        for i in range(offset, offset + n)
    ]


def part_a(params: Argon2Params, records: int, tmp: Path) -> None:
    screener = _world(tmp / "a", params)
    raw_times, ours = [], []
    for round_ in range(2):
        batch = _records(records, offset=round_ * records)
        raw_times.append(raw_argon2_seconds(params, 2 * records))
        start = time.perf_counter()
        report = screener.screen(batch)
        ours.append(time.perf_counter() - start)
        assert report.identifiers_hashed == 2 * records
    raw, screen = min(raw_times), min(ours)
    print(f"(a) screening {records:,} records ({2 * records:,} identifiers), {params.describe()}")
    print(f"    raw argon2 {2 * records / raw:9.1f}/s   screening {2 * records / screen:9.1f}/s")
    print(f"    throughput ratio {raw / screen:.3f}   (target >= 0.95)")


def part_b(params: Argon2Params, tmp: Path) -> None:
    def no_argon2(secret: bytes, salt: bytes, params: Argon2Params) -> bytes:
        return hashlib.sha256(secret).digest()

    # Everything but Argon2 itself, on every thread, measured as CPU time.
    screener = _world(tmp / "b", params, HashingOptions(argon2=no_argon2))
    n = 20_000
    calls = 50 if params.memory_cost > 1024 else 5000
    start = time.perf_counter()
    for i in range(calls):
        argon2id(i.to_bytes(32, "big"), b"s" * 16, params)
    argon2_call = (time.perf_counter() - start) / calls
    batch = _records(n)
    cpu = time.process_time()
    screener.screen(batch)
    outside = (time.process_time() - cpu) / (2 * n)
    print(f"(b) one Argon2 call ({params.describe()}): {argon2_call * 1e3:.2f} ms")
    print(f"    CPU per identifier outside Argon2: {outside * 1e6:.1f} us (all threads)")
    print(f"    fraction of one Argon2 call {outside / argon2_call:.2%}   (target < 1%)")


# Memory is read from /proc/self/status (Linux): VmRSS is resident now and
# VmHWM this process's own peak.  ru_maxrss would not do: Linux carries it
# across exec, so a child started by a large parent reports at least the
# parent's size.
_STATUS = textwrap.dedent(
    """
    def status(field):
        for line in open("/proc/self/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    """
)


def _run_child(script: str, directory: Path, *files: str) -> list[str]:
    """Run *script* in a fresh interpreter, so its memory is its own; its printed words."""
    return subprocess.run(
        [sys.executable, "-c", script, *(str(directory / f) for f in files)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()


_LOAD_SCRIPT = _STATUS + textwrap.dedent(
    """
    import sys, time
    from coc_hashscreen.organizer import (
        MemoryState, Screener, ScreenerOptions, load_organizer_key)
    before = status("VmRSS")
    start = time.perf_counter()
    s = Screener.load(hashed_list=sys.argv[1], grant=sys.argv[2],
                      organizer_key=load_organizer_key(sys.argv[3]), trust=sys.argv[4],
                      options=ScreenerOptions(state=MemoryState()))
    elapsed = time.perf_counter() - start
    print(elapsed, status("VmHWM") - before, s.hashed_list.header.entry_count)
    """
)


def part_c(tmp: Path) -> None:
    from coc_hashscreen.core import KeyPurpose
    from coc_hashscreen.formats import issue_grant, save_private_key

    directory = tmp / "c"
    with Committee.init(directory, name="Bench", now=NOW) as committee:
        signer = committee._authority.signing_key
        epoch_key, salt = os.urandom(32), os.urandom(16)
        count = 100_000
        header = ListHeader(
            series=committee.series, epoch=1, version=1, issued_at=NOW,
            expires_at=NOW + timedelta(days=30), kdf=KDF_PROFILES["default"], salt=salt,
            key_check=key_check(
                EpochKey(epoch_key, salt, KDF_PROFILES["default"]), series=committee.series, epoch=1
            ),
            entry_count=bucket_size(count),
        )  # fmt: skip
        payload = EntryPayload(Status.BANNED, Strength.STRONG, "CoC-BENCH")
        real = ((KeyedHash(os.urandom(16), os.urandom(32)), payload) for _ in range(count))
        (directory / "big.list").write_bytes(build_list(header, real, signer))
        organizer = HpkePrivateKey.generate()
        save_private_key(directory / "o.key", organizer, purpose=KeyPurpose.ORGANIZER, name="o")
        grant = issue_grant(
            GrantTerms(committee.series, 1, "o", NOW, NOW + timedelta(days=30)),
            epoch_key=epoch_key,
            organizer=organizer.public_key,
            signer=signer,
        )
        (directory / "o.grant").write_bytes(grant)
    size = (directory / "big.list").stat().st_size
    out = _run_child(_LOAD_SCRIPT, directory, "big.list", "o.grant", "o.key", "committee.trust")
    elapsed, memory, entries = float(out[0]), int(out[1]), int(out[2])
    print(f"(c) list of {count:,} entries ({entries:,} with decoys, {size / 2**20:.1f} MiB)")
    print(f"    load + verify {elapsed:.3f} s (target < 0.5 s; ratio {elapsed / 0.5:.2f})")
    print(f"    peak memory added {memory / 2**20:.1f} MiB (target < 100 MiB)")


_CSV_SCRIPT = _STATUS + textwrap.dedent(
    """
    import sys
    from coc_hashscreen.organizer import (
        MemoryState, Screener, ScreenerOptions, load_organizer_key, read_csv)
    s = Screener.load(hashed_list=sys.argv[1], grant=sys.argv[2],
                      organizer_key=load_organizer_key(sys.argv[3]), trust=sys.argv[4],
                      options=ScreenerOptions(state=MemoryState()))
    with read_csv(sys.argv[5]) as source:
        report = s.screen(source.records())
    print(report.screened, report.identifiers_hashed, status("VmHWM"))
    """
)


def part_d(tmp: Path, rows: int) -> None:
    from coc_hashscreen.core import KeyPurpose
    from coc_hashscreen.formats import save_private_key

    directory = tmp / "d"
    params = KDF_PROFILES["test-only"]
    with Committee.init(directory, name="Bench", now=NOW) as committee:
        committee.register.records.add(
            NewRecord(
                status=Status.BANNED, identifiers=[Identifier("email", "attendee7@example.org")]
            ),
            now=NOW,
        )
        committee.publish(directory / "l", PublishOptions(kdf=params), now=NOW)
        organizer = HpkePrivateKey.generate()
        save_private_key(directory / "o.key", organizer, purpose=KeyPurpose.ORGANIZER, name="o")
        committee.grant(GrantRequest(organizer.public_key, "o"), directory / "g", now=NOW)
    csv_path = directory / "attendees.csv"
    with csv_path.open("w", encoding="utf-8") as handle:
        handle.write("Name,Email\n")
        for i in range(rows):
            handle.write(f"Attendee Number{i},attendee{i}@example.org\n")
    start = time.perf_counter()
    out = _run_child(_CSV_SCRIPT, directory, "l", "g", "o.key", "committee.trust", "attendees.csv")
    elapsed = time.perf_counter() - start
    screened, hashed, peak = int(out[0]), int(out[1]), int(out[2])
    workers = available_cpus()
    budget = workers * params.memory_bytes + 100 * 2**20
    print(f"(d) {screened:,} CSV rows, {hashed:,} identifiers, {elapsed:.0f} s, {workers} workers")
    print(f"    peak RSS {peak / 2**20:.1f} MiB; workers x m + 100 MiB = {budget / 2**20:.1f} MiB")
    print(f"    ratio {peak / budget:.2f}   (target <= 1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="abcd")
    parser.add_argument("--records", type=int, default=10_000, help="for (a)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="for (d)")
    parser.add_argument("--profile", default="default", choices=sorted(KDF_PROFILES))
    args = parser.parse_args()
    params = KDF_PROFILES[args.profile]
    print(f"{available_cpus()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if "a" in args.parts:
            part_a(params, args.records, tmp)
        if "b" in args.parts:
            part_b(params, tmp)
        if "c" in args.parts:
            part_c(tmp)
        if "d" in args.parts:
            part_d(tmp, args.rows)


if __name__ == "__main__":
    main()
