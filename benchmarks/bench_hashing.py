"""Batch keyed hashing throughput as a ratio to raw Argon2 on all cores.

    python benchmarks/bench_hashing.py [--profile default] [--items 400] [--repeat 3]

Both sides use the same Argon2 parameters and the same number of calls, and
are measured alternately in the same run, so the ratio does not depend on the
machine.  Target: ratio >= 0.95.
"""

from __future__ import annotations

import argparse
import os
import time

from _common import raw_argon2_seconds
from coc_hashscreen.core import KDF_PROFILES, EpochKey, KeyedHasher, available_cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="default", choices=sorted(KDF_PROFILES))
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    params = KDF_PROFILES[args.profile]
    items = [("email", f"person{i}@example.org") for i in range(args.items)]
    key = EpochKey(os.urandom(32), os.urandom(16), params)

    def batch() -> float:
        with KeyedHasher(key, version=1) as hasher:
            start = time.perf_counter()
            hasher.hash_many(items)
            return time.perf_counter() - start

    raw_times, batch_times = [], []
    for _ in range(args.repeat):  # interleaved, so drift hits both sides alike
        raw_times.append(raw_argon2_seconds(params, len(items)))
        batch_times.append(batch())
    raw, ours = min(raw_times), min(batch_times)
    cpus = available_cpus()
    print(f"parameters        : {params.describe()} ({args.profile}), {cpus} CPUs")
    print(f"identifiers       : {len(items)} distinct, best of {args.repeat}")
    print(f"raw argon2        : {len(items) / raw:10.1f} calls/s on {cpus} threads")
    print(f"batch hasher      : {len(items) / ours:10.1f} identifiers/s")
    print(f"throughput ratio  : {raw / ours:.3f}  (batch / raw; target >= 0.95)")


if __name__ == "__main__":
    main()
