"""The committee's evaluation service on 127.0.0.1, for tests: its files, its process, a client.

`make_service_dir` writes what the committee would (a seed file, a token
database), `add_token` grants an organizer a token, and `running_service`
starts ``serve`` in a subprocess on a free loopback port, waits (bounded)
for ``/healthz`` and stops the process when the block ends.  The
subprocess imports this tree's source (``PYTHONPATH``), and its stderr,
where the service logs, goes to a file the test can read.

The client side is plain `urllib`: `post` sends a body with a bearer
token and returns the status, the headers and the body, whatever the
status; `screen` blinds inputs, sends them and finalizes the answer
against the seed's public key.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import coc_hashscreen
from coc_hashscreen.core import blind_batch, finalize_batch
from coc_hashscreen.formats import (
    SEED_FILE,
    TOKENS_FILE,
    AccessToken,
    ServiceSeed,
    TokenStore,
    read_seed,
    token_hash,
    token_text,
    write_seed,
)

__all__ = [
    "Grant",
    "Reply",
    "RunningService",
    "add_token",
    "bearer",
    "free_port",
    "get",
    "make_service_dir",
    "post",
    "rotate",
    "running_service",
    "screen",
    "used",
]

SRC = Path(coc_hashscreen.__file__).resolve().parents[1]
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0
_LAUNCH = (
    "import sys\n"
    "from coc_hashscreen.service import serve\n"
    "serve(sys.argv[1], host='127.0.0.1', port=int(sys.argv[2]), workers=int(sys.argv[3]))\n"
)


def make_service_dir(directory: Path, *, epoch: int | None = None) -> ServiceSeed:
    """A service directory as the committee leaves it: a seed of a random series, no tokens."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    seed = ServiceSeed(
        series=secrets.token_bytes(32),
        epoch=epoch if epoch is not None else 1 + secrets.randbelow(1000),
        seed=secrets.token_bytes(32),
    )
    write_seed(directory / SEED_FILE, seed)
    TokenStore.open(directory / TOKENS_FILE, create=True).close()
    return seed


def rotate(directory: Path) -> ServiceSeed:
    """Rewrite the seed file (atomically, as the committee does) for the next epoch."""
    old = read_seed(directory / SEED_FILE)
    seed = ServiceSeed(series=old.series, epoch=old.epoch + 1, seed=secrets.token_bytes(32))
    write_seed(directory / SEED_FILE, seed)
    return seed


@dataclass(frozen=True)
class Grant:
    """An organizer's access token, and the key id the service's log names it by."""

    token: bytes
    organizer: bytes

    @property
    def label(self) -> str:
        return self.organizer.hex()[:16]


def add_token(
    directory: Path,
    *,
    epoch: int,
    quota: int = 10_000,
    expires_at: datetime | None = None,
    token: bytes | None = None,
) -> Grant:
    """Grant a new organizer a token of *epoch* (valid for a day unless *expires_at*)."""
    grant = Grant(token or secrets.token_bytes(32), secrets.token_bytes(32))
    now = datetime.now(UTC).replace(microsecond=0)
    expiry = expires_at if expires_at is not None else now + timedelta(days=1)
    issued = min(now, expiry - timedelta(hours=1))
    with TokenStore.open(directory / TOKENS_FILE) as store:
        store.add(
            AccessToken(token_hash(grant.token), grant.organizer, epoch, quota, 0, issued, expiry)
        )
    return grant


def used(directory: Path, grant: Grant) -> int:
    """How much of *grant*'s quota the token database says is used."""
    with TokenStore.open(directory / TOKENS_FILE) as store:
        (row,) = [t for t in store.tokens() if t.organizer == grant.organizer]
    return row.used


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def bearer(token: bytes) -> str:
    """The ``Authorization`` header value of an access token: unpadded base64url."""
    return "Bearer " + token_text(token)


@dataclass(frozen=True)
class Reply:
    """What the service answered: any status, its headers (lower-cased) and its body."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def post(
    url: str,
    body: bytes,
    *,
    token: bytes | None = None,
    authorization: str | None = None,
) -> Reply:
    """POST *body* to the service's evaluation endpoint at *url*."""
    headers = {"Content-Type": "application/octet-stream"}
    if token is not None:
        headers["Authorization"] = bearer(token)
    if authorization is not None:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url + "/v1/evaluate", body, headers, method="POST")
    return _send(request)


def get(url: str, path: str) -> Reply:
    return _send(urllib.request.Request(url + path, method="GET"))


def _send(request: urllib.request.Request) -> Reply:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, _lower(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, _lower(error.headers.items()), error.read())


def _lower(items: Sequence[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def screen(url: str, seed: ServiceSeed, token: bytes, inputs: Sequence[bytes]) -> list[bytes]:
    """Blind *inputs*, have the service evaluate them, and finalize against *seed*'s key."""
    state, elements = blind_batch(inputs)
    reply = post(url, b"".join(elements), token=token)
    if reply.status != 200:
        raise AssertionError(f"the service answered {reply.status}: {reply.body!r}")
    return finalize_batch(state, reply.body, public_key=seed.key().public_key)


@dataclass(frozen=True)
class RunningService:
    """A service process on 127.0.0.1: where it listens, what it serves, where it logs."""

    url: str
    directory: Path
    log: Path
    process: subprocess.Popen[bytes]

    def seed(self) -> ServiceSeed:
        return read_seed(self.directory / SEED_FILE)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _wait_healthy(service: RunningService, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise AssertionError(f"the service stopped at start:\n{service.log_text()}")
        with contextlib.suppress(OSError):
            if get(service.url, "/healthz").status == 200:
                return
        time.sleep(0.05)
    raise AssertionError(f"the service did not answer /healthz in {timeout} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        # The process leads a session of its own: its workers go with it.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT)


@contextlib.contextmanager
def running_service(
    directory: Path,
    *,
    workers: int = 1,
    port: int | None = None,
    command: Sequence[str] | None = None,
) -> Iterator[RunningService]:
    """Serve *directory* on a loopback port (*port*, else a free one) for the block.

    *command* replaces the launch: arguments after the interpreter, in which
    ``{port}`` is the port (to run the real command line).
    """
    port = port or free_port()
    log = directory.parent / f"{directory.name}-{port}.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(SRC), env.get("PYTHONPATH"))))
    argv = (
        [arg.replace("{port}", str(port)) for arg in command]
        if command is not None
        else ["-c", _LAUNCH, str(directory), str(port), str(workers)]
    )
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, *argv],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stderr,
            stderr=stderr,
            start_new_session=True,
        )
    service = RunningService(f"http://127.0.0.1:{port}", directory, log, process)
    try:
        _wait_healthy(service, START_TIMEOUT)
        yield service
    finally:
        _stop(process)
