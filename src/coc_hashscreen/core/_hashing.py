"""Keyed hashing: epoch key + canonical identifier -> (tag, payload key).

The construction (DESIGN §5, frozen in ``tests/vectors/hashing-v1.json``)::

    pepper      = HMAC-SHA256(K_e, "coc-hashscreen/v1" 0x00 kind 0x00 utf8(c))
    x           = Argon2id(secret=pepper, salt=salt_e, t, m, p, 32 bytes)
    tag         = HKDF-SHA256(x, salt=none, info="tag" || version (8 bytes), 16 bytes)
    payload_key = HKDF-SHA256(x, salt=none, info="payload", 32 bytes)

In an online epoch (issue 16, frozen in ``tests/vectors/online-v2.json``)
the pepper is the committee's VOPRF output instead, and the rest is the same::

    pepper      = VOPRF-Evaluate(sk_e, "coc-hashscreen/v2" 0x00 kind 0x00 utf8(c))  (64 bytes)

The committee computes it directly (`OprfEpochKey`); an organizer gets it
from the committee's service without showing it the identifier
(`RemoteEpochKey`, whose batches `KeyedHasher` sends).

The pepper comes first so that no Argon2 output can be precomputed without
the epoch key.  The tag also depends on the list's version, so that two
lists of one epoch share no tag: otherwise comparing them would tell real
entries from decoys (docs/adr/0009-version-bound-tags.md).

Many identifiers are hashed on a thread pool by `_hasher.KeyedHasher`; this
module holds the construction, its parameters and the cache's primitives.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import FormatError, InvalidParameters
from ._normalize import check_kind
from ._oprf import OprfKey, oprf_input

__all__ = [
    "ARGON2_OUTPUT_SIZE",
    "DEFAULT_MEMORY_BUDGET",
    "EPOCH_KEY_SIZE",
    "KDF_PROFILES",
    "SALT_SIZE",
    "TAG_SIZE",
    "Argon2",
    "Argon2Params",
    "ArgonCache",
    "BatchEvaluator",
    "EpochKey",
    "HashKey",
    "HashingOptions",
    "KeyedHash",
    "MemoryCache",
    "OprfEpochKey",
    "Progress",
    "RemoteEpochKey",
    "argon2id",
    "cache_fingerprint",
    "cache_key",
    "key_check",
    "keyed_hash",
    "pepper",
    "spelling_fingerprint",
]

EPOCH_KEY_SIZE: Final = 32
SALT_SIZE: Final = 16
TAG_SIZE: Final = 16
PAYLOAD_KEY_SIZE: Final = 32
ARGON2_OUTPUT_SIZE: Final = 32
ARGON2_VERSION: Final = 0x13
DOMAIN: Final = b"coc-hashscreen/v1"

# Bounds on Argon2 parameters read from a list.  A list is signed, but a
# leaked signing key or a typo must not be able to make every screener
# allocate gigabytes or spin for minutes per identifier.  The work of one
# call grows with time_cost x memory_cost (passes over memory), so that
# product is bounded, not each factor alone: t=10 with m=1 GiB, each within
# its own bound, took 12-19 s per identifier.  The bound is 256 MiB-passes,
# 1.33x the "strong" profile: about 0.4 s of one core on the reference
# machine (docs/adr/0014-organizer-keys-grants-and-list-metadata.md).
MIN_TIME_COST: Final = 1
MAX_TIME_COST: Final = 10
MAX_COST: Final = 256 * 1024  # KiB x passes: time_cost * memory_cost
MAX_MEMORY_COST: Final = MAX_COST  # KiB; what the product allows at time_cost 1
MAX_PARALLELISM: Final = 16
DEFAULT_MEMORY_BUDGET: Final = 1024 * 1024 * 1024  # bytes

# Called with (done, total) as work completes.
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Argon2Params:
    """Argon2id cost parameters of one epoch (RFC 9106 names).

    ``memory_cost`` is in KiB.  Validated on construction: every instance is
    within the bounds above, so code holding one never checks again.
    """

    time_cost: int
    memory_cost: int
    parallelism: int

    def __post_init__(self) -> None:
        for name in ("time_cost", "memory_cost", "parallelism"):
            value = getattr(self, name)
            if type(value) is not int:
                raise InvalidParameters(f"Argon2 {name} must be an integer")
        if not MIN_TIME_COST <= self.time_cost <= MAX_TIME_COST:
            raise InvalidParameters(
                f"Argon2 time_cost {self.time_cost} is outside {MIN_TIME_COST}..{MAX_TIME_COST}"
            )
        if not 1 <= self.parallelism <= MAX_PARALLELISM:
            raise InvalidParameters(
                f"Argon2 parallelism {self.parallelism} is outside 1..{MAX_PARALLELISM}"
            )
        if not 8 * self.parallelism <= self.memory_cost <= MAX_MEMORY_COST:
            raise InvalidParameters(
                f"Argon2 memory_cost {self.memory_cost} KiB is outside "
                f"{8 * self.parallelism}..{MAX_MEMORY_COST} KiB"
            )
        if self.time_cost * self.memory_cost > MAX_COST:
            raise InvalidParameters(
                f"Argon2 time_cost x memory_cost {self.time_cost} x {self.memory_cost} KiB "
                f"is over the bound of {MAX_COST} KiB-passes ({MAX_COST // 1024} MiB-passes)"
            )

    @property
    def memory_bytes(self) -> int:
        """Memory one Argon2 call holds, in bytes."""
        return self.memory_cost * 1024

    def to_dict(self) -> dict[str, int | str]:
        return {
            "algorithm": "argon2id",
            "version": ARGON2_VERSION,
            "time_cost": self.time_cost,
            "memory_cost": self.memory_cost,
            "parallelism": self.parallelism,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Argon2Params:
        """Parse the ``kdf`` object of a file header, strictly."""
        if set(data) != {"algorithm", "version", "time_cost", "memory_cost", "parallelism"}:
            raise FormatError("the kdf parameters do not have exactly the expected fields")
        if data["algorithm"] != "argon2id" or data["version"] != ARGON2_VERSION:
            raise FormatError("the kdf is not Argon2id version 0x13")
        time_cost, memory_cost, parallelism = (
            data["time_cost"],
            data["memory_cost"],
            data["parallelism"],
        )
        if not all(type(v) is int for v in (time_cost, memory_cost, parallelism)):
            raise FormatError("the kdf parameters must be integers")
        assert isinstance(time_cost, int)
        assert isinstance(memory_cost, int)
        assert isinstance(parallelism, int)
        try:
            return cls(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        except InvalidParameters as exc:
            # Refused before any hashing: a damaged or hostile file must not
            # make us allocate gigabytes or spin for minutes.
            raise FormatError(f"the file asks for {exc}; this release refuses that") from None

    def describe(self) -> str:
        return (
            f"Argon2id t={self.time_cost}, m={self.memory_cost // 1024} MiB"
            f"{'' if self.memory_cost % 1024 == 0 else f' ({self.memory_cost} KiB)'}"
            f", p={self.parallelism}"
        )


# Named profiles.  See docs/adr/0003-argon2-default.md for the measurements
# behind "default".
KDF_PROFILES: Final[Mapping[str, Argon2Params]] = {
    # OWASP's first Argon2id recommendation (m=19 MiB, t=2, p=1): about 19 ms
    # a call on one core of the reference 2-core machine, so a 3,000-person
    # list with a name and an e-mail each screens in about a minute.
    "default": Argon2Params(time_cost=2, memory_cost=19 * 1024, parallelism=1),
    # RFC 9106's second recommended option (t=3, m=64 MiB, p=4): about 5x
    # the default's price per guess.
    "strong": Argon2Params(time_cost=3, memory_cost=64 * 1024, parallelism=4),
    # The cheapest parameters Argon2 allows.  For tests only: a list hashed
    # with them offers no resistance to guessing.
    "test-only": Argon2Params(time_cost=1, memory_cost=8, parallelism=1),
}


@dataclass(frozen=True, slots=True)
class KeyedHash:
    """The keyed hash of one identifier: a public tag and a secret payload key."""

    tag: bytes
    payload_key: bytes = field(repr=False)


class Argon2(Protocol):
    """The one seam through which Argon2id is reached: 32 raw bytes of output.

    `argon2id` is the real one; tests pass a stand-in that counts or skips
    calls instead of patching a module global.
    """

    def __call__(self, secret: bytes, salt: bytes, params: Argon2Params) -> bytes: ...


class ArgonCache(Protocol):
    """Argon2 outputs of identifiers already hashed under an epoch key.

    The Argon2 step does not depend on the list version, only the HKDF step
    after it does, so a re-screen against a new version of the same epoch
    can pay HKDF alone for identifiers seen before.  Entries are found by
    `cache_fingerprint`, which is keyed by the epoch key: a cache never
    holds an identifier, and one filled under another epoch only misses.
    Implementations are called from the hashing threads and must be
    thread-safe; `MemoryCache` is one.
    """

    def get(self, fingerprint: bytes) -> bytes | None: ...

    def put(self, fingerprint: bytes, value: bytes) -> None: ...


class MemoryCache:
    """An `ArgonCache` in memory, bounded: the least recently used entries go first.

    ``hits`` and ``misses`` count lookups and ``puts`` inserts, for progress,
    benchmarks and a file-backed cache that saves only what changed.
    """

    def __init__(self, max_entries: int = 1_000_000) -> None:
        if max_entries < 1:
            raise InvalidParameters("a cache holds at least one entry")
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self.puts = 0
        self._entries: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryCache(entries={len(self)}, max_entries={self.max_entries})"

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, fingerprint: bytes) -> bytes | None:
        with self._lock:
            value = self._entries.get(fingerprint)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
                # Least recently used goes first: what every run screens stays.
                self._entries.move_to_end(fingerprint)
            return value

    def put(self, fingerprint: bytes, value: bytes) -> None:
        with self._lock:
            self.puts += 1
            self._entries[fingerprint] = value
            self._entries.move_to_end(fingerprint)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def items(self) -> list[tuple[bytes, bytes]]:
        """Every entry, oldest first (for a file-backed cache to save)."""
        with self._lock:
            return list(self._entries.items())


def argon2id(secret: bytes, salt: bytes, params: Argon2Params) -> bytes:
    """Argon2id version 0x13 from argon2-cffi, which releases the GIL while it works."""
    return hash_secret_raw(
        secret=secret,
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=ARGON2_OUTPUT_SIZE,
        type=Type.ID,
        version=ARGON2_VERSION,
    )


def _check_salt(salt: bytes) -> None:
    if len(salt) != SALT_SIZE:
        raise InvalidParameters(f"an epoch salt is {SALT_SIZE} bytes")


@dataclass(frozen=True, slots=True)
class EpochKey:
    """What hashes identifiers in one offline epoch: its secret key, public salt and Argon2 cost.

    Checked on construction.  The secret stays out of repr.
    """

    secret: bytes = field(repr=False)
    salt: bytes
    params: Argon2Params

    def __post_init__(self) -> None:
        if len(self.secret) != EPOCH_KEY_SIZE:
            raise InvalidParameters(f"an epoch key is {EPOCH_KEY_SIZE} bytes")
        _check_salt(self.salt)

    @property
    def cache_secret(self) -> bytes:
        """What keys the fingerprints of an Argon2 cache of this epoch."""
        return self.secret

    def pepper(self, kind: str, canonical_form: str) -> bytes:
        return pepper(self.secret, kind, canonical_form)


@dataclass(frozen=True, slots=True)
class OprfEpochKey:
    """The committee's key in an online epoch: the VOPRF key, salt and Argon2 cost.

    The pepper is the VOPRF output, computed directly; *cache_secret* is a
    secret of the committee's own (no cache is kept by a publish, but a
    key has one, so every key fits `KeyedHasher` alike).
    """

    oprf: OprfKey = field(repr=False)
    salt: bytes
    params: Argon2Params
    cache_secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        _check_salt(self.salt)

    def pepper(self, kind: str, canonical_form: str) -> bytes:
        return self.oprf.evaluate(oprf_input(kind, canonical_form))


class BatchEvaluator(Protocol):
    """The committee's service as an organizer's hasher reaches it: VOPRF outputs for inputs.

    `evaluate` takes 1 to `MAX_OPRF_BATCH` inputs (`oprf_input` of real
    identifiers, or random padding) and returns their 64-byte outputs in
    order, verified under the list's public key; it raises
    `ServiceRefused` (with ``remaining`` set on a spent quota) or
    `ServiceError`.  Tests pass a stand-in that evaluates locally.
    """

    def evaluate(self, inputs: Sequence[bytes]) -> list[bytes]: ...


@dataclass(frozen=True, slots=True)
class RemoteEpochKey:
    """An organizer's key in an online epoch: no secret of the committee's, a service.

    *cache_secret* is a secret of the organizer's own for the epoch: it
    keys the fingerprints of its Argon2 cache, which then says nothing to
    whoever lacks the organizer's key.
    """

    evaluator: BatchEvaluator = field(repr=False)
    salt: bytes
    params: Argon2Params
    cache_secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        _check_salt(self.salt)


# What `KeyedHasher` hashes with: offline, the committee's online key, or the organizer's.
HashKey = EpochKey | OprfEpochKey | RemoteEpochKey


@dataclass(frozen=True, slots=True)
class HashingOptions:
    """How batch hashing runs: threads, their memory budget, and the Argon2 seam.

    *workers* (default: the CPUs this process may use) and *memory_budget*
    change how fast a result comes and what it costs, never the result.
    *argon2* is always `argon2id` but in tests and benchmarks, which replace
    it to count or skip calls: anything else hashes to tags that no list and
    no screener share, so it matches nobody.
    """

    workers: int | None = None
    memory_budget: int = DEFAULT_MEMORY_BUDGET
    argon2: Argon2 = argon2id
    # Argon2 outputs kept between runs of one epoch (`ArgonCache`); like the
    # rest, it changes what a result costs, never the result.
    cache: ArgonCache | None = None

    def __post_init__(self) -> None:
        if self.workers is not None and self.workers < 1:
            raise InvalidParameters("workers must be at least 1")


def pepper(epoch_key: bytes, kind: str, canonical_form: str) -> bytes:
    """HMAC-SHA256 of the domain-separated identifier under the epoch key."""
    message = b"\x00".join((DOMAIN, kind.encode("ascii"), canonical_form.encode("utf-8")))
    return hmac.digest(epoch_key, message, "sha256")


def _hkdf(secret: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(secret)


def cache_fingerprint(fingerprint_key: bytes, kind: str, canonical_form: str) -> bytes:
    """Where an identifier's Argon2 output is kept in an `ArgonCache`: 16 keyed bytes.

    *fingerprint_key* is `cache_key(epoch_key)`: the fingerprint says nothing
    of the identifier without the epoch key, and differs between epochs.
    """
    message = b"\x00".join((DOMAIN, kind.encode("ascii"), canonical_form.encode("utf-8")))
    return _keyed_blake2b(fingerprint_key, message)


def spelling_fingerprint(fingerprint_key: bytes, kind: str, value: str) -> bytes:
    """Where an identifier's Argon2 output is kept under the exact text it was read as.

    A re-screen finds a value it read before without normalizing it again:
    the epoch (whose key *fingerprint_key* comes from) fixes the profile, so
    one spelling has one canonical form.  Domain-separated from
    `cache_fingerprint`.
    """
    text = value.encode("utf-8", "surrogatepass")
    message = b"\x00".join((DOMAIN, b"spelling", kind.encode("ascii"), text))
    return _keyed_blake2b(fingerprint_key, message)


def _keyed_blake2b(key: bytes, message: bytes) -> bytes:
    # Keyed BLAKE2b rather than HMAC: it keeps the GIL for short inputs, so
    # the screening thread is not made to wait on the hashing threads for
    # each of the thousands of lookups a re-screen makes.
    return hashlib.blake2b(message, key=key, digest_size=16).digest()


def cache_key(key: HashKey) -> bytes:
    """The key of an epoch's cache fingerprints, from its epoch key, salt and Argon2 cost.

    A committee never changes the salt or cost within an epoch; if it ever
    did, the cache would only miss, never return an output of other
    parameters.
    """
    params = key.params
    cost = b"".join(n.to_bytes(4, "big") for n in (params.time_cost, params.memory_cost,
                                                  params.parallelism))  # fmt: skip
    return _hkdf(key.cache_secret, b"argon2 cache fingerprint\x00" + key.salt + cost, 32)


def _expand(x: bytes, version: int) -> KeyedHash:
    """The tag of list *version* and the payload key, from an identifier's Argon2 output."""
    return KeyedHash(
        tag=_hkdf(x, b"tag" + version.to_bytes(8, "big"), TAG_SIZE),
        payload_key=_hkdf(x, b"payload", PAYLOAD_KEY_SIZE),
    )


def _argon2_of(key: HashKey, item: tuple[str, str], argon2: Argon2, peppered: bytes = b"") -> bytes:
    """Argon2 of an item under *key*; *peppered* is its pepper when already known."""
    if not peppered:
        if isinstance(key, RemoteEpochKey):
            raise InvalidParameters("an online key's peppers come from the committee's service")
        peppered = key.pepper(*item)
    return argon2(peppered, key.salt, key.params)


def _check_version(version: int) -> int:
    if type(version) is not int or not 1 <= version < 2**63:
        raise InvalidParameters("a list version is an integer from 1")
    return version


def keyed_hash(
    key: EpochKey | OprfEpochKey,
    *,
    version: int,
    kind: str,
    canonical_form: str,
    argon2: Argon2 = argon2id,
) -> KeyedHash:
    """Derive the tag (for list *version*) and payload key of one canonical identifier.

    *canonical_form* must already be canonical (see `canonical`); this
    function hashes exactly the string it is given.
    """
    item = (check_kind(kind), canonical_form)
    return _expand(_argon2_of(key, item, argon2), _check_version(version))


def key_check(key: EpochKey, *, series: bytes, epoch: int) -> bytes:
    """A value in the list header that proves which epoch key the list uses.

    Without it a wrong or stale key would silently match nobody.  It reveals
    nothing about the key: HMAC under a 256-bit random key.
    """
    message = b"\x00".join((DOMAIN, b"key-check", series + epoch.to_bytes(8, "big") + key.salt))
    return hmac.digest(key.secret, message, "sha256")
