"""Trust format 2: frozen vectors, the refusal of format 1, expiry, key lifetimes (ADR 0012)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from coc_hashscreen.errors import (
    ExpiredError,
    FormatError,
    UnsupportedFormat,
    UntrustedSigner,
)
from coc_hashscreen.formats import (
    MAX_KEY_LIFETIME,
    MAX_TRUST_VALIDITY,
    RotationTerms,
    TrustContent,
    make_rotation,
    make_trust,
    parse_trust,
    sign_envelope,
    sign_rotation,
)
from coc_hashscreen.formats._wire import dump_json

from ..helpers import NOW, fixed_hpke_key, fixed_signing_key

VECTORS = Path(__file__).parents[1] / "vectors"
TRUST = json.loads((VECTORS / "trust-v2.json").read_text())
FORMATS_V1 = json.loads((VECTORS / "formats-v1.json").read_text())
ROOT = fixed_signing_key("root")
REPORT = fixed_hpke_key("report").public_key


def test_trust_v2_vectors_rebuild_byte_for_byte_and_parse() -> None:
    from ..vectors.generate import trust

    rebuilt = trust()
    for name in ("trust_gen1", "rotation_gen2", "trust_gen2", "rotation_gen3", "trust_gen3"):
        assert rebuilt[name] == TRUST[name], name
    gen1, gen2, gen3 = (parse_trust(bytes.fromhex(TRUST[f"trust_gen{n}"])) for n in (1, 2, 3))
    assert [t.generation for t in (gen1, gen2, gen3)] == [1, 2, 3]
    assert gen1.expires_at == NOW + timedelta(days=365)
    gen1.check_successor(gen3)
    # Generation 3's rotation declared generation 2's key compromised.
    assert gen3.compromised == (gen3.key_id_at(2),)
    assert gen3.to_dict()["compromised_generations"] == [2]
    assert gen3.report_key == fixed_hpke_key("vector committee reports gen3").public_key
    # Three generations, three fingerprints; the series alone never tells them apart.
    assert len({gen1.fingerprint, gen2.fingerprint, gen3.fingerprint}) == 3


def test_format_1_trust_files_are_refused_unless_legacy() -> None:
    for name in ("trust_gen1", "trust_gen2"):
        data = bytes.fromhex(FORMATS_V1[name])
        with pytest.raises(UnsupportedFormat, match="format 1, which never expires"):
            parse_trust(data)
        legacy = parse_trust(data, legacy=True)
        # Read as expiring when issued: nothing may use it, the committee renews it.
        assert legacy.expires_at == legacy.issued_at
        with pytest.raises(ExpiredError):
            legacy.check_validity(NOW + timedelta(days=1))


def test_trust_files_expire() -> None:
    trust = parse_trust(
        make_trust(TrustContent("C", ROOT.key_id, REPORT), signing_key=ROOT, now=NOW)
    )
    trust.check_validity(NOW + timedelta(days=364))
    with pytest.raises(ExpiredError, match="renew-trust"):
        trust.check_validity(NOW + timedelta(days=366))
    with pytest.raises(FormatError, match="at most 400 days"):
        make_trust(
            TrustContent("C", ROOT.key_id, REPORT),
            signing_key=ROOT,
            now=NOW,
            validity=MAX_TRUST_VALIDITY + timedelta(seconds=1),
        )


def test_renewing_keeps_the_fingerprint() -> None:
    content = TrustContent("C", ROOT.key_id, REPORT)
    first = parse_trust(make_trust(content, signing_key=ROOT, now=NOW))
    renewed = parse_trust(make_trust(content, signing_key=ROOT, now=NOW + timedelta(days=300)))
    assert first.raw != renewed.raw
    assert first.fingerprint == renewed.fingerprint
    other_report = parse_trust(
        make_trust(
            content.with_report_key(fixed_hpke_key("x").public_key), signing_key=ROOT, now=NOW
        )
    )
    assert other_report.fingerprint != first.fingerprint


def test_a_key_signs_its_chain_links_only_within_its_lifetime() -> None:
    gen2, gen3 = fixed_signing_key("gen2"), fixed_signing_key("gen3")
    lifetime = timedelta(days=100)
    rotation2 = sign_rotation(RotationTerms(ROOT.key_id, 2, gen2.public_bytes, NOW, lifetime), ROOT)
    content = TrustContent("C", ROOT.key_id, REPORT, (rotation2,))
    make_trust(content, signing_key=gen2, now=NOW + timedelta(days=99))
    # The trust file signed after gen2's lifetime ended is refused.
    with pytest.raises(UntrustedSigner, match="lifetime"):
        make_trust(content, signing_key=gen2, now=NOW + timedelta(days=101))
    # So is a rotation gen2 signs after its lifetime: a retired key that leaks
    # later cannot start a fork (unless it backdates into its own lifetime).
    late = make_rotation(
        series=ROOT.key_id, generation=3, old=gen2, new_public=gen3.public_bytes,
        now=NOW + timedelta(days=101),
    )  # fmt: skip
    with pytest.raises(UntrustedSigner, match="chain"):
        make_trust(
            TrustContent("C", ROOT.key_id, REPORT, (rotation2, late)),
            signing_key=gen3,
            now=NOW + timedelta(days=101),
        )
    with pytest.raises(ValueError, match="lifetime"):
        RotationTerms(ROOT.key_id, 2, gen2.public_bytes, NOW, MAX_KEY_LIFETIME + timedelta(days=1))


def test_rotation_fields_are_strict() -> None:
    gen2 = fixed_signing_key("gen2")
    base = {
        "format": 2, "series": ROOT.key_id.hex(), "generation": 2,
        "issued_at": 1000, "expires_at": 2000, "compromised": False,
    }  # fmt: skip

    def trust_with(document: dict[str, object]) -> bytes:
        rotation = sign_envelope(
            "key-rotation", ROOT.public_bytes + gen2.public_bytes + dump_json(document), ROOT
        )
        return make_trust(
            TrustContent("C", ROOT.key_id, REPORT, (rotation,)), signing_key=gen2, now=NOW
        )

    with pytest.raises(FormatError, match="true or false"):
        trust_with({**base, "compromised": 1})
    with pytest.raises(FormatError, match="at most"):
        trust_with({**base, "expires_at": 1000 + int(MAX_KEY_LIFETIME.total_seconds()) + 1})
    with pytest.raises(UnsupportedFormat, match="format 1"):
        trust_with({"format": 1, "series": ROOT.key_id.hex(), "generation": 2, "issued_at": 1})
