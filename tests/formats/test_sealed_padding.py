"""Sealed reports, version 2 (issue 11, finding 10): the length tells a size bucket only."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coc_hashscreen.core import Identifier
from coc_hashscreen.errors import FormatError, UnsupportedFormat
from coc_hashscreen.formats import (
    Attachment,
    Person,
    TrustContent,
    TrustFile,
    make_trust,
    open_sealed_report,
    padded_length,
    parse_trust,
    seal_report,
)
from coc_hashscreen.formats._sealed import MAX_PLAINTEXT, PAD_FLOOR

from ..helpers import NOW, PNG, fixed_hpke_key, fixed_signing_key, sample_report

VECTORS = Path(__file__).parents[1] / "vectors"
KEY = fixed_hpke_key("vector committee reports")


def _trust() -> TrustFile:
    committee = fixed_signing_key("vector committee gen1")
    return parse_trust(
        make_trust(
            TrustContent("Vector Committee", committee.key_id, KEY.public_key),
            signing_key=committee,
            now=NOW,
        )
    )


def _people(n: int) -> tuple[Person, ...]:
    return tuple(
        Person("witness", f"Witness Number {i}", (Identifier("email", f"w{i}@example.org"),))
        for i in range(n)
    )


def test_one_and_five_people_with_different_attachments_seal_to_one_length() -> None:
    trust = _trust()
    small = sample_report(people=_people(1), attachments=(Attachment("a.png", PNG),))
    large = sample_report(
        people=_people(5),
        attachments=(
            Attachment("a.png", PNG + bytes(3000)),
            Attachment("b.txt", b"a message copy\n" * 200),
        ),
    )
    assert len(small.to_plaintext()) != len(large.to_plaintext())
    sealed = [seal_report(r, trust=trust) for r in (small, large)]
    assert len(sealed[0]) == len(sealed[1])
    assert [len(open_sealed_report(s, KEY).people) for s in sealed] == [1, 5]


@given(st.integers(min_value=0, max_value=MAX_PLAINTEXT))
def test_buckets_are_powers_of_two_above_the_floor(length: int) -> None:
    bucket = padded_length(length)
    assert length <= bucket <= MAX_PLAINTEXT
    assert bucket == MAX_PLAINTEXT or (bucket >= PAD_FLOOR and bucket & (bucket - 1) == 0)
    # At most 12 lengths are possible: 64 KiB, 128 KiB, ..., 64 MiB, the maximum.
    assert bucket in {PAD_FLOOR << n for n in range(11)} | {MAX_PLAINTEXT}


def test_padding_is_zeros_and_only_in_version_2() -> None:
    report = sample_report()
    plaintext = report.to_plaintext()
    from coc_hashscreen.formats import IncidentReport

    padded = plaintext + bytes(100)
    assert IncidentReport.from_plaintext(padded, padded=True).to_dict() == report.to_dict()
    with pytest.raises(FormatError, match="bytes after its last attachment"):
        IncidentReport.from_plaintext(padded)  # version 1 has no padding
    with pytest.raises(FormatError, match="bytes after its last attachment"):
        IncidentReport.from_plaintext(plaintext + b"\x00hidden", padded=True)


def test_the_frozen_version_2_vector_opens() -> None:
    vector = json.loads((VECTORS / "sealed-report-v2.json").read_text(encoding="utf-8"))
    sealed = bytes.fromhex(vector["sealed_report"])
    assert sealed[7] == 2
    opened = open_sealed_report(sealed, KEY)
    assert opened.to_dict() == vector["report_json"]
    overhead = len(sealed) - vector["padded_length"]
    assert overhead == 22 + 1 + len("x25519") + 32 + 8 + 32 + 16  # header, KEM, AEAD tag
    assert padded_length(vector["plaintext_length"]) == vector["padded_length"]


def test_version_1_is_still_opened_and_others_are_refused() -> None:
    # Reports sealed by older releases are evidence (ADR 0013).
    vector = json.loads((VECTORS / "reports-v1.json").read_text(encoding="utf-8"))
    sealed = bytes.fromhex(vector["sealed_report"])
    assert sealed[7] == 1
    assert open_sealed_report(sealed, KEY).to_dict() == vector["report_json"]
    # A new seal is version 2.
    assert seal_report(sample_report(), trust=_trust())[7] == 2
    with pytest.raises(UnsupportedFormat, match="version 3"):
        open_sealed_report(sealed[:7] + b"\x03" + sealed[8:], KEY)


def test_the_version_byte_is_bound_to_the_ciphertext() -> None:
    # Relabelling a padded report as version 1 (or back) fails to open.
    from coc_hashscreen.errors import VerificationError

    sealed = seal_report(sample_report(), trust=_trust())
    with pytest.raises(VerificationError):
        open_sealed_report(sealed[:7] + b"\x01" + sealed[8:], KEY)
    assert struct.unpack(">Q", sealed[61:69])[0] == len(sealed) - 69
