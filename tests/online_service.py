"""An in-process stand-in for the committee's service, as a `Transport`.

It reads the service directory the committee writes (the seed file and the
token database) and answers as the wire protocol says (docs/formats.md,
"Online evaluation"), without a server: for tests of the organizer's
client and of screening.  The real service is tested over loopback in
tests/service/.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coc_hashscreen.core import MAX_OPRF_BATCH, OPRF_ELEMENT_SIZE, OprfKey
from coc_hashscreen.errors import FormatError, ServiceRefused
from coc_hashscreen.formats import REFUSALS, SEED_FILE, TOKENS_FILE, TokenStore, read_seed
from coc_hashscreen.organizer import ServiceAnswer


@dataclass
class LocalService:
    """Answers requests from the service directory *directory* at time *now*.

    *key* replaces the seed's key (a service answering under another key);
    ``sizes`` records each request's element count.
    """

    directory: Path
    now: datetime
    key: OprfKey | None = None
    sizes: list[int] = field(default_factory=list)

    def post(self, url: str, body: bytes, *, token: bytes) -> ServiceAnswer:
        assert url.endswith("/v1/evaluate")
        count, rest = divmod(len(body), OPRF_ELEMENT_SIZE)
        if count > MAX_OPRF_BATCH:
            return _refused("batch-too-large")
        if rest or not count:
            return _refused("malformed")
        seed = read_seed(self.directory / SEED_FILE)
        key = self.key or seed.key()
        elements = [body[i : i + OPRF_ELEMENT_SIZE] for i in range(0, len(body), 32)]
        with TokenStore.open(self.directory / TOKENS_FILE) as tokens:
            try:
                charge = tokens.charge(token, count, epoch=seed.epoch, now=self.now)
            except ServiceRefused as exc:
                return _refused(exc.reason, exc.remaining)
            try:
                answer = key.evaluate_blinded(elements)
            except FormatError:
                tokens.refund(token, count)
                return _refused("malformed")
        self.sizes.append(count)
        return ServiceAnswer(200, {"x-quota-remaining": str(charge.remaining)}, answer)


def _refused(code: str, remaining: int | None = None) -> ServiceAnswer:
    document: dict[str, object] = {"error": code}
    if remaining is not None:
        document["remaining"] = remaining
    return ServiceAnswer(REFUSALS[code][0], {}, json.dumps(document).encode())
