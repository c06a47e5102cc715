"""Running the service under uvicorn: `serve`, its settings, and the workers' factory.

One worker process per core the process may run on, by default: a VOPRF
evaluation holds the GIL, so threads alone would use one core.  Several
workers need an import string, so each worker builds its application with
`app_from_environment`, which finds the service directory's *path* in
``COC_HASHSCREEN_SERVICE_DIR``.  The seed is never passed in the
environment: each worker reads it from the 0600 file.

Behind a reverse proxy (TLS ends there; the service speaks plain HTTP):
the service uses neither the client's address nor the scheme, so it reads
no ``X-Forwarded-*`` headers (``proxy_headers=False``) and has nothing a
forged header could change.  Its access log is off, as it would record the
client's address and the path: the service logs one line of its own per
request (see ``_app``).
"""

from __future__ import annotations

import copy
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import uvicorn
import uvicorn.config
from starlette.applications import Starlette

from ..errors import InputError, RegisterError, ServiceError
from ._app import LOGGER_NAME, create_app
from ._state import check_service_dir

__all__ = [
    "APP_FACTORY",
    "SERVICE_DIR_ENV",
    "ServiceConfig",
    "app_from_environment",
    "default_workers",
    "run_service",
    "serve",
]

SERVICE_DIR_ENV: Final = "COC_HASHSCREEN_SERVICE_DIR"
APP_FACTORY: Final = "coc_hashscreen.service:app_from_environment"
# Requests (and connections) one worker holds at once; beyond it uvicorn
# answers 503 at once instead of queueing work the cores cannot keep up with.
DEFAULT_MAX_CONCURRENCY: Final = 64


def default_workers() -> int:
    """One worker per core this process may run on (its CPU affinity, where known)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - macOS has no affinity


@dataclass(frozen=True)
class ServiceConfig:
    """Where the service listens, how many workers it runs, and what it serves."""

    service_dir: Path
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = field(default_factory=default_workers)
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY

    def __post_init__(self) -> None:
        if not 0 <= self.port <= 0xFFFF:
            raise InputError(f"a port is 0 to 65535, not {self.port}")
        if self.workers < 1 or self.max_concurrency < 1:
            raise InputError("the service needs at least one worker taking one request")


def _log_config() -> dict[str, Any]:
    """uvicorn's logging, with the service's request lines on stderr and no access log."""
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["formatters"]["service"] = {"format": "%(message)s"}
    config["handlers"]["service"] = {
        "class": "logging.StreamHandler",
        "formatter": "service",
        "stream": "ext://sys.stderr",
    }
    config["handlers"].pop("access", None)
    config["loggers"]["uvicorn.access"] = {"handlers": [], "level": "WARNING", "propagate": False}
    config["loggers"][LOGGER_NAME] = {"handlers": ["service"], "level": "INFO", "propagate": False}
    return config


def app_from_environment() -> Starlette:
    """The application of one worker: the service directory named by the environment."""
    directory = os.environ.get(SERVICE_DIR_ENV, "")
    if not directory:
        raise RegisterError(f"{SERVICE_DIR_ENV} does not name the service directory")
    return create_app(Path(directory))


def serve(
    service_dir: str | os.PathLike[str],
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    workers: int | None = None,
) -> None:
    """Run the evaluation service on *host*:*port* until it is stopped (SIGINT or SIGTERM).

    The service directory is checked before anything listens: a seed file
    that is missing, unreadable or readable by others raises `KeyFileError`,
    a missing token database `RegisterError`.  A server that cannot start
    (a port in use) raises `ServiceError` once uvicorn has logged why.
    """
    directory = Path(service_dir).absolute()
    run_service(ServiceConfig(directory, host, port, workers or default_workers()))


def run_service(config: ServiceConfig) -> None:
    """`serve` with every setting of *config*."""
    directory = config.service_dir.absolute()
    check_service_dir(directory)
    app: Starlette | str
    if config.workers == 1:
        app = create_app(directory)
    else:
        # The workers are new processes; they find the directory here.
        os.environ[SERVICE_DIR_ENV] = os.fspath(directory)
        app = APP_FACTORY
    try:
        _run_uvicorn(app, config)
    except SystemExit as exc:
        # uvicorn exits (status 3) when it cannot start, a port in use say,
        # after logging why: a one-line error of ours, and a setup failure's
        # exit status, rather than a status our command line gives to bad input.
        if exc.code in (None, 0):
            raise
        raise ServiceError(
            f"the service could not start on {config.host}:{config.port}; the lines above "
            "say why (a port in use, say); nothing is served"
        ) from None


def _run_uvicorn(app: Starlette | str, config: ServiceConfig) -> None:
    uvicorn.run(
        app,
        factory=config.workers > 1,
        host=config.host,
        port=config.port,
        workers=config.workers,
        # "on": a worker that cannot open the token database stops the
        # server, rather than serving without it ("auto" would carry on).
        lifespan="on",
        log_config=_log_config(),
        access_log=False,
        server_header=False,
        proxy_headers=False,
        limit_concurrency=config.max_concurrency,
        timeout_graceful_shutdown=10,
    )
