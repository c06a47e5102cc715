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

from coc_hashscreen.core import (
    Argon2Params,
    EpochKey,
    canonical,
    key_check,
    keyed_hash,
    pepper,
    variants,
)
from coc_hashscreen.errors import InvalidIdentifier

VECTORS = Path(__file__).parent / "vectors"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    assert data["produced_by"].startswith("python tests/vectors/generate.py")
    return data


NORMALIZATION = _load("normalization-v1.json")
NORMALIZATION_V2 = _load("normalization-v2.json")
HASHING = _load("hashing-v1.json")


@pytest.mark.parametrize("case", NORMALIZATION["cases"], ids=lambda c: f"{c['kind']}")
def test_normalization_vector(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(InvalidIdentifier) as info:
            canonical(case["kind"], case["input"], profile="v1")
        assert info.value.rule == case["error"]
    else:
        assert canonical(case["kind"], case["input"], profile="v1") == case["canonical"]
        assert sorted(variants(case["kind"], case["input"], profile="v1")) == case["variants"]


@pytest.mark.parametrize("case", NORMALIZATION_V2["cases"], ids=lambda c: f"{c['kind']}")
def test_normalization_v2_vector(case: dict[str, Any]) -> None:
    # The canonical form is what organizers compute: frozen.  The variants
    # are the committee's and may grow, never lose one.
    if "error" in case:
        with pytest.raises(InvalidIdentifier) as info:
            canonical(case["kind"], case["input"], profile="v2")
        assert info.value.rule == case["error"]
    else:
        assert canonical(case["kind"], case["input"], profile="v2") == case["canonical"]
        found = variants(case["kind"], case["input"], profile="v2")
        assert set(case["variants_include"]) <= found


@pytest.mark.parametrize("data", [NORMALIZATION, NORMALIZATION_V2], ids=["v1", "v2"])
def test_normalization_vectors_cover_every_kind_and_refusals(data: dict[str, Any]) -> None:
    kinds = {c["kind"] for c in data["cases"]}
    assert kinds == {"name", "email", "github", "twitter", "mastodon"}
    assert any("error" in c for c in data["cases"])


@pytest.mark.parametrize(
    "case", HASHING["cases"], ids=lambda c: f"{c['kind']}-m{c['kdf']['memory_cost']}"
)
def test_hashing_vector(case: dict[str, Any]) -> None:
    key, salt = bytes.fromhex(HASHING["epoch_key"]), bytes.fromhex(HASHING["salt"])
    params = Argon2Params.from_dict(case["kdf"])
    result = keyed_hash(
        EpochKey(key, salt, params),
        version=case["version"],
        kind=case["kind"],
        canonical_form=case["canonical"],
    )
    assert pepper(key, case["kind"], case["canonical"]).hex() == case["pepper"]
    assert result.tag.hex() == case["tag"]
    assert result.payload_key.hex() == case["payload_key"]


@pytest.mark.parametrize("case", HASHING["key_checks"], ids=lambda c: str(c["epoch"]))
def test_key_check_vector(case: dict[str, Any]) -> None:
    key, salt = bytes.fromhex(HASHING["epoch_key"]), bytes.fromhex(HASHING["salt"])
    series = bytes.fromhex(case["series"])
    epoch_key = EpochKey(key, salt, Argon2Params(time_cost=1, memory_cost=8, parallelism=1))
    assert key_check(epoch_key, series=series, epoch=case["epoch"]).hex() == case["key_check"]


FORMATS = _load("formats-v1.json")


def _formats_inputs() -> dict[str, Any]:
    from .vectors.generate import formats

    return formats()


def test_deterministic_formats_rebuild_byte_for_byte() -> None:
    # The format-1 trust files and rotation statement frozen beside the list
    # are no longer made (ADR 0012): see test_trust_v2_vectors.
    assert _formats_inputs()["list"] == FORMATS["list"]


def test_frozen_formats_parse_to_the_expected_values() -> None:
    from coc_hashscreen.core import Status, Strength, Suite
    from coc_hashscreen.formats import EntryPayload, parse_grant, parse_list, parse_trust

    from .helpers import NOW, fixed_hpke_key

    trust1 = parse_trust(bytes.fromhex(FORMATS["trust_gen1"]), legacy=True)
    trust2 = parse_trust(bytes.fromhex(FORMATS["trust_gen2"]), legacy=True)
    assert (trust1.committee, trust1.generation, trust2.generation) == ("Vector Committee", 1, 2)
    assert trust1.series == trust2.series == trust1.signing_key_id
    trust1.check_successor(trust2)
    listed = parse_list(bytes.fromhex(FORMATS["list"]), trust1.trusted_keys())
    assert listed.header.issued_at == NOW
    assert listed.header.entry_count == 64
    epoch_key = bytes.fromhex(FORMATS["keys"]["epoch_key"])
    for entry in FORMATS["list_entries"]:
        hashed = keyed_hash(
            EpochKey(epoch_key, listed.header.salt, listed.header.kdf),
            version=listed.header.version,
            kind=entry["kind"], canonical_form=entry["canonical"],
        )  # fmt: skip
        expected = EntryPayload(
            Status(entry["status"]), Strength(entry["strength"]), entry["case_ref"]
        )
        assert listed.lookup(hashed) == expected
    for suite in Suite:
        grant = parse_grant(bytes.fromhex(FORMATS["grants"][suite.value]), trust1.trusted_keys())
        organizer = fixed_hpke_key(f"vector organizer {suite.value}", suite)
        assert grant.open(organizer) == epoch_key
        assert (grant.epoch, grant.organizer_name, grant.issued_at) == (1, "Vector Conf", NOW)


def test_key_file_vectors(tmp_path: Path) -> None:
    import os

    from coc_hashscreen.core import KeyPurpose
    from coc_hashscreen.formats import load_private_key, load_public_key, load_signing_key

    from .helpers import fixed_hpke_key, fixed_signing_key

    rebuilt = _formats_inputs()
    for name in ("signing_key_file", "organizer_key_file", "organizer_public_key_file"):
        assert rebuilt[name] == FORMATS[name]
        path = tmp_path / name
        path.write_text(FORMATS[name], encoding="utf-8")
        os.chmod(path, 0o600)
    signing = load_signing_key(tmp_path / "signing_key_file")
    assert signing.public_bytes == fixed_signing_key("vector committee gen1").public_bytes
    organizer = fixed_hpke_key("vector organizer x25519")
    loaded = load_private_key(tmp_path / "organizer_key_file", purpose=KeyPurpose.ORGANIZER)
    assert loaded.public_key == organizer.public_key
    assert load_public_key(tmp_path / "organizer_public_key_file").key == organizer.public_key


REPORTS = _load("reports-v1.json")


def test_report_vectors() -> None:
    from coc_hashscreen.formats import (
        open_sealed_report,
        parse_receipt,
        parse_trust,
        verify_receipt,
    )

    from .helpers import NOW, fixed_hpke_key
    from .vectors.generate import reports

    trust = parse_trust(bytes.fromhex(REPORTS["trust"]), legacy=True)
    sealed = bytes.fromhex(REPORTS["sealed_report"])
    opened = open_sealed_report(sealed, fixed_hpke_key("vector committee reports"))
    assert opened.to_dict() == REPORTS["report_json"]
    receipt = verify_receipt(bytes.fromhex(REPORTS["receipt"]), trust=trust, sealed=sealed)
    assert receipt.received_at == NOW
    assert receipt.report_id.startswith("R-")
    # The receipt is deterministic: the generator's receipt over its own
    # (new, randomized) sealed report must verify, and the frozen one must
    # equal a receipt rebuilt over the frozen sealed report.
    from coc_hashscreen.formats import sign_receipt

    from .helpers import fixed_signing_key

    rebuilt = sign_receipt(
        committee="Vector Committee", series=trust.series, sealed=sealed, received_at=NOW,
        signer=fixed_signing_key("vector committee gen1"),
    )  # fmt: skip
    assert rebuilt.hex() == REPORTS["receipt"]
    fresh = reports()
    parse_receipt(bytes.fromhex(fresh["receipt"]), trust.trusted_keys())
    assert fresh["report_json"] == REPORTS["report_json"]


def test_cache_file_vector() -> None:
    # The organizer's Argon2 cache file (ADR 0021): the fingerprint key, the
    # file key and the sealed bytes are frozen; the file opens to the
    # entries and holds neither identifier.
    from datetime import datetime

    from coc_hashscreen.core import KDF_PROFILES, cache_fingerprint, cache_key
    from coc_hashscreen.formats import CacheHeader, cache_file_key, open_cache, seal_cache

    from .helpers import fixed_hpke_key

    data = _load("cache-v1.json")
    key = EpochKey(
        bytes.fromhex(data["keys"]["epoch_key"]),
        bytes.fromhex(data["keys"]["salt"]),
        KDF_PROFILES["test-only"],
    )
    series = bytes.fromhex(data["series"])
    fingerprint_key = cache_key(key)
    assert fingerprint_key.hex() == data["fingerprint_key"]
    organizer = fixed_hpke_key("vector organizer x25519")
    file_key = cache_file_key(organizer, key, series=series, epoch=data["epoch"])
    assert file_key.hex() == data["file_key"]
    entries = [(bytes.fromhex(f), bytes.fromhex(x)) for f, x in data["entries"]]
    for (kind, form), (fingerprint, _) in zip(data["identifiers"], entries, strict=True):
        assert cache_fingerprint(fingerprint_key, kind, form) == fingerprint
    header = CacheHeader(series, data["epoch"], datetime.fromisoformat(data["expires"]))
    frozen = bytes.fromhex(data["file"])
    assert seal_cache(entries, header=header, key=file_key, nonce=bytes(12)) == frozen
    assert open_cache(frozen, key=file_key) == (header, entries)
    for _, form in data["identifiers"]:
        assert form.encode() not in frozen


ONLINE = _load("online-v2.json")


def _online_key() -> tuple[bytes, bytes]:
    """The online vectors' VOPRF key pair, derived by the independent implementation."""
    from coc_hashscreen.formats import oprf_key_info

    from .oprf_oracle import derive_key_pair

    info = oprf_key_info(bytes.fromhex(ONLINE["series"]), ONLINE["epoch"])
    return derive_key_pair(bytes.fromhex(ONLINE["seed"]), info)


@pytest.mark.parametrize("case", ONLINE["cases"], ids=lambda c: c["kind"])
def test_online_hashing_vector(case: dict[str, Any]) -> None:
    """The pepper is RFC 9497 Evaluate (checked by the libsodium oracle too), then as v1."""
    from coc_hashscreen.core import OprfEpochKey, oprf_input
    from coc_hashscreen.formats import ServiceSeed

    from .oprf_oracle import evaluate

    seed = ServiceSeed(
        bytes.fromhex(ONLINE["series"]), ONLINE["epoch"], bytes.fromhex(ONLINE["seed"])
    )
    oprf = seed.key()
    secret, public = _online_key()
    assert oprf.public_key.hex() == public.hex() == ONLINE["public_key"]
    assert oprf_input(case["kind"], case["canonical"]).hex() == case["input"]
    assert evaluate(secret, bytes.fromhex(case["input"])).hex() == case["pepper"]
    key = OprfEpochKey(
        oprf, bytes.fromhex(ONLINE["salt"]), Argon2Params.from_dict(ONLINE["kdf"]), bytes(32)
    )
    assert key.pepper(case["kind"], case["canonical"]).hex() == case["pepper"]
    result = keyed_hash(key, version=1, kind=case["kind"], canonical_form=case["canonical"])
    assert (result.tag.hex(), result.payload_key.hex()) == (case["tag"], case["payload_key"])


def test_online_formats_rebuild_and_open() -> None:
    """List format 2 rebuilds byte for byte; grant format 3 opens to the token; the seed
    file parses to the seed."""
    from coc_hashscreen.core import Suite
    from coc_hashscreen.formats import ServiceSeed, parse_grant, parse_list

    from .helpers import fixed_hpke_key, fixed_signing_key
    from .vectors.generate import online

    assert online()["list"] == ONLINE["list"]
    root = fixed_signing_key("vector committee gen1")
    trusted = {root.key_id: root.public_key}
    listed = parse_list(bytes.fromhex(ONLINE["list"]), trusted)
    header = listed.header
    assert header.format == 2
    assert header.online is not None
    assert header.key_check == b""
    assert header.online.public_key.hex() == ONLINE["public_key"]
    assert header.online.endpoint == ONLINE["endpoint"]
    for suite in Suite:
        grant = parse_grant(bytes.fromhex(ONLINE["grants"][suite.value]), trusted)
        organizer = fixed_hpke_key(f"vector organizer {suite.value}", suite)
        assert grant.format == 3
        assert grant.endpoint == ONLINE["endpoint"]
        assert grant.open_token(organizer).hex() == ONLINE["access_token"]
        assert grant.open_name(organizer) == ONLINE["names"][suite.value]
    seed = ServiceSeed.from_json(ONLINE["seed_file"].encode("ascii"))
    assert seed.seed.hex() == ONLINE["seed"]
    assert seed.epoch == ONLINE["epoch"]
