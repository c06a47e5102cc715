"""The committee's evaluation service for the online mode (``committee serve``; ADR 0025).

Organizers blind their attendees' identifiers (RFC 9497 VOPRF,
ristretto255-SHA512, verifiable mode) and send the blinded elements here;
the service evaluates them under the current epoch's key and answers with
the evaluations and one batched DLEQ proof, which the organizer checks
against the public key of the signed list.  The service learns neither
the identifiers nor the results; an organizer learns outputs only for
what it sends, one charged request at a time.

The service reads one directory and nothing else (never the register):
the epoch's seed file, re-read when the committee rotates it, and the
token database that charges each grant's quota atomically, across worker
processes too (`formats.SEED_FILE`, `formats.TOKENS_FILE`).

- `create_app`: the Starlette application over a service directory.
- `serve`: run it under uvicorn, one worker per core by default.
- `ServiceConfig` and `run_service`: the same with every setting.
- `check_service_dir`: what is refused before anything listens.

The protocol (``POST /v1/evaluate``, ``GET /healthz``) is described in
``_app``; this package is the only one that imports starlette and uvicorn
(the ``service`` extra).
"""

from ._app import LOGGER_NAME, create_app
from ._serve import (
    APP_FACTORY,
    SERVICE_DIR_ENV,
    ServiceConfig,
    app_from_environment,
    default_workers,
    run_service,
    serve,
)
from ._state import check_service_dir

__all__ = [
    "APP_FACTORY",
    "LOGGER_NAME",
    "SERVICE_DIR_ENV",
    "ServiceConfig",
    "app_from_environment",
    "check_service_dir",
    "create_app",
    "default_workers",
    "run_service",
    "serve",
]
