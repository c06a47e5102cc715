"""Online-mode benchmarks (issue 16), each figure a ratio to a baseline measured in the same run.

    python benchmarks/bench_online.py [--parts ghi] [--rows 1000] [--kdf default]
        [--requests 30] [--clients 4] [--workers N] [--guesses 200] [--quota 4096] [--json]

The committee's service is the real one, ``committee serve`` on 127.0.0.1
in a subprocess (one worker per CPU by default), sharing this machine's
cores with the organizer's side: what loopback costs is measured, not
what a network adds.

(g) screening N rows (a name and an e-mail each) through the service, over
    screening them against an offline list with the same Argon2
    parameters, without any Argon2 cache on either side: rows/s online
    over rows/s offline (target >= 0.9); the share of the online run's
    wall time spent waiting for the service's HTTP answers; and the CPU
    time of each run (this process's and the service's), which other load
    on a shared machine disturbs less than the wall time;
(h) the service's evaluations per second, full requests of 1,024 blinded
    elements from concurrent client threads, over `OprfKey.evaluate_blinded`
    called directly, one process per worker (what HTTP, the threads and the
    SQLite charge of each request cost); and a request's latency (median
    and p95) over the organizer's own blind + finalize of the same batch;
(i) the acknowledged attack, before and after: the guesses one grant holder
    can test in an epoch.  Offline: Argon2 guesses/s on all cores times the
    epoch's length (and the epoch key is kept, for good).  Online: the
    grant's quota, which the real server is made to enforce: the quota is
    spent, and the next request must be refused with HTTP 429.  Printed as
    online over offline.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from _common import raw_argon2_seconds
from _service import Served, free_port, serving
from coc_hashscreen.committee import (
    DEFAULT_QUOTA,
    Committee,
    GrantRequest,
    NewRecord,
    PublishOptions,
    quota_for,
)
from coc_hashscreen.core import (
    KDF_PROFILES,
    MAX_OPRF_BATCH,
    Argon2Params,
    HpkePrivateKey,
    Identifier,
    OprfKey,
    Status,
    available_cpus,
    blind_batch,
    finalize_batch,
    padded_total,
)
from coc_hashscreen.errors import ServiceRefused
from coc_hashscreen.formats import OnlineService, read_grant, read_list
from coc_hashscreen.organizer import (
    HttpTransport,
    MemoryState,
    Screener,
    ScreenerOptions,
    ScreeningReport,
    ServiceAnswer,
    ServiceClient,
    Transport,
)

NOW = datetime.now(UTC)
EVALUATE = "/v1/evaluate"
LISTED = {"name": "Listed Person", "email": "listed@example.org"}
Figures = dict[str, Any]


# -- the committees, their grants and the organizers' screeners -------------------


@dataclass(frozen=True)
class _Organizer:
    key: HpkePrivateKey
    grant: Path


@dataclass(frozen=True)
class _Committee:
    """A committee with one listed person, its list, and grants to named organizers."""

    directory: Path
    list_path: Path
    trust: Path
    trusted: Mapping[bytes, Any]
    organizers: Mapping[str, _Organizer]

    def screener(self, organizer: str, transport: Transport | None = None) -> Screener:
        # A fresh state and no cache: every identifier costs a full Argon2 call.
        return Screener.load(
            hashed_list=self.list_path,
            grant=self.organizers[organizer].grant,
            organizer_key=self.organizers[organizer].key,
            trust=self.trust,
            options=ScreenerOptions(state=MemoryState(), now=NOW, transport=transport),
        )

    def token(self, organizer: str) -> bytes:
        who = self.organizers[organizer]
        return read_grant(who.grant, self.trusted).open_token(who.key)

    def service(self) -> OnlineService:
        online = read_list(self.list_path, self.trusted).header.online
        if online is None:
            raise RuntimeError("this committee's list is an offline one")
        return online


def _committee(
    base: Path, params: Argon2Params, endpoint: str | None, quotas: Mapping[str, int | None]
) -> _Committee:
    base.mkdir()
    with Committee.init(base / "committee", name="Bench", now=NOW) as committee:
        committee.register.records.add(
            NewRecord(
                status=Status.BANNED,
                identifiers=[Identifier(kind, value) for kind, value in LISTED.items()],
            ),
            now=NOW,
        )
        committee.publish(base / "list", PublishOptions(kdf=params, endpoint=endpoint), now=NOW)
        organizers = {}
        for name, quota in quotas.items():
            key = HpkePrivateKey.generate()
            request = GrantRequest(key.public_key, name, quota=quota)
            committee.grant(request, base / f"{name}.grant", now=NOW)
            organizers[name] = _Organizer(key, base / f"{name}.grant")
        return _Committee(
            base / "committee",
            base / "list",
            committee.paths.trust,
            committee.trust.trusted_keys(),
            organizers,
        )


def _records(rows: int) -> list[dict[str, str]]:
    """The listed person, then attendees who are not listed: *rows* in all."""
    return [LISTED] + [
        {"name": f"Attendee Number{i}", "email": f"attendee{i}@example.org"}
        for i in range(rows - 1)
    ]


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


# -- (g) screening throughput, online over offline ----------------------------------


class _TimedTransport:
    """`HttpTransport`, adding up the wall time its requests take."""

    def __init__(self) -> None:
        self._inner = HttpTransport()
        self.seconds = 0.0
        self.requests = 0

    def post(self, url: str, body: bytes, *, token: bytes) -> ServiceAnswer:
        start = time.perf_counter()
        try:
            return self._inner.post(url, body, token=token)
        finally:
            self.seconds += time.perf_counter() - start
            self.requests += 1


@dataclass(frozen=True)
class _Screened:
    """One screening run: wall time, this process's CPU time, the service's, and the report."""

    seconds: float
    cpu: float
    service_cpu: float
    report: ScreeningReport


def _screen(screener: Screener, records: list[dict[str, str]], served: Served) -> _Screened:
    cpu, service_cpu = time.process_time(), served.cpu_seconds()
    start = time.perf_counter()
    report = screener.screen(records)
    seconds = time.perf_counter() - start
    cpu, service_cpu = time.process_time() - cpu, served.cpu_seconds() - service_cpu
    if report.identifiers_hashed != 2 * len(records) or len(report.matches) != 1:
        raise RuntimeError("the screening did not hash every identifier or find the listed one")
    return _Screened(seconds, cpu, service_cpu, report)


def part_g(
    offline: _Committee, online: _Committee, served: Served, rows: int, repeat: int
) -> Figures:
    records = _records(rows)
    offline_runs, online_runs = [], []
    for _ in range(repeat):  # interleaved, so drift hits both sides alike
        offline_runs.append(_screen(offline.screener("screening"), records, served))
        transport = _TimedTransport()
        online_runs.append(
            (_screen(online.screener("screening", transport), records, served), transport)
        )
    off = min(offline_runs, key=lambda run: run.seconds)
    on, transport = min(online_runs, key=lambda run: run[0].seconds)
    evaluations = on.report.service_evaluations
    return {
        "rows": rows,
        "identifiers": 2 * rows,
        "repeat": repeat,
        "offline_rows_per_s": rows / off.seconds,
        "online_rows_per_s": rows / on.seconds,
        "offline_seconds": off.seconds,
        "online_seconds": on.seconds,
        "requests": transport.requests,
        "evaluations": evaluations,
        "padding": evaluations - 2 * rows,
        "service_seconds": transport.seconds,
        "service_share": transport.seconds / on.seconds,
        "ratio": off.seconds / on.seconds,
        # CPU time, which other load on the machine disturbs less than wall time.
        "offline_cpu_s": off.cpu + off.service_cpu,
        "online_cpu_s": on.cpu + on.service_cpu,
        "online_service_cpu_s": on.service_cpu,
        "cpu_ratio": (off.cpu + off.service_cpu) / (on.cpu + on.service_cpu),
    }


def _print_g(g: Figures, params: Argon2Params) -> None:
    print(
        f"(g) screening {g['rows']:,} rows ({g['identifiers']:,} identifiers), "
        f"{params.describe()}, no Argon2 cache, best of {g['repeat']}"
    )
    print(
        f"    offline {g['offline_rows_per_s']:8.1f} rows/s ({g['offline_seconds']:.1f} s)   "
        f"online {g['online_rows_per_s']:8.1f} rows/s ({g['online_seconds']:.1f} s)"
    )
    print(
        f"    online: {_count(g['requests'], 'request')}, {g['evaluations']:,} evaluations "
        f"({g['padding']:,} of them padding); waiting for the service's answers "
        f"{g['service_seconds']:.2f} s, {g['service_share']:.1%} of the wall time"
    )
    print(
        f"    CPU time (organizer + service): offline {g['offline_cpu_s']:.1f} s, online "
        f"{g['online_cpu_s']:.1f} s ({g['online_service_cpu_s']:.2f} s of it the service's); "
        f"ratio {g['cpu_ratio']:.3f}"
    )
    print(f"    throughput ratio online/offline {g['ratio']:.3f}   (target >= 0.9)")


# -- (h) the service's evaluations/s and latency --------------------------------------


def _raw_worker(batches: int, start: Barrier, results: Queue[float]) -> None:
    """One process evaluating full batches in a loop, as one service worker would."""
    key = OprfKey.derive(os.urandom(32), info=b"bench")
    _, elements = blind_batch([os.urandom(32) for _ in range(MAX_OPRF_BATCH)])
    key.evaluate_blinded(elements)
    start.wait()
    began = time.perf_counter()
    for _ in range(batches):
        key.evaluate_blinded(elements)
    results.put(time.perf_counter() - began)


def _raw_rate(processes: int, batches: int) -> float:
    """Evaluations/s of `evaluate_blinded` in *processes* processes at once (it holds the GIL)."""
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    results: Queue[float] = context.Queue()
    workers = [
        context.Process(target=_raw_worker, args=(batches, start, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        seconds = [results.get(timeout=300) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=30)
    return processes * batches * MAX_OPRF_BATCH / max(seconds)


def _one_core_rate(batches: int) -> float:
    key = OprfKey.derive(os.urandom(32), info=b"bench")
    _, elements = blind_batch([os.urandom(32) for _ in range(MAX_OPRF_BATCH)])
    start = time.perf_counter()
    for _ in range(batches):
        key.evaluate_blinded(elements)
    return batches * MAX_OPRF_BATCH / (time.perf_counter() - start)


def _client_seconds(service: OnlineService, token: bytes, times: int) -> float:
    """The organizer's own work on one full batch: blind + finalize (median of *times*)."""
    transport = HttpTransport()
    spent: list[float] = []
    for _ in range(times):
        inputs = [os.urandom(32) for _ in range(MAX_OPRF_BATCH)]
        start = time.perf_counter()
        state, elements = blind_batch(inputs)
        blinded = time.perf_counter() - start
        answer = transport.post(service.endpoint + EVALUATE, b"".join(elements), token=token)
        if answer.status != 200:
            raise RuntimeError(f"the service answered HTTP {answer.status}")
        start = time.perf_counter()
        finalize_batch(state, answer.body, public_key=service.public_key)
        spent.append(blinded + time.perf_counter() - start)
    return statistics.median(spent)


def _load(url: str, token: bytes, requests: int, clients: int) -> tuple[float, list[float]]:
    """*requests* full requests from *clients* threads: wall time, and each one's latency."""
    _, elements = blind_batch([os.urandom(32) for _ in range(MAX_OPRF_BATCH)])
    body = b"".join(elements)
    latencies: list[float] = []
    failures: list[int] = []

    def client(share: int) -> None:
        transport = HttpTransport()
        for _ in range(share):
            start = time.perf_counter()
            answer = transport.post(url + EVALUATE, body, token=token)
            latencies.append(time.perf_counter() - start)
            if answer.status != 200 or len(answer.body) != 64 + len(body):
                failures.append(answer.status)

    shares = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    threads = [threading.Thread(target=client, args=(share,)) for share in shares if share]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if failures:
        raise RuntimeError(f"the service refused {len(failures)} requests: HTTP {failures[0]}")
    return wall, latencies


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def part_h(online: _Committee, served: Served, requests: int, clients: int) -> Figures:
    service, token = online.service(), online.token("load")
    # A warm-up through the organizer's own client, its proof checked.
    ServiceClient(service, token, HttpTransport()).evaluate([os.urandom(32)] * MAX_OPRF_BATCH)
    client = _client_seconds(service, token, 3)
    wall, latencies = _load(served.url, token, requests, clients)
    batches = max(1, requests // served.workers)
    raw = _raw_rate(served.workers, batches)
    one = _one_core_rate(batches)
    rate = requests * MAX_OPRF_BATCH / wall
    median, p95 = statistics.median(latencies), _p95(latencies)
    return {
        "workers": served.workers,
        "clients": clients,
        "requests": requests,
        "batch": MAX_OPRF_BATCH,
        "service_evaluations_per_s": rate,
        "raw_evaluations_per_s": raw,
        "raw_processes": served.workers,
        "raw_one_process_per_s": one,
        "ratio_service_raw": rate / raw,
        "latency_median_s": median,
        "latency_p95_s": p95,
        "client_blind_finalize_s": client,
        "ratio_latency_median_client": median / client,
        "ratio_latency_p95_client": p95 / client,
    }


def _print_h(h: Figures) -> None:
    print(
        f"(h) the service: {h['workers']} workers on {available_cpus()} CPUs, "
        f"{h['clients']} client threads, {h['requests']} requests of "
        f"{h['batch']:,} blinded elements"
    )
    print(
        f"    service {h['service_evaluations_per_s']:9,.0f} evaluations/s   "
        f"evaluate_blinded in-process {h['raw_evaluations_per_s']:9,.0f}/s in "
        f"{h['raw_processes']} processes "
        f"({h['raw_one_process_per_s']:,.0f}/s in one)"
    )
    print(
        f"    ratio service/in-process {h['ratio_service_raw']:.3f}   "
        "(the cost of HTTP, threads and the SQLite charge)"
    )
    print(
        f"    latency median {h['latency_median_s'] * 1e3:6.0f} ms, "
        f"p95 {h['latency_p95_s'] * 1e3:6.0f} ms; the organizer's own blind + finalize "
        f"{h['client_blind_finalize_s'] * 1e3:6.0f} ms"
    )
    print(
        f"    ratio latency/(blind + finalize): median {h['ratio_latency_median_client']:.2f}, "
        f"p95 {h['ratio_latency_p95_client']:.2f}"
    )


# -- (i) guesses per epoch, before and after ------------------------------------------


def _spend(online: _Committee, quota: int) -> Figures:
    """Spend the guesser's whole quota in full requests, then ask once more."""
    service, token = online.service(), online.token("guesser")
    client = ServiceClient(service, token, HttpTransport())
    spent = 0
    for _ in range(math.ceil(quota / MAX_OPRF_BATCH)):
        size = min(MAX_OPRF_BATCH, quota - spent)
        spent += len(client.evaluate([os.urandom(32) for _ in range(size)]))
    # One guess more, as the organizer's client sends it: refused, and said why.
    _, elements = blind_batch([os.urandom(32)])
    answer = HttpTransport().post(service.endpoint + EVALUATE, elements[0], token=token)
    refusal = json.loads(answer.body) if answer.status != 200 else {}
    try:
        client.evaluate([os.urandom(32)])
    except ServiceRefused as refused:
        reason = refused.reason
    else:
        reason = "answered"
    if (client.remaining, answer.status, reason) != (0, 429, "quota-spent"):
        raise RuntimeError(
            f"the quota was not enforced: {client.remaining} left after {spent:,}, "
            f"then HTTP {answer.status} and {reason}"
        )
    return {
        "spent": spent,
        "requests": client.requests,
        "refused_status": answer.status,
        "refused_error": refusal.get("error"),
        "client_refusal": reason,
    }


def part_i(
    online: _Committee, params: Argon2Params, guesses: int, epoch_days: float, quota: int
) -> Figures:
    rate = guesses / raw_argon2_seconds(params, guesses)
    offline = rate * epoch_days * 86_400
    return {
        "epoch_days": epoch_days,
        "offline_guesses_per_s": rate,
        "offline_guesses_per_epoch": offline,
        "online_guesses_per_epoch": quota,
        "default_quota": DEFAULT_QUOTA,
        "ratio_online_offline": quota / offline,
        "enforced": _spend(online, quota),
    }


def _print_i(i: Figures, params: Argon2Params, rows: int) -> None:
    e = i["enforced"]
    print(
        f"(i) guesses one grant holder can test in an epoch of {i['epoch_days']:g} days, "
        f"{params.describe()}"
    )
    print(
        f"    offline: {i['offline_guesses_per_s']:.1f} guesses/s (raw Argon2 on "
        f"{available_cpus()} CPUs) x {i['epoch_days']:g} days = "
        f"{i['offline_guesses_per_epoch']:,.0f}; and the epoch key is kept: against every "
        "list of the epoch, for good"
    )
    print(
        f"    online: the grant's quota, {i['online_guesses_per_epoch']:,} (default "
        f"{i['default_quota']:,}; quota_for({rows:,} attendees) = {quota_for(rows):,}), "
        "only while the epoch is served"
    )
    requests = _count(e["requests"], "request")
    print(
        f"    enforced by the real server: {e['spent']:,} spent in {requests}, "
        f"the next refused with HTTP {e['refused_status']} {e['refused_error']}"
    )
    ratio = i["ratio_online_offline"]
    print(f"    ratio online/offline guesses per epoch {ratio:.2e} (1 in {1 / ratio:,.0f})")


# -- the run ------------------------------------------------------------------------


@dataclass
class _Run:
    args: argparse.Namespace
    params: Argon2Params
    figures: Figures = field(default_factory=dict)

    def part(
        self, name: str, measure: Callable[[], Figures], show: Callable[[Figures], None]
    ) -> None:
        if name in self.args.parts:
            self.figures[name] = measure()
            if not self.args.json:
                show(self.figures[name])
                sys.stdout.flush()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="ghi")
    parser.add_argument("--kdf", "--profile", default="default", choices=sorted(KDF_PROFILES))
    parser.add_argument("--rows", type=int, default=1000, help="(g): rows screened")
    parser.add_argument("--repeat", type=int, default=1, help="(g): runs of each, the best kept")
    parser.add_argument("--requests", type=int, default=30, help="(h): requests of 1,024")
    parser.add_argument("--clients", type=int, default=4, help="(h): client threads")
    parser.add_argument("--workers", type=int, default=available_cpus(), help="service workers")
    parser.add_argument("--guesses", type=int, default=200, help="(i): Argon2 calls timed")
    parser.add_argument("--epoch-days", type=float, default=30.0, help="(i): an epoch's length")
    parser.add_argument("--quota", type=int, default=DEFAULT_QUOTA, help="(i): the grant's quota")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if min(args.rows, args.repeat, args.requests, args.clients, args.workers, args.guesses) < 1:
        parser.error("every count must be at least 1")
    return args


def main() -> None:
    args = _arguments()
    params = KDF_PROFILES[args.kdf]
    run = _Run(args, params)
    # Other work on the machine slows one side or the other: said, not hidden.
    load = os.getloadavg()[0]
    run.figures["machine"] = {
        "cpus": available_cpus(),
        "python": sys.version.split()[0],
        "load_average_at_start": load,
    }
    run.figures["kdf"] = {"profile": args.kdf, **params.to_dict()}
    if not args.json:
        print(
            f"{available_cpus()} CPUs (load average {load:.2f} at the start), "
            f"Python {sys.version.split()[0]}, {params.describe()}"
        )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        tmp, port = Path(name), free_port()
        quotas = {
            "screening": 2 * padded_total(2 * args.rows) * args.repeat,
            "load": (args.requests + 4) * MAX_OPRF_BATCH,
            "guesser": args.quota,
        }
        online = _committee(tmp / "online", params, f"http://127.0.0.1:{port}", quotas)
        offline = _committee(tmp / "offline", params, None, {"screening": None})
        log = tmp / "service.log"
        with serving(online.directory, port=port, workers=args.workers, log=log) as served:
            run.part(
                "g",
                lambda: part_g(offline, online, served, args.rows, args.repeat),
                lambda g: _print_g(g, params),
            )
            run.part("h", lambda: part_h(online, served, args.requests, args.clients), _print_h)
            run.part(
                "i",
                lambda: part_i(online, params, args.guesses, args.epoch_days, args.quota),
                lambda i: _print_i(i, params, args.rows),
            )
    run.figures["seconds"] = time.perf_counter() - started
    if args.json:
        print(json.dumps(run.figures, indent=2))
    else:
        print(f"{run.figures['seconds']:.0f} s in all")


if __name__ == "__main__":
    main()
