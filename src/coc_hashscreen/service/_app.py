"""The service's HTTP interface: ``POST /v1/evaluate`` and ``GET /healthz``.

An evaluation request carries the grant's access token as a bearer token
(the 32 bytes in unpadded base64url) and a body of 1 to 1,024 blinded
elements of 32 bytes each, nothing else.  It is checked in this order, and
the first failure answers: the token's form (401 ``unknown-token``), the
size (413 ``batch-too-large``, judged from Content-Length before the body
is read, then from at most 32 KiB + 1 bytes of it), the layout (400
``malformed``), the token database's charge (``TokenStore.charge``: 401,
403, 409 or 429, see ``formats.REFUSALS``), and the evaluation, which
refuses an element that is not a canonical, non-identity ristretto255
element (400 ``malformed``; what was charged is given back).  The answer
is ``core.OprfKey.evaluate_blinded``'s bytes, with the quota left in
``X-Quota-Remaining``; a refusal is ``{"error": code}`` (with
``"remaining"`` for ``quota-spent``) and never repeats what was sent.

Each request is logged as one line: the time, the organizer's short key
id (once the token is known), the number of elements and the outcome.
Never the token, the elements, the client's address or its headers.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..core import MAX_OPRF_BATCH, OPRF_ELEMENT_SIZE, resolve_now
from ..errors import FormatError
from ..formats import REFUSALS, SEED_FILE, ChargeRefused, token_from_text
from ._state import UNAVAILABLE, Ledger, SeedWatch, check_service_dir

__all__ = ["LOGGER_NAME", "create_app"]

LOGGER_NAME: Final = "coc_hashscreen.service"
_log = logging.getLogger(LOGGER_NAME)

_MAX_BODY: Final = MAX_OPRF_BATCH * OPRF_ELEMENT_SIZE
_NO_STORE: Final = {"Cache-Control": "no-store"}
# The service's own outcomes beside the refusals both sides know (REFUSALS):
# the organizer's client reads a 5xx as "try again later".
_OWN_STATUS: Final = {"unavailable": 503, "disconnected": 400, "internal": 500}


@dataclass(frozen=True)
class _Reply:
    """What one evaluation request came to: the answer or a refusal, and its log fields."""

    outcome: str
    elements: int | None = None
    organizer: str = "-"
    answer: bytes = b""
    remaining: int | None = None

    def response(self) -> Response:
        if self.outcome == "ok":
            headers = {**_NO_STORE, "X-Quota-Remaining": str(self.remaining)}
            return Response(self.answer, media_type="application/octet-stream", headers=headers)
        return _error(self.outcome, remaining=self.remaining)


def _error(code: str, *, remaining: int | None = None) -> JSONResponse:
    status = REFUSALS[code][0] if code in REFUSALS else _OWN_STATUS[code]
    content: dict[str, str | int] = {"error": code}
    headers = dict(_NO_STORE)
    if code == "quota-spent" and remaining is not None:
        content["remaining"] = remaining
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(content, status_code=status, headers=headers)


def _bearer(header: str | None) -> bytes | None:
    """The access token of an ``Authorization: Bearer`` header, or None if there is none."""
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token_from_text(value)


async def _read_body(request: Request) -> bytes | None:
    """The request body, or None if it is over the limit: never more than the limit + 1 read."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > _MAX_BODY:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > _MAX_BODY:
            return None
    return bytes(body)


def _split(body: bytes) -> list[bytes] | None:
    if not body or len(body) % OPRF_ELEMENT_SIZE:
        return None
    return [body[i : i + OPRF_ELEMENT_SIZE] for i in range(0, len(body), OPRF_ELEMENT_SIZE)]


class _Evaluator:
    """The service's work for one request, run in a worker thread: charge, then evaluate."""

    def __init__(self, service_dir: Path) -> None:
        self.service_dir = service_dir
        self.seeds = SeedWatch(service_dir / SEED_FILE)
        self._ledger: Ledger | None = None

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        # One connection to the token database per worker process, opened in
        # the process that uses it (a connection must not cross a fork).
        ledger = await run_in_threadpool(Ledger.open, self.service_dir)
        self._ledger = ledger
        try:
            yield
        finally:
            self._ledger = None
            await run_in_threadpool(ledger.close)

    @property
    def ledger(self) -> Ledger:
        if self._ledger is None:
            raise RuntimeError("the service answered a request before it started")
        return self._ledger

    def answer(self, token: bytes, elements: list[bytes], now: datetime) -> _Reply:
        count = len(elements)
        try:
            current = self.seeds.current()
            charge = self.ledger.charge(token, count, epoch=current.epoch, now=now)
        except ChargeRefused as refused:
            # Who was refused is the committee's to know (quota spent, revoked).
            return _Reply(refused.reason, count, refused.label, remaining=refused.remaining)
        except UNAVAILABLE:
            return _Reply("unavailable", count)
        try:
            answer = current.key.evaluate_blinded(elements)
        except BaseException as exc:
            # Nothing was answered, so nothing is spent: a malformed element
            # (or a failure of ours) costs the organizer no quota.
            self.ledger.refund(token, count)
            if isinstance(exc, FormatError):
                return _Reply("malformed", count, charge.label)
            raise
        return _Reply("ok", count, charge.label, answer, charge.remaining)

    def health(self) -> int:
        """The epoch served, if the seed file and the token database can be read."""
        epoch = self.seeds.current().epoch
        self.ledger.check(epoch)
        return epoch


def _log_request(now: datetime, reply: _Reply) -> None:
    elements = "-" if reply.elements is None else str(reply.elements)
    _log.info(
        "%s organizer=%s elements=%s outcome=%s",
        now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        reply.organizer,
        elements,
        reply.outcome,
    )


def _clock() -> datetime:
    return datetime.now(UTC)


class _Endpoints:
    def __init__(self, evaluator: _Evaluator, clock: Callable[[], datetime]) -> None:
        self._evaluator = evaluator
        self._clock = clock

    async def _reply(self, request: Request, now: datetime) -> _Reply:
        token = _bearer(request.headers.get("authorization"))
        if token is None:
            return _Reply("unknown-token")
        try:
            body = await _read_body(request)
        except ClientDisconnect:
            return _Reply("disconnected")
        if body is None:
            return _Reply("batch-too-large")
        elements = _split(body)
        if elements is None:
            return _Reply("malformed")
        # CPU-bound (and SQLite): off the event loop, so other requests and
        # /healthz are still read while a batch is evaluated.
        return await run_in_threadpool(self._evaluator.answer, token, elements, now)

    async def evaluate(self, request: Request) -> Response:
        now = resolve_now(self._clock())
        try:
            reply = await self._reply(request, now)
        except Exception as exc:
            # Neither the traceback nor the message reaches the client or the
            # log: a message could quote more than the log may hold.
            reply = _Reply(f"internal error={type(exc).__name__}")
            _log_request(now, reply)
            return _error("internal")
        _log_request(now, reply)
        return reply.response()

    async def healthz(self, _request: Request) -> Response:
        try:
            epoch = await run_in_threadpool(self._evaluator.health)
        except Exception:
            return JSONResponse({"status": "unavailable"}, status_code=503, headers=_NO_STORE)
        return JSONResponse({"status": "ok", "epoch": epoch}, headers=_NO_STORE)


async def _internal(_request: Request, _exc: Exception) -> Response:
    return _error("internal")


def create_app(
    service_dir: str | Path, *, clock: Callable[[], datetime] | None = None
) -> Starlette:
    """The service's ASGI application over *service_dir* (its seed file and token database).

    The directory is checked first (`check_service_dir`): a seed file that
    is missing or readable by others, or a missing token database, is
    refused here rather than at the first request.  The application opens
    the token database when it starts (its lifespan) and closes it when it
    stops.  *clock* returns the time tokens' expiry is judged against; by
    default the system's clock.
    """
    directory = Path(service_dir)
    check_service_dir(directory)
    evaluator = _Evaluator(directory)
    endpoints = _Endpoints(evaluator, clock or _clock)
    return Starlette(
        routes=[
            Route("/v1/evaluate", endpoints.evaluate, methods=["POST"]),
            Route("/healthz", endpoints.healthz, methods=["GET"]),
        ],
        exception_handlers={Exception: _internal},
        lifespan=evaluator.lifespan,
    )
