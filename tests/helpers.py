"""Deterministic time, randomness, keys and sample documents for tests and vectors."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime

from coc_hashscreen.core import (
    Argon2Params,
    HpkePrivateKey,
    Identifier,
    SigningKey,
    Suite,
    argon2id,
)
from coc_hashscreen.formats import (
    Attachment,
    IncidentReport,
    KeyProtection,
    Passphrase,
    PassphraseKdf,
    Person,
)

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

# Key files written in tests are encrypted as in real use, but at the
# cheapest Argon2 cost (tests/conftest.py gives it to the command line).
TEST_PASSPHRASE = "test suite passphrase"
TEST_KEY_KDF = PassphraseKdf(time_cost=1, memory_cost=8, parallelism=1)


def cheap_protection(passphrase: str = TEST_PASSPHRASE) -> KeyProtection:
    """Key protection for tests: *passphrase* at the cheapest Argon2 cost."""
    return KeyProtection(Passphrase.from_text(passphrase), kdf=TEST_KEY_KDF)


def fixed_rng(seed: bytes) -> Callable[[int], bytes]:
    """A reproducible byte stream (SHAKE-256 in counter mode), never for real keys."""
    counter = 0

    def rng(n: int) -> bytes:
        nonlocal counter
        counter += 1
        return hashlib.shake_256(seed + counter.to_bytes(8, "big")).digest(n)

    return rng


def fixed_signing_key(label: str) -> SigningKey:
    return SigningKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


def fixed_hpke_key(label: str, suite: Suite = Suite.X25519) -> HpkePrivateKey:
    raw = hashlib.shake_256(label.encode()).digest(suite.private_size)
    return HpkePrivateKey.from_raw(suite, raw)


class CountingArgon2:
    """Stands in for the Argon2 seam (`HashingOptions.argon2`); counts calls across threads."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, secret: bytes, salt: bytes, params: Argon2Params) -> bytes:
        with self.lock:
            self.calls += 1
        return argon2id(secret, salt, params)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n" + b"x" * 100 + b"\n%%EOF\n"


def sample_report(**changes: object) -> IncidentReport:
    """A complete incident report with two attachments; *changes* replace fields."""
    report = IncidentReport(
        event_name="PyCon Test 2026",
        event_start=date(2026, 5, 1),
        event_end=date(2026, 5, 3),
        reporter_name="Ora Organizer",
        reporter_email="coc@pycon.example",
        people=(
            Person(
                "reported",
                "Bad Actor",
                (Identifier("email", "bad.actor@example.org"), Identifier("github", "badactor")),
            ),
            Person("affected", "Alice Target"),
            Person("witness", "", (Identifier("twitter", "@witness"),)),
        ),
        facts="Repeated unwanted comments in the hallway track.",
        review="Confirmed by two witnesses.",
        actions="Removed from the conference.",
        responses="Accepted the decision.",
        attachments=(
            Attachment("screenshot.png", PNG, "the chat message"),
            Attachment("a.pdf", PDF),
        ),
    )
    return replace(report, **changes)  # type: ignore[arg-type]


@contextmanager
def raw_database(path: str | os.PathLike[str]) -> Iterator[sqlite3.Connection]:
    """The register's SQLite file opened behind the library's back, as an older
    release or an attacker would write it: committed on success, always closed
    (an unclosed connection is a ResourceWarning, an error under -W error)."""
    db = sqlite3.connect(path)
    try:
        with db:
            yield db
    finally:
        db.close()
