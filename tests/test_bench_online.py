"""benchmarks/bench_online.py runs, at tiny sizes, against the real service on 127.0.0.1.

Shape only, and the one property the benchmark asserts itself: the real
server refuses the evaluation after a grant's quota.  The figures are the
benchmark's business (it is run by hand, at its defaults).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import coc_hashscreen

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_the_online_benchmark_runs_and_returns_every_figure() -> None:
    # The package under test, not whichever one the child would find first.
    package_root = Path(coc_hashscreen.__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package_root), str(BENCHMARKS)])}
    tiny = ["--kdf", "test-only", "--rows", "20", "--requests", "2", "--clients", "2",
            "--workers", "1", "--guesses", "20", "--quota", "64"]  # fmt: skip
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_online.py"), "--json", *tiny],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert set(figures) == {"machine", "kdf", "g", "h", "i", "seconds"}
    g, h, i = figures["g"], figures["h"], figures["i"]
    # 40 identifiers go out as one request padded to 64; the listed person is found.
    assert (g["identifiers"], g["requests"], g["evaluations"], g["padding"]) == (40, 1, 64, 24)
    assert g["ratio"] > 0
    assert 0 < g["service_share"] < 1
    assert g["cpu_ratio"] > 0
    assert g["online_service_cpu_s"] >= 0
    assert (h["workers"], h["requests"], h["batch"]) == (1, 2, 1024)
    for name in ("ratio_service_raw", "ratio_latency_median_client", "ratio_latency_p95_client"):
        assert h[name] > 0, name
    assert h["latency_p95_s"] >= h["latency_median_s"]
    assert i["online_guesses_per_epoch"] == 64
    assert i["enforced"] == {
        "spent": 64,
        "requests": 1,
        "refused_status": 429,
        "refused_error": "quota-spent",
        "client_refusal": "quota-spent",
    }
    assert 0 < i["ratio_online_offline"] < 1
