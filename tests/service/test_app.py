"""The service's application in this process: the clock, the log, the limits, the failures.

What needs a time that is not now, a fault injected, or a count of how
much of a body was read is tested here, through the ASGI interface; the
protocol as organizers see it is tested through a real server in
test_evaluate.py.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from coc_hashscreen.core import OprfKey, blind_batch, finalize_batch, oprf_input
from coc_hashscreen.formats import SEED_FILE, TOKENS_FILE, ServiceSeed
from coc_hashscreen.service import LOGGER_NAME, create_app

from ..service_harness import Grant, add_token, bearer, make_service_dir, rotate, used
from ._asgi import Call, evaluate, run

T0 = datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC)
LINE = re.compile(
    r"(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) organizer=(?P<organizer>[0-9a-f]{16}|-)"
    r" elements=(?P<elements>\d+|-) outcome=(?P<outcome>[a-z-]+)( error=[A-Za-z]+)?"
)


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Service:
    directory: Path
    seed: ServiceSeed
    grant: Grant
    clock: Clock


@pytest.fixture
def service(tmp_path: Path) -> Service:
    directory = tmp_path / "service"
    seed = make_service_dir(directory)
    grant = add_token(directory, epoch=seed.epoch, quota=100, expires_at=T0 + timedelta(days=2))
    return Service(directory, seed, grant, Clock())


def _inputs(count: int) -> list[bytes]:
    return [oprf_input("email", f"person{i}@example.org") for i in range(count)]


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.INFO, logger=LOGGER_NAME):
        yield caplog


def test_an_answer_verifies_and_is_the_direct_evaluation(service: Service) -> None:
    inputs = _inputs(3)
    state, elements = blind_batch(inputs)
    app = create_app(service.directory, clock=service.clock)
    (answer,) = run(app, [evaluate(b"".join(elements), bearer(service.grant.token))])
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/octet-stream"
    assert answer.headers["x-quota-remaining"] == "97"
    key = service.seed.key()
    outputs = finalize_batch(state, answer.body, public_key=key.public_key)
    assert outputs == [key.evaluate(data) for data in inputs]


def test_expiry_is_judged_by_the_injected_clock(service: Service) -> None:
    _, elements = blind_batch(_inputs(1))
    app = create_app(service.directory, clock=service.clock)
    call = evaluate(elements[0], bearer(service.grant.token))
    (before,) = run(app, [call])
    service.clock.now = T0 + timedelta(days=2)
    (after,) = run(app, [call])
    assert before.status == 200
    assert (after.status, after.json()) == (401, {"error": "expired-token"})
    assert used(service.directory, service.grant) == 1


def test_one_log_line_per_request_holds_time_organizer_count_and_outcome(
    service: Service, logs: pytest.LogCaptureFixture
) -> None:
    _, elements = blind_batch(_inputs(2))
    body = b"".join(elements)
    token = bearer(service.grant.token)
    app = create_app(service.directory, clock=service.clock)
    run(app, [evaluate(body, token), evaluate(body, None), evaluate(body[:40], token)])
    lines = [r.getMessage() for r in logs.records]
    organizer = service.grant.label
    assert lines == [
        f"2031-01-02T03:04:05Z organizer={organizer} elements=2 outcome=ok",
        "2031-01-02T03:04:05Z organizer=- elements=- outcome=unknown-token",
        "2031-01-02T03:04:05Z organizer=- elements=- outcome=malformed",
    ]
    assert all(r.name == LOGGER_NAME and r.levelno == logging.INFO for r in logs.records)
    assert all(LINE.fullmatch(line) for line in lines)


def test_a_refusal_names_whose_token_it_was(
    service: Service, logs: pytest.LogCaptureFixture
) -> None:
    """Who spent a quota or was revoked is the committee's to see; still no identifier."""
    _, elements = blind_batch(_inputs(2))
    app = create_app(service.directory, clock=service.clock)
    service.clock.now = T0 + timedelta(days=2)
    run(app, [evaluate(b"".join(elements), bearer(service.grant.token))])
    (line,) = [r.getMessage() for r in logs.records]
    assert line.endswith(f"organizer={service.grant.label} elements=2 outcome=expired-token")


def test_a_failure_of_the_service_answers_500_refunds_and_says_nothing(
    service: Service, logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: OprfKey, elements: list[bytes]) -> bytes:
        raise RuntimeError("evaluation broke near a secret")

    monkeypatch.setattr(OprfKey, "evaluate_blinded", broken)
    _, elements = blind_batch(_inputs(4))
    app = create_app(service.directory, clock=service.clock)
    (answer,) = run(app, [evaluate(b"".join(elements), bearer(service.grant.token))])
    assert (answer.status, answer.json()) == (500, {"error": "internal"})
    assert used(service.directory, service.grant) == 0
    (line,) = [r.getMessage() for r in logs.records]
    assert line.endswith("outcome=internal error=RuntimeError")
    assert "secret" not in line
    assert all(r.exc_info is None for r in logs.records)


def test_an_unusable_seed_file_makes_the_service_unavailable_until_it_is_fixed(
    service: Service,
) -> None:
    _, elements = blind_batch(_inputs(1))
    app = create_app(service.directory, clock=service.clock)
    call = evaluate(elements[0], bearer(service.grant.token))
    health = Call("GET", "/healthz")
    seed_file = service.directory / SEED_FILE
    answers = run(app, [call, health])
    seed_file.chmod(0o644)
    answers += run(app, [call, health])
    seed_file.chmod(0o600)
    answers += run(app, [call, health])
    assert [a.status for a in answers] == [200, 200, 503, 503, 200, 200]
    assert answers[2].json() == {"error": "unavailable"}
    assert answers[3].json() == {"status": "unavailable"}
    assert answers[5].json() == {"status": "ok", "epoch": service.seed.epoch}
    # Only the answered requests were charged.
    assert used(service.directory, service.grant) == 2


def test_the_key_is_derived_once_per_seed_file(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    derived: list[int] = []
    original = ServiceSeed.key

    def counting(self: ServiceSeed) -> OprfKey:
        derived.append(self.epoch)
        return original(self)

    monkeypatch.setattr(ServiceSeed, "key", counting)
    _, elements = blind_batch(_inputs(1))
    app = create_app(service.directory, clock=service.clock)
    call = evaluate(elements[0], bearer(service.grant.token))
    run(app, [call, call, call])
    new = rotate(service.directory)
    run(app, [call, call])
    assert derived == [service.seed.epoch, new.epoch]


def test_a_body_over_the_limit_is_refused_without_reading_it(service: Service) -> None:
    token = bearer(service.grant.token)
    declared = Call(
        "POST",
        "/v1/evaluate",
        {"authorization": token, "content-length": str(1025 * 32)},
        [bytes(1025 * 32)],
    )
    # Chunked: no Content-Length, 1 KiB at a time, 64 KiB in all.
    chunked = Call("POST", "/v1/evaluate", {"authorization": token}, [bytes(1024)] * 64)
    first, second = run(create_app(service.directory, clock=service.clock), [declared, chunked])
    assert (first.status, first.json()) == (413, {"error": "batch-too-large"})
    assert first.body_reads == 0
    assert (second.status, second.json()) == (413, {"error": "batch-too-large"})
    # 32 KiB + 1 byte is in the 33rd chunk: nothing after it was asked for.
    assert second.body_reads == 33
    assert used(service.directory, service.grant) == 0


def test_a_client_that_goes_away_mid_body_is_charged_nothing(
    service: Service, logs: pytest.LogCaptureFixture
) -> None:
    _, elements = blind_batch(_inputs(2))
    token = bearer(service.grant.token)
    gone = Call("POST", "/v1/evaluate", {"authorization": token}, [elements[0]], disconnect=True)
    run(create_app(service.directory, clock=service.clock), [gone])
    assert [r.getMessage() for r in logs.records] == [
        "2031-01-02T03:04:05Z organizer=- elements=- outcome=disconnected"
    ]
    assert used(service.directory, service.grant) == 0


def test_the_bearer_token_must_be_32_bytes_of_unpadded_base64url(service: Service) -> None:
    _, elements = blind_batch(_inputs(1))
    expiry = T0 + timedelta(days=1)
    add_token(service.directory, epoch=service.seed.epoch, expires_at=expiry, token=b"\xff" * 32)
    good = bearer(service.grant.token)
    value = good.removeprefix("Bearer ")
    # The last character of 43 carries two bits of padding; set one.
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    noncanonical = value[:-1] + last[last.index(value[-1]) ^ 1]
    variants = {
        "bearer " + value: 200,
        good + "=": 401,
        "Bearer " + noncanonical: 401,
        "Bearer  " + value: 401,
        "Basic " + value: 401,
        "Bearer " + value[:-1]: 401,
        "Bearer " + "/" * 42 + "8": 401,  # standard base64, of a token of 0xff bytes
        "Bearer " + "_" * 42 + "8": 200,
        "": 401,
    }
    calls = [evaluate(elements[0], header) for header in variants]
    answers = run(create_app(service.directory, clock=service.clock), calls)
    assert [a.status for a in answers] == list(variants.values())
    refused = [a for a in answers if a.status == 401]
    assert all(a.json() == {"error": "unknown-token"} for a in refused)
    assert all(a.headers["www-authenticate"] == "Bearer" for a in refused)


# Files opened while recording is on: Python's open() and sqlite3.connect()
# raise audit events (an audit hook cannot be removed, so it only records
# while a test asks it to).
_OPENED: list[str] = []
_RECORDING: list[bool] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _RECORDING and event in {"open", "sqlite3.connect", "os.listdir", "os.scandir"}:
        _OPENED.append(str(args[0]))


sys.addaudithook(_audit)


def test_the_service_reads_only_its_seed_file_and_token_database(service: Service) -> None:
    _, elements = blind_batch(_inputs(1))
    _OPENED.clear()
    _RECORDING.append(True)
    try:
        app = create_app(service.directory, clock=service.clock)
        calls = [evaluate(elements[0], bearer(service.grant.token)), Call("GET", "/healthz")]
        answers = run(app, calls)
    finally:
        _RECORDING.clear()
    assert [a.status for a in answers] == [200, 200]
    here = {p for p in _OPENED if p.startswith(str(service.directory.parent))}
    assert here == {str(service.directory / SEED_FILE), str(service.directory / TOKENS_FILE)}
