"""Keyed hashing: parameters, the construction, and the batch hasher."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest
from argon2.low_level import Type, hash_secret_raw
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import (
    KDF_PROFILES,
    Argon2Params,
    EpochKey,
    HashingOptions,
    KeyedHasher,
    key_check,
    keyed_hash,
    pepper,
)
from coc_hashscreen.errors import FormatError, InvalidParameters, UnknownKind

from ..helpers import CountingArgon2

KEY = bytes(range(32))
SALT = bytes(range(100, 116))
CHEAP = KDF_PROFILES["test-only"]
EPOCH = EpochKey(KEY, SALT, CHEAP)


# ---------------------------------------------------------------------------
# parameters


@pytest.mark.parametrize(
    ("t", "m", "p", "what"),
    [
        (0, 1024, 1, "time_cost"),
        (10_000, 1024, 1, "time_cost"),
        (1, 4 * 1024 * 1024, 1, "memory_cost"),  # 4 GiB
        (1, 7, 1, "memory_cost"),
        (1, 31, 4, "memory_cost"),  # below 8 KiB per lane
        (1, 1024, 0, "parallelism"),
        (1, 1024, 17, "parallelism"),
    ],
)
def test_params_out_of_bounds(t: int, m: int, p: int, what: str) -> None:
    with pytest.raises(InvalidParameters, match=what):
        Argon2Params(time_cost=t, memory_cost=m, parallelism=p)


def test_params_must_be_int_not_bool_or_float() -> None:
    with pytest.raises(InvalidParameters, match="integer"):
        Argon2Params(time_cost=True, memory_cost=1024, parallelism=1)
    with pytest.raises(InvalidParameters, match="integer"):
        Argon2Params(time_cost=1, memory_cost=1024.0, parallelism=1)  # type: ignore[arg-type]


def test_profiles() -> None:
    assert set(KDF_PROFILES) == {"default", "strong", "test-only"}
    # OWASP: m=19 MiB, t=2, p=1; RFC 9106 second option: t=3, m=64 MiB, p=4.
    assert KDF_PROFILES["default"] == Argon2Params(time_cost=2, memory_cost=19456, parallelism=1)
    assert KDF_PROFILES["strong"] == Argon2Params(time_cost=3, memory_cost=65536, parallelism=4)


def test_params_dict_round_trip() -> None:
    for params in KDF_PROFILES.values():
        assert Argon2Params.from_dict(params.to_dict()) == params


@pytest.mark.parametrize(
    "change",
    [
        {"algorithm": "argon2i"},
        {"version": 16},
        {"time_cost": "2"},
        {"memory_cost": 19456.0},
        {"parallelism": True},
        {"extra": 1},
    ],
)
def test_params_from_dict_is_strict(change: dict[str, object]) -> None:
    data: dict[str, object] = {**KDF_PROFILES["default"].to_dict(), **change}
    with pytest.raises(FormatError):
        Argon2Params.from_dict(data)


def test_params_from_dict_checks_bounds() -> None:
    data: dict[str, object] = {**KDF_PROFILES["default"].to_dict(), "memory_cost": 4 * 2**20}
    with pytest.raises(FormatError, match="memory_cost"):
        Argon2Params.from_dict(data)
    data = {**KDF_PROFILES["default"].to_dict(), "time_cost": 10_000}
    with pytest.raises(FormatError, match="time_cost"):
        Argon2Params.from_dict(data)


# ---------------------------------------------------------------------------
# the construction, checked against an independent implementation


def _hkdf_rfc5869(ikm: bytes, info: bytes, length: int) -> bytes:
    prk = hmac.digest(b"\x00" * 32, ikm, "sha256")
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.digest(prk, block + info + bytes([counter]), "sha256")
        out += block
        counter += 1
    return out[:length]


@pytest.mark.parametrize("profile", ["test-only", "default"])
def test_construction_matches_the_design(profile: str) -> None:
    params = KDF_PROFILES[profile]
    message = b"coc-hashscreen/v1\x00email\x00jane@example.com"
    expected_pepper = hmac.new(KEY, message, hashlib.sha256).digest()
    x = hash_secret_raw(
        expected_pepper,
        SALT,
        params.time_cost,
        params.memory_cost,
        params.parallelism,
        32,
        Type.ID,
        19,
    )
    result = keyed_hash(
        EpochKey(KEY, SALT, params), version=3, kind="email", canonical_form="jane@example.com"
    )
    assert pepper(KEY, "email", "jane@example.com") == expected_pepper
    assert result.tag == _hkdf_rfc5869(x, b"tag" + (3).to_bytes(8, "big"), 16)
    assert result.payload_key == _hkdf_rfc5869(x, b"payload", 32)


def _tag(**overrides: object) -> bytes:
    args: dict[str, object] = {
        "epoch_key": KEY,
        "salt": SALT,
        "params": CHEAP,
        "kind": "github",
        "canonical_form": "octocat",
        "version": 1,
    }
    args.update(overrides)
    key = EpochKey(args.pop("epoch_key"), args.pop("salt"), args.pop("params"))  # type: ignore[arg-type]
    return keyed_hash(key, **args).tag  # type: ignore[arg-type]


def test_every_input_changes_the_tag() -> None:
    base = _tag()
    assert _tag() == base
    assert _tag(kind="twitter") != base  # kinds are domain-separated
    assert _tag(canonical_form="octocats") != base
    assert _tag(epoch_key=bytes(32)) != base
    assert _tag(salt=bytes(16)) != base
    assert _tag(params=Argon2Params(time_cost=2, memory_cost=8, parallelism=1)) != base
    assert _tag(version=2) != base  # two lists of one epoch share no tag


def test_domain_separation_is_unambiguous() -> None:
    # A NUL separator keeps ("name", "a\x00b") from colliding with other splits.
    assert pepper(KEY, "name", "ab") != pepper(KEY, "nam", "eab")


def test_the_payload_key_does_not_depend_on_the_version() -> None:
    first = keyed_hash(EPOCH, version=1, kind="name", canonical_form="a b")
    second = keyed_hash(EPOCH, version=2, kind="name", canonical_form="a b")
    assert first.payload_key == second.payload_key
    assert first.tag != second.tag
    with pytest.raises(InvalidParameters, match="version"):
        keyed_hash(EPOCH, version=0, kind="name", canonical_form="a b")


def test_key_material_sizes() -> None:
    with pytest.raises(InvalidParameters, match="32 bytes"):
        _tag(epoch_key=bytes(31))
    with pytest.raises(InvalidParameters, match="16 bytes"):
        _tag(salt=bytes(15))
    with pytest.raises(UnknownKind):
        _tag(kind="phone")


def test_key_check_binds_key_series_epoch_and_salt() -> None:
    series = bytes(32)
    base = key_check(EPOCH, series=series, epoch=1)
    assert len(base) == 32
    assert key_check(EpochKey(bytes(32), SALT, CHEAP), series=series, epoch=1) != base
    assert key_check(EPOCH, series=b"\x01" * 32, epoch=1) != base
    assert key_check(EPOCH, series=series, epoch=2) != base
    assert key_check(EpochKey(KEY, bytes(16), CHEAP), series=series, epoch=1) != base


def test_reprs_hide_secrets() -> None:
    result = keyed_hash(EPOCH, version=1, kind="name", canonical_form="jane doe")
    assert result.payload_key.hex() not in repr(result)
    assert repr(result.payload_key) not in repr(result)
    with KeyedHasher(EPOCH, version=1) as hasher:
        assert repr(KEY) not in repr(hasher)
        assert KEY.hex() not in repr(hasher)
    assert repr(KEY) not in repr(EPOCH)
    assert KEY.hex() not in repr(EPOCH)


# ---------------------------------------------------------------------------
# the batch hasher

pairs = st.lists(
    st.tuples(st.sampled_from(["name", "email", "github"]), st.text(min_size=1, max_size=8)),
    max_size=30,
)


@given(pairs, st.integers(min_value=1, max_value=4))
def test_batch_equals_single(items: list[tuple[str, str]], workers: int) -> None:
    with KeyedHasher(EPOCH, version=1, options=HashingOptions(workers=workers)) as hasher:
        batch = hasher.hash_many(items)
    single = [keyed_hash(EPOCH, version=1, kind=k, canonical_form=c) for k, c in items]
    assert batch == single


def test_batch_deduplicates_and_reports_progress() -> None:
    counter = CountingArgon2()
    items = [("name", "a b"), ("email", "a@b.co"), ("name", "a b"), ("name", "c d")] * 5
    seen: list[tuple[int, int]] = []
    options = HashingOptions(workers=2, argon2=counter)
    with KeyedHasher(EPOCH, version=1, options=options) as hasher:
        results = hasher.hash_many(items, progress=lambda done, total: seen.append((done, total)))
    assert counter.calls == 3
    assert len(results) == len(items)
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_memory_budget_bounds_workers() -> None:
    params = Argon2Params(time_cost=1, memory_cost=1024, parallelism=1)  # 1 MiB
    key = EpochKey(KEY, SALT, params)
    options = HashingOptions(workers=8, memory_budget=3 * 2**20)
    with KeyedHasher(key, version=1, options=options) as hasher:
        assert hasher.workers == 3
    with pytest.raises(InvalidParameters, match="raise the memory budget"):
        KeyedHasher(key, version=1, options=HashingOptions(memory_budget=2**20 - 1))
    with pytest.raises(InvalidParameters, match="at least 1"):
        KeyedHasher(key, version=1, options=HashingOptions(workers=0))


def test_imap_keeps_a_bounded_window() -> None:
    consumed = 0

    def stream() -> Iterator[tuple[str, str]]:
        nonlocal consumed
        for i in range(100):
            consumed += 1
            yield ("name", f"person {i}")

    with KeyedHasher(EPOCH, version=1, options=HashingOptions(workers=2)) as hasher:
        for produced, (item, _) in enumerate(hasher.imap(stream(), window=5), start=1):
            assert item == ("name", f"person {produced - 1}")
            # Never more than the window read ahead of what was handed out.
            assert consumed - produced <= 5
        assert produced == 100
