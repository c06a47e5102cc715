"""The committee's service in this process, as an organizer's `Transport`.

Each request goes to the real service application (`create_app`) over the
service directory the committee writes, driven in-process by
tests/service/_asgi.py: no server and no port, for tests of the
organizer's client and of screening.  tests/service/ runs the same
application under uvicorn over loopback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coc_hashscreen.core import OPRF_ELEMENT_SIZE
from coc_hashscreen.formats import token_text
from coc_hashscreen.organizer import ServiceAnswer
from coc_hashscreen.service import create_app

from .service._asgi import evaluate, run


@dataclass
class LocalService:
    """Answers requests from the service directory *directory* at time *now*.

    ``sizes`` records the element count of each request answered.
    """

    directory: Path
    now: datetime
    sizes: list[int] = field(default_factory=list)

    def post(self, url: str, body: bytes, *, token: bytes) -> ServiceAnswer:
        assert url.endswith("/v1/evaluate")
        app = create_app(self.directory, clock=lambda: self.now)
        (answer,) = run(app, [evaluate(body, f"Bearer {token_text(token)}")])
        if answer.status == 200:
            self.sizes.append(len(body) // OPRF_ELEMENT_SIZE)
        return ServiceAnswer(answer.status, answer.headers, answer.body)
