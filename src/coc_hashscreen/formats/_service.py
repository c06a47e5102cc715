"""The evaluation service's two files: its seed, and its token database.

The online mode (issue 16, ADR 0025) runs a small service that holds the
epoch's VOPRF key and nothing else of the committee's: never the register.
It reads a directory (``<committee dir>/service`` by default) holding

``oprf-seed.json`` (mode 0600)
    The current online epoch's 32-byte seed, with the series and epoch it
    belongs to; the key is RFC 9497 DeriveKeyPair(seed, `oprf_key_info`).
    The committee rewrites it at each online publish and rotation.
``tokens.sqlite`` (mode 0600, WAL)
    One row per grant: the SHA-256 of its access token (`token_hash`; the
    token itself is only ever in the sealed grant), the organizer's key id,
    the epoch, the quota, the amount used, the expiry and any revocation.
    The committee adds, revokes and tops up rows; the service charges them,
    one `BEGIN IMMEDIATE` transaction per request, so that workers in
    several processes never spend one unit twice.

The refusals the service answers with, and what the organizer is told, are
`REFUSALS`: one table for both sides.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import sqlite3
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Final

from ..core import (
    OPRF_ELEMENT_SIZE,
    OPRF_SEED_SIZE,
    OPRF_SUITE,
    Closing,
    OprfKey,
    from_timestamp,
    short_id,
    timestamp,
)
from ..errors import FormatError, RegisterError, ServiceRefused
from . import _wire
from ._files import check_private_mode, read_limited, write_atomic

__all__ = [
    "LOOPBACK",
    "MAX_ENDPOINT",
    "REFUSALS",
    "SEED_FILE",
    "TOKENS_FILE",
    "TOKEN_SIZE",
    "AccessToken",
    "Charge",
    "ChargeRefused",
    "OnlineService",
    "ServiceSeed",
    "TokenStore",
    "check_endpoint",
    "oprf_key_info",
    "read_seed",
    "refusal",
    "token_from_text",
    "token_hash",
    "token_text",
    "write_seed",
]

SEED_FILE: Final = "oprf-seed.json"
TOKENS_FILE: Final = "tokens.sqlite"
TOKEN_SIZE: Final = 32
SEED_FORMAT: Final = 1
_MAX_SEED_FILE: Final = 4096
_TOKEN_DOMAIN: Final = b"coc-hashscreen/v2 access token\x00"
_TOKEN_TEXT: Final = re.compile(r"[A-Za-z0-9_-]{43}")
_KEY_DOMAIN: Final = b"coc-hashscreen/v2 oprf key\x00"

# Code -> (HTTP status, what the organizer is told).  The service sends the
# code; the organizer's client prints the message, so both read this table.
REFUSALS: Final[Mapping[str, tuple[int, str]]] = {
    "unknown-token": (
        401,
        "the committee's service does not know this grant's access token; ask the "
        "committee for a new grant",
    ),
    "expired-token": (
        401,
        "this grant's access to the committee's service has expired; ask the committee "
        "for a new grant",
    ),
    "revoked": (
        403,
        "the committee has revoked this organizer's access; screening through its "
        "service is refused",
    ),
    "epoch-over": (
        409,
        "the committee's service has moved to a new epoch; get the current list and "
        "grant from the committee",
    ),
    "quota-spent": (
        429,
        "this grant's quota of evaluations is spent; ask the committee to top it up "
        "(committee quota)",
    ),
    "batch-too-large": (413, "the request held more elements than the service takes"),
    "malformed": (
        400,
        "the service could not read the request (a malformed or identity element)",
    ),
}


MAX_ENDPOINT: Final = 200
# The hosts plain http is allowed to (and the client reaches without a proxy).
LOOPBACK: Final = frozenset({"127.0.0.1", "::1", "localhost"})


def check_endpoint(url: str) -> str:
    """The service's address as lists and grants state it: https, or http on loopback only.

    An organizer's client sends its access token to this address, so plain
    http is refused but for a service on the same machine (tests, or a
    committee screening its own lists).
    """
    if not isinstance(url, str) or not 0 < len(url) <= MAX_ENDPOINT or not url.isprintable():
        raise FormatError(f"a service address is a URL of at most {MAX_ENDPOINT} characters")
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        raise FormatError("the service address is not a URL") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise FormatError("the service address must be an https:// URL")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise FormatError(
            "the service address must be https:// (plain http only on 127.0.0.1 or localhost)"
        )
    if parts.username or parts.password or parts.query or parts.fragment or " " in url:
        raise FormatError("the service address may not hold a user, a query or a fragment")
    del port  # read for its check: a port out of range raises above
    return url.rstrip("/")


@dataclass(frozen=True)
class OnlineService:
    """What an online list's signed header says of the service: where, which suite, which key."""

    endpoint: str
    public_key: bytes
    suite: str = OPRF_SUITE

    def __post_init__(self) -> None:
        object.__setattr__(self, "endpoint", check_endpoint(self.endpoint))
        if self.suite != OPRF_SUITE:
            raise FormatError(f"the service's suite must be {OPRF_SUITE}")
        if len(self.public_key) != OPRF_ELEMENT_SIZE:
            raise FormatError(f"the service's public key is {OPRF_ELEMENT_SIZE} bytes")

    def to_dict(self) -> dict[str, str]:
        return {"suite": self.suite, "public_key": self.public_key.hex(), "endpoint": self.endpoint}

    @classmethod
    def from_fields(cls, fields: _wire.Fields) -> OnlineService:
        fields.expect({"suite", "public_key", "endpoint"})
        return cls(
            endpoint=fields.text("endpoint", max_length=MAX_ENDPOINT),
            public_key=fields.bytes_hex("public_key", size=OPRF_ELEMENT_SIZE),
            suite=fields.text("suite", max_length=40),
        )


class ChargeRefused(ServiceRefused):
    """A refusal of `TokenStore.charge`, naming the organizer whose token it was (if known),
    for the service's log; the organizer's side never sees this attribute."""

    def __init__(self, code: str, organizer: bytes | None, *, remaining: int | None = None):
        refused = refusal(code, remaining=remaining)
        super().__init__(refused.reason, str(refused), remaining=remaining)
        self.organizer = organizer

    @property
    def label(self) -> str:
        return "-" if self.organizer is None else short_id(self.organizer)


def refusal(code: str, *, remaining: int | None = None) -> ServiceRefused:
    """The organizer-side error for a refusal *code* the service sent."""
    if code not in REFUSALS:
        return ServiceRefused("unknown", f"the committee's service refused the request ({code})")
    message = REFUSALS[code][1]
    if code == "quota-spent" and remaining is not None:
        message += f"; {remaining:,} evaluations are left, too few for this run"
    return ServiceRefused(code, message, remaining=remaining)


def token_text(token: bytes) -> str:
    """An access token as a bearer header carries it: unpadded base64url (43 characters)."""
    return base64.urlsafe_b64encode(token).rstrip(b"=").decode("ascii")


def token_from_text(text: str) -> bytes | None:
    """The access token of a bearer header's value, or None unless it is `token_text` of
    one exactly: 43 base64url characters whose last carries 2 bits that must be zero."""
    if not _TOKEN_TEXT.fullmatch(text):
        return None
    token = base64.urlsafe_b64decode(text + "=")
    return token if token_text(token) == text else None


def token_hash(token: bytes) -> bytes:
    """What the token database keeps of an access token: its domain-separated SHA-256."""
    return hashlib.sha256(_TOKEN_DOMAIN + token).digest()


def oprf_key_info(series: bytes, epoch: int) -> bytes:
    """The DeriveKeyPair info of one epoch of one series: no two epochs share a key."""
    return _KEY_DOMAIN + series + epoch.to_bytes(8, "big")


@dataclass(frozen=True)
class ServiceSeed:
    """The seed of one online epoch: everything the service knows of the committee's keys."""

    series: bytes
    epoch: int
    seed: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.series) != 32 or self.epoch < 1 or len(self.seed) != OPRF_SEED_SIZE:
            raise FormatError("a service seed has a 32-byte series, an epoch and a 32-byte seed")

    def key(self) -> OprfKey:
        return OprfKey.derive(self.seed, info=oprf_key_info(self.series, self.epoch))

    def to_json(self) -> bytes:
        return _wire.dump_json(
            {
                "format": SEED_FORMAT,
                "series": self.series.hex(),
                "epoch": self.epoch,
                "seed": self.seed.hex(),
            }
        )

    @classmethod
    def from_json(cls, data: bytes) -> ServiceSeed:
        fields = _wire.load_json(data, "service seed file")
        fields.expect({"format", "series", "epoch", "seed"})
        fields.format_version("format", SEED_FORMAT)
        return cls(
            series=fields.bytes_hex("series", size=32),
            epoch=fields.integer("epoch", minimum=1),
            seed=fields.bytes_hex("seed", size=OPRF_SEED_SIZE),
        )


def write_seed(path: str | os.PathLike[str], seed: ServiceSeed) -> None:
    """Write the service's seed file, mode 0600, atomically."""
    write_atomic(path, seed.to_json(), private=True)


def read_seed(path: str | os.PathLike[str]) -> ServiceSeed:
    """Read the service's seed file, refusing one that others may read."""
    check_private_mode(path, "service seed file")
    return ServiceSeed.from_json(read_limited(path, _MAX_SEED_FILE, "service seed file"))


@dataclass(frozen=True)
class AccessToken:
    """One grant's row in the token database (never the token itself)."""

    token_hash: bytes = field(repr=False)
    organizer: bytes
    epoch: int
    quota: int
    used: int
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    @property
    def remaining(self) -> int:
        return max(0, self.quota - self.used)

    def to_dict(self) -> dict[str, object]:
        return {
            "organizer": self.organizer.hex(),
            "epoch": self.epoch,
            "quota": self.quota,
            "used": self.used,
            "remaining": self.remaining,
            "issued_at": self.issued_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "revoked_at": None if self.revoked_at is None else self.revoked_at.isoformat(),
        }


@dataclass(frozen=True)
class Charge:
    """A request the service may answer: whose it is, and the quota left after it."""

    organizer: bytes
    remaining: int

    @property
    def label(self) -> str:
        """How the service's log names the organizer: its short key id."""
        return short_id(self.organizer)


_SCHEMA: Final = (
    """CREATE TABLE IF NOT EXISTS tokens (
        token_hash BLOB PRIMARY KEY,
        organizer BLOB NOT NULL,
        epoch INTEGER NOT NULL,
        quota INTEGER NOT NULL CHECK (quota >= 0),
        used INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0),
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
    )""",
    "CREATE INDEX IF NOT EXISTS tokens_organizer ON tokens (organizer, epoch)",
)
_SELECT: Final = (
    "SELECT token_hash, organizer, epoch, quota, used, issued_at, expires_at, revoked_at"
    " FROM tokens"
)
_BY_HASH: Final = _SELECT + " WHERE token_hash = ?"
_BY_GRANT: Final = _SELECT + " WHERE organizer = ? AND epoch = ?"


def _token(row: tuple[object, ...]) -> AccessToken:
    token, organizer, epoch, quota, used, issued, expires, revoked = row
    if not (isinstance(token, bytes) and isinstance(organizer, bytes)):  # pragma: no cover
        raise RegisterError("the token database holds a malformed row")
    return AccessToken(
        token, organizer, int(str(epoch)), int(str(quota)), int(str(used)),
        from_timestamp(int(str(issued))), from_timestamp(int(str(expires))),
        None if revoked is None else from_timestamp(int(str(revoked))),
    )  # fmt: skip


class TokenStore(Closing):
    """The token database: the committee writes grants, the service charges requests."""

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self.path = path

    def __repr__(self) -> str:
        return f"TokenStore({os.fspath(self.path)!r})"

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False) -> TokenStore:
        """Open the database at *path*; with *create*, make it (mode 0600) if it is missing."""
        target = Path(path)
        if not target.exists():
            if not create:
                raise RegisterError(
                    f"there is no token database at {os.fspath(target)!r}; publish an online "
                    "list first (committee publish --online URL)"
                )
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        check_private_mode(target, "token database")
        db = sqlite3.connect(target, isolation_level=None, timeout=30.0, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            for statement in _SCHEMA:
                db.execute(statement)
        except sqlite3.Error as exc:
            db.close()
            raise RegisterError(f"the token database cannot be used: {exc}") from None
        return cls(db, target)

    def close(self) -> None:
        self._db.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def add(self, token: AccessToken) -> None:
        """Record a grant's token.  One organizer has one token per epoch: a new grant in
        the same epoch replaces the old token and keeps what it used (a re-grant is no
        way round the quota)."""
        with self._write() as db:
            row = db.execute(
                "SELECT COALESCE(SUM(used), 0) FROM tokens WHERE organizer = ? AND epoch = ?",
                (token.organizer, token.epoch),
            ).fetchone()
            db.execute(
                "DELETE FROM tokens WHERE organizer = ? AND epoch = ?",
                (token.organizer, token.epoch),
            )
            db.execute(
                "INSERT INTO tokens (token_hash, organizer, epoch, quota, used, issued_at,"
                " expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (token.token_hash, token.organizer, token.epoch, token.quota,
                 token.used + int(row[0]), timestamp(token.issued_at),
                 timestamp(token.expires_at),
                 None if token.revoked_at is None else timestamp(token.revoked_at)),
            )  # fmt: skip

    def tokens(self, *, epoch: int | None = None) -> list[AccessToken]:
        """Every token, or those of *epoch*, oldest grant first."""
        rows = self._db.execute(_SELECT + " ORDER BY issued_at, organizer").fetchall()
        return [t for t in map(_token, rows) if epoch is None or t.epoch == epoch]

    def revoke(self, organizer: bytes, *, now: datetime) -> int:
        """Refuse every token of *organizer* from now on; how many there were."""
        with self._write() as db:
            return db.execute(
                "UPDATE tokens SET revoked_at = ? WHERE organizer = ? AND revoked_at IS NULL",
                (timestamp(now), organizer),
            ).rowcount

    def top_up(
        self, organizer: bytes, epoch: int, *, add: int = 0, set_to: int | None = None
    ) -> AccessToken:
        """Raise (or set) the quota of *organizer*'s token of *epoch*; the token after."""
        with self._write() as db:
            current = db.execute(_BY_GRANT, (organizer, epoch)).fetchone()
            if current is None:
                raise RegisterError(
                    f"organizer {short_id(organizer)}… has no grant in epoch {epoch}; "
                    "grant it first"
                )
            quota = (set_to if set_to is not None else _token(current).quota) + add
            db.execute(
                "UPDATE tokens SET quota = ? WHERE organizer = ? AND epoch = ?",
                (max(0, quota), organizer, epoch),
            )
            row = db.execute(_BY_GRANT, (organizer, epoch)).fetchone()
        return _token(row)

    def charge(self, token: bytes, count: int, *, epoch: int, now: datetime) -> Charge:
        """Take *count* evaluations from the quota of *token*, atomically, or refuse.

        Refusals, in this order: `unknown-token`, `revoked`, `expired-token`,
        `epoch-over` (the token is of another epoch than the service's seed),
        `quota-spent` (with the quota left; nothing is taken).
        """
        with self._write() as db:
            row = db.execute(_BY_HASH, (token_hash(token),)).fetchone()
            if row is None:
                raise ChargeRefused("unknown-token", None)
            held = _token(row)
            if held.revoked_at is not None:
                raise ChargeRefused("revoked", held.organizer)
            if held.expires_at <= now:
                raise ChargeRefused("expired-token", held.organizer)
            if held.epoch != epoch:
                raise ChargeRefused("epoch-over", held.organizer)
            if held.used + count > held.quota:
                raise ChargeRefused("quota-spent", held.organizer, remaining=held.remaining)
            db.execute(
                "UPDATE tokens SET used = used + ? WHERE token_hash = ?",
                (count, held.token_hash),
            )
        return Charge(held.organizer, held.remaining - count)

    def refund(self, token: bytes, count: int) -> None:
        """Give back *count* evaluations a request was charged but not answered for."""
        with self._write() as db:
            db.execute(
                "UPDATE tokens SET used = MAX(0, used - ?) WHERE token_hash = ?",
                (count, token_hash(token)),
            )
