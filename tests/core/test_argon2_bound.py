"""Argon2 cost is bounded as time_cost x memory_cost, the work of one call."""

from __future__ import annotations

import pytest

from coc_hashscreen.core import KDF_PROFILES, Argon2Params
from coc_hashscreen.core._hashing import MAX_COST
from coc_hashscreen.errors import FormatError, InvalidParameters


def test_the_bound_is_256_mib_passes_and_every_profile_is_within_it() -> None:
    assert MAX_COST == 256 * 1024
    for params in KDF_PROFILES.values():
        assert params.time_cost * params.memory_cost <= MAX_COST
        assert Argon2Params.from_dict(params.to_dict()) == params


@pytest.mark.parametrize(("t", "m"), [(1, MAX_COST), (4, MAX_COST // 4), (8, MAX_COST // 8)])
def test_at_the_bound_is_accepted(t: int, m: int) -> None:
    params = Argon2Params(time_cost=t, memory_cost=m, parallelism=1)
    assert Argon2Params.from_dict(params.to_dict()) == params


@pytest.mark.parametrize(
    ("t", "m"),
    [
        (4, MAX_COST // 4 + 1),  # one KiB over
        (5, MAX_COST // 4),  # one pass over
        (10, 1024 * 1024),  # each factor within its old bound: 12-19 s a call
        (10, 64 * 1024),
        (2, MAX_COST),
    ],
)
def test_over_the_bound_is_refused(t: int, m: int) -> None:
    with pytest.raises(InvalidParameters, match=r"time_cost x memory_cost|memory_cost"):
        Argon2Params(time_cost=t, memory_cost=m, parallelism=1)
    data = {**KDF_PROFILES["default"].to_dict(), "time_cost": t, "memory_cost": m}
    # Read from a file, the same refusal, before any hashing.
    with pytest.raises(FormatError, match="this release refuses that"):
        Argon2Params.from_dict(data)


def test_a_list_asking_for_ten_passes_over_64_mib_is_refused_before_hashing() -> None:
    from coc_hashscreen.formats import parse_list

    from ..formats.test_listfile import TRUSTED, _entries, _header, _signed_with_header

    document = {
        **_header().to_dict(),
        "kdf": {**KDF_PROFILES["default"].to_dict(), "time_cost": 10, "memory_cost": 2**16},
    }
    with pytest.raises(FormatError, match="time_cost x memory_cost"):
        parse_list(_signed_with_header(document, _entries(64)), TRUSTED)
