"""The organizer's side of the online mode: the service client, and the key a grant gives.

An online list (format 2) names the committee's service and its VOPRF
public key in its signed header; an online grant (format 3) seals an
access token to that service.  `ServiceClient` is the `BatchEvaluator`
the organizer's hasher sends its requests through: it blinds the inputs,
posts the blinded elements, checks the batched proof under the list's
public key and unblinds.  A service answering under another key fails the
proof, loudly (`VerificationError`): it never makes attendees silent
misses.  The network sits behind `Transport`, which tests replace.

`screening_key` is the one place that decides, from a list's header and
a grant, what the organizer hashes with, for `Screener.load` and for the
organizer's home alike.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..core import (
    EpochKey,
    HpkePrivateKey,
    RemoteEpochKey,
    blind_batch,
    finalize_batch,
    key_check,
)
from ..errors import MismatchError, ServiceError, WrongKeyError
from ..formats import LOOPBACK, REFUSALS, Grant, ListHeader, OnlineService, refusal, token_text

__all__ = ["HttpTransport", "ServiceAnswer", "ServiceClient", "Transport", "screening_key"]

EVALUATE_PATH: Final = "/v1/evaluate"
# Seconds to wait for one answer: a full request is about a tenth of a
# second of the service's work; a minute covers a busy service and a slow line.
TIMEOUT: Final = 60.0
# Transient failures (no connection, 502/503/504) are tried again, this many
# times, waiting 1 s, then 2 s: bounded, so a service that is down says so.
RETRIES: Final = 2
_TRANSIENT: Final = frozenset({502, 503, 504})
_MAX_ANSWER: Final = 64 + 32 * 1024 + 1


@dataclass(frozen=True)
class ServiceAnswer:
    """What came back from one request: status, headers (lower-case names) and body."""

    status: int
    headers: Mapping[str, str]
    body: bytes = field(repr=False)


class Transport(Protocol):
    """How a request reaches the service: `HttpTransport`, or a stand-in in tests."""

    def post(self, url: str, body: bytes, *, token: bytes) -> ServiceAnswer: ...


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: urllib would send the access token to wherever it points."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _on_loopback(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname in LOOPBACK


class HttpTransport:
    """HTTPS through the standard library, with the system's certificate store.

    Plain http is only ever used for an address on this machine: the list
    header's address is checked (`check_endpoint`) before it gets here.  A
    redirect is not followed: the signed list names the one address the
    token may go to, and a redirect answers as a failure.
    """

    def __init__(self, *, timeout: float = TIMEOUT) -> None:
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirect)
        # A service on this machine is reached directly: through an
        # http_proxy the token would cross the network in clear text.
        self._direct = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))

    def post(self, url: str, body: bytes, *, token: bytes) -> ServiceAnswer:
        request = urllib.request.Request(  # noqa: S310 - the address is checked https
            url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {token_text(token)}",
                "Content-Type": "application/octet-stream",
                "User-Agent": "coc-hashscreen",
            },
        )
        try:
            opener = self._direct if _on_loopback(url) else self._opener
            with opener.open(request, timeout=self.timeout) as answer:
                return ServiceAnswer(
                    answer.status, _lower(answer.headers.items()), answer.read(_MAX_ANSWER)
                )
        except urllib.error.HTTPError as exc:
            with exc:
                return ServiceAnswer(exc.code, _lower(exc.headers.items()), exc.read(4096))


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {k.lower(): v for k, v in items}


class ServiceClient:
    """The committee's service as a `BatchEvaluator`: blind, post, verify, unblind.

    ``remaining`` is the quota left as the service last said (None before
    the first answer); ``requests`` counts the requests answered.
    """

    def __init__(self, service: OnlineService, token: bytes, transport: Transport) -> None:
        self.service = service
        self._token = token
        self._transport = transport
        self.remaining: int | None = None
        self.requests = 0

    def __repr__(self) -> str:
        return f"ServiceClient({self.service.endpoint!r}, requests={self.requests})"

    def evaluate(self, inputs: Sequence[bytes]) -> list[bytes]:
        state, elements = blind_batch(inputs)
        answer = self._post(b"".join(elements))
        if answer.status != 200:
            raise self._refused(answer)
        outputs = finalize_batch(state, answer.body, public_key=self.service.public_key)
        self.requests += 1
        left = answer.headers.get("x-quota-remaining", "")
        self.remaining = int(left) if left.isdigit() else None
        return outputs

    def _post(self, body: bytes) -> ServiceAnswer:
        url = self.service.endpoint + EVALUATE_PATH
        for attempt in range(RETRIES + 1):
            try:
                answer = self._transport.post(url, body, token=self._token)
            # http.client's own errors (an answer that is not HTTP, a body cut
            # short) are no OSError, but are as much a failure to reach the service.
            except (OSError, urllib.error.URLError, http.client.HTTPException) as exc:
                failure = _reason(exc)
            else:
                if answer.status not in _TRANSIENT:
                    return answer
                failure = f"it answered HTTP {answer.status}"
            if attempt < RETRIES:
                time.sleep(2**attempt)
        raise ServiceError(
            f"the committee's service at {self.service.endpoint} could not be reached "
            f"({failure}); nothing was screened: try again later, or ask the committee"
        )

    def _refused(self, answer: ServiceAnswer) -> Exception:
        try:
            document = json.loads(answer.body.decode("utf-8"))
            code = document["error"]
            remaining = document.get("remaining")
        except (ValueError, KeyError, TypeError, AttributeError):
            code, remaining = None, None
        if not isinstance(code, str) or code not in REFUSALS:
            return ServiceError(
                f"the committee's service answered HTTP {answer.status} without a reason this "
                "release knows; nothing was screened"
            )
        return refusal(code, remaining=remaining if isinstance(remaining, int) else None)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or type(exc).__name__
    return str(reason)


def screening_key(
    grant: Grant,
    organizer_key: HpkePrivateKey,
    header: ListHeader,
    *,
    transport: Transport | None = None,
) -> EpochKey | RemoteEpochKey:
    """What the organizer hashes a list's identifiers with, from its grant, checked.

    Offline: the epoch key, checked against the list's key check.  Online:
    the service at the list's address, with the grant's access token.  A grant of the other mode,
    or naming another service, is refused: either would match nobody.
    """
    online = header.online
    if online is None:
        if grant.online:
            raise MismatchError(
                "this grant is for the committee's online service, but the list is an "
                "offline one; get a matching list and grant from the committee"
            )
        key = EpochKey(grant.open(organizer_key), header.salt, header.kdf)
        if key_check(key, series=header.series, epoch=header.epoch) != header.key_check:
            raise WrongKeyError(
                "the key in the grant does not match this list's key check, so screening "
                "would silently match nobody; get a matching list and grant from the committee"
            )
        return key
    if not grant.online:
        raise MismatchError(
            "this list is screened through the committee's online service, but the grant is "
            "for an offline list; get the online list's grant from the committee"
        )
    if grant.endpoint != online.endpoint:
        raise MismatchError(
            "the grant and the list name different services; get a matching list and grant "
            "from the committee"
        )
    token = grant.open_token(organizer_key)
    client = ServiceClient(online, token, transport or HttpTransport())
    return RemoteEpochKey(client, header.salt, header.kdf, _cache_secret(organizer_key, header))


def _cache_secret(organizer_key: HpkePrivateKey, header: ListHeader) -> bytes:
    """What keys an online epoch's Argon2 cache: the organizer's own secret, per epoch.

    Not the access token: a new grant in the same epoch (a reinstatement,
    a replaced token) must not make every cached identifier a miss, which
    would spend the quota again on people already screened.
    """
    info = b"coc-hashscreen/v2 online cache\x00" + header.series + header.epoch.to_bytes(8, "big")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
        organizer_key.private_bytes()
    )
