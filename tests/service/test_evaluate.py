"""The evaluation service as organizers meet it: uvicorn on 127.0.0.1, spoken to over HTTP.

One server (two worker processes, so charges race across processes too)
serves the module; each test grants itself fresh tokens.  Rotation gets a
server of its own, as it changes the epoch under every other token.
"""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from coc_hashscreen.core import MAX_OPRF_BATCH, blind_batch, finalize_batch, oprf_input
from coc_hashscreen.formats import TOKENS_FILE, TokenStore

from ..service_harness import (
    Grant,
    RunningService,
    add_token,
    bearer,
    get,
    make_service_dir,
    post,
    rotate,
    running_service,
    screen,
    used,
)

LINE = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ organizer=([0-9a-f]{16}|-)"
    r" elements=(\d+|-) outcome=[a-z-]+"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningService]:
    directory = tmp_path_factory.mktemp("served") / "service"
    make_service_dir(directory)
    with running_service(directory, workers=2) as service:
        yield service


def _grant(service: RunningService, *, quota: int = 10_000) -> Grant:
    return add_token(service.directory, epoch=service.seed().epoch, quota=quota)


def _inputs(count: int, tag: str = "") -> list[bytes]:
    return [oprf_input("email", f"{tag}person{i}@example.org") for i in range(count)]


def _elements(count: int) -> bytes:
    return b"".join(blind_batch(_inputs(count))[1])


@pytest.mark.parametrize("count", [1, 7, MAX_OPRF_BATCH])
def test_an_answer_verifies_and_equals_the_direct_evaluation(
    served: RunningService, count: int
) -> None:
    grant = _grant(served)
    seed = served.seed()
    inputs = _inputs(count, tag=f"{count}-")
    state, elements = blind_batch(inputs)
    reply = post(served.url, b"".join(elements), token=grant.token)
    assert reply.status == 200
    assert reply.headers["content-type"] == "application/octet-stream"
    assert reply.headers["x-quota-remaining"] == str(10_000 - count)
    assert "server" not in reply.headers
    assert len(reply.body) == 64 + 32 * count
    outputs = finalize_batch(state, reply.body, public_key=seed.key().public_key)
    key = seed.key()
    assert outputs == [key.evaluate(data) for data in inputs]
    assert used(served.directory, grant) == count


def test_more_than_1024_elements_are_refused_and_cost_nothing(served: RunningService) -> None:
    grant = _grant(served)
    body = _elements(MAX_OPRF_BATCH) + _elements(1)
    reply = post(served.url, body, token=grant.token)
    assert (reply.status, reply.json()) == (413, {"error": "batch-too-large"})
    assert used(served.directory, grant) == 0


def test_a_chunked_body_over_the_limit_is_refused(served: RunningService) -> None:
    grant = _grant(served)
    address = urlsplit(served.url)
    assert address.hostname is not None
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    try:
        chunks = iter([bytes(1024)] * 40)
        connection.request(
            "POST",
            "/v1/evaluate",
            body=chunks,
            headers={"Authorization": bearer(grant.token)},
            encode_chunked=True,
        )
        response = connection.getresponse()
        assert (response.status, response.read()) == (413, b'{"error":"batch-too-large"}')
    finally:
        connection.close()
    assert used(served.directory, grant) == 0


@pytest.mark.parametrize("size", [0, 31, 33, 32 * 5 + 1])
def test_a_body_that_is_not_whole_elements_is_malformed(served: RunningService, size: int) -> None:
    grant = _grant(served)
    body = (_elements(6) + b"x")[:size]
    reply = post(served.url, body, token=grant.token)
    assert (reply.status, reply.json()) == (400, {"error": "malformed"})
    assert used(served.directory, grant) == 0


@pytest.mark.parametrize(
    "bad",
    [bytes(32), b"\xff" * 32, b"ECHO THIS BACK, PLEASE, SERVICE!"],
    ids=["identity", "non-canonical", "not-an-element"],
)
def test_a_bad_element_is_malformed_and_its_charge_refunded(
    served: RunningService, bad: bytes
) -> None:
    grant = _grant(served, quota=10)
    body = _elements(2) + bad + _elements(1)
    reply = post(served.url, body, token=grant.token)
    assert (reply.status, reply.json()) == (400, {"error": "malformed"})
    assert bad not in reply.body
    assert used(served.directory, grant) == 0
    # The quota is whole again: all of it can still be spent.
    assert post(served.url, _elements(10), token=grant.token).status == 200


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer abc", "Bearer " + "A" * 44, "Token " + "A" * 43, "Bearer ====="],
)
def test_a_missing_or_garbled_bearer_is_an_unknown_token(
    served: RunningService, authorization: str | None
) -> None:
    reply = post(served.url, _elements(1), authorization=authorization)
    assert (reply.status, reply.json()) == (401, {"error": "unknown-token"})


def test_a_token_the_service_does_not_know_is_refused(served: RunningService) -> None:
    reply = post(served.url, _elements(1), token=bytes(range(32)))
    assert (reply.status, reply.json()) == (401, {"error": "unknown-token"})


def test_an_expired_token_is_refused(served: RunningService) -> None:
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    grant = add_token(served.directory, epoch=served.seed().epoch, expires_at=past)
    reply = post(served.url, _elements(1), token=grant.token)
    assert (reply.status, reply.json()) == (401, {"error": "expired-token"})
    assert used(served.directory, grant) == 0


def test_a_revoked_organizer_is_refused(served: RunningService) -> None:
    grant = _grant(served)
    assert post(served.url, _elements(1), token=grant.token).status == 200
    with TokenStore.open(served.directory / TOKENS_FILE) as store:
        store.revoke(grant.organizer, now=datetime.now(UTC))
    reply = post(served.url, _elements(1), token=grant.token)
    assert (reply.status, reply.json()) == (403, {"error": "revoked"})
    assert used(served.directory, grant) == 1


def test_a_token_of_another_epoch_is_refused(served: RunningService) -> None:
    grant = add_token(served.directory, epoch=served.seed().epoch + 1)
    reply = post(served.url, _elements(1), token=grant.token)
    assert (reply.status, reply.json()) == (409, {"error": "epoch-over"})


def test_a_spent_quota_is_refused_with_what_is_left(served: RunningService) -> None:
    grant = _grant(served, quota=5)
    first = post(served.url, _elements(3), token=grant.token)
    assert (first.status, first.headers["x-quota-remaining"]) == (200, "2")
    reply = post(served.url, _elements(3), token=grant.token)
    assert (reply.status, reply.json()) == (429, {"error": "quota-spent", "remaining": 2})
    assert used(served.directory, grant) == 3


def test_concurrent_requests_never_exceed_the_quota(served: RunningService) -> None:
    quota, per_request, threads, attempts = 50, 3, 8, 4
    grant = _grant(served, quota=quota)
    body = _elements(per_request)
    answered: list[int] = []
    refused: list[int] = []

    def client() -> None:
        for _ in range(attempts):
            reply = post(served.url, body, token=grant.token)
            (answered if reply.status == 200 else refused).append(reply.status)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not any(worker.is_alive() for worker in workers)
    assert len(answered) + len(refused) == threads * attempts
    assert set(refused) == {429}
    # 32 attempts of 3 for a quota of 50: exactly 16 fit, and no more are answered.
    assert len(answered) * per_request == used(served.directory, grant) == 48


def test_healthz_reports_the_epoch(served: RunningService) -> None:
    reply = get(served.url, "/healthz")
    assert (reply.status, reply.json()) == (200, {"status": "ok", "epoch": served.seed().epoch})
    assert reply.headers["cache-control"] == "no-store"


def test_the_log_holds_one_line_per_request_and_nothing_of_the_request(
    served: RunningService,
) -> None:
    grant = _grant(served)
    marker = f"organizer={grant.label} elements=2 outcome=ok"
    assert post(served.url, _elements(2), token=grant.token).status == 200
    assert post(served.url, _elements(1), authorization="Bearer nonsense").status == 401
    log = served.log_text()
    lines = [line for line in log.splitlines() if "outcome=" in line]
    assert all(LINE.fullmatch(line) for line in lines), lines
    assert sum(marker in line for line in lines) == 1
    # No access log (client address, method, path), no token, no element.
    assert bearer(grant.token).removeprefix("Bearer ") not in log
    for absent in ("POST", "/v1/evaluate", "/healthz", "nonsense", "127.0.0.1:"):
        assert all(absent not in line for line in log.splitlines() if "Uvicorn running" not in line)


def test_a_rotated_seed_is_served_without_a_restart(tmp_path: Path) -> None:
    directory = tmp_path / "service"
    old = make_service_dir(directory)
    before = add_token(directory, epoch=old.epoch)
    inputs = _inputs(5, tag="rotation-")
    with running_service(directory, workers=2) as service:
        assert screen(service.url, old, before.token, inputs) == [
            old.key().evaluate(data) for data in inputs
        ]
        new = rotate(directory)
        after = add_token(directory, epoch=new.epoch)
        # Both workers: each request may reach either.
        for _ in range(4):
            outputs = screen(service.url, new, after.token, inputs)
            assert outputs == [new.key().evaluate(data) for data in inputs]
            reply = post(service.url, _elements(1), token=before.token)
            assert (reply.status, reply.json()) == (409, {"error": "epoch-over"})
        health = get(service.url, "/healthz")
        assert health.json() == {"status": "ok", "epoch": new.epoch}
    assert old.key().public_key != new.key().public_key
