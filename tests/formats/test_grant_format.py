"""Grant format 2: the organizer's name sealed with the epoch key; format 1 still read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coc_hashscreen.core import MAX_NAME, HpkePrivateKey, Suite, is_fit_name
from coc_hashscreen.errors import FormatError, UnsupportedFormat
from coc_hashscreen.formats import (
    GrantTerms,
    dump_json,
    grant_info,
    issue_grant,
    open_envelope,
    parse_grant,
    sign_envelope,
)

from ..helpers import NOW, fixed_hpke_key, fixed_signing_key

VECTORS = Path(__file__).parents[1] / "vectors"
COMMITTEE = fixed_signing_key("vector committee gen1")
TRUSTED = {COMMITTEE.key_id: COMMITTEE.public_key}
EPOCH_KEY = bytes(range(32))
ORGANIZER = fixed_hpke_key("grant format organizer")


def _vectors(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    return data


def _issue(name: str, organizer: HpkePrivateKey = ORGANIZER) -> bytes:
    terms = GrantTerms(COMMITTEE.key_id, 1, name, NOW, NOW.replace(month=4))
    return issue_grant(terms, epoch_key=EPOCH_KEY, organizer=organizer.public_key, signer=COMMITTEE)


def _document(data: bytes) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(open_envelope(data, "grant", TRUSTED).payload)
    return payload


def _signed(document: dict[str, Any]) -> bytes:
    return sign_envelope("grant", dump_json(document), COMMITTEE)


@pytest.mark.parametrize("suite", list(Suite))
def test_frozen_grant_v2_vectors(suite: Suite) -> None:
    vectors = _vectors("grants-v2.json")
    data = bytes.fromhex(vectors["grants"][suite.value])
    name = vectors["names"][suite.value]
    grant = parse_grant(data, TRUSTED)
    organizer = fixed_hpke_key(f"vector organizer {suite.value}", suite)
    assert (grant.format, grant.organizer_name, grant.suite) == (2, None, suite)
    assert grant.open(organizer) == bytes.fromhex(vectors["keys"]["epoch_key"])
    assert grant.open_name(organizer) == name
    # The name is in no field and nowhere in the file's bytes.
    assert "organizer_name" not in _document(data)
    assert name.encode() not in data
    assert name not in json.dumps(grant.to_dict(), ensure_ascii=False)


def test_frozen_grant_v1_is_still_read() -> None:
    """Grants issued before format 2 keep working until they expire (ADR 0014)."""
    vectors = _vectors("formats-v1.json")
    for suite in Suite:
        data = bytes.fromhex(vectors["grants"][suite.value])
        grant = parse_grant(data, TRUSTED)
        organizer = fixed_hpke_key(f"vector organizer {suite.value}", suite)
        assert (grant.format, grant.organizer_name) == (1, "Vector Conf")
        assert grant.open(organizer) == bytes.fromhex(vectors["keys"]["epoch_key"])
        assert grant.open_name(organizer) == "Vector Conf"
        assert grant.to_dict()["organizer_name"] == "Vector Conf"


def test_a_new_grant_shows_no_name_and_not_its_length() -> None:
    short, longest = _issue("A"), _issue("東" * MAX_NAME)
    assert len(short) == len(longest)
    for data, name in ((short, "A"), (longest, "東" * MAX_NAME)):
        grant = parse_grant(data, TRUSTED)
        assert grant.organizer_name is None
        assert grant.open_name(ORGANIZER) == name
        assert b"organizer_name" not in data


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=MAX_NAME).filter(lambda t: is_fit_name(t.strip())))
def test_every_fit_name_round_trips_sealed(name: str) -> None:
    name = name.strip()
    data = _issue(name)
    assert len(data) == len(_issue("x"))
    assert parse_grant(data, TRUSTED).open_name(ORGANIZER) == name


def test_an_unfit_name_is_not_issued() -> None:
    with pytest.raises(FormatError, match="name"):
        _issue("Evil\u202eConf")


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"format": 4}, UnsupportedFormat, "versions 1, 2, 3"),
        ({"organizer_name": "Org"}, FormatError, "unknown field"),
        # A grant that calls itself online lacks the service's address.
        ({"format": 3}, FormatError, "lacks the field"),
        ({"endpoint": "https://screening.example.org"}, FormatError, "unknown field"),
    ],
)
def test_grant_v2_parse_is_strict(
    change: dict[str, object], error: type[Exception], match: str
) -> None:
    document = {**_document(_issue("Org")), **change}
    with pytest.raises(error, match=match):
        parse_grant(_signed(document), TRUSTED)


def test_a_v1_grant_needs_its_clear_name() -> None:
    document = {**_document(_issue("Org")), "format": 1}
    with pytest.raises(FormatError, match="organizer_name"):
        parse_grant(_signed(document), TRUSTED)


def test_a_v2_grant_relabelled_v1_does_not_open() -> None:
    """The info strings differ: a sealed part opens only under its own format."""
    from coc_hashscreen.errors import VerificationError

    document = {**_document(_issue("Org")), "format": 1, "organizer_name": "Org"}
    grant = parse_grant(_signed(document), TRUSTED)
    with pytest.raises(VerificationError):
        grant.open(ORGANIZER)


@pytest.mark.parametrize(
    "plaintext",
    [
        EPOCH_KEY,  # format 1's plaintext under format 2's info
        EPOCH_KEY + (3).to_bytes(2, "big") + b"Org" + b"\x01" + bytes(796),  # padding not zero
        EPOCH_KEY + (900).to_bytes(2, "big") + bytes(800),  # longer than the room
        EPOCH_KEY + (2).to_bytes(2, "big") + b"\xff\xfe" + bytes(798),  # not UTF-8
        EPOCH_KEY + (3).to_bytes(2, "big") + b"a\x1bb" + bytes(797),  # not fit to print
    ],
)
def test_a_malformed_sealed_name_is_refused(plaintext: bytes) -> None:
    import base64

    document = _document(_issue("Org"))
    info = grant_info(COMMITTEE.key_id, 1, ORGANIZER.key_id)
    sealed = ORGANIZER.public_key.seal(plaintext, info=info)
    document["sealed"] = base64.b64encode(sealed).decode()
    grant = parse_grant(_signed(document), TRUSTED)
    with pytest.raises(FormatError, match="sealed"):
        grant.open(ORGANIZER)
