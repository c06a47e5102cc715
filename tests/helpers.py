"""Deterministic time, randomness and keys for tests and vectors."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from coc_hashscreen.core import Argon2Params, HpkePrivateKey, SigningKey, Suite, argon2id

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


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
