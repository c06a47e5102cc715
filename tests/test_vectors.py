"""Frozen known-answer vectors: outputs that committee and organizers share.

How each file was produced is recorded in the file ("produced_by") and in
tests/vectors/generate.py.  A failure here means the code changed an output
that is part of a released profile or format: that is a breaking change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from coc_hashscreen import Argon2Params, InvalidIdentifier, canonical, keyed_hash, variants
from coc_hashscreen._hashing import key_check, pepper

VECTORS = Path(__file__).parent / "vectors"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    assert data["produced_by"].startswith("python tests/vectors/generate.py")
    return data


NORMALIZATION = _load("normalization-v1.json")
HASHING = _load("hashing-v1.json")


@pytest.mark.parametrize("case", NORMALIZATION["cases"], ids=lambda c: f"{c['kind']}")
def test_normalization_vector(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(InvalidIdentifier) as info:
            canonical(case["kind"], case["input"])
        assert info.value.rule == case["error"]
    else:
        assert canonical(case["kind"], case["input"]) == case["canonical"]
        assert sorted(variants(case["kind"], case["input"])) == case["variants"]


def test_normalization_vectors_cover_every_kind_and_refusals() -> None:
    kinds = {c["kind"] for c in NORMALIZATION["cases"]}
    assert kinds == {"name", "email", "github", "twitter", "mastodon"}
    assert any("error" in c for c in NORMALIZATION["cases"])


@pytest.mark.parametrize(
    "case", HASHING["cases"], ids=lambda c: f"{c['kind']}-m{c['kdf']['memory_cost']}"
)
def test_hashing_vector(case: dict[str, Any]) -> None:
    key, salt = bytes.fromhex(HASHING["epoch_key"]), bytes.fromhex(HASHING["salt"])
    params = Argon2Params.from_dict(case["kdf"])
    result = keyed_hash(
        epoch_key=key, salt=salt, params=params, kind=case["kind"], canonical_form=case["canonical"]
    )
    assert pepper(key, case["kind"], case["canonical"]).hex() == case["pepper"]
    assert result.tag.hex() == case["tag"]
    assert result.payload_key.hex() == case["payload_key"]


@pytest.mark.parametrize("case", HASHING["key_checks"], ids=lambda c: str(c["epoch"]))
def test_key_check_vector(case: dict[str, Any]) -> None:
    key, salt = bytes.fromhex(HASHING["epoch_key"]), bytes.fromhex(HASHING["salt"])
    series = bytes.fromhex(case["series"])
    assert key_check(key, series=series, epoch=case["epoch"], salt=salt).hex() == case["key_check"]
