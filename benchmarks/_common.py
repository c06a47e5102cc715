"""Helpers shared by the benchmark scripts (not part of the package)."""

from __future__ import annotations

import os
import threading
import time

from argon2.low_level import Type, hash_secret_raw

from coc_hashscreen.core import Argon2Params, available_cpus


def raw_argon2_seconds(params: Argon2Params, calls: int, workers: int | None = None) -> float:
    """Wall time for *calls* bare hash_secret_raw calls spread over all cores.

    The baseline: one plain thread per core, each calling argon2-cffi in a
    tight loop over its share, with nothing else in the way.
    """
    workers = workers or available_cpus()
    shares = [calls // workers + (1 if i < calls % workers else 0) for i in range(workers)]
    salt = os.urandom(16)

    def run(share: int, seed: int) -> None:
        for i in range(share):
            secret = seed.to_bytes(4, "big") + i.to_bytes(28, "big")
            hash_secret_raw(
                secret,
                salt,
                params.time_cost,
                params.memory_cost,
                params.parallelism,
                32,
                Type.ID,
                19,
            )

    threads = [threading.Thread(target=run, args=(s, n)) for n, s in enumerate(shares)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start
