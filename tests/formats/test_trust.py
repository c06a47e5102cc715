"""Trust files, signing-key rotation statements, and following a rotation."""

from __future__ import annotations

import json

import pytest

from coc_hashscreen.core import SigningKey
from coc_hashscreen.errors import (
    FormatError,
    MismatchError,
    RollbackError,
    UntrustedSigner,
    VerificationError,
)
from coc_hashscreen.formats import (
    TrustContent,
    TrustFile,
    make_rotation,
    make_trust,
    open_envelope,
    parse_trust,
    sign_envelope,
)
from coc_hashscreen.formats._wire import b64
from coc_hashscreen.formats._wire import dump_json as dump

from ..helpers import NOW, fixed_hpke_key, fixed_signing_key

ROOT = fixed_signing_key("root")
REPORT = fixed_hpke_key("report").public_key


def _chain(length: int) -> tuple[list[SigningKey], list[bytes]]:
    """Keys of generations 1..length and the trust file of each generation."""
    keys = [ROOT]
    files = [make_trust(TrustContent("C", ROOT.key_id, REPORT), signing_key=ROOT, now=NOW)]
    rotations: tuple[bytes, ...] = ()
    for generation in range(2, length + 1):
        new = fixed_signing_key(f"gen{generation}")
        rotations = (
            *rotations,
            make_rotation(
                series=ROOT.key_id, generation=generation, old=keys[-1],
                new_public=new.public_bytes, now=NOW,
            ),
        )  # fmt: skip
        keys.append(new)
        files.append(
            make_trust(TrustContent("C", ROOT.key_id, REPORT, rotations), signing_key=new, now=NOW)
        )
    return keys, files


def test_round_trip() -> None:
    trust = parse_trust(_chain(1)[1][0])
    assert isinstance(trust, TrustFile)
    assert trust.committee == "C"
    assert trust.series == ROOT.key_id == trust.signing_key_id
    assert trust.generation == 1
    assert trust.report_key == REPORT
    assert trust.issued_at == NOW
    assert set(trust.trusted_keys()) == {ROOT.key_id}


def test_chain_leads_back_to_the_series() -> None:
    keys, files = _chain(4)
    latest = parse_trust(files[-1])
    assert latest.generation == 4
    assert latest.series == ROOT.key_id
    assert set(latest.trusted_keys()) == {keys[-1].key_id}
    # Every older pin accepts the newest file.
    for older in files:
        parse_trust(older).check_successor(latest)


def test_only_the_current_key_is_trusted() -> None:
    keys, files = _chain(2)
    latest = parse_trust(files[-1])
    list_signed_by_old_key = sign_envelope("list", b"x", keys[0])
    with pytest.raises(UntrustedSigner):
        open_envelope(list_signed_by_old_key, "list", latest.trusted_keys())


def test_rollback_and_fork_and_other_series() -> None:
    _, files = _chain(3)
    gen1, gen2, gen3 = (parse_trust(f) for f in files)
    with pytest.raises(RollbackError, match="older than"):
        gen3.check_successor(gen2)
    gen3.check_successor(gen3)
    # A compromised generation-1 key signs a second rotation to the attacker.
    attacker = fixed_signing_key("attacker")
    forked = make_trust(
        TrustContent(
            "C",
            ROOT.key_id,
            REPORT,
            (
                make_rotation(
                    series=ROOT.key_id,
                    generation=2,
                    old=ROOT,
                    new_public=attacker.public_bytes,
                    now=NOW,
                ),
            ),
        ),
        signing_key=attacker,
        now=NOW,
    )
    with pytest.raises(UntrustedSigner, match="compromised"):
        gen2.check_successor(parse_trust(forked))
    other = parse_trust(
        make_trust(TrustContent("D", attacker.key_id, REPORT), signing_key=attacker, now=NOW)
    )
    with pytest.raises(MismatchError, match="another committee"):
        gen1.check_successor(other)


def test_broken_chains_are_refused() -> None:
    keys, _files = _chain(2)
    stranger = fixed_signing_key("stranger")
    # A rotation signed by a key that is not the series' first key.
    bad_rotation = make_rotation(
        series=ROOT.key_id, generation=2, old=stranger, new_public=keys[1].public_bytes, now=NOW
    )
    with pytest.raises(UntrustedSigner, match="chain"):
        make_trust(
            TrustContent("C", ROOT.key_id, REPORT, (bad_rotation,)), signing_key=keys[1], now=NOW
        )
    # A generation-2 file without its rotation statement.
    # make_trust counts the generation from the chain, so this one is made by hand.
    document = {
        "format": 2,
        "committee": "C",
        "series": ROOT.key_id.hex(),
        "generation": 2,
        "report_key": {"algorithm": "x25519", "public": REPORT.raw.hex()},
        "issued_at": 1,
        "expires_at": 2,
        "rotations": [],
    }
    with pytest.raises(FormatError, match="rotation chain"):
        parse_trust(sign_envelope("trust", keys[1].public_bytes + dump(document), keys[1]))
    # A generation-1 file whose key is not the series.
    with pytest.raises(UntrustedSigner):
        make_trust(TrustContent("C", ROOT.key_id, REPORT), signing_key=stranger, now=NOW)


def test_trust_payload_fields_are_strict() -> None:
    document = {
        "format": 2,
        "committee": "C",
        "series": ROOT.key_id.hex(),
        "generation": 1,
        "report_key": {"algorithm": "x25519", "public": REPORT.raw.hex()},
        "issued_at": 1,
        "expires_at": 2,
        "rotations": [],
        "extra": True,
    }
    data = sign_envelope("trust", ROOT.public_bytes + dump(document), ROOT)
    with pytest.raises(FormatError, match="unknown field"):
        parse_trust(data)
    del document["extra"]
    document["rotations"] = [b64(b"not an envelope")]
    data = sign_envelope("trust", ROOT.public_bytes + dump(document), ROOT)
    with pytest.raises(FormatError):
        parse_trust(data)


def test_any_flipped_byte_is_refused() -> None:
    _, files = _chain(2)
    data = files[-1]
    for position in range(len(data)):
        tampered = bytearray(data)
        tampered[position] ^= 0x01
        with pytest.raises((FormatError, VerificationError, UntrustedSigner)):
            parse_trust(bytes(tampered))


def test_a_fork_running_ahead_of_the_pin_is_refused() -> None:
    # The committee rotated gen1 -> gen2 because gen1 was stolen; the thief
    # signs gen1 -> A2 -> A3 and offers generation 3 to an organizer that
    # pinned generation 2.
    keys, files = _chain(2)
    pinned = parse_trust(files[1])
    stolen = keys[0]
    a2, a3 = fixed_signing_key("thief 2"), fixed_signing_key("thief 3")
    rotations = (
        make_rotation(series=ROOT.key_id, generation=2, old=stolen, new_public=a2.public_bytes,
                      now=NOW),
        make_rotation(series=ROOT.key_id, generation=3, old=a2, new_public=a3.public_bytes,
                      now=NOW),
    )  # fmt: skip
    forged = parse_trust(
        make_trust(TrustContent("C", ROOT.key_id, REPORT, rotations), signing_key=a3, now=NOW)
    )
    assert forged.key_id_at(1) == ROOT.key_id  # the chain itself verifies
    with pytest.raises(UntrustedSigner, match="does not pass through the key you pinned"):
        pinned.check_successor(forged)
    # An honest successor passes through the pinned key.
    keys3, files3 = _chain(3)
    pinned.check_successor(parse_trust(files3[2]))
    assert parse_trust(files3[2]).key_id_at(2) == keys3[1].key_id


@pytest.mark.parametrize(
    "committee",
    # A lone surrogate is refused before any field is read (tests/formats/test_surrogates.py).
    ["", "   ", "x" * 201, "Evil\x1b[2J Committee", "bad\nline", "Real\u202eeettimmoC"],
)
def test_a_committee_name_unfit_to_print_is_refused(committee: str) -> None:
    document = {
        "format": 2, "committee": committee, "series": ROOT.key_id.hex(), "generation": 1,
        "report_key": {"algorithm": "x25519", "public": REPORT.raw.hex()},
        "issued_at": 1, "expires_at": 2, "rotations": [],
    }  # fmt: skip
    payload = ROOT.public_bytes + json.dumps(document).encode()  # escapes the lone surrogate
    with pytest.raises(
        FormatError, match="'committee' must be a name of 1 to 200 characters, without control"
    ):
        parse_trust(sign_envelope("trust", payload, ROOT))
