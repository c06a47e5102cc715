"""The online hasher's requests: full, padded to a power of two, in order, never lost."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coc_hashscreen.core import (
    KDF_PROFILES,
    MAX_OPRF_BATCH,
    KeyedHasher,
    OprfEpochKey,
    OprfKey,
    RemoteEpochKey,
    oprf_input,
    padded_total,
)
from coc_hashscreen.errors import InvalidParameters, ServiceRefused

OPRF = OprfKey.derive(bytes(32), info=b"requests test")
SALT = bytes(16)
CHEAP = KDF_PROFILES["test-only"]


class Evaluator:
    """Evaluates directly (no blinding: the hasher's contract is outputs for inputs)."""

    def __init__(self, quota: int | None = None) -> None:
        self.sizes: list[int] = []
        self.inputs: list[bytes] = []
        self.quota = quota

    def evaluate(self, inputs: Sequence[bytes]) -> list[bytes]:
        used = sum(self.sizes)
        if self.quota is not None and used + len(inputs) > self.quota:
            raise ServiceRefused("quota-spent", "spent", remaining=self.quota - used)
        assert 1 <= len(inputs) <= MAX_OPRF_BATCH
        self.sizes.append(len(inputs))
        self.inputs += inputs
        return [OPRF.evaluate(data) for data in inputs]


def _items(count: int, tag: str = "") -> list[tuple[str, str]]:
    return [("email", f"p{tag}{i}@example.org") for i in range(count)]


def _direct(items: list[tuple[str, str]]) -> list[bytes]:
    key = OprfEpochKey(OPRF, SALT, CHEAP, bytes(32))
    with KeyedHasher(key, version=1) as hasher:
        return [h.tag for h in hasher.hash_many(items)]


@settings(max_examples=15)
@given(st.lists(st.integers(min_value=1, max_value=700), min_size=1, max_size=5))
def test_requests_are_full_and_the_run_is_a_power_of_two(tasks: list[int]) -> None:
    evaluator = Evaluator()
    key = RemoteEpochKey(evaluator, SALT, CHEAP, bytes(32))
    items = _items(sum(tasks))
    futures = []
    with KeyedHasher(key, version=1) as hasher:
        start = 0
        for size in tasks:
            futures.append(hasher.submit_many(items[start : start + size]))
            start += size
        hasher.flush()
        tags = [h.tag for future in futures for h in future.result()]
        assert hasher.evaluations == sum(evaluator.sizes)
    total = sum(evaluator.sizes)
    assert total == padded_total(len(items))
    if total < MAX_OPRF_BATCH:
        assert evaluator.sizes == [total]
    else:
        assert set(evaluator.sizes) == {MAX_OPRF_BATCH}
    # Real identifiers first, in order; then padding.
    assert evaluator.inputs[: len(items)] == [oprf_input(*item) for item in items]
    assert tags == _direct(items)


def test_padding_shrinks_to_the_quota_left() -> None:
    evaluator = Evaluator(quota=1100)
    key = RemoteEpochKey(evaluator, SALT, CHEAP, bytes(32))
    with KeyedHasher(key, version=1) as hasher:
        future = hasher.submit_many(_items(1030))
        hasher.flush()
        assert len(future.result()) == 1030
    # 1,030 would pad to 2,048; the quota holds 1,100.
    assert sum(evaluator.sizes) == 1100


def test_a_quota_too_small_for_the_real_identifiers_is_refused() -> None:
    evaluator = Evaluator(quota=10)
    key = RemoteEpochKey(evaluator, SALT, CHEAP, bytes(32))
    with KeyedHasher(key, version=1) as hasher:
        hasher.submit_many(_items(12))
        with pytest.raises(ServiceRefused, match="spent"):
            hasher.flush()


def test_padding_alone_refused_loses_nothing() -> None:
    """2,049 real go out in three requests; the last padding request, to 4,096, is refused
    for want of quota: every result stands."""
    evaluator = Evaluator(quota=3072)
    key = RemoteEpochKey(evaluator, SALT, CHEAP, bytes(32))
    items = _items(2049)
    with KeyedHasher(key, version=1) as hasher:
        future = hasher.submit_many(items)
        hasher.flush()
        assert [h.tag for h in future.result()] == _direct(items)
    assert evaluator.sizes == [1024, 1024, 1024]


def test_an_online_hasher_refuses_single_submissions() -> None:
    key = RemoteEpochKey(Evaluator(), SALT, CHEAP, bytes(32))
    with KeyedHasher(key, version=1) as hasher:
        with pytest.raises(InvalidParameters):
            hasher.submit("email", "a@example.org")
        with pytest.raises(InvalidParameters):
            hasher.hash_many([("email", "a@example.org")])


def test_an_empty_run_sends_nothing() -> None:
    evaluator = Evaluator()
    with KeyedHasher(RemoteEpochKey(evaluator, SALT, CHEAP, os.urandom(32)), version=1) as h:
        h.flush()
    assert evaluator.sizes == []
