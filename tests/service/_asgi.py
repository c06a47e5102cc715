"""Driving the service's ASGI application in this process, without a server or httpx.

Each call runs the application's lifespan (so the token database is opened
and closed as under uvicorn) and the given requests, in one event loop.
The driver counts how many body messages the application asked for, so a
test can tell how much of a body it read.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.types import Message


@dataclass(frozen=True)
class Call:
    """One request: method, path, headers, and the body as the chunks it arrives in."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Sequence[bytes] = ()
    # The client goes away after the last chunk instead of ending the body.
    disconnect: bool = False


@dataclass
class Answer:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    body_reads: int = 0

    def json(self) -> Any:
        return json.loads(self.body)


def evaluate(body: bytes, authorization: str | None) -> Call:
    headers = {"content-type": "application/octet-stream", "content-length": str(len(body))}
    if authorization is not None:
        headers["authorization"] = authorization
    return Call("POST", "/v1/evaluate", headers, [body])


async def _one(app: Starlette, call: Call) -> Answer:
    answer = Answer()
    chunks = list(call.chunks) or [b""]

    async def receive() -> Message:
        answer.body_reads += 1
        if answer.body_reads <= len(chunks):
            more = call.disconnect or answer.body_reads < len(chunks)
            return {
                "type": "http.request",
                "body": chunks[answer.body_reads - 1],
                "more_body": more,
            }
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
            answer.headers = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer.body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": call.method,
        "scheme": "http",
        "path": call.path,
        "raw_path": call.path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in call.headers.items()],
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8080),
    }
    await app(scope, receive, send)
    return answer


def run(app: Starlette, calls: Sequence[Call]) -> list[Answer]:
    """Start *app*, make *calls* one after the other, stop it; the answers."""

    async def main() -> list[Answer]:
        async with app.router.lifespan_context(app):
            return [await _one(app, call) for call in calls]

    return asyncio.run(main())
