"""The Argon2 cache seam: a re-screen of one epoch pays HKDF, not Argon2, for what it saw."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import (
    KDF_PROFILES,
    ArgonCache,
    EpochKey,
    HashingOptions,
    KeyedHash,
    KeyedHasher,
    MemoryCache,
    cache_fingerprint,
    cache_key,
    keyed_hash,
    pepper,
)
from coc_hashscreen.errors import InvalidParameters

from ..helpers import CountingArgon2

PARAMS = KDF_PROFILES["test-only"]
KEY = EpochKey(bytes(range(32)), bytes(range(16)), PARAMS)
OTHER_EPOCH = EpochKey(bytes(range(1, 33)), bytes(range(16)), PARAMS)
ITEMS = [("name", f"person {i}") for i in range(20)] + [("email", f"p{i}@x.org") for i in range(5)]


def _hash(
    key: EpochKey, version: int, items: list[tuple[str, str]], *, cache: ArgonCache
) -> tuple[list[KeyedHash], int]:
    counter = CountingArgon2()
    options = HashingOptions(workers=3, argon2=counter, cache=cache)
    with KeyedHasher(key, version=version, options=options) as hasher:
        return hasher.hash_many(items), counter.calls


def test_a_new_version_of_the_epoch_costs_argon2_only_for_new_identifiers() -> None:
    cache = MemoryCache()
    first, calls = _hash(KEY, 1, ITEMS, cache=cache)
    assert calls == len(ITEMS)
    new = [("name", "someone new"), ("github", "newcomer")]
    second, calls = _hash(KEY, 2, ITEMS + new, cache=cache)
    assert calls == len(new)  # exactly once per new identifier
    # And the results are those of hashing without a cache, at version 2.
    for (kind, form), result in zip(ITEMS + new, second, strict=True):
        assert result == keyed_hash(KEY, version=2, kind=kind, canonical_form=form)
    assert [r.tag for r in first] != [r.tag for r in second[: len(ITEMS)]]


def test_another_epoch_recomputes_everything_and_never_reads_the_old_entries() -> None:
    cache = MemoryCache()
    _hash(KEY, 1, ITEMS, cache=cache)
    results, calls = _hash(OTHER_EPOCH, 1, ITEMS, cache=cache)
    assert calls == len(ITEMS)
    assert results[0] == keyed_hash(OTHER_EPOCH, version=1, kind="name", canonical_form="person 0")


def test_a_wrong_sized_entry_is_recomputed_not_trusted() -> None:
    cache = MemoryCache()
    fingerprint = cache_fingerprint(cache_key(KEY), "name", "person 0")
    cache.put(fingerprint, b"short")
    (result,), calls = _hash(KEY, 1, [("name", "person 0")], cache=cache)
    assert calls == 1
    assert result == keyed_hash(KEY, version=1, kind="name", canonical_form="person 0")


def test_the_cache_is_bounded_oldest_out() -> None:
    cache = MemoryCache(max_entries=3)
    for i in range(5):
        cache.put(bytes([i]) * 16, bytes(32))
    assert len(cache) == 3
    assert cache.get(bytes([0]) * 16) is None
    assert cache.get(bytes([4]) * 16) == bytes(32)
    assert (cache.hits, cache.misses) == (1, 1)
    with pytest.raises(InvalidParameters):
        MemoryCache(max_entries=0)


@given(st.sampled_from(["name", "email", "github"]), st.text(min_size=1, max_size=30))
def test_fingerprints_are_keyed_by_the_epoch_and_hold_nothing_of_the_identifier(
    kind: str, form: str
) -> None:
    one = cache_fingerprint(cache_key(KEY), kind, form)
    assert len(one) == 16
    assert one != cache_fingerprint(cache_key(OTHER_EPOCH), kind, form)
    assert one not in pepper(KEY.secret, kind, form)
    assert form.encode() not in one or len(form.encode()) < 4
    # The cache keeps Argon2 outputs only: never a pepper or an identifier.
    cache = MemoryCache()
    _hash(KEY, 1, [(kind, form)], cache=cache)
    ((stored_fp, stored_x),) = cache.items()
    assert stored_fp == one
    assert stored_x != pepper(KEY.secret, kind, form)
